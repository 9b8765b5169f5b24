/*
 * The entities loader (conf/entities.yaml) on any bytes: no crash, no
 * leak, and errors said (each with its file) whenever nothing is loaded.
 * What loads is looked up, as a sender's domain would be.
 */

#include "floss-responder.h"
#include "fuzz.h"

const char	fuzz_name[] = "entities";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errors	 e = { NULL, 0 };
	struct entities	*en;
	const char	*path;
	size_t		 i;

	path = fuzz_file(data, size, "entities.yaml");
	en = entities_load(path, &e);
	fuzz_check_errors(en, &e, path);
	if (en != NULL) {
		for (i = 0; i < en->ndoms; i++)
			if (entities_lookup(en, en->doms[i].name) !=
			    en->doms[i].org)
				fuzz_fail("domain %s not found as loaded",
				    en->doms[i].name);
		entities_lookup(en, "mail.example.gouv.fr");
	}
	entities_free(en);
	errors_free(&e);
	return (0);
}

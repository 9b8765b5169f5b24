/*
 * The rules loader on any bytes, one input in eight (by its size) with the
 * shipped entities, whose names join the same matcher (they make a load
 * some twenty times slower): no crash, no leak, and errors said (each with
 * its file) whenever nothing is loaded.  What loads is used: a text is
 * scanned with the matcher built.
 */

#include <stdio.h>
#include <stdlib.h>

#include "floss-responder.h"
#include "fuzz.h"

const char	fuzz_name[] = "rules";

static struct entities	*entities;

static void
fuzz_rules_done(void)
{
	entities_free(entities);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct errors	 e = { NULL, 0 };
	char		*path;
	size_t		 i;

	path = xasprintf("%s/conf/entities.yaml", fuzz_srcdir());
	if ((entities = entities_load(path, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		exit(1);
	}
	free(path);
	atexit(fuzz_rules_done);
	return (0);
}

static void
count(uint32_t id, size_t end, void *arg)
{
	(*(size_t *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char text[] = " comment referencer notre logiciel dans"
	    " le sill. the support market. ";
	struct errors	 e = { NULL, 0 };
	struct rules	*r;
	const char	*path;
	size_t		 n = 0;

	path = fuzz_file(data, size, "rules.yaml");
	r = rules_load(path, size % 8 == 0 ? entities : NULL, &e);
	fuzz_check_errors(r, &e, path);
	if (r != NULL)
		matcher_scan(r->matcher[LANG_FR], text, sizeof text - 1, count, &n);
	rules_free(r);
	errors_free(&e);
	return (0);
}

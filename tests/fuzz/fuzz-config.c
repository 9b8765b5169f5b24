/*
 * The configuration loader on any bytes: no crash, no leak, and errors
 * said (each with its file) whenever nothing is loaded.
 */

#include "floss-responder.h"
#include "fuzz.h"

const char	fuzz_name[] = "config";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errors	 e = { NULL, 0 };
	struct config	*c;
	const char	*path;

	path = fuzz_file(data, size, "floss-responder.yaml");
	c = config_load(path, &e);
	fuzz_check_errors(c, &e, path);
	config_free(c);
	errors_free(&e);
	return (0);
}

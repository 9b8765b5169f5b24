/*
 * The weights loader (classify.weights) on any bytes, against the shipped
 * rules: no crash, no leak, errors said (each with its file) whenever
 * nothing is loaded, and every weight loaded a finite number.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "floss-responder.h"
#include "fuzz.h"

const char	fuzz_name[] = "weights";

static struct rules	*rules;

static void
fuzz_weights_done(void)
{
	rules_free(rules);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct errors	 e = { NULL, 0 };
	char		*path;
	size_t		 i;

	path = xasprintf("%s/conf/rules.yaml", fuzz_srcdir());
	if ((rules = rules_load(path, NULL, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		exit(1);
	}
	free(path);
	atexit(fuzz_weights_done);
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errors	 e = { NULL, 0 };
	struct weights	*w;
	const char	*path;
	size_t		 i;

	path = fuzz_file(data, size, "weights.yaml");
	w = weights_load(path, rules, &e);
	fuzz_check_errors(w, &e, path);
	for (i = 0; w != NULL && i < w->n; i++)
		if (!isfinite(w->w[i]))
			fuzz_fail("weight %zu is not finite", i);
	weights_free(w);
	errors_free(&e);
	return (0);
}

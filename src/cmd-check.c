/*
 * "check": loads the configuration, the rules and every reply, and prints
 * every problem as file:line:column, all of them in one run.
 */

#include <stdio.h>
#include <sysexits.h>

#include "floss-responder.h"
#include "cmd.h"

static int
cmd_check_exec(const char *config, int argc, char **argv)
{
	struct errors	 e = { NULL, 0 };
	struct core	*core;
	size_t		 i, n = 0, t, names = 0;
	int		 l;

	if (argc != 1) {
		fprintf(stderr, "usage: floss-responder check\n");
		return (EX_USAGE);
	}
	core = core_load(config, &e);
	for (i = 0; i < e.n; i++)
		fprintf(stderr, "%s\n", e.v[i]);
	if (core == NULL) {
		fprintf(stderr, "floss-responder: %zu error%s\n", e.n,
		    e.n == 1 ? "" : "s");
		errors_free(&e);
		return (EX_CONFIG);
	}
	for (t = 0; t < core->rules->ntopics; t++)
		for (l = 0; l < LANG_COUNT; l++)
			if (replies_get(core->replies, (int)t, (enum lang)l))
				n++;
	for (t = 0; t < core->rules->npatterns; t++)
		if (core->rules->patterns[t].kind == PAT_ORG ||
		    core->rules->patterns[t].kind == PAT_SOFTWARE)
			names++;
	printf("%s: ok: %zu topics, %zu keywords, %zu names (%zu matcher"
	    " states), %zu replies", config, core->rules->ntopics,
	    core->rules->npatterns - names, names,
	    matcher_nstates(core->rules->matcher[LANG_FR]) +
	    (core->rules->stemming ?
	    matcher_nstates(core->rules->matcher[LANG_EN]) : 0), n);
	if (core->entities != NULL)
		printf(", %zu organisations and %zu software (lists of %s)",
		    core->entities->norgs, core->entities->nsw,
		    core->entities->orgs_date);
	if (core->weights != NULL)
		printf(", the weights of %s (fitted %s on labelled mail, %zu"
		    " keywords and pairs)", core->weights->path,
		    core->weights->fitted_on != NULL ?
		    core->weights->fitted_on : "on an unknown date",
		    core->weights->fitted);
	else
		printf(", the rules' own weights");
	printf("\n");
	errors_free(&e);
	core_free(core);
	return (0);
}

const struct cmd_entry cmd_check_entry = {
	"check", "",
	"validate the configuration, the topic rules and every reply file",
	cmd_check_exec
};

/*
 * The core: the configuration, the topic rules and the replies, loaded
 * together and checked against each other.  Every command and mode works
 * from one of these.
 */

#include <stdlib.h>

#include "floss-responder.h"

struct core *
core_load(const char *path, struct errors *e)
{
	struct core	*core;

	core = xcalloc(1, sizeof *core);
	if ((core->conf = config_load(path, e)) == NULL) {
		core_free(core);
		return (NULL);
	}
	core->rules = rules_load(core->conf->rules_path, e);
	if (core->rules != NULL)
		core->replies = replies_load(core->conf->replies_dir,
		    core->rules, e);
	if (core->rules == NULL || core->replies == NULL) {
		core_free(core);
		return (NULL);
	}
	return (core);
}

void
core_free(struct core *core)
{
	if (core == NULL)
		return;
	config_free(core->conf);
	rules_free(core->rules);
	replies_free(core->replies);
	free(core);
}

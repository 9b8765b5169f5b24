/*
 * The core: the configuration, the topic rules and the replies, loaded
 * together and checked against each other.  Every command and mode works
 * from one of these.
 */

#include <stdlib.h>

#include "floss-responder.h"

/* The topics of approval.topics must exist. */
static void
core_check_approval(struct core *core, struct errors *e)
{
	size_t	i;

	for (i = 0; i < core->conf->napproval; i++)
		if (rules_topic(core->rules, core->conf->approval[i]) == -1)
			errors_add(e, core->conf->path, 0, 0, "approval.topics:"
			    " no topic '%s' in %s", core->conf->approval[i],
			    core->rules->path);
}

struct core *
core_load(const char *path, struct errors *e)
{
	struct core	*core;
	size_t		 before = e->n;

	core = xcalloc(1, sizeof *core);
	if ((core->conf = config_load(path, e)) == NULL) {
		core_free(core);
		return (NULL);
	}
	/* The passwords out of the environment before any child starts. */
	secret_take(core->conf->imap.password_env);
	secret_take(core->conf->smtp.password_env);
	if (*core->conf->entities_path != '\0' && (core->entities =
	    entities_load(core->conf->entities_path, e)) == NULL) {
		core_free(core);
		return (NULL);
	}
	core->rules = rules_load(core->conf->rules_path, core->entities, e);
	if (core->rules != NULL)
		core->replies = replies_load(core->conf->replies_dir,
		    core->rules, e);
	if (core->rules != NULL)
		core_check_approval(core, e);
	if (core->rules == NULL || core->replies == NULL || e->n != before) {
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
	entities_free(core->entities);
	free(core);
}

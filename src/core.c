/*
 * The core: the configuration, the topic rules and the replies, loaded
 * together and checked against each other, and the replies' texts as the
 * own words of a message leave them out (text.c).  Every command and mode
 * works from one of these.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floss-responder.h"

/* Markdown as a reply's text shows it (after its title, when there is
 * one, and without the paragraphs say.c replaces), into the known texts. */
static void
known_markdown(struct known *k, const char *title, const char *md,
    int notice)
{
	cmark_node	*doc, *c, *next;
	struct buf	 b;
	char		*text;

	doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	for (c = cmark_node_first_child(doc); c != NULL; c = next) {
		next = cmark_node_next(c);
		if (reply_slot(c) != NULL)
			cmark_node_free(c);
	}
	text = render_text(doc, 72);
	cmark_node_free(doc);
	buf_init(&b);
	if (title != NULL) {
		buf_adds(&b, title);
		buf_addc(&b, '\n');
	}
	buf_adds(&b, text);
	known_add(k, b.data, b.len, notice);
	buf_free(&b);
	free(text);
}

/*
 * The texts of the replies, in both languages, as a message may quote
 * them: the greeting and introduction, each topic's title and answer, the
 * notice that the answer is automatic (marked: quoted, it makes the
 * message a follow-up), the sentences about what was recognised, the
 * signature.
 */
static struct known *
core_known(const struct core *core)
{
	const struct replies	*rp = core->replies;
	const struct reply_doc	*doc;
	struct known		*k = known_new();
	char			*md;
	size_t			 t, i;
	int			 l;

	for (l = 0; l < LANG_COUNT; l++) {
		md = xasprintf("%s\n\n%s", rp->frame_text[l].greeting,
		    rp->frame_text[l].intro);
		known_markdown(k, NULL, md, 0);
		free(md);
		known_markdown(k, NULL, rp->frame_text[l].automatic, 1);
		md = xasprintf("%s\n\n%s", rp->frame_text[l].automatic,
		    rp->frame_text[l].quoted);
		known_markdown(k, NULL, md, 0);
		free(md);
		for (i = 0; i < S_COUNT; i++)
			if (rp->frame_text[l].sentence[i] != NULL)
				known_markdown(k, NULL,
				    rp->frame_text[l].sentence[i], 0);
		if (rp->frame[l].body != NULL)
			known_markdown(k, NULL, rp->frame[l].body, 0);
		for (t = 0; t < rp->ntopics; t++)
			if ((doc = replies_get(rp, (int)t, l)) != NULL &&
			    doc->body != NULL)
				known_markdown(k, doc->title, doc->body, 0);
	}
	return (k);
}

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
	return (core_load_flags(path, 0, e));
}

struct core *
core_load_flags(const char *path, int flags, struct errors *e)
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
		    core->conf->replies_local, core->rules, e);
	if (core->rules != NULL)
		core_check_approval(core, e);
	if (core->rules != NULL && *core->conf->weights_path != '\0' &&
	    (!(flags & CORE_NEW_WEIGHTS) ||
	    access(core->conf->weights_path, F_OK) == 0) &&
	    (core->weights = weights_load(core->conf->weights_path,
	    core->rules, e)) != NULL &&
	    core->weights->threshold != core->conf->threshold)
		errors_add(e, core->weights->path, core->weights->tline,
		    core->weights->tcol, "fitted for a"
		    " classify.threshold of %g, and %s says %g: run learn"
		    " again", core->weights->threshold, core->conf->path,
		    core->conf->threshold);
	if (core->rules == NULL || core->replies == NULL || e->n != before) {
		core_free(core);
		return (NULL);
	}
	/* A message read from now on leaves the replies' texts out. */
	core->known = core_known(core);
	text_known(core->known);
	core->targets = lure_targets_new(core);
	core->marks = xcalloc(core->rules->npatterns, 2);
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
	weights_free(core->weights);
	text_forget(core->known);
	known_free(core->known);
	lure_targets_free(core->targets);
	free(core->marks);
	free(core);
}

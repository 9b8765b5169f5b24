/*
 * Labelled mail: a directory of messages and its labels.yaml, a list of
 * { file, action, accept, topics, lang, why } -- what a person says each
 * message asks and how it should be handled.  The weights are fitted on
 * them (learn.c).  Only file, action and topics are read; a topic id the
 * rules do not know, an action that is not one, a file named twice are
 * errors at their file:line:column.
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

static const char *label_actions[] = { "reply", "review", "ignore", "spam",
    NULL };

void
labels_free(struct labels *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].file);
		free(l->v[i].raw);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* One entry of the list; 0 when it was added. */
static int
label_read(struct labels *l, const struct rules *r, struct ydoc *y,
    struct errors *e, const char *dir, yaml_node_t *n)
{
	yaml_node_t		*f, *a, *t, *v;
	yaml_node_item_t	*it;
	struct label		*lb;
	const char		*file, *act, *id;
	char			*path;
	size_t			 i, k;
	int			 topic;

	if (n->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, n, "a label is a mapping (file, action,"
		    " topics)");
		return (-1);
	}
	f = ydoc_get(y, n, "file");
	a = ydoc_get(y, n, "action");
	t = ydoc_get(y, n, "topics");
	if ((file = ydoc_scalar(f)) == NULL || *file == '\0' ||
	    strchr(file, '/') != NULL) {
		ydoc_error(y, e, f != NULL ? f : n, "a label needs the name"
		    " of its file, in the same directory");
		return (-1);
	}
	path = xasprintf("%s/%s", dir, file);
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].file, path) == 0) {
			ydoc_error(y, e, f, "'%s' is labelled twice", file);
			free(path);
			return (-1);
		}
	act = ydoc_scalar(a);
	for (k = 0; act != NULL && label_actions[k] != NULL; k++)
		if (strcmp(act, label_actions[k]) == 0)
			break;
	if (act == NULL || label_actions[k] == NULL) {
		ydoc_error(y, e, a != NULL ? a : n, "action: one of reply,"
		    " review, ignore, spam");
		free(path);
		return (-1);
	}
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	lb = &l->v[l->n];
	memset(lb, 0, sizeof *lb);
	/* Spam is not answered: for the weights, as ignored mail. */
	lb->action = k == 0 ? ACT_REPLY : k == 1 ? ACT_REVIEW : ACT_IGNORE;
	if (t != NULL && t->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, e, t, "topics: a list of topic ids");
		free(path);
		return (-1);
	}
	for (it = t != NULL ? t->data.sequence.items.start : NULL;
	    it != NULL && it < t->data.sequence.items.top; it++) {
		v = ydoc_node(y, *it);
		if ((id = ydoc_scalar(v)) == NULL ||
		    (topic = rules_topic(r, id)) == -1) {
			ydoc_error(y, e, v, "'%s' is not a topic of the rules",
			    id != NULL ? id : "?");
			free(path);
			return (-1);
		}
		if (lb->ntopics < MAX_TOPICS)
			lb->topics[lb->ntopics++] = topic;
	}
	lb->file = path;
	l->n++;
	return (0);
}

int
labels_load(struct labels *l, const struct rules *r, const char *dir,
    struct errors *e)
{
	struct ydoc		 y;
	yaml_node_t		*root;
	yaml_node_item_t	*it;
	char			*path, *buf;
	size_t			 len, before = e->n;

	path = xasprintf("%s/labels.yaml", dir);
	if ((buf = config_read_file(path, &len, e)) == NULL) {
		free(path);
		return (-1);
	}
	memset(&y, 0, sizeof y);
	if (ydoc_load(&y, path, buf, len, 0, e) == 0) {
		root = ydoc_root(&y);
		if (root == NULL || root->type != YAML_SEQUENCE_NODE)
			errors_add(e, path, 1, 1, "the labels are a list of"
			    " { file, action, topics }");
		else
			for (it = root->data.sequence.items.start;
			    it < root->data.sequence.items.top; it++)
				label_read(l, r, &y, e, dir,
				    ydoc_node(&y, *it));
	}
	ydoc_free(&y);
	free(buf);
	free(path);
	return (e->n == before ? 0 : -1);
}

size_t
labels_queue(struct labels *l, const struct rules *r, const struct qentry *q,
    size_t n)
{
	struct label	*lb;
	char		*list, *id, *p;
	size_t		 i, added = 0;
	int		 topic;

	for (i = 0; i < n; i++) {
		if (q[i].raw == NULL || (strcmp(q[i].state, "sent") != 0 &&
		    strcmp(q[i].state, "dismissed") != 0))
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		lb = &l->v[l->n++];
		memset(lb, 0, sizeof *lb);
		lb->file = xasprintf("queue %lld", q[i].id);
		lb->raw = xmalloc(q[i].rawlen + 1);
		memcpy(lb->raw, q[i].raw, q[i].rawlen);
		lb->raw[q[i].rawlen] = '\0';
		lb->rawlen = q[i].rawlen;
		added++;
		if (strcmp(q[i].state, "dismissed") == 0) {
			lb->action = ACT_IGNORE;
			continue;
		}
		/* The topics of what the operator sent, main first. */
		lb->action = ACT_REPLY;
		list = xstrdup(q[i].topics != NULL ? q[i].topics : "");
		for (p = list; (id = strsep(&p, ",")) != NULL;)
			if ((topic = rules_topic(r, id)) != -1 &&
			    lb->ntopics < MAX_TOPICS)
				lb->topics[lb->ntopics++] = topic;
		free(list);
	}
	return (added);
}

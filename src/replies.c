/*
 * The replies: replies/<lang>/<topic>.md for every topic answered
 * automatically, in French and in English, and replies/<lang>/_frame.md
 * with the words around them (greeting, introduction, the notice that the
 * answer is automatic).  Each file has a YAML front matter between "---"
 * lines and a Markdown body whose links must be absolute.
 *
 * A second directory, replies_local, may hold files of the same names:
 * each replaces the reply directory's, so that an administrator changes a
 * reply without editing the packaged files (which an upgrade replaces).
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

static const char *reply_keys[] = { "title", "sources", NULL };
/* The frame's keys: the first five are required; the sentences about
 * what a message names (in the order of enum sentence) are not -- without
 * one, a reply says nothing of that case. */
#define FRAME_REQUIRED 5
static const char *frame_keys[] = { "title", "greeting", "intro",
    "automatic", "quoted", "org_both", "org_both_plural", "org_one",
    "org_one_plural", "org_lot", "org_lot_plural", "org_unknown", "org_ask",
    "orgs_date", "software_listed", "software_listed_plural",
    "software_unlisted", "software_unlisted_plural", "software_unknown",
    "software_unknown_plural", "software_date", "market_support",
    "market_expertise", "and", "intro_person", NULL };

/* The paragraphs of a reply's body that stand for sentences (say.c). */
static const char *body_slots[] = { "{{organisations}}", "{{software}}",
    NULL };

/* The text of a paragraph made of text nodes only, or NULL. */
static char *
para_text(cmark_node *para)
{
	struct buf	 b;
	cmark_node	*c;

	buf_init(&b);
	for (c = cmark_node_first_child(para); c != NULL;
	    c = cmark_node_next(c)) {
		if (cmark_node_get_type(c) != CMARK_NODE_TEXT) {
			buf_free(&b);
			return (NULL);
		}
		buf_adds(&b, cmark_node_get_literal(c));
	}
	return (buf_steal(&b));
}

const char *
reply_slot(cmark_node *n)
{
	cmark_node	*c;
	const char	*lit;
	char		*t;
	size_t		 i;

	/* Most paragraphs are told apart by their first two bytes. */
	if (cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH ||
	    (c = cmark_node_first_child(n)) == NULL ||
	    cmark_node_get_type(c) != CMARK_NODE_TEXT ||
	    (lit = cmark_node_get_literal(c)) == NULL ||
	    strncmp(lit, "{{", 2) != 0 || (t = para_text(n)) == NULL)
		return (NULL);
	for (i = 0; body_slots[i] != NULL; i++)
		if (strcmp(t, body_slots[i]) == 0)
			break;
	free(t);
	return (body_slots[i] != NULL ? body_slots[i] : NULL);
}

/* Checks the links of a Markdown body; positions are shifted to the file. */
static void
reply_check_body(const char *path, const char *body, size_t line0,
    struct errors *e)
{
	cmark_node		*doc, *n;
	cmark_iter		*it;
	cmark_event_type	 ev;
	const char		*url;

	doc = cmark_parse_document(body, strlen(body), CMARK_OPT_DEFAULT);
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		n = cmark_iter_get_node(it);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_LINK:
			url = cmark_node_get_url(n);
			if (url == NULL || (strncmp(url, "https://", 8) != 0 &&
			    strncmp(url, "mailto:", 7) != 0))
				errors_add(e, path, line0 +
				    (size_t)cmark_node_get_start_line(n) - 1,
				    (size_t)cmark_node_get_start_column(n),
				    "link '%s' is not an absolute https:// or"
				    " mailto: address", url != NULL ? url : "");
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			errors_add(e, path, line0 +
			    (size_t)cmark_node_get_start_line(n) - 1,
			    (size_t)cmark_node_get_start_column(n),
			    "raw HTML is not allowed in a reply");
			break;
		case CMARK_NODE_TEXT:
			if (strstr(cmark_node_get_literal(n), "{{") != NULL &&
			    reply_slot(cmark_node_parent(n)) == NULL)
				errors_add(e, path, line0 +
				    (size_t)cmark_node_get_start_line(
				    cmark_node_parent(n)) - 1,
				    (size_t)cmark_node_get_start_column(
				    cmark_node_parent(n)), "'{{' starts none of"
				    " {{organisations}}, {{software}} alone in"
				    " a paragraph");
			break;
		case CMARK_NODE_IMAGE:
			errors_add(e, path, line0 +
			    (size_t)cmark_node_get_start_line(n) - 1,
			    (size_t)cmark_node_get_start_column(n),
			    "images are not allowed in a reply");
			break;
		default:
			break;
		}
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
}

/*
 * Reads one reply file into d.  Frame files keep their front matter
 * fields in fields[] (in the order of frame_keys).
 */
static int
reply_load(struct reply_doc *d, const char *path, const char **keys,
    char **fields, struct errors *e)
{
	struct ydoc		 y;
	yaml_node_t		*root, *k;
	yaml_node_pair_t	*pair;
	char			*data, *fm, *end;
	size_t			 len, before = e->n, i, line;
	const char		*v, *bad;

	memset(d, 0, sizeof *d);
	if ((data = config_read_file(path, &len, e)) == NULL)
		return (-1);
	if (strlen(data) != len) {
		errors_add(e, path, 1, 1, "the file holds a NUL byte");
		free(data);
		return (-1);
	}
	if (strncmp(data, "---\n", 4) != 0) {
		errors_add(e, path, 1, 1, "a reply starts with a front matter"
		    " between two '---' lines");
		free(data);
		return (-1);
	}
	fm = data + 4;
	if (strncmp(fm, "---\n", 4) == 0)
		end = fm;
	else if ((end = strstr(fm, "\n---\n")) != NULL)
		end++;
	else {
		errors_add(e, path, 1, 1, "the front matter has no closing"
		    " '---' line");
		free(data);
		return (-1);
	}
	line = 2;
	for (i = 0; fm + i < end; i++)
		if (fm[i] == '\n')
			line++;
	if (ydoc_load(&y, path, fm, (size_t)(end - fm), 1, e) == 0) {
		root = ydoc_root(&y);
		if (root->type != YAML_MAPPING_NODE)
			ydoc_error(&y, e, root, "the front matter must be a"
			    " mapping");
		else {
			for (pair = root->data.mapping.pairs.start;
			    pair < root->data.mapping.pairs.top; pair++) {
				k = ydoc_node(&y, pair->key);
				v = ydoc_scalar(k);
				for (i = 0; keys[i] != NULL; i++)
					if (v != NULL && strcmp(v, keys[i]) == 0)
						break;
				if (keys[i] == NULL) {
					ydoc_error(&y, e, k, "unknown key '%s'",
					    v != NULL ? v : "?");
					continue;
				}
				if (fields == NULL || strcmp(v, "sources") == 0)
					continue;
				v = ydoc_scalar(ydoc_node(&y, pair->value));
				if (v == NULL || *v == '\0')
					ydoc_error(&y, e, ydoc_node(&y,
					    pair->value), "%s must be a text",
					    keys[i]);
				else if (i >= FRAME_REQUIRED &&
				    (bad = say_check(v)) != NULL)
					ydoc_error(&y, e, ydoc_node(&y,
					    pair->value), "%s: unknown"
					    " placeholder %s", keys[i], bad);
				else {
					free(fields[i]);
					fields[i] = xstrdup(v);
				}
			}
			v = ydoc_scalar(ydoc_get(&y, root, "title"));
			if (v == NULL || *v == '\0')
				ydoc_error(&y, e, root, "title is missing");
			else
				d->title = xstrdup(v);
		}
	} else if (y.loaded == 0 && e->n == before)
		errors_add(e, path, 2, 1, "empty front matter");
	ydoc_free(&y);
	d->path = xstrdup(path);
	d->body = xstrdup(end + 4);
	d->body_line = line + 1;
	if (fields == NULL) {
		if (strspn(d->body, " \t\r\n") == strlen(d->body))
			errors_add(e, path, line, 1, "the reply has no body");
		reply_check_body(path, d->body, d->body_line, e);
	}
	free(data);
	return (e->n == before ? 0 : -1);
}

static void
reply_doc_free(struct reply_doc *d)
{
	free(d->path);
	free(d->title);
	free(d->body);
	memset(d, 0, sizeof *d);
}

/* Files of the directory that name no topic are errors too. */
static void
replies_strays(const char *dir, const struct rules *r, struct errors *e)
{
	DIR		*d;
	struct dirent	*de;
	char		*id;
	size_t		 n;
	int		 t;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (de->d_name[0] == '.' || n < 4 ||
		    strcmp(de->d_name + n - 3, ".md") != 0 ||
		    strcmp(de->d_name, "_frame.md") == 0)
			continue;
		id = xstrndup(de->d_name, n - 3);
		t = rules_topic(r, id);
		if (t == -1 || r->topics[t].signal)
			errors_add(e, dir, 0, 0, "%s: no topic '%s' in %s",
			    de->d_name, id, r->path);
		else if (r->topics[t].action != ACT_REPLY)
			errors_add(e, dir, 0, 0, "%s: topic '%s' is answered"
			    " by a person (action review)", de->d_name, id);
		free(id);
	}
	closedir(d);
}

/* Where the file NAME of language l is read: the local directory's when
 * it has one (anything there but nothing -- a dangling link too -- is
 * its, and an error if it cannot be read), else the reply directory's.
 * Counts the local files in *nlocal.  Allocated. */
static char *
replies_path(struct replies *rp, enum lang l, const char *name,
    size_t *nlocal)
{
	struct stat	 sb;
	char		*path;

	if (rp->local != NULL) {
		path = xasprintf("%s/%s/%s", rp->local, lang_name(l), name);
		if (lstat(path, &sb) == 0 || errno != ENOENT) {
			(*nlocal)++;
			return (path);
		}
		free(path);
	}
	return (xasprintf("%s/%s/%s", rp->dir, lang_name(l), name));
}

/* The local directory holds languages' directories only. */
static void
replies_local_strays(const char *local, struct errors *e)
{
	DIR		*d;
	struct dirent	*de;
	enum lang	 l;

	if ((d = opendir(local)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' && lang_parse(de->d_name, &l) != 0)
			errors_add(e, local, 0, 0, "%s: replies go in the"
			    " directory of their language (fr/, en/)",
			    de->d_name);
	}
	closedir(d);
}

struct replies *
replies_load(const char *dir, const char *local, const struct rules *r,
    struct errors *e)
{
	struct replies	*rp;
	char		*path, *name, *fields[32];
	const char	*dirs[2];
	size_t		 t, before = e->n, i, k;
	int		 l;

	rp = xcalloc(1, sizeof *rp);
	rp->dir = xstrdup(dir);
	if (local != NULL && *local != '\0') {
		rp->local = xstrdup(local);
		replies_local_strays(local, e);
	}
	rp->ntopics = r->ntopics;
	rp->docs = xcalloc(r->ntopics * LANG_COUNT, sizeof *rp->docs);
	dirs[0] = rp->dir;
	dirs[1] = rp->local;
	for (l = 0; l < LANG_COUNT; l++) {
		for (k = 0; k < 2 && dirs[k] != NULL; k++) {
			path = xasprintf("%s/%s", dirs[k],
			    lang_name((enum lang)l));
			replies_strays(path, r, e);
			free(path);
		}
		for (t = 0; t < r->ntopics; t++) {
			if (r->topics[t].signal ||
			    r->topics[t].action != ACT_REPLY)
				continue;
			name = xasprintf("%s.md", r->topics[t].id);
			path = replies_path(rp, (enum lang)l, name,
			    &rp->nlocal);
			reply_load(&rp->docs[t * LANG_COUNT + (size_t)l], path,
			    reply_keys, NULL, e);
			free(path);
			free(name);
		}
		memset(fields, 0, sizeof fields);
		path = replies_path(rp, (enum lang)l, "_frame.md",
		    &rp->nlocal_frames);
		if (reply_load(&rp->frame[l], path, frame_keys, fields, e) == 0)
			for (i = 1; i < FRAME_REQUIRED; i++)
				if (fields[i] == NULL)
					errors_add(e, path, 2, 1, "%s is missing",
					    frame_keys[i]);
		rp->frame_text[l].greeting = fields[1];
		rp->frame_text[l].intro = fields[2];
		rp->frame_text[l].automatic = fields[3];
		rp->frame_text[l].quoted = fields[4];
		for (i = 0; i < S_COUNT; i++)
			rp->frame_text[l].sentence[i] =
			    fields[FRAME_REQUIRED + i];
		free(fields[0]);
		free(path);
	}
	if (e->n != before) {
		replies_free(rp);
		return (NULL);
	}
	return (rp);
}

void
replies_free(struct replies *rp)
{
	size_t	i;
	int	l;

	if (rp == NULL)
		return;
	for (i = 0; i < rp->ntopics * LANG_COUNT; i++)
		reply_doc_free(&rp->docs[i]);
	free(rp->docs);
	for (l = 0; l < LANG_COUNT; l++) {
		reply_doc_free(&rp->frame[l]);
		free(rp->frame_text[l].greeting);
		free(rp->frame_text[l].intro);
		free(rp->frame_text[l].automatic);
		free(rp->frame_text[l].quoted);
		for (i = 0; i < S_COUNT; i++)
			free(rp->frame_text[l].sentence[i]);
	}
	free(rp->dir);
	free(rp->local);
	free(rp);
}

const struct reply_doc *
replies_get(const struct replies *rp, int topic, enum lang l)
{
	const struct reply_doc	*d;

	if (topic < 0 || (size_t)topic >= rp->ntopics)
		return (NULL);
	d = &rp->docs[(size_t)topic * LANG_COUNT + l];
	return (d->body != NULL ? d : NULL);
}

/*
 * Weights fitted on labelled mail (classify.weights): how many points each
 * keyword and each pair of the rules is worth, in place of the weight the
 * rules give it.  The file is written by "learn" and read here:
 *
 *	fitted: 2026-12-03
 *	threshold: 8		classify.threshold the points are for
 *	precision: 0.99		the aim the threshold was chosen for
 *	probability: 0.55	the probability a topic then needs
 *	inputs: [{ source: DIR, messages: N }, ...]
 *	topics:
 *	  TOPIC:
 *	    scale: 1.6		points per unit of a hand weight, for the
 *				keywords and pairs the file does not list
 *	    keywords: { "keyword as written": points, ... }
 *	    pairs: { "object + intent": points, ... }
 *
 * Only what decides is read (threshold, the topics); the rest says where
 * the figures come from.  What the rules do not have is an error at its
 * file:line:column: the weights are for other rules.  A keyword is still
 * strong -- it names a topic alone -- by its weight in the rules.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

/* The feature of topic t called name: a keyword's pattern id, a pair's
 * rules_pair_id(); -1 when the rules have none.  The search starts where
 * the last one ended (*from): learn writes the keywords in the rules'
 * order, so that a whole file is read in one walk of them. */
static long
weights_feature(const struct rules *r, int t, int pair, const char *name,
    size_t *from)
{
	const struct pattern	*p;
	size_t			 i, k;

	if (pair) {
		for (i = 0; i < r->topics[t].npairs; i++)
			if (strcmp(r->topics[t].pairs[i].text, name) == 0)
				return ((long)rules_pair_id(r, t, (int)i));
		return (-1);
	}
	for (k = 0; k < r->npatterns; k++) {
		i = (*from + k) % r->npatterns;
		p = &r->patterns[i];
		if (p->kind == PAT_KEYWORD && p->topic == t &&
		    strcmp(p->text, name) == 0) {
			*from = i + 1;
			return ((long)i);
		}
	}
	return (-1);
}

/* A feature's weight in the rules. */
double
weights_hand(const struct rules *r, uint32_t id)
{
	int	t;

	if (id < r->npatterns)
		return (r->patterns[id].weight);
	for (t = 0; t < (int)r->ntopics; t++)
		if (id < rules_pair_id(r, t, 0) + r->topics[t].npairs)
			return (r->topics[t].pairs[id - rules_pair_id(r, t,
			    0)].weight);
	return (0);
}

/* The points of the features of one list (keywords or pairs) of topic t. */
static void
weights_list(struct weights *w, const struct rules *r, struct ydoc *y,
    struct errors *e, yaml_node_t *map, int t, int pair)
{
	yaml_node_pair_t	*p;
	yaml_node_t		*k, *v;
	const char		*name;
	long			 id;
	double			 x;
	size_t			 from = 0;

	if (map == NULL)
		return;
	if (map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, map, "%s: a mapping of %s to points",
		    pair ? "pairs" : "keywords", pair ? "\"object + intent\"" :
		    "keywords as the rules write them");
		return;
	}
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = ydoc_node(y, p->key);
		v = ydoc_node(y, p->value);
		if ((name = ydoc_scalar(k)) == NULL) {
			ydoc_error(y, e, k, "a %s is a string",
			    pair ? "pair" : "keyword");
			continue;
		}
		if ((id = weights_feature(r, t, pair, name, &from)) == -1) {
			ydoc_error(y, e, k, "'%s' is not a %s of %s in %s: the"
			    " weights are for other rules (run learn again)",
			    name, pair ? "pair" : "keyword", r->topics[t].id,
			    r->path);
			continue;
		}
		if (ydoc_number(y, e, v, &x) != 0)
			continue;
		if (!isfinite(x) || fabs(x) > 1000) {
			ydoc_error(y, e, v, "%s: points from -1000 to 1000",
			    name);
			continue;
		}
		w->w[id] = x;
		w->fitted++;
	}
}

/* One topic's scale and lists. */
static void
weights_topic(struct weights *w, const struct rules *r, struct ydoc *y,
    struct errors *e, yaml_node_t *key, yaml_node_t *v)
{
	yaml_node_pair_t	*p;
	const char		*id = ydoc_scalar(key), *name;
	double			 scale = 1;
	size_t			 i;
	int			 t;

	if (id == NULL || (t = rules_topic(r, id)) == -1 ||
	    r->topics[t].signal) {
		ydoc_error(y, e, key, "'%s' is not a topic of %s",
		    id != NULL ? id : "?", r->path);
		return;
	}
	if (v->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, v, "%s: a mapping of scale, keywords and"
		    " pairs", id);
		return;
	}
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top;
	    p++) {
		name = ydoc_scalar(ydoc_node(y, p->key));
		if (name == NULL || (strcmp(name, "scale") != 0 &&
		    strcmp(name, "keywords") != 0 &&
		    strcmp(name, "pairs") != 0))
			ydoc_error(y, e, ydoc_node(y, p->key), "'%s' is not"
			    " scale, keywords or pairs", name != NULL ? name :
			    "?");
	}
	if ((key = ydoc_get(y, v, "scale")) != NULL &&
	    ydoc_number(y, e, key, &scale) == 0 &&
	    (!(scale > 0) || scale > 100)) {
		ydoc_error(y, e, key, "scale: a number above 0, at most 100");
		scale = 1;
	}
	/* What the file does not list: the rules' weight, scaled. */
	for (i = 0; i < r->npatterns; i++)
		if (r->patterns[i].kind == PAT_KEYWORD &&
		    r->patterns[i].topic == t)
			w->w[i] = scale * r->patterns[i].weight;
	for (i = 0; i < r->topics[t].npairs; i++)
		w->w[rules_pair_id(r, t, (int)i)] = scale *
		    r->topics[t].pairs[i].weight;
	weights_list(w, r, y, e, ydoc_get(y, v, "keywords"), t, 0);
	weights_list(w, r, y, e, ydoc_get(y, v, "pairs"), t, 1);
}

struct weights *
weights_load(const char *path, const struct rules *r, struct errors *e)
{
	static const char	*keys[] = { "fitted", "threshold", "precision",
	    "probability", "inputs", "topics", "cross-validated", NULL };
	struct weights		*w;
	struct ydoc		 y;
	yaml_node_t		*root, *n;
	yaml_node_pair_t	*p;
	const char		*s;
	char			*buf;
	size_t			 len, before = e->n, i;
	uint32_t		 id;

	if ((buf = config_read_file(path, &len, e)) == NULL)
		return (NULL);
	w = xcalloc(1, sizeof *w);
	w->path = xstrdup(path);
	w->n = rules_pair_id(r, (int)r->ntopics, 0);
	w->w = xcalloc(w->n + 1, sizeof *w->w);
	for (id = 0; id < w->n; id++)
		w->w[id] = weights_hand(r, id);
	memset(&y, 0, sizeof y);
	if (ydoc_load(&y, path, buf, len, 0, e) != 0)
		goto out;
	root = ydoc_root(&y);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		errors_add(e, path, 1, 1, "the weights are a mapping (fitted,"
		    " threshold, topics...): see \"floss-responder learn\"");
		goto out;
	}
	for (p = root->data.mapping.pairs.start;
	    p < root->data.mapping.pairs.top; p++) {
		s = ydoc_scalar(ydoc_node(&y, p->key));
		for (i = 0; s != NULL && keys[i] != NULL; i++)
			if (strcmp(s, keys[i]) == 0)
				break;
		if (s == NULL || keys[i] == NULL)
			ydoc_error(&y, e, ydoc_node(&y, p->key), "unknown key"
			    " '%s'", s != NULL ? s : "?");
	}
	if ((s = ydoc_scalar(ydoc_get(&y, root, "fitted"))) != NULL)
		w->fitted_on = xstrdup(s);
	if ((n = ydoc_get(&y, root, "threshold")) == NULL)
		errors_add(e, path, 1, 1, "threshold: the classify.threshold"
		    " the points were fitted for is missing");
	else if (ydoc_number(&y, e, n, &w->threshold) == 0 &&
	    !(w->threshold > 0))
		ydoc_error(&y, e, n, "threshold: a number above 0");
	else {
		w->tline = n->start_mark.line + 1;
		w->tcol = n->start_mark.column + 1;
	}
	if ((n = ydoc_get(&y, root, "topics")) == NULL ||
	    n->type != YAML_MAPPING_NODE)
		ydoc_error(&y, e, n, "topics: a mapping of topic ids to their"
		    " weights");
	else
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++)
			weights_topic(w, r, &y, e, ydoc_node(&y, p->key),
			    ydoc_node(&y, p->value));
out:
	ydoc_free(&y);
	free(buf);
	if (e->n != before) {
		weights_free(w);
		return (NULL);
	}
	return (w);
}

void
weights_free(struct weights *w)
{
	if (w == NULL)
		return;
	free(w->path);
	free(w->fitted_on);
	free(w->w);
	free(w);
}

/* A string as YAML writes it in double quotes. */
static void
weights_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* A number with at most three decimals, without a trailing zero: the
 * same bytes for the same value on every machine. */
static void
weights_num(struct buf *b, double v)
{
	char	s[64];
	size_t	n;

	if (fabs(v) < 0.0005)
		v = 0;
	snprintf(s, sizeof s, "%.3f", v);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '0')
		n--;
	if (n > 0 && s[n - 1] == '.')
		n--;
	buf_add(b, s, n);
}

/* One line of a topic's keywords or pairs, under its heading the first
 * time (*any). */
static void
weights_entry(struct buf *b, int *any, const char *list, const char *name,
    double w)
{
	if (!(*any)++)
		buf_printf(b, "    %s:\n", list);
	buf_adds(b, "      ");
	weights_quote(b, name);
	buf_adds(b, ": ");
	weights_num(b, w);
	buf_addc(b, '\n');
}

void
weights_write(struct buf *b, const struct rules *r, const struct wfile *f)
{
	size_t	i, k;
	int	t, any;

	buf_adds(b, "# How much each keyword and pair of the rules weighs,"
	    " fitted on labelled\n# mail by \"floss-responder learn\" (see"
	    " the README); classify.weights\n# names this file.  Written by"
	    " the program: run learn again rather than\n# editing it.\n");
	buf_printf(b, "fitted: %s\n", f->date);
	buf_adds(b, "threshold: ");
	weights_num(b, f->threshold);
	buf_adds(b, "\nprecision: ");
	weights_num(b, f->precision);
	buf_adds(b, "\nprobability: ");
	weights_num(b, f->probability);
	buf_adds(b, "\ninputs:\n");
	for (i = 0; i < f->ninputs; i++) {
		buf_adds(b, "  - { source: ");
		weights_quote(b, f->inputs[i].source);
		buf_printf(b, ", messages: %zu }\n", f->inputs[i].messages);
	}
	buf_printf(b, "cross-validated: { folds: %d, replies: %d, right: %d,"
	    " answerable: %d }\n", f->folds, f->cv.replies, f->cv.right,
	    f->cv.answerable);
	buf_adds(b, "topics:\n");
	for (t = 0; t < (int)r->ntopics; t++) {
		if (r->topics[t].signal)
			continue;
		buf_printf(b, "  %s:\n    scale: ", r->topics[t].id);
		weights_num(b, f->scale[t]);
		buf_adds(b, "\n");
		any = 0;
		for (i = 0; i < r->npatterns; i++)
			if (r->patterns[i].kind == PAT_KEYWORD &&
			    r->patterns[i].topic == t && f->seen[i])
				weights_entry(b, &any, "keywords",
				    r->patterns[i].text, f->w[i]);
		any = 0;
		for (k = 0; k < r->topics[t].npairs; k++) {
			i = rules_pair_id(r, t, (int)k);
			if (f->seen[i])
				weights_entry(b, &any, "pairs",
				    r->topics[t].pairs[k].text, f->w[i]);
		}
	}
}

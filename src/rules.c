/*
 * The topic rules (conf/rules.yaml): each topic of the specification with
 * its action, its weighted keywords and its pairs of an object and an
 * intent (the lexicons objects and intents: the words that name what a
 * sentence is about, and what it wants of it), the signals that a person
 * must answer (an interview request, a sales pitch), the forms that ask (a
 * sentence with one is a question), and the stopwords that tell French from
 * English.  Everything becomes one matcher.
 *
 * A keyword is a word or a phrase, matched on whole words after folding
 * (case, accents and punctuation do not matter); a final '*' makes its last
 * word a prefix ("référen*" matches "référent" and "référencer").
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

const char *
action_name(enum action a)
{
	switch (a) {
	case ACT_REPLY:
		return ("reply");
	case ACT_REVIEW:
		return ("review");
	case ACT_IGNORE:
		return ("ignore");
	}
	return ("?");
}

const char *
lang_name(enum lang l)
{
	return (l == LANG_EN ? "en" : "fr");
}

int
lang_parse(const char *s, enum lang *l)
{
	if (strcmp(s, "fr") == 0)
		*l = LANG_FR;
	else if (strcmp(s, "en") == 0)
		*l = LANG_EN;
	else
		return (-1);
	return (0);
}

uint32_t
rules_pair_id(const struct rules *r, int topic, int pair)
{
	size_t	id = r->npatterns;
	int	t;

	for (t = 0; t < topic; t++)
		id += r->topics[t].npairs;
	return ((uint32_t)(id + (size_t)pair));
}

int
rules_topic(const struct rules *r, const char *id)
{
	size_t	i;

	for (i = 0; i < r->ntopics; i++)
		if (strcmp(r->topics[i].id, id) == 0)
			return ((int)i);
	return (-1);
}

/* Folds a keyword into the matcher's form; NULL with *why if it can't. */
static char *
keyword_fold(const char *kw, char **why)
{
	char	*copy, *f;
	size_t	 n;
	int	 prefix = 0;

	copy = xstrdup(kw);
	n = strlen(copy);
	if (n > 0 && copy[n - 1] == '*') {
		prefix = 1;
		copy[n - 1] = '\0';
		if (n > 1 && (copy[n - 2] == ' ' || copy[n - 2] == '*')) {
			*why = xasprintf("'%s': a '*' must end a word", kw);
			free(copy);
			return (NULL);
		}
	}
	if (strchr(copy, '*') != NULL) {
		*why = xasprintf("'%s': '*' is allowed only at the end", kw);
		free(copy);
		return (NULL);
	}
	f = fold_string(copy);
	free(copy);
	if (strlen(f) <= 1) {
		*why = xasprintf("'%s' has no letters or digits", kw);
		free(f);
		return (NULL);
	}
	for (n = 0; f[n] != '\0'; n++) {
		if ((unsigned char)f[n] >= 0x80) {
			*why = xasprintf("'%s': only Latin letters and digits"
			    " can be matched", kw);
			free(f);
			return (NULL);
		}
	}
	if (prefix)
		f[strlen(f) - 1] = '\0';	/* drop the final space */
	return (f);
}

/*
 * The keywords loaded so far, each with its kind, topic and language, in a
 * hash set (open addressing, doubled when half full): a keyword given twice
 * is told in constant time, so that loading grows with the rules' size.
 */
/* Adds key (taken): 1, or 0 when it was there (key freed by the caller). */
static int
seen_add(struct seen *st, char *key)
{
	char	**old = st->v;
	size_t	  oldn = st->size, i, k;

	if (2 * (st->n + 1) > st->size) {
		st->size = st->size == 0 ? 1024 : 2 * st->size;
		st->v = xcalloc(st->size, sizeof *st->v);
		for (i = 0; i < oldn; i++) {
			if (old[i] == NULL)
				continue;
			k = fnv1a(old[i], strlen(old[i])) & (st->size - 1);
			while (st->v[k] != NULL)
				k = (k + 1) & (st->size - 1);
			st->v[k] = old[i];
		}
		free(old);
	}
	k = fnv1a(key, strlen(key)) & (st->size - 1);
	for (; st->v[k] != NULL; k = (k + 1) & (st->size - 1))
		if (strcmp(st->v[k], key) == 0)
			return (0);
	st->v[k] = key;
	st->n++;
	return (1);
}

static void
seen_free(struct seen *st)
{
	size_t	i;

	for (i = 0; i < st->size; i++)
		free(st->v[i]);
	free(st->v);
	memset(st, 0, sizeof *st);
}

/* A new pattern, with its folded text (taken). */
static struct pattern *
pattern_new(struct rules *r, enum pattern_kind kind, int topic,
    const char *text, char *folded)
{
	struct pattern	*p;

	r->patterns = xreallocarray(r->patterns, r->npatterns + 1,
	    sizeof *r->patterns);
	p = &r->patterns[r->npatterns++];
	memset(p, 0, sizeof *p);
	p->kind = kind;
	p->topic = topic;
	p->text = xstrdup(text);
	p->folded = folded;
	p->flen = strlen(folded);
	return (p);
}

/* What holds a keyword of each kind, for the errors. */
static const char *kind_holder[] = {
	[PAT_KEYWORD] = "topic",	[PAT_STOPWORD] = "language",
	[PAT_ORG] = "organisation",	[PAT_SOFTWARE] = "software",
	[PAT_OBJECT] = "object",	[PAT_INTENT] = "intent",
	[PAT_ASK] = "list",		[PAT_NEG] = "list",
	[PAT_NOTNEG] = "list",		[PAT_NEGEND] = "list",
	[PAT_SCREEN] = "screen",
};

static void
rules_add(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *n, enum pattern_kind kind, int topic, enum lang lang,
    double weight)
{
	struct pattern	*p;
	const char	*kw = ydoc_scalar(n);
	char		*f, *key, *why = NULL;

	if (kw == NULL) {
		ydoc_error(y, e, n, "a keyword must be a string");
		return;
	}
	if ((f = keyword_fold(kw, &why)) == NULL) {
		ydoc_error(y, e, n, "%s", why);
		free(why);
		return;
	}
	key = xasprintf("%d %d %d%s", (int)kind, topic, (int)lang, f);
	if (!seen_add(&r->seen, key)) {
		ydoc_error(y, e, n, "'%s' is already a keyword of this %s", kw,
		    kind_holder[kind]);
		free(key);
		free(f);
		return;
	}
	p = pattern_new(r, kind, topic, kw, f);
	p->lang = lang;
	p->weight = weight;
}

/* The index of name in a list of names, or -1. */
static int
name_index(char **names, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return ((int)i);
	return (-1);
}

/* objects: or intents: { name: [keyword, ...], ... } */
static void
rules_lexicon(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *map, enum pattern_kind kind)
{
	const char		*what = kind == PAT_OBJECT ? "objects" :
				    "intents";
	char			***names = kind == PAT_OBJECT ? &r->objects :
				    &r->intents;
	size_t			*n = kind == PAT_OBJECT ? &r->nobjects :
				    &r->nintents;
	yaml_node_pair_t	*pair;
	yaml_node_item_t	*it;
	yaml_node_t		*k, *v;
	const char		*name;

	if (map == NULL)
		return;
	if (map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, map, "%s must map names to lists of keywords",
		    what);
		return;
	}
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = ydoc_node(y, pair->key);
		v = ydoc_node(y, pair->value);
		if ((name = ydoc_scalar(k)) == NULL || *name == '\0' ||
		    strpbrk(name, " +") != NULL) {
			ydoc_error(y, e, k, "a name of %s is a word (no space,"
			    " no '+')", what);
			continue;
		}
		if (name_index(*names, *n, name) != -1) {
			ydoc_error(y, e, k, "'%s' is defined twice", name);
			continue;
		}
		if (*n == MAX_LEXICON) {
			ydoc_error(y, e, k, "more than %d %s", MAX_LEXICON,
			    what);
			return;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			ydoc_error(y, e, v, "a list of keywords is expected");
			continue;
		}
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(name);
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++)
			rules_add(r, y, e, ydoc_node(y, *it), kind,
			    (int)*n - 1, LANG_FR, 0);
	}
}

/* stemming: true | false (the default). */
static void
rules_stemming(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *n)
{
	const char	*v;

	if (n == NULL)
		return;
	if ((v = ydoc_scalar(n)) != NULL && strcmp(v, "true") == 0)
		r->stemming = 1;
	else if (v == NULL || strcmp(v, "false") != 0)
		ydoc_error(y, e, n, "stemming must be true or false");
}

/* A list of words or phrases of one kind: asks (the forms that make a
 * sentence a question), negations (the words that deny what follows),
 * not_negations (those that hold one and deny nothing: "je ne sais pas",
 * "not yet"), negation_ends (those after which nothing is denied: "mais"). */
static void
rules_list(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *seq, const char *what, enum pattern_kind kind)
{
	yaml_node_item_t	*it;

	if (seq == NULL)
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, e, seq, "%s must be a list of words or phrases",
		    what);
		return;
	}
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++)
		rules_add(r, y, e, ydoc_node(y, *it), kind, -1, LANG_FR, 0);
}

/* One pair of a topic, "object + intent", with its weight. */
static void
pair_add(struct rules *r, struct ydoc *y, struct errors *e, yaml_node_t *n,
    int topic, double w)
{
	struct topic	*tp = &r->topics[topic];
	struct pair	*pr;
	const char	*text;
	char		*obj, *plus, *intent;
	int		 o, i;

	if ((text = ydoc_scalar(n)) == NULL ||
	    (plus = strchr(text, '+')) == NULL) {
		ydoc_error(y, e, n, "a pair is written \"object + intent\"");
		return;
	}
	obj = xstrndup(text, (size_t)(plus - text));
	obj[strcspn(obj, " ")] = '\0';
	intent = xstrdup(plus + 1 + strspn(plus + 1, " "));
	intent[strcspn(intent, " ")] = '\0';
	o = name_index(r->objects, r->nobjects, obj);
	i = name_index(r->intents, r->nintents, intent);
	if (o == -1 || i == -1)
		ydoc_error(y, e, n, "'%s' is not %s", o == -1 ? obj : intent,
		    o == -1 ? "one of the objects" : "one of the intents");
	else {
		tp->pairs = xreallocarray(tp->pairs, tp->npairs + 1,
		    sizeof *tp->pairs);
		pr = &tp->pairs[tp->npairs++];
		pr->object = o;
		pr->intent = i;
		tp->pair_objects |= (uint64_t)1 << o;
		tp->pair_intents |= (uint64_t)1 << i;
		pr->weight = w;
		pr->text = xasprintf("%s + %s", obj, intent);
	}
	free(obj);
	free(intent);
}

/* One keyword of a topic, with its weight. */
static void
keyword_add(struct rules *r, struct ydoc *y, struct errors *e, yaml_node_t *n,
    int topic, double w)
{
	rules_add(r, y, e, n, PAT_KEYWORD, topic, LANG_FR, w);
}

/* A topic's keywords or pairs: { weight: [item, ...], ... }. */
struct weighted {
	const char	*map_error;	/* not a mapping */
	const char	*weight_error;	/* a weight out of range */
	const char	*list_error;	/* not a list */
	int		 positive;	/* weights above 0 only (else from -100,
					   and not 0) */
	void		(*add)(struct rules *, struct ydoc *, struct errors *,
			    yaml_node_t *, int, double);
};
static const struct weighted keywords = {
	"keywords must map weights to lists of keywords",
	"a weight must be from -100 to 100, and not 0",
	"a list of keywords is expected", 0, keyword_add
};
static const struct weighted pairs = {
	"pairs must map weights to lists of \"object + intent\"",
	"a pair's weight must be above 0 and at most 100",
	"a list of \"object + intent\" is expected", 1, pair_add
};

static void
rules_weighted(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *map, int topic, const struct weighted *how)
{
	yaml_node_pair_t	*pair;
	yaml_node_item_t	*it;
	yaml_node_t		*k, *v;
	double			 w;

	if (map == NULL || map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, map, "%s", how->map_error);
		return;
	}
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = ydoc_node(y, pair->key);
		v = ydoc_node(y, pair->value);
		if (ydoc_number(y, e, k, &w) != 0)
			continue;
		if (w == 0 || w > 100 || w < (how->positive ? 0 : -100)) {
			ydoc_error(y, e, k, "%s", how->weight_error);
			continue;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			ydoc_error(y, e, v, "%s", how->list_error);
			continue;
		}
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++)
			how->add(r, y, e, ydoc_node(y, *it), topic, w);
	}
}

static void
rules_topics(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *seq, int signal)
{
	yaml_node_item_t	*it;
	yaml_node_t		*t, *n;
	const char		*id, *act, *why;
	struct topic		*tp;
	int			 topic;

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE) {
		ydoc_error(y, e, seq, "a list of %s is expected",
		    signal ? "signals" : "topics");
		return;
	}
	for (it = seq->data.sequence.items.start;
	    it < seq->data.sequence.items.top; it++) {
		t = ydoc_node(y, *it);
		if (t->type != YAML_MAPPING_NODE) {
			ydoc_error(y, e, t, "a topic is a mapping with id,"
			    " action and keywords");
			continue;
		}
		if ((id = ydoc_scalar(ydoc_get(y, t, "id"))) == NULL) {
			ydoc_error(y, e, t, "id is missing");
			continue;
		}
		if (rules_topic(r, id) != -1) {
			ydoc_error(y, e, ydoc_get(y, t, "id"),
			    "'%s' is defined twice", id);
			continue;
		}
		r->topics = xreallocarray(r->topics, r->ntopics + 1,
		    sizeof *r->topics);
		topic = (int)r->ntopics++;
		tp = &r->topics[topic];
		memset(tp, 0, sizeof *tp);
		tp->id = xstrdup(id);
		tp->signal = signal;
		tp->action = ACT_REVIEW;
		if (!signal) {
			n = ydoc_get(y, t, "action");
			act = ydoc_scalar(n);
			if (act != NULL && strcmp(act, "reply") == 0)
				tp->action = ACT_REPLY;
			else if (act == NULL || strcmp(act, "review") != 0)
				ydoc_error(y, e, n != NULL ? n : t,
				    "%s: action must be reply or review", id);
		} else {
			why = ydoc_scalar(ydoc_get(y, t, "why"));
			if (why == NULL)
				ydoc_error(y, e, t, "%s: why is missing", id);
			tp->why = xstrdup(why != NULL ? why : id);
		}
		/* Keywords, pairs or both. */
		if (ydoc_get(y, t, "keywords") != NULL ||
		    ydoc_get(y, t, "pairs") == NULL)
			rules_weighted(r, y, e, ydoc_get(y, t, "keywords"),
			    topic, &keywords);
		if (ydoc_get(y, t, "pairs") != NULL)
			rules_weighted(r, y, e, ydoc_get(y, t, "pairs"), topic,
			    &pairs);
	}
}

static void
rules_stopwords(struct rules *r, struct ydoc *y, struct errors *e,
    yaml_node_t *map)
{
	yaml_node_pair_t	*pair;
	yaml_node_item_t	*it;
	yaml_node_t		*k, *v;
	enum lang		 l;

	if (map == NULL || map->type != YAML_MAPPING_NODE) {
		ydoc_error(y, e, map, "stopwords must map fr and en to lists"
		    " of words");
		return;
	}
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = ydoc_node(y, pair->key);
		v = ydoc_node(y, pair->value);
		if (ydoc_scalar(k) == NULL || lang_parse(ydoc_scalar(k), &l)) {
			ydoc_error(y, e, k, "a language must be fr or en");
			continue;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			ydoc_error(y, e, v, "a list of words is expected");
			continue;
		}
		for (it = v->data.sequence.items.start;
		    it < v->data.sequence.items.top; it++)
			rules_add(r, y, e, ydoc_node(y, *it), PAT_STOPWORD, -1,
			    l, 1);
	}
}

/*
 * A keyword inside a longer one of the same topic ("propriété" in
 * "propriété intellectuelle") must not count again when the longer one is
 * found: the classifier skips it then.  So with the objects, whatever
 * object the longer one names: "marché" (the markets) inside "un marché"
 * (a tender) names nothing of its own there; nor is an intent inside an
 * object one ("open" in "open source").  The patterns are found
 * inside each one by a matcher of them all, so that this grows with their
 * total length, not with its square.
 */
struct inside {
	struct rules	*r;
	uint32_t	 outer;
	size_t		 len;		/* of the outer keyword */
};

/* Whether p, found inside the longer q, is q's: a keyword of q's topic in
 * a keyword, an object or an intent in an object. */
static int
held_by(const struct pattern *p, const struct pattern *q)
{
	if (q->kind == PAT_OBJECT)
		return (p->kind == PAT_OBJECT || p->kind == PAT_INTENT);
	return (q->kind == PAT_KEYWORD && p->kind == PAT_KEYWORD &&
	    p->topic == q->topic);
}

static void
inside_hit(uint32_t id, size_t end, void *arg)
{
	struct inside	*in = arg;
	struct pattern	*p = &in->r->patterns[id];
	struct pattern	*q = &in->r->patterns[in->outer];

	if (id == in->outer || !held_by(p, q) || strlen(p->folded) >= in->len)
		return;
	p->containers = xreallocarray(p->containers, p->ncontainers + 1,
	    sizeof *p->containers);
	p->containers[p->ncontainers++] = in->outer;
}

static void
rules_containers(struct rules *r)
{
	struct matcher	*m = matcher_new();
	struct inside	 in;
	struct pattern	*q;
	size_t		 i;

	for (i = 0; i < r->npatterns; i++)
		if (r->patterns[i].kind == PAT_KEYWORD ||
		    r->patterns[i].kind == PAT_OBJECT ||
		    r->patterns[i].kind == PAT_INTENT)
			matcher_add_id(m, r->patterns[i].folded, (uint32_t)i);
	matcher_build(m);
	in.r = r;
	for (i = 0; i < r->npatterns; i++) {
		q = &r->patterns[i];
		if (q->kind != PAT_KEYWORD && q->kind != PAT_OBJECT)
			continue;
		in.outer = (uint32_t)i;
		in.len = strlen(q->folded);
		/* A prefix keyword (" referen") ends without a space: one is
		 * added, for the matcher reads whole words. */
		if (q->folded[in.len - 1] != ' ') {
			char	*w = xasprintf("%s ", q->folded);

			matcher_scan(m, w, in.len + 1, inside_hit, &in);
			free(w);
		} else
			matcher_scan(m, q->folded, in.len, inside_hit, &in);
	}
	matcher_free(m);
}

/* One name of an entity whose names went in from pattern first on. */
static void
entity_add(struct rules *r, enum pattern_kind kind, size_t index,
    size_t first, const char *name, int exact)
{
	struct pattern	*p;
	char		*f;
	size_t		 i;

	f = fold_string(name);
	/* The same folded name of the same entity once ("INRIA", "Inria"),
	 * unless only one of them is to be matched in its case. */
	for (i = first; i < r->npatterns; i++) {
		p = &r->patterns[i];
		if (!p->exact && !exact && strcmp(p->folded, f) == 0) {
			free(f);
			return;
		}
	}
	pattern_new(r, kind, (int)index, name, f)->exact = exact;
}

/* The names of the organisations and software, in the same matcher as the
 * keywords: one pass finds both. */
static void
rules_entities(struct rules *r, const struct entities *en)
{
	const struct org	*o;
	const struct software	*s;
	size_t			 i, k, first;

	for (i = 0; i < en->norgs; i++) {
		o = &en->orgs[i];
		first = r->npatterns;
		for (k = 0; k < o->nnames; k++)
			entity_add(r, PAT_ORG, i, first, o->names[k],
			    name_index(o->exact, o->nexact, o->names[k]) != -1);
	}
	for (i = 0; i < en->nsw; i++) {
		s = &en->sw[i];
		first = r->npatterns;
		for (k = 0; k < s->nnames; k++)
			entity_add(r, PAT_SOFTWARE, i, first, s->names[k],
			    name_index(s->exact, s->nexact, s->names[k]) != -1);
	}
}

/* A pattern's stem in one language, for the sort that finds the same stem
 * twice in one topic ("référencé", "référencée"). */
struct stemmed {
	char		*stem;
	int		 kind, topic;
	uint32_t	 id;
};

static int
by_stem(const void *a, const void *b)
{
	const struct stemmed	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->stem, y->stem)) != 0)
		return (c);
	if (x->kind != y->kind)
		return (x->kind < y->kind ? -1 : 1);
	if (x->topic != y->topic)
		return (x->topic < y->topic ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/* The matcher of language l: every pattern but the stopwords, stemmed --
 * once a kind and topic, the first of those that stem alike standing for
 * the others (the names of entities each stand for themselves). */
static struct matcher *
stemmed_matcher(const struct rules *r, enum lang l)
{
	struct matcher	*m = matcher_new();
	struct stemmed	*st;
	size_t		 i, n;

	st = xcalloc(r->npatterns + 1, sizeof *st);
	for (i = n = 0; i < r->npatterns; i++) {
		if (r->patterns[i].kind == PAT_STOPWORD)
			continue;
		st[n].stem = stem_string(r->patterns[i].folded, l);
		st[n].kind = (int)r->patterns[i].kind;
		st[n].topic = r->patterns[i].topic;
		st[n++].id = (uint32_t)i;
	}
	qsort(st, n, sizeof *st, by_stem);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(st[i].stem, st[i - 1].stem) != 0 ||
		    st[i].kind != st[i - 1].kind ||
		    st[i].topic != st[i - 1].topic ||
		    st[i].kind == PAT_ORG || st[i].kind == PAT_SOFTWARE)
			matcher_add_id(m, st[i].stem, st[i].id);
	}
	for (i = 0; i < n; i++)
		free(st[i].stem);
	free(st);
	matcher_build(m);
	return (m);
}

/*
 * The screens' phrases, found by classify's scan with the keywords: one
 * pass over a message's words for all of them.  Not with stemming: the
 * phrases are not stemmed, and the screens scan for them themselves.
 */
static void
rules_screens(struct rules *r)
{
	const char	*f;
	size_t		 i;

	if (r->stemming)
		return;
	for (i = 0; (f = screen_phrase(i)) != NULL; i++)
		pattern_new(r, PAT_SCREEN, (int)i, f, xstrdup(f));
}

/*
 * The matchers.  With stemming, one a language (stemmed_matcher()); else
 * one for both, every pattern as it is folded, the stopwords too: one scan
 * finds them with the rest.  And the stopwords alone, as they are folded,
 * which tell the language of what was not scanned, or before anything is
 * stemmed.
 */
static void
rules_matchers(struct rules *r)
{
	size_t	i;
	int	l;

	if (r->stemming)
		for (l = 0; l < LANG_COUNT; l++)
			r->matcher[l] = stemmed_matcher(r, l);
	else {
		r->matcher[LANG_FR] = matcher_new();
		for (i = 0; i < r->npatterns; i++)
			matcher_add_id(r->matcher[LANG_FR],
			    r->patterns[i].folded, (uint32_t)i);
		matcher_build(r->matcher[LANG_FR]);
		r->matcher[LANG_EN] = r->matcher[LANG_FR];
	}
	r->stopwords = matcher_new();
	for (i = 0; i < r->npatterns; i++)
		if (r->patterns[i].kind == PAT_STOPWORD)
			matcher_add_id(r->stopwords, r->patterns[i].folded,
			    (uint32_t)i);
	matcher_build(r->stopwords);
}

struct rules *
rules_load(const char *path, const struct entities *en, struct errors *e)
{
	struct rules	*r;
	struct ydoc	 y;
	yaml_node_t	*root;
	char		*data;
	size_t		 len, before = e->n;

	if ((data = config_read_file(path, &len, e)) == NULL)
		return (NULL);
	r = xcalloc(1, sizeof *r);
	r->path = xstrdup(path);
	if (ydoc_load(&y, path, data, len, 0, e) == 0) {
		root = ydoc_root(&y);
		if (root->type != YAML_MAPPING_NODE)
			ydoc_error(&y, e, root, "the rules must be a mapping"
			    " with topics, signals and stopwords");
		else {
			rules_stemming(r, &y, e, ydoc_get(&y, root,
			    "stemming"));
			rules_lexicon(r, &y, e, ydoc_get(&y, root, "objects"),
			    PAT_OBJECT);
			rules_lexicon(r, &y, e, ydoc_get(&y, root, "intents"),
			    PAT_INTENT);
			rules_list(r, &y, e, ydoc_get(&y, root, "asks"),
			    "asks", PAT_ASK);
			rules_list(r, &y, e, ydoc_get(&y, root, "negations"),
			    "negations", PAT_NEG);
			rules_list(r, &y, e, ydoc_get(&y, root,
			    "not_negations"), "not_negations", PAT_NOTNEG);
			rules_list(r, &y, e, ydoc_get(&y, root,
			    "negation_ends"), "negation_ends", PAT_NEGEND);
			rules_topics(r, &y, e, ydoc_get(&y, root, "topics"), 0);
			if (ydoc_get(&y, root, "signals") != NULL)
				rules_topics(r, &y, e, ydoc_get(&y, root,
				    "signals"), 1);
			rules_stopwords(r, &y, e, ydoc_get(&y, root,
			    "stopwords"));
		}
	}
	ydoc_free(&y);
	free(data);
	seen_free(&r->seen);
	if (e->n != before) {
		rules_free(r);
		return (NULL);
	}
	rules_containers(r);
	r->software = name_index(r->objects, r->nobjects, "software");
	if (en != NULL)
		rules_entities(r, en);
	rules_screens(r);
	rules_matchers(r);
	return (r);
}

void
rules_free(struct rules *r)
{
	size_t	i, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->ntopics; i++) {
		free(r->topics[i].id);
		free(r->topics[i].why);
		for (k = 0; k < r->topics[i].npairs; k++)
			free(r->topics[i].pairs[k].text);
		free(r->topics[i].pairs);
	}
	free(r->topics);
	strv_free(r->objects, r->nobjects);
	strv_free(r->intents, r->nintents);
	for (i = 0; i < r->npatterns; i++) {
		free(r->patterns[i].text);
		free(r->patterns[i].folded);
		free(r->patterns[i].containers);
	}
	free(r->patterns);
	matcher_free(r->matcher[LANG_FR]);
	if (r->matcher[LANG_EN] != r->matcher[LANG_FR])
		matcher_free(r->matcher[LANG_EN]);
	matcher_free(r->stopwords);
	free(r->path);
	free(r);
}

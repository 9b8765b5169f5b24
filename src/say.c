/*
 * What a reply says about the organisations and software a message names.
 * A reply's body may hold a paragraph "{{organisations}}" or "{{software}}";
 * it becomes the sentences of _frame.md about each one recognised (see
 * classify.c) -- "Le CNRS figure parmi les bénéficiaires des deux marchés",
 * "GLPI et Nextcloud figurent sur la liste..." -- followed by the date of
 * the list.  An organisation is named only when it is identified: by one
 * of its names in the sender's words, or by a domain that is its own.  When
 * none is, the reply says that the message does not tell, and never that
 * the sender's organisation is not on the lists.  The software named are
 * said in one sentence per case: on the list, not on it, or a name the
 * lists do not know that the sender calls a software ("could not check").
 *
 * A sentence is Markdown with {placeholders}.  Values are put in as text
 * nodes of the cmark tree, never as Markdown, so that the text, HTML and
 * Markdown renderers each escape them their own way; {beneficiaries_url}
 * and {software_url} may be a link's destination.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

#define SAY_UNKNOWN_MAX	4	/* names not known said at most */
#define PRODUCTS_SCAN	65536	/* bytes of a text read for them: a
				   question names its products early, and
				   time and memory stay bounded */
#define NEAR		24	/* words looked at around a name */

const char *say_placeholders[] = { "org", "market", "other", "lot",
    "software", "date", "beneficiaries_url", "software_url", NULL };

enum { V_ORG, V_MARKET, V_OTHER, V_LOT, V_SOFTWARE, V_DATE, V_ORGS_URL,
    V_SW_URL, V_COUNT };
struct vars {
	const char	*v[V_COUNT];	/* as say_placeholders */
};

static const char *months[LANG_COUNT][12] = {
	{ "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
	  "août", "septembre", "octobre", "novembre", "décembre" },
	{ "January", "February", "March", "April", "May", "June", "July",
	  "August", "September", "October", "November", "December" },
};

/* "2022-01-18" as "18 janvier 2022" or "18 January 2022". */
char *
say_date(const char *iso, enum lang l)
{
	int	y, m, d;

	if (sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return (xstrdup(iso));
	if (l == LANG_FR && d == 1)
		return (xasprintf("1er %s %d", months[l][m - 1], y));
	return (xasprintf("%d %s %d", d, months[l][m - 1], y));
}

/* The index of the placeholder at s ("{name}"), its length in *n, or -1. */
static int
placeholder(const char *s, size_t *n)
{
	size_t	i, k;

	for (i = 0; say_placeholders[i] != NULL; i++) {
		k = strlen(say_placeholders[i]);
		if (s[0] == '{' && strncmp(s + 1, say_placeholders[i],
		    k) == 0 && s[k + 1] == '}') {
			*n = k + 2;
			return ((int)i);
		}
	}
	return (-1);
}

const char *
say_check(const char *tmpl)
{
	static char	 bad[64];
	const char	*p, *q;
	size_t		 n;

	for (p = tmpl; (p = strchr(p, '{')) != NULL; p++) {
		if (placeholder(p, &n) != -1) {
			p += n - 1;
			continue;
		}
		q = strchr(p, '}');
		n = q != NULL ? (size_t)(q - p) + 1 : strlen(p);
		snprintf(bad, sizeof bad, "%.*s", (int)(n < 40 ? n : 40), p);
		return (bad);
	}
	return (NULL);
}


/* Replaces the placeholders of one text node by text nodes. */
static void
fill_text(cmark_node *t, const struct vars *v)
{
	const char	*lit = cmark_node_get_literal(t), *p, *from;
	size_t		 n;
	int		 i;

	if (lit == NULL || strchr(lit, '{') == NULL)
		return;
	for (p = from = lit; *p != '\0'; p++) {
		if (*p != '{' || (i = placeholder(p, &n)) == -1)
			continue;
		if (p > from)
			cmark_node_insert_before(t, text_node(from,
			    (size_t)(p - from)));
		if (v->v[i] != NULL)
			cmark_node_insert_before(t, text_node(v->v[i],
			    strlen(v->v[i])));
		p += n - 1;
		from = p + 1;
	}
	if (*from != '\0')
		cmark_node_insert_before(t, text_node(from, strlen(from)));
	cmark_node_free(t);
}

/* The sentence as a paragraph with its values, or NULL. */
static cmark_node *
sentence(const char *tmpl, const struct vars *v)
{
	cmark_node		*doc, *para, *n, **texts = NULL;
	cmark_iter		*it;
	size_t			 ntexts = 0, i, len;
	int			 k;
	const char		*url;

	if (tmpl == NULL)
		return (NULL);
	doc = cmark_parse_document(tmpl, strlen(tmpl), CMARK_OPT_DEFAULT);
	para = cmark_node_first_child(doc);
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) {
		cmark_node_free(doc);
		return (NULL);
	}
	cmark_node_unlink(para);
	cmark_node_free(doc);
	it = cmark_iter_new(para);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER)
			continue;
		if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
			texts = xreallocarray(texts, ntexts + 1,
			    sizeof *texts);
			texts[ntexts++] = n;
		} else if (cmark_node_get_type(n) == CMARK_NODE_LINK &&
		    (url = cmark_node_get_url(n)) != NULL &&
		    (k = placeholder(url, &len)) != -1 && url[len] == '\0' &&
		    v->v[k] != NULL)
			cmark_node_set_url(n, v->v[k]);
	}
	cmark_iter_free(it);
	for (i = 0; i < ntexts; i++)
		fill_text(texts[i], v);
	free(texts);
	return (para);
}


/* The mark of the links these sentences hold (their user data): such a
 * link gives way to the same one in the text of a reply (compose.c). */
const char	say_link_mark = 'l';

/* Marks the links of a sentence as ours. */
static void
mark_links(cmark_node *para)
{
	cmark_iter	*it;
	cmark_node	*n;

	it = cmark_iter_new(para);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		n = cmark_iter_get_node(it);
		if (cmark_node_get_type(n) == CMARK_NODE_LINK)
			cmark_node_set_user_data(n, (void *)&say_link_mark);
	}
	cmark_iter_free(it);
}

/* Appends a sentence to the paragraph of the others (one space between),
 * or makes it that paragraph. */
static void
add_sentence(cmark_node **para, cmark_node *p)
{
	cmark_node	*c;

	if (p == NULL)
		return;
	mark_links(p);
	if (*para == NULL) {
		*para = p;
		return;
	}
	cmark_node_append_child(*para, text_node(" ", 1));
	while ((c = cmark_node_first_child(p)) != NULL) {
		cmark_node_unlink(c);
		cmark_node_append_child(*para, c);
	}
	cmark_node_free(p);
}

/* The plural form of a sentence when there is one. */
static const char *
form(char **s, int which, int plural)
{
	return (plural && s[which + 1] != NULL ? s[which + 1] : s[which]);
}

/* Names as a list is written: "A", "A et B", "A, B et C". */
static char *
join_names(const char **names, size_t n, const char *and)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (i > 0 && i + 1 < n)
			buf_adds(&b, ", ");
		else if (i > 0)
			buf_printf(&b, " %s ", and != NULL ? and : "&");
		buf_adds(&b, names[i]);
	}
	return (buf_steal(&b));
}

/* The sentence about one organisation of the lists. */
static cmark_node *
org_sentence(char **s, const struct org *o, enum lang l, struct vars *v)
{
	int	one, other;

	v->v[V_ORG] = o->label[l];
	if (o->markets == (1 << MARKET_SUPPORT | 1 << MARKET_EXPERTISE) &&
	    o->lot[MARKET_SUPPORT] == NULL && o->lot[MARKET_EXPERTISE] == NULL)
		return (sentence(form(s, S_ORG_BOTH, o->plural), v));
	one = (o->markets & (1 << MARKET_SUPPORT)) ? MARKET_SUPPORT :
	    MARKET_EXPERTISE;
	other = one == MARKET_SUPPORT ? MARKET_EXPERTISE : MARKET_SUPPORT;
	v->v[V_MARKET] = s[S_MARKET_SUPPORT + one];
	v->v[V_OTHER] = s[S_MARKET_SUPPORT + other];
	if (o->lot[one] != NULL) {
		v->v[V_LOT] = o->lot[one];
		return (sentence(form(s, S_ORG_LOT, o->plural), v));
	}
	return (sentence(form(s, S_ORG_ONE, o->plural), v));
}

static void
vars_init(struct vars *v, const struct entities *en)
{
	memset(v, 0, sizeof *v);
	v->v[V_ORGS_URL] = en->orgs_url;
	v->v[V_SW_URL] = en->sw_url;
}

/* The organisations identified, each in its sentence; or, when none is,
 * that the message does not tell (and, in an automatic reply, how to ask
 * a person).  Returns 1 when an organisation was named. */
static int
say_orgs(cmark_node **para, const struct core *core,
    const struct decision *d, const struct say *st)
{
	const struct entities	*en = core->entities;
	char			**s = core->replies->frame_text[d->lang].sentence;
	struct vars		 v;
	size_t			 i;
	int			 named = 0;

	for (i = 0; i < d->nents; i++) {
		if (d->ents[i].kind != PAT_ORG)
			continue;
		vars_init(&v, en);
		add_sentence(para, org_sentence(s, &en->orgs[d->ents[i].index],
		    d->lang, &v));
		named = 1;
	}
	if (named)
		return (1);
	vars_init(&v, en);
	add_sentence(para, sentence(s[S_ORG_UNKNOWN], &v));
	if (!st->person)
		add_sentence(para, sentence(s[S_ORG_ASK], &v));
	return (0);
}

/* The software named, one sentence a case: on the list, not on it, not
 * known to the lists.  Returns how many were said. */
/* The sentence of form which (its plural for more than one name) naming
 * the n software names, added to *para. */
static void
say_names(cmark_node **para, char **s, int which, const char **names,
    size_t n, const struct entities *en)
{
	struct vars	 v;
	char		*all;

	vars_init(&v, en);
	all = join_names(names, n, s[S_AND]);
	v.v[V_SOFTWARE] = all;
	add_sentence(para, sentence(form(s, which, n > 1), &v));
	free(all);
}

static size_t
say_software(cmark_node **para, const struct core *core,
    const struct message *msg, const struct decision *d)
{
	const struct entities	*en = core->entities;
	char			**s = core->replies->frame_text[d->lang].sentence;
	const char		*names[MAX_ENTITIES + SAY_UNKNOWN_MAX];
	char			*unknown[SAY_UNKNOWN_MAX];
	size_t			 i, n, total = 0, nunknown = 0;
	int			 c;
	static const int	 which[] = { S_SW_LISTED, S_SW_UNLISTED };

	for (c = 0; c < 2; c++) {
		for (i = 0, n = 0; i < d->nents; i++)
			if (d->ents[i].kind == PAT_SOFTWARE &&
			    en->sw[d->ents[i].index].listed == (c == 0))
				names[n++] = d->lang == LANG_EN &&
				    en->sw[d->ents[i].index].name_en != NULL ?
				    en->sw[d->ents[i].index].name_en :
				    en->sw[d->ents[i].index].name;
		if (n == 0)
			continue;
		say_names(para, s, which[c], names, n, en);
		total += n;
	}
	if (msg != NULL)
		nunknown = say_unknown_products(core, msg, d, unknown,
		    SAY_UNKNOWN_MAX);
	if (nunknown > 0) {
		say_names(para, s, S_SW_UNKNOWN, (const char **)unknown,
		    nunknown, en);
		for (i = 0; i < nunknown; i++)
			free(unknown[i]);
		total += nunknown;
	}
	return (total);
}

int
say_entities(cmark_node *parent, const struct core *core,
    const struct message *msg, const struct decision *d, const char *what,
    struct say *st)
{
	const struct entities	*en = core->entities;
	char			**s, *date;
	cmark_node		*para = NULL;
	struct vars		 v;
	int			 orgs = strcmp(what, "organisations") == 0;
	int			 bit = orgs ? SAY_ORGS : SAY_SOFTWARE, named;

	if (en == NULL || (st->said & bit))
		return (0);
	s = core->replies->frame_text[d->lang].sentence;
	if (orgs)
		named = say_orgs(&para, core, d, st);
	else
		named = say_software(&para, core, msg, d) > 0;
	if (para == NULL)
		return (0);
	/* The date of a list, when the reply says what it holds. */
	if (named) {
		date = say_date(orgs ? en->orgs_date : en->sw_date, d->lang);
		vars_init(&v, en);
		v.v[V_DATE] = date;
		add_sentence(&para, sentence(s[orgs ? S_ORGS_DATE : S_SW_DATE],
		    &v));
		free(date);
	}
	cmark_node_append_child(parent, para);
	st->said |= bit;
	return (1);
}

/* The topic whose reply, in that language, says {{organisations}}: the
 * one that answers who may use the markets; -1 when none does. */
static int
eligibility_topic(const struct core *core, enum lang l)
{
	const struct reply_doc	*doc;
	size_t			 t;

	for (t = 0; t < core->rules->ntopics; t++)
		if ((doc = replies_get(core->replies, (int)t, l)) != NULL &&
		    strstr(doc->body, "{{organisations}}") != NULL)
			return ((int)t);
	return (-1);
}

/* Whether every pair of topic b is about an object of topic a's pairs:
 * b asks about the same thing as a (the markets), and nothing else. */
static int
same_object(const struct rules *r, int a, int b)
{
	size_t	i, k;

	if (r->topics[b].npairs == 0)
		return (0);
	for (i = 0; i < r->topics[b].npairs; i++) {
		for (k = 0; k < r->topics[a].npairs; k++)
			if (r->topics[b].pairs[i].object ==
			    r->topics[a].pairs[k].object)
				break;
		if (k == r->topics[a].npairs)
			return (0);
	}
	return (1);
}

int
say_eligibility_asked(const struct core *core, const struct decision *d)
{
	size_t	i;
	int	t;

	if (core->entities == NULL || d->ntopics == 0 ||
	    (t = eligibility_topic(core, d->lang)) == -1)
		return (0);
	for (i = 0; i < d->ntopics; i++)
		if (d->topics[i] == t)
			return (1);
	/* Asked beside another question on the markets alone ("how do the
	 * markets work, and may we use them?"), which the classifier made
	 * the main one: its score reached the threshold. */
	return (d->scores != NULL && (size_t)t < d->nscores &&
	    d->scores[t] >= core->conf->threshold &&
	    same_object(core->rules, t, d->topics[0]));
}

/*
 * Names of products the entities do not know.  A name is a run of words
 * that begin with a capital and are not all capitals (an acronym is more
 * often a body's than a product's), none of them a word of a name the
 * entities know or a word of the language ("Cela", "Notre").  It is a
 * product only where the words around it say so: after a word that names
 * software ("le logiciel Foo", "l'outil libre Foo", "the tool Foo"), in a
 * list with a software the lists know ("GLPI, Foo et Bar"), or before
 * "est-il couvert", "is covered"... in a sentence that names software.
 * Anything else is left alone: a wrong "could not check" about a word
 * that is no product is worse than none.
 */
struct tok {
	const char	*p;
	size_t		 n;
	char		*f;		/* folded, a space at both ends */
	char		 before;	/* what parts it from the one before:
					   ' ', ',' (a list), ':' or '.' (a
					   sentence's end) */
	int		 cap;		/* may be part of a name */
	int		 known;		/* a word of a name the lists know */
	int		 sw;		/* a word of a software named */
};

static const char *stop_words[] = { " le ", " la ", " les ", " l ", " un ",
    " une ", " des ", " du ", " de ", " ce ", " cet ", " cette ", " ces ",
    " il ", " elle ", " ils ", " elles ", " on ", " nous ", " vous ",
    " je ", " j ", " notre ", " votre ", " nos ", " vos ", " mon ", " ma ",
    " mes ", " son ", " sa ", " ses ", " leur ", " leurs ", " cela ",
    " ceci ", " ca ", " quel ", " quelle ", " quels ", " quelles ",
    " est ", " sont ", " et ", " ou ", " mais ", " donc ", " si ", " par ",
    " pour ", " avec ", " sans ", " dans ", " sur ", " en ", " y ", " a ",
    " the ", " an ", " this ", " that ", " these ", " those ", " it ",
    " they ", " we ", " you ", " i ", " our ", " your ", " my ", " its ",
    " their ", " is ", " are ", " and ", " or ", " but ", " if ", " which ",
    " what ", " for ", " with ", " of ", " in ", " on ", " to ",
    " bonjour ", " hello ", " merci ", " thanks ", " madame ", " monsieur ",
    " dear ", " libre ", " libres ", " open ", " source ", " free ",
    " logiciel ", " logiciels ", " software ", " pourriez ", " pouvez ",
    " could ", " can ", " est ce ", " existe ", " quid ", NULL };
static const char *sw_nouns[] = { " logiciel ", " logiciels ", " outil ",
    " outils ", " progiciel ", " progiciels ", " software ", " tool ",
    " tools ", " package ", " packages ", NULL };
static const char *qualifiers[] = { " libre ", " libres ", " open ",
    " source ", " free ", " opensource ", NULL };
static const char *conjunctions[] = { " et ", " ou ", " and ", " or ", NULL };
static const char *covered[] = { " est il couvert ", " est elle couverte ",
    " sont ils couverts ", " est couvert ", " sont couverts ",
    " est il inclus ", " est il pris en charge ", " est pris en charge ",
    " est il supporte ", " is covered ", " are covered ", " is included ",
    " are included ", " is supported ", " are supported ", NULL };

static int
among(const char *f, const char **words)
{
	size_t	i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(f, words[i]) == 0)
			return (1);
	return (0);
}

/* A byte of a word: ASCII letters and digits, '+', '#', and the bytes of
 * letters beyond ASCII (0xc3 and above: not the punctuation of U+0080 to
 * U+00BF, nor U+2000 to U+206F, which begin 0xc2 and 0xe2 0x80/0x81). */
static size_t
word_byte(const unsigned char *p, const unsigned char *end)
{
	if (isalnum(*p) || *p == '+' || *p == '#')
		return (1);
	if (*p == 0xc2 || *p < 0xc3 || (*p == 0xe2 && p + 1 < end &&
	    (p[1] == 0x80 || p[1] == 0x81)))
		return (0);
	return (1);
}

/* Splits text into words, noting what parts each from the one before. */
static void
tokens(const char *text, size_t len, struct tok **v, size_t *n,
    size_t *size)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*end = p + len, *w;
	char			 before = '.', *fold;
	struct tok		*t;

	while (p < end) {
		if (!word_byte(p, end)) {
			if (*p == '.' || *p == '?' || *p == '!')
				before = '.';
			else if (*p == ':' && before != '.')
				before = ':';
			else if ((*p == ',' || *p == ';' || *p == '/' ||
			    *p == '&') && before == ' ')
				before = ',';
			else if (*p == '\n' && p + 1 < end && p[1] == '\n')
				before = '.';
			else if (*p == 0xe2 && p + 2 < end && p[1] == 0x80 &&
			    p[2] == 0xa6)
				before = '.';
			p++;
			continue;
		}
		/* Inside a word: "Node.js", "Snipe-IT", "est-il". */
		for (w = p; w < end; w++) {
			if (word_byte(w, end))
				continue;
			if ((*w == '.' || *w == '-' || *w == '_') &&
			    w + 1 < end && w > p && word_byte(w + 1, end) &&
			    isalnum(w[1]))
				continue;
			break;
		}
		if (*n == *size) {
			*size = *size == 0 ? 64 : *size * 2;
			*v = xreallocarray(*v, *size, sizeof **v);
		}
		t = &(*v)[(*n)++];
		memset(t, 0, sizeof *t);
		t->p = (const char *)p;
		t->n = (size_t)(w - p);
		t->f = xstrndup((const char *)p, t->n);
		fold = fold_string(t->f);
		free(t->f);
		t->f = fold;
		t->before = before;
		before = ' ';
		p = w;
	}
}

/* Every name the entities know, folded, once a scan needs them. */
static char **
known_folds(const struct entities *en, size_t *n)
{
	char	**v;
	size_t	  i, k;

	*n = 0;
	for (i = 0; i < en->nsw; i++)
		*n += en->sw[i].nnames;
	for (i = 0; i < en->norgs; i++)
		*n += en->orgs[i].nnames;
	v = xcalloc(*n > 0 ? *n : 1, sizeof *v);
	*n = 0;
	for (i = 0; i < en->nsw; i++)
		for (k = 0; k < en->sw[i].nnames; k++)
			v[(*n)++] = fold_string(en->sw[i].names[k]);
	for (i = 0; i < en->norgs; i++)
		for (k = 0; k < en->orgs[i].nnames; k++)
			v[(*n)++] = fold_string(en->orgs[i].names[k]);
	return (v);
}

/* Whether folded word w (" foo ") is a word of one of the folded names. */
static int
word_in(const char *w, char **folds, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strstr(folds[i], w) != NULL)
			return (1);
	return (0);
}

/* The names of the software the message names, folded. */
static char **
named_folds(const struct entities *en, const struct decision *d, size_t *n)
{
	const struct software	*s;
	char			**v = NULL;
	size_t			 i, k;

	*n = 0;
	for (i = 0; i < d->nents; i++) {
		if (d->ents[i].kind != PAT_SOFTWARE)
			continue;
		s = &en->sw[d->ents[i].index];
		for (k = 0; k < s->nnames; k++) {
			v = xreallocarray(v, *n + 1, sizeof *v);
			v[(*n)++] = fold_string(s->names[k]);
		}
	}
	return (v);
}

/* May the word be part of a product's name? */
static int
capital(const struct tok *t)
{
	size_t	i;
	int	lower = 0;

	if (t->n < 2 || t->n > 40 || t->p[0] < 'A' || t->p[0] > 'Z' ||
	    among(t->f, stop_words))
		return (0);
	for (i = 1; i < t->n; i++)
		if (t->p[i] >= 'a' && t->p[i] <= 'z')
			lower = 1;
	return (lower);
}

/* Whether the token at k begins another item of a list, after the one
 * that ends before it: a comma, or "et", "or"... (then *k is moved to the
 * word after it). */
static int
next_item(const struct tok *v, size_t n, size_t *k)
{
	if (*k >= n || v[*k].before == '.' || v[*k].before == ':')
		return (0);
	if (v[*k].before == ',')
		return (1);
	if (among(v[*k].f, conjunctions) && *k + 1 < n && v[*k + 1].before == ' ') {
		(*k)++;
		return (1);
	}
	return (0);
}

/* The same backwards: whether an item ends before the token at *k (which
 * begins one); *k is moved to the last word of that item. */
static int
prev_item(const struct tok *v, size_t *k)
{
	if (*k == 0 || v[*k].before == '.' || v[*k].before == ':')
		return (0);
	if (v[*k].before == ',') {
		(*k)--;
		return (1);
	}
	if (*k >= 2 && among(v[*k - 1].f, conjunctions) && v[*k - 1].before == ' ') {
		*k -= 2;
		return (1);
	}
	return (0);
}

/* Whether the words of v[a..b] (a name) stand where a product does. */
static int
product_place(const struct tok *v, size_t n, size_t a, size_t b)
{
	struct buf	 next;
	size_t		 k, i;
	int		 r = 0, named = 0;

	/* After a word that names software, over "libre", "open source". */
	for (k = a; k > 0 && v[k].before == ' '; k--) {
		if (among(v[k - 1].f, sw_nouns))
			return (1);
		if (!among(v[k - 1].f, qualifiers))
			break;
	}
	/* In a list with a software the lists know, either way -- not a
	 * sentence's first word ("Bjr, GLPI est-il couvert"). */
	if (v[a].before == '.' || v[a].before == ':')
		goto covered;
	for (k = b + 1; k < b + NEAR && next_item(v, n, &k); ) {
		if (v[k].sw)
			return (1);
		if (!v[k].cap)
			break;
		while (k + 1 < n && v[k + 1].before == ' ' && v[k + 1].cap)
			k++;
		k++;
	}
	for (k = a; k + NEAR > a && prev_item(v, &k); ) {
		if (v[k].sw)
			return (1);
		if (!v[k].cap)
			break;
		while (k > 0 && v[k].before == ' ' && v[k - 1].cap)
			k--;
	}
	/* Before "est-il couvert" ("is ... covered"), in a sentence that
	 * names software. */
covered:
	for (k = a; k > 0 && k + NEAR > a && v[k].before != '.'; k--)
		;
	for (i = k; i < n && i < b + NEAR && (i == k || v[i].before != '.');
	    i++)
		if (among(v[i].f, sw_nouns) || v[i].sw)
			named = 1;
	if (!named || b + 1 >= n || v[b + 1].before != ' ')
		return (0);
	if (a > 0 && v[a].before == ' ' && (strcmp(v[a - 1].f, " is ") == 0 ||
	    strcmp(v[a - 1].f, " are ") == 0) &&
	    (strcmp(v[b + 1].f, " covered ") == 0 ||
	    strcmp(v[b + 1].f, " included ") == 0 ||
	    strcmp(v[b + 1].f, " supported ") == 0))
		return (1);
	buf_init(&next);
	buf_addc(&next, ' ');
	for (k = b + 1; k < n && k < b + 6 && v[k].before == ' ' && !r; k++) {
		buf_add(&next, v[k].f + 1, strlen(v[k].f) - 1);
		for (i = 0; covered[i] != NULL; i++)
			if (strcmp(next.data, covered[i]) == 0)
				r = 1;
	}
	buf_free(&next);
	return (r);
}

/* Finds names in one text; returns how many names holds. */
static size_t
find_products(const struct core *core, const struct decision *d,
    const char *text, size_t len, char **names, size_t nnames, size_t max)
{
	const struct entities	*en = core->entities;
	struct tok		*v = NULL;
	char			**folds, **known = NULL, *name;
	size_t			 n = 0, size = 0, i, a, k, nfolds, nknown = 0;

	tokens(text, len < PRODUCTS_SCAN ? len : PRODUCTS_SCAN, &v, &n,
	    &size);
	folds = named_folds(en, d, &nfolds);
	for (i = 0; i < n; i++) {
		for (k = 0; k < nfolds && !v[i].sw; k++)
			v[i].sw = strstr(folds[k], v[i].f) != NULL;
		v[i].cap = !v[i].sw && capital(&v[i]);
	}
	strv_free(folds, nfolds);
	for (i = 0; i < n && nnames < max; i++) {
		if (!v[i].cap)
			continue;
		/* A name: capitalised words in a row (three at most). */
		for (a = i; i + 1 < n && i + 1 < a + 3 && v[i + 1].cap &&
		    v[i + 1].before == ' '; i++)
			;
		if (!product_place(v, n, a, i))
			continue;
		name = xstrndup(v[a].p, (size_t)(v[i].p + v[i].n - v[a].p));
		for (k = 0; k < nnames; k++)
			if (strcasecmp(names[k], name) == 0)
				break;
		if (k < nnames) {
			free(name);
			continue;
		}
		if (known == NULL)
			known = known_folds(en, &nknown);
		for (k = a; k <= i; k++)
			if (word_in(v[k].f, known, nknown))
				break;
		if (k <= i)
			free(name);
		else
			names[nnames++] = name;
	}
	strv_free(known, nknown);
	for (i = 0; i < n; i++)
		free(v[i].f);
	free(v);
	return (nnames);
}

size_t
say_unknown_products(const struct core *core, const struct message *msg,
    const struct decision *d, char **names, size_t max)
{
	size_t	n;

	if (core->entities == NULL || max == 0)
		return (0);
	n = find_products(core, d, msg->subject, strlen(msg->subject), names,
	    0, max);
	return (find_products(core, d, msg->own, msg->ownlen, names, n, max));
}

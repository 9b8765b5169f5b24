/*
 * What a reply says about the organisations and software a message names.
 * A reply's body may hold a paragraph "{{organisations}}" or "{{software}}";
 * it becomes the sentences of _frame.md about each one recognised (see
 * classify.c) -- "Le CNRS figure parmi les bénéficiaires des deux marchés",
 * "GLPI figure sur la liste..." -- followed by the date of the list, or
 * nothing at all, so that the general answer around it stands alone.
 *
 * A sentence is Markdown with {placeholders}.  Values are put in as text
 * nodes of the cmark tree, never as Markdown, so that the text, HTML and
 * Markdown renderers each escape them their own way; {beneficiaries_url}
 * and {software_url} may be a link's destination.
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

const char *say_placeholders[] = { "org", "market", "other", "lot",
    "domain", "software", "date", "beneficiaries_url", "software_url",
    NULL };

enum { V_ORG, V_MARKET, V_OTHER, V_LOT, V_DOMAIN, V_SOFTWARE, V_DATE,
    V_ORGS_URL, V_SW_URL, V_COUNT };
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

/* One sentence alone is a paragraph; several are a list. */
static void
add_items(cmark_node *parent, cmark_node **items, size_t n)
{
	cmark_node	*list, *li;
	size_t		 i;

	if (n == 1) {
		cmark_node_append_child(parent, items[0]);
		return;
	}
	list = cmark_node_new(CMARK_NODE_LIST);
	cmark_node_set_list_type(list, CMARK_BULLET_LIST);
	cmark_node_set_list_tight(list, 1);
	for (i = 0; i < n; i++) {
		li = cmark_node_new(CMARK_NODE_ITEM);
		cmark_node_append_child(li, items[i]);
		cmark_node_append_child(list, li);
	}
	cmark_node_append_child(parent, list);
}

/* The plural form of a sentence when there is one. */
static const char *
form(char **s, int which, int plural)
{
	return (plural && s[which + 1] != NULL ? s[which + 1] : s[which]);
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

int
say_entities(cmark_node *parent, const struct core *core,
    const struct decision *d, const char *what, int *said)
{
	const struct entities	*en = core->entities;
	char			**s, *date;
	cmark_node		*items[MAX_ENTITIES], *p;
	struct vars		 v;
	size_t			 i, n = 0;
	int			 orgs = strcmp(what, "organisations") == 0;
	int			 bit = orgs ? 1 : 2;

	if (en == NULL || (*said & bit))
		return (0);
	s = core->replies->frame_text[d->lang].sentence;
	for (i = 0; i < d->nents; i++) {
		memset(&v, 0, sizeof v);
		v.v[V_ORGS_URL] = en->orgs_url;
		v.v[V_SW_URL] = en->sw_url;
		p = NULL;
		if (orgs && d->ents[i].kind == PAT_ORG)
			p = org_sentence(s, &en->orgs[d->ents[i].index],
			    d->lang, &v);
		else if (!orgs && d->ents[i].kind == PAT_SOFTWARE) {
			v.v[V_SOFTWARE] = en->sw[d->ents[i].index].name;
			p = sentence(s[en->sw[d->ents[i].index].listed ?
			    S_SW_LISTED : S_SW_UNLISTED], &v);
		}
		if (p != NULL)
			items[n++] = p;
	}
	if (orgs && d->unlisted != NULL && n < MAX_ENTITIES) {
		memset(&v, 0, sizeof v);
		v.v[V_DOMAIN] = d->unlisted;
		v.v[V_ORGS_URL] = en->orgs_url;
		v.v[V_SW_URL] = en->sw_url;
		if ((p = sentence(s[S_ORG_UNLISTED], &v)) != NULL)
			items[n++] = p;
	}
	if (n == 0)
		return (0);
	add_items(parent, items, n);
	memset(&v, 0, sizeof v);
	date = say_date(orgs ? en->orgs_date : en->sw_date, d->lang);
	v.v[V_DATE] = date;
	v.v[V_ORGS_URL] = en->orgs_url;
	v.v[V_SW_URL] = en->sw_url;
	if ((p = sentence(s[orgs ? S_ORGS_DATE : S_SW_DATE], &v)) != NULL)
		cmark_node_append_child(parent, p);
	free(date);
	*said |= bit;
	return (1);
}

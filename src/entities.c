/*
 * The entities: the beneficiaries of the two interministerial markets and
 * the software the support market covers, as tools/gen-entities.py writes
 * them from the code.gouv.fr pages (conf/entities.yaml).  Their names go
 * into the rules' matcher (rules.c), so that a message is read once for
 * keywords and names together; the sender's domain is looked up here.
 *
 *   beneficiaries: { date, url, organisations: [ { name, acronym, names,
 *       exact, label: { fr, en }, plural, domains,
 *       markets: [ { market, only, lot } ] } ] }
 *   software: { date, url, list: [ { name, names, exact } ], unlisted }
 *   personal_domains: [ ... ]	(the public's mail providers)
 *   unsure_domains: [ ... ]	(shared by listed and unlisted bodies)
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

static int	domain_cmp(const void *, const void *);
static void	domains_index(struct entities *);

struct eload {
	struct ydoc	*y;
	struct errors	*e;
};

static const char *
need_text(struct eload *l, yaml_node_t *map, const char *key)
{
	yaml_node_t	*n = ydoc_get(l->y, map, key);
	const char	*v = ydoc_scalar(n);

	if (v == NULL || *v == '\0') {
		ydoc_error(l->y, l->e, n != NULL ? n : map, "%s must be a"
		    " text", key);
		return (NULL);
	}
	return (v);
}

/* Appends the texts of a list (absent: nothing) to *v; names must have
 * letters or digits for the matcher to see. */
static void
text_list(struct eload *l, yaml_node_t *map, const char *key, char ***v,
    size_t *n, int names)
{
	yaml_node_t		*seq = ydoc_get(l->y, map, key), *it;
	yaml_node_item_t	*i;
	const char		*s;

	if (seq == NULL)
		return;
	if (seq->type != YAML_SEQUENCE_NODE) {
		ydoc_error(l->y, l->e, seq, "%s must be a list", key);
		return;
	}
	for (i = seq->data.sequence.items.start;
	    i < seq->data.sequence.items.top; i++) {
		it = ydoc_node(l->y, *i);
		if ((s = ydoc_scalar(it)) == NULL || *s == '\0') {
			ydoc_error(l->y, l->e, it, "%s: a text is expected",
			    key);
			continue;
		}
		/* A name the matcher cannot see would never be found. */
		if (names) {
			char *f = fold_string(s);

			if (strlen(f) <= 1)
				ydoc_error(l->y, l->e, it, "'%s' has no letters"
				    " or digits", s);
			free(f);
		}
		*v = xreallocarray(*v, *n + 1, sizeof **v);
		(*v)[(*n)++] = xstrdup(s);
	}
}

/* The domains of a list under map's key, for organisation org (-2: a
 * domain that tells none), into the table entities_lookup() reads. */
static void
load_domains(struct eload *l, struct entities *en, yaml_node_t *map,
    const char *key, int org)
{
	char	**v = NULL, *c;
	size_t	  n = 0, i;

	text_list(l, map, key, &v, &n, 0);
	en->doms = xreallocarray(en->doms, en->ndoms + n, sizeof *en->doms);
	for (i = 0; i < n; i++) {
		for (c = v[i]; *c != '\0'; c++)
			*c = (char)tolower((unsigned char)*c);
		/* Labels of letters, digits and '-', 253 bytes at most (RFC
		 * 1035): what a lookup takes and splits. */
		if (strspn(v[i], "abcdefghijklmnopqrstuvwxyz0123456789-.") !=
		    (size_t)(c - v[i]) || c - v[i] > 253 || *v[i] == '.' ||
		    c[-1] == '.' || strstr(v[i], "..") != NULL) {
			errors_add(l->e, l->y->file, 0, 0, "%s: '%s' is not a"
			    " domain", key, v[i]);
			free(v[i]);
			continue;
		}
		en->doms[en->ndoms].name = v[i];
		en->doms[en->ndoms].len = (size_t)(c - v[i]);
		en->doms[en->ndoms++].org = org;
	}
	free(v);
}

/* Every name in exact must be one of names. */
static void
check_exact(struct eload *l, yaml_node_t *map, char **names, size_t nnames,
    char **exact, size_t nexact)
{
	size_t	i, k;

	for (i = 0; i < nexact; i++) {
		for (k = 0; k < nnames; k++)
			if (strcmp(exact[i], names[k]) == 0)
				break;
		if (k == nnames)
			ydoc_error(l->y, l->e, ydoc_get(l->y, map, "exact"),
			    "exact: '%s' is not one of the names", exact[i]);
	}
}

static void
load_org(struct eload *l, struct entities *en, yaml_node_t *m)
{
	struct org		*o;
	yaml_node_t		*n, *mk;
	yaml_node_item_t	*i;
	const char		*v;
	int			 market;

	if (m->type != YAML_MAPPING_NODE) {
		ydoc_error(l->y, l->e, m, "an organisation is a mapping");
		return;
	}
	en->orgs = xreallocarray(en->orgs, en->norgs + 1, sizeof *en->orgs);
	o = &en->orgs[en->norgs++];
	memset(o, 0, sizeof *o);
	v = need_text(l, m, "name");
	o->name = xstrdup(v != NULL ? v : "?");
	if ((v = ydoc_scalar(ydoc_get(l->y, m, "acronym"))) != NULL) {
		o->acronym = xstrdup(v);
		o->names = xcalloc(1, sizeof *o->names);
		o->names[o->nnames++] = xstrdup(v);
	}
	o->names = xreallocarray(o->names, o->nnames + 1, sizeof *o->names);
	o->names[o->nnames++] = xstrdup(o->name);
	text_list(l, m, "names", &o->names, &o->nnames, 1);
	text_list(l, m, "exact", &o->exact, &o->nexact, 1);
	check_exact(l, m, o->names, o->nnames, o->exact, o->nexact);
	load_domains(l, en, m, "domains", (int)(en->norgs - 1));
	n = ydoc_get(l->y, m, "label");
	if (n == NULL || n->type != YAML_MAPPING_NODE)
		ydoc_error(l->y, l->e, n != NULL ? n : m, "label must map fr"
		    " and en to how a sentence names the organisation");
	else {
		v = need_text(l, n, "fr");
		o->label[LANG_FR] = xstrdup(v != NULL ? v : o->name);
		v = need_text(l, n, "en");
		o->label[LANG_EN] = xstrdup(v != NULL ? v : o->name);
	}
	if ((v = ydoc_scalar(ydoc_get(l->y, m, "plural"))) != NULL)
		o->plural = strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
	n = ydoc_get(l->y, m, "markets");
	if (n == NULL || n->type != YAML_SEQUENCE_NODE) {
		ydoc_error(l->y, l->e, n != NULL ? n : m, "markets must be a"
		    " list");
		return;
	}
	for (i = n->data.sequence.items.start; i < n->data.sequence.items.top;
	    i++) {
		mk = ydoc_node(l->y, *i);
		if (mk->type != YAML_MAPPING_NODE) {
			ydoc_error(l->y, l->e, mk, "a market is a mapping");
			continue;
		}
		v = ydoc_scalar(ydoc_get(l->y, mk, "market"));
		if (v != NULL && strcmp(v, "support") == 0)
			market = MARKET_SUPPORT;
		else if (v != NULL && strcmp(v, "expertise") == 0)
			market = MARKET_EXPERTISE;
		else {
			ydoc_error(l->y, l->e, mk, "market must be support or"
			    " expertise");
			continue;
		}
		o->markets |= 1 << market;
		if ((v = ydoc_scalar(ydoc_get(l->y, mk, "lot"))) != NULL) {
			free(o->lot[market]);
			o->lot[market] = xstrdup(v);
		}
	}
}

static void
add_software(struct entities *en, const char *name, int listed)
{
	struct software	*s;

	en->sw = xreallocarray(en->sw, en->nsw + 1, sizeof *en->sw);
	s = &en->sw[en->nsw++];
	memset(s, 0, sizeof *s);
	s->name = xstrdup(name);
	s->listed = listed;
	s->names = xcalloc(1, sizeof *s->names);
	s->names[s->nnames++] = xstrdup(name);
}

static void
load_software(struct eload *l, struct entities *en, yaml_node_t *m)
{
	struct software	*s;
	yaml_node_t	*n;
	const char	*v;
	char		*f;

	if (m->type != YAML_MAPPING_NODE) {
		ydoc_error(l->y, l->e, m, "a software is a mapping");
		return;
	}
	if ((v = need_text(l, m, "name")) == NULL)
		return;
	f = fold_string(v);
	if (strlen(f) <= 1)
		ydoc_error(l->y, l->e, ydoc_get(l->y, m, "name"), "'%s' has no"
		    " letters or digits", v);
	free(f);
	add_software(en, v, 1);
	s = &en->sw[en->nsw - 1];
	if ((n = ydoc_get(l->y, m, "en")) != NULL) {
		if ((v = ydoc_scalar(n)) == NULL || *v == '\0')
			ydoc_error(l->y, l->e, n, "en: a software's English"
			    " name");
		else
			s->name_en = xstrdup(v);
	}
	text_list(l, m, "names", &s->names, &s->nnames, 1);
	text_list(l, m, "exact", &s->exact, &s->nexact, 1);
	check_exact(l, m, s->names, s->nnames, s->exact, s->nexact);
}

/* A list of mappings under map's key, each given to fn. */
static void
each(struct eload *l, struct entities *en, yaml_node_t *map, const char *key,
    void (*fn)(struct eload *, struct entities *, yaml_node_t *))
{
	yaml_node_t		*seq = ydoc_get(l->y, map, key);
	yaml_node_item_t	*i;

	if (seq == NULL || seq->type != YAML_SEQUENCE_NODE) {
		ydoc_error(l->y, l->e, seq != NULL ? seq : map, "%s must be a"
		    " list", key);
		return;
	}
	for (i = seq->data.sequence.items.start;
	    i < seq->data.sequence.items.top; i++)
		fn(l, en, ydoc_node(l->y, *i));
}

static void
load_section(struct eload *l, yaml_node_t *root, const char *key,
    yaml_node_t **sec, char **date, char **url)
{
	const char	*v;

	*sec = ydoc_get(l->y, root, key);
	if (*sec == NULL || (*sec)->type != YAML_MAPPING_NODE) {
		ydoc_error(l->y, l->e, *sec != NULL ? *sec : root, "%s must be"
		    " a mapping", key);
		*sec = NULL;
		return;
	}
	v = need_text(l, *sec, "date");
	*date = xstrdup(v != NULL ? v : "");
	if (v != NULL && (strlen(v) != 10 || v[4] != '-' || v[7] != '-'))
		ydoc_error(l->y, l->e, ydoc_get(l->y, *sec, "date"), "date must"
		    " be written YYYY-MM-DD");
	v = need_text(l, *sec, "url");
	*url = xstrdup(v != NULL ? v : "");
	if (v != NULL && strncmp(v, "https://", 8) != 0)
		ydoc_error(l->y, l->e, ydoc_get(l->y, *sec, "url"), "url must"
		    " be an absolute https:// address");
}

/* Who a domain of the table is: an organisation, or nobody in particular
 * (personal_domains and unsure_domains). */
static const char *
domain_owner(const struct entities *en, int org)
{
	if (org < 0)
		return ("the domains that tell no organisation");
	return (en->orgs[org].name);
}

struct entities *
entities_load(const char *path, struct errors *e)
{
	struct entities	*en;
	struct ydoc	 y;
	struct eload	 l = { &y, e };
	yaml_node_t	*root, *sec;
	char		*data, **unlisted = NULL;
	size_t		 len, before = e->n, i, n = 0;
	int		 a, b;

	if ((data = config_read_file(path, &len, e)) == NULL)
		return (NULL);
	en = xcalloc(1, sizeof *en);
	en->path = xstrdup(path);
	if (ydoc_load(&y, path, data, len, 0, e) == 0) {
		root = ydoc_root(&y);
		if (root->type != YAML_MAPPING_NODE)
			ydoc_error(&y, e, root, "the entities must be a mapping"
			    " with beneficiaries and software");
		else {
			load_section(&l, root, "beneficiaries", &sec,
			    &en->orgs_date, &en->orgs_url);
			if (sec != NULL)
				each(&l, en, sec, "organisations", load_org);
			load_section(&l, root, "software", &sec, &en->sw_date,
			    &en->sw_url);
			if (sec != NULL) {
				each(&l, en, sec, "list", load_software);
				text_list(&l, sec, "unlisted", &unlisted, &n, 1);
			}
			load_domains(&l, en, root, "personal_domains", -2);
			load_domains(&l, en, root, "unsure_domains", -2);
		}
	} else if (y.loaded == 0 && e->n == before)
		errors_add(e, path, 1, 1, "the file is empty");
	for (i = 0; i < n; i++) {
		add_software(en, unlisted[i], 0);
		free(unlisted[i]);
	}
	free(unlisted);
	ydoc_free(&y);
	free(data);
	if (e->n != before) {
		entities_free(en);
		return (NULL);
	}
	if (en->ndoms > 0)
		qsort(en->doms, en->ndoms, sizeof *en->doms, domain_cmp);
	/* A domain tells one thing: the lookup would pick either. */
	for (i = 1; i < en->ndoms; i++) {
		if (strcmp(en->doms[i - 1].name, en->doms[i].name) != 0 ||
		    en->doms[i - 1].org == en->doms[i].org)
			continue;
		a = en->doms[i - 1].org;
		b = en->doms[i].org;
		errors_add(e, path, 0, 0, "the domain %s is given to %s and"
		    " to %s", en->doms[i].name, domain_owner(en, a < b ? a : b),
		    domain_owner(en, a < b ? b : a));
	}
	if (e->n != before) {
		entities_free(en);
		return (NULL);
	}
	domains_index(en);
	return (en);
}

void
entities_free(struct entities *en)
{
	size_t	i;
	int	k;

	if (en == NULL)
		return;
	for (i = 0; i < en->norgs; i++) {
		free(en->orgs[i].name);
		free(en->orgs[i].acronym);
		for (k = 0; k < 2; k++)
			free(en->orgs[i].label[k]);
		for (k = 0; k < MARKET_COUNT; k++)
			free(en->orgs[i].lot[k]);
		strv_free(en->orgs[i].names, en->orgs[i].nnames);
		strv_free(en->orgs[i].exact, en->orgs[i].nexact);
	}
	free(en->orgs);
	for (i = 0; i < en->nsw; i++) {
		free(en->sw[i].name);
		free(en->sw[i].name_en);
		strv_free(en->sw[i].names, en->sw[i].nnames);
		strv_free(en->sw[i].exact, en->sw[i].nexact);
	}
	free(en->sw);
	for (i = 0; i < en->ndoms; i++)
		free(en->doms[i].name);
	free(en->doms);
	free(en->dslot);
	free(en->orgs_date);
	free(en->orgs_url);
	free(en->sw_date);
	free(en->sw_url);
	free(en->path);
	free(en);
}

static int
domain_cmp(const void *a, const void *b)
{
	return (strcmp(((const struct edomain *)a)->name,
	    ((const struct edomain *)b)->name));
}

static size_t
domain_hash(const char *s, size_t n)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return ((size_t)(h ^ h >> 29));
}

/* The domains by name, for a look up a message: the table has at least
 * twice as many slots as domains. */
static void
domains_index(struct entities *en)
{
	size_t	i, k, size = 16;

	while (size < 2 * en->ndoms)
		size *= 2;
	en->dslot = xcalloc(size, sizeof *en->dslot);
	en->dmask = size - 1;
	for (i = 0; i < en->ndoms; i++) {
		k = domain_hash(en->doms[i].name, en->doms[i].len) & en->dmask;
		while (en->dslot[k] != 0)
			k = (k + 1) & en->dmask;
		en->dslot[k] = (uint32_t)(i + 1);
	}
}

int
entities_lookup(const struct entities *en, const char *domain)
{
	const struct edomain	*d;
	char			 low[256], *p, *end;
	size_t			 ld, i, n, k;

	if (en == NULL || en->ndoms == 0 || (ld = strlen(domain)) == 0 ||
	    ld >= sizeof low)
		return (-1);
	for (i = 0; i <= ld; i++)
		low[i] = (char)tolower((unsigned char)domain[i]);
	end = low + ld;
	/* The domain, then what it is under, label by label: the nearest
	 * wins (dgfip.finances.gouv.fr is a ministry's, not gouv.fr).  A
	 * name given twice has one organisation (entities_load() says so):
	 * the first slot holding it is as good as any. */
	for (p = low; p != NULL; p = (p = strchr(p, '.')) != NULL ? p + 1 :
	    NULL) {
		n = (size_t)(end - p);
		for (k = domain_hash(p, n) & en->dmask; en->dslot[k] != 0;
		    k = (k + 1) & en->dmask) {
			d = &en->doms[en->dslot[k] - 1];
			if (d->len == n && memcmp(d->name, p, n) == 0)
				return (d->org);
		}
	}
	return (-1);
}

/* A letter or digit of a word: ASCII ones and every byte of a UTF-8
 * sequence. */
static int
wordc(unsigned char c)
{
	return (isalnum(c) || c >= 0x80);
}

int
exact_in(const char *text, size_t len, const char *name)
{
	size_t		 n = strlen(name), i;
	const char	*p = text, *end = text + len;
	unsigned char	 before, after, next;

	if (n == 0)
		return (0);
	while ((size_t)(end - p) >= n) {
		if ((p = memchr(p, name[0], (size_t)(end - p) - n + 1)) == NULL)
			return (0);
		if (memcmp(p, name, n) != 0) {
			p++;
			continue;
		}
		i = (size_t)(p - text);
		before = i > 0 ? (unsigned char)text[i - 1] : ' ';
		/* French elision: "l'ANS", "l’ANS". */
		if (i >= 3 && memcmp(text + i - 3, "\xe2\x80\x99", 3) == 0)
			before = '\'';
		after = i + n < len ? (unsigned char)text[i + n] : ' ';
		next = i + n + 1 < len ? (unsigned char)text[i + n + 1] : ' ';
		/* A whole word, not part of "R&D", "x-R", "R.2". */
		if (!wordc(before) && strchr("&-_/@.", before) == NULL &&
		    !wordc(after) && strchr("&'-_/@", after) == NULL &&
		    (after != '.' || !wordc(next)))
			return (1);
		p++;
	}
	return (0);
}

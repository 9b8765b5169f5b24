/*
 * Addresses of the header fields that name people (From, Reply-To,
 * Sender, Return-Path), read by the grammar of RFC 5322 section 3.4 and its
 * obsolete forms: comments, quoted display names and local parts, groups,
 * several addresses, routes.  A field is also read the way a careless
 * reader would (the last "<...>" of it): when the two readings differ, or
 * a comment or a quoted string holds an angle bracket, the field is marked
 * ambiguous, because some parser on the mail's way may have read another
 * address than this one.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

#define ADDR_MAX_TOKENS	256	/* past this, the field is not read */

enum tok_type { T_ATOM, T_QUOTED, T_LITERAL, T_SPECIAL };

struct tok {
	enum tok_type	 type;
	const char	*p;		/* T_QUOTED: after the quote */
	size_t		 len;		/* T_QUOTED: up to the closing quote */
	int		 space;		/* white space or a comment before */
};

struct lexed {
	struct tok	 t[ADDR_MAX_TOKENS];
	size_t		 n;
	int		 flags;		/* ADDR_* */
};

const char *
address_domain(const char *addr)
{
	const char	*at;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return ("");
	return (at + 1);
}

int
domain_under(const char *d, const char *base)
{
	size_t	ld = strlen(d), lb = strlen(base);

	if (lb == 0 || ld < lb || strcasecmp(d + ld - lb, base) != 0)
		return (0);
	return (ld == lb || d[ld - lb - 1] == '.');
}

void
address_free(struct address *a)
{
	free(a->name);
	free(a->addr);
	a->name = a->addr = NULL;
}

/* The bytes of atext (RFC 5322) and every 8-bit byte (RFC 6532): 1, and 2
 * for the specials of lex() ("<>@,;:."). */
static u_char	byte_class[256];

static void
classes_init(void)
{
	const char	*p;
	int		 c;

	for (c = 0; c < 256; c++)
		byte_class[c] = c >= 0x80 || isalnum(c);
	for (p = "!#$%&'*+-/=?^_`{|}~"; *p != '\0'; p++)
		byte_class[(u_char)*p] = 1;
	for (p = "<>@,;:."; *p != '\0'; p++)
		byte_class[(u_char)*p] = 2;
}

static int
atext(u_char c)
{
	return (byte_class[c] == 1);
}

/* Skips a comment (nested, with quoted pairs) at p: the byte after it, or
 * NULL when it does not end. */
static const char *
skip_comment(const char *p, int *flags)
{
	int	depth = 0;

	for (; *p != '\0'; p++) {
		if (*p == '\\') {
			if (*++p == '\0')
				return (NULL);
		} else if (*p == '(')
			depth++;
		else if (*p == ')') {
			if (--depth == 0)
				return (p + 1);
		} else if (*p == '<' || *p == '>')
			*flags |= ADDR_AMBIGUOUS;
	}
	return (NULL);
}

/* The length of the RFC 2047 encoded word "=?charset?X?text?=" at p, or
 * 0: one atom of a display name, whatever its text holds. */
static size_t
encoded_word(const char *p)
{
	const char	*q;

	if (p[0] != '=' || p[1] != '?')
		return (0);
	q = p + 2 + strcspn(p + 2, "? \t\r\n");
	if (q == p + 2 || q[0] != '?' || q[1] == '\0' || q[2] != '?')
		return (0);
	q = q + 3 + strcspn(q + 3, "? \t\r\n");
	if (q[0] != '?' || q[1] != '=')
		return (0);
	return ((size_t)(q + 2 - p));
}

/* Cuts a field into tokens; comments and white space only mark the token
 * after them.  0, or -1 when something cannot be a token. */
static int
lex(const char *v, struct lexed *l)
{
	const char	*p = v, *q;
	struct tok	*t;
	size_t		 n;
	int		 space = 0;

	l->n = 0;
	while (*p != '\0') {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
			space = 1;
			continue;
		}
		if (*p == '(') {
			if ((p = skip_comment(p, &l->flags)) == NULL)
				return (-1);
			space = 1;
			continue;
		}
		if (l->n == ADDR_MAX_TOKENS)
			return (-1);
		t = &l->t[l->n++];
		t->space = space;
		space = 0;
		if (*p == '"') {
			for (q = p + 1; *q != '"'; q++) {
				if (*q == '\0')
					return (-1);
				if (*q == '\\' && *++q == '\0')
					return (-1);
				if (*q == '<' || *q == '>')
					l->flags |= ADDR_AMBIGUOUS;
			}
			t->type = T_QUOTED;
			t->p = p + 1;
			t->len = (size_t)(q - p - 1);
			p = q + 1;
		} else if (*p == '[') {
			for (q = p + 1; *q != ']'; q++)
				if (*q == '\0' || *q == '[' || *q == '\\')
					return (-1);
			t->type = T_LITERAL;
			t->p = p;
			t->len = (size_t)(q + 1 - p);
			p = q + 1;
		} else if ((n = encoded_word(p)) != 0) {
			for (q = p + n; atext((u_char)*q); q++)
				;
			t->type = T_ATOM;
			t->p = p;
			t->len = (size_t)(q - p);
			p = q;
		} else if (byte_class[(u_char)*p] == 2) {
			t->type = T_SPECIAL;
			t->p = p++;
			t->len = 1;
		} else if (atext((u_char)*p)) {
			for (q = p; atext((u_char)*q); q++)
				;
			t->type = T_ATOM;
			t->p = p;
			t->len = (size_t)(q - p);
			p = q;
		} else
			return (-1);	/* a control, ')', '\' or ']' */
	}
	return (0);
}

static int
special(const struct lexed *l, size_t i, char c)
{
	return (i < l->n && l->t[i].type == T_SPECIAL && l->t[i].p[0] == c);
}

static int
word(const struct lexed *l, size_t i)
{
	return (i < l->n && (l->t[i].type == T_ATOM ||
	    l->t[i].type == T_QUOTED));
}

/* A quoted local part's text, unquoted when it needs no quotes: NULL
 * when it holds what an address should not (controls, quotes, brackets,
 * 8-bit). */
static char *
quoted_local(const struct tok *t)
{
	struct buf	 b;
	size_t		 i;
	int		 plain = t->len > 0;
	u_char		 c;
	char		*q;

	buf_init(&b);
	for (i = 0; i < t->len; i++) {
		c = (u_char)t->p[i];
		if (c == '\\')
			c = (u_char)t->p[++i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\' ||
		    c == '<' || c == '>') {
			buf_free(&b);
			return (NULL);
		}
		if (!atext(c) && !(c == '.' && b.len > 0 && i + 1 < t->len &&
		    b.data[b.len - 1] != '.'))
			plain = 0;
		buf_addc(&b, (int)c);
	}
	if (plain)
		return (buf_steal(&b));
	q = xasprintf("\"%s\"", b.data != NULL ? b.data : "");
	buf_free(&b);
	return (q);
}

/* Atoms joined by dots from token *j (a dot-atom, or the obsolete atoms
 * with white space between), appended to b: 0, *j past them, or -1. */
static int
dot_atoms(const struct lexed *l, size_t *j, struct buf *b)
{
	for (;;) {
		if (*j >= l->n || l->t[*j].type != T_ATOM)
			return (-1);
		buf_add(b, l->t[*j].p, l->t[*j].len);
		if (!special(l, ++*j, '.'))
			return (0);
		buf_addc(b, '.');
		(*j)++;
	}
}

/* Is token i the start of a local part, an '@' after it?  Without it
 * addr_spec() has nothing to read. */
static int
at_follows(const struct lexed *l, size_t i)
{
	if (i < l->n && l->t[i].type == T_QUOTED)
		return (special(l, i + 1, '@'));
	while (i < l->n && l->t[i].type == T_ATOM && special(l, i + 1, '.'))
		i += 2;
	return (i < l->n && l->t[i].type == T_ATOM && special(l, i + 1, '@'));
}

/* local-part "@" domain from token *i; the address (domain lower-cased)
 * or NULL, *i past it. */
static char *
addr_spec(const struct lexed *l, size_t *i, int *flags)
{
	struct buf	 b;
	size_t		 j = *i, k;
	char		*q;

	buf_init(&b);
	if (j < l->n && l->t[j].type == T_QUOTED && special(l, j + 1, '@')) {
		if ((q = quoted_local(&l->t[j])) == NULL)
			goto bad;
		buf_adds(&b, q);
		free(q);
		j++;
	} else if (dot_atoms(l, &j, &b) != 0)
		goto bad;
	if (!special(l, j, '@'))
		goto bad;
	buf_addc(&b, '@');
	j++;
	k = b.len;
	if (j < l->n && l->t[j].type == T_LITERAL) {
		/* An address literal: no domain to authenticate. */
		goto bad;
	}
	if (dot_atoms(l, &j, &b) != 0)
		goto bad;
	for (; k < b.len; k++)
		b.data[k] = (char)tolower((u_char)b.data[k]);
	if (!utf8_valid(b.data, b.len))
		goto bad;
	*i = j;
	return (buf_steal(&b));
bad:
	buf_free(&b);
	*flags |= ADDR_BAD;
	return (NULL);
}

/* The display name of tokens [from, to): words joined as written, quotes
 * removed, then decoded (RFC 2047, 8-bit, controls). */
static char *
display_name(const struct lexed *l, size_t from, size_t to)
{
	struct buf	 b;
	const struct tok *t;
	size_t		 i, j;
	char		*name;

	if (from == to)
		return (NULL);
	buf_init(&b);
	for (i = from; i < to; i++) {
		t = &l->t[i];
		if (i > from && t->space)
			buf_addc(&b, ' ');
		if (t->type != T_QUOTED) {
			buf_add(&b, t->p, t->len);
			continue;
		}
		for (j = 0; j < t->len; j++) {
			if (t->p[j] == '\\')
				j++;
			buf_addc(&b, t->p[j]);
		}
	}
	name = b.len != 0 ? header_decode(b.data, b.len) : NULL;
	buf_free(&b);
	if (name != NULL && *name == '\0') {
		free(name);
		name = NULL;
	}
	return (name);
}

/* Keeps the first mailbox read, counts the others. */
static void
found(struct address *a, char *addr, char *name)
{
	if (a->n++ == 0) {
		a->addr = addr;
		a->name = name;
	} else {
		free(addr);
		free(name);
	}
}

/* One mailbox from token *i: name-addr (with an obsolete route) or
 * addr-spec.  0 or -1, *i past it. */
static int
mailbox(const struct lexed *l, size_t *i, struct address *a)
{
	size_t	 j = *i, lt;
	int	 flags = 0;
	char	*addr = NULL, *name;

	/* addr-spec, when a separator or the end follows it */
	if (at_follows(l, j) && (addr = addr_spec(l, &j, &flags)) != NULL &&
	    (j == l->n || special(l, j, ',') || special(l, j, ';'))) {
		found(a, addr, NULL);
		*i = j;
		return (0);
	}
	free(addr);
	/* [display-name] "<" [route ":"] addr-spec ">" */
	for (j = *i; word(l, j) || (j > *i && special(l, j, '.')); j++)
		;
	if (!special(l, j, '<'))
		goto bad;
	lt = j++;
	if (special(l, j, '@')) {
		/* obs-route: "@" domain *("," ["@" domain]) ":" */
		a->flags |= ADDR_AMBIGUOUS;
		while (j < l->n && !special(l, j, ':') && !special(l, j, '>'))
			j++;
		if (!special(l, j, ':'))
			goto bad;
		j++;
	}
	if ((addr = addr_spec(l, &j, &a->flags)) == NULL)
		goto bad;
	if (!special(l, j, '>')) {
		free(addr);
		goto bad;
	}
	name = display_name(l, *i, lt);
	if (name != NULL && strpbrk(name, "<>") != NULL)
		a->flags |= ADDR_AMBIGUOUS;	/* once decoded */
	found(a, addr, name);
	*i = j + 1;
	return (0);
bad:
	a->flags |= ADDR_BAD;
	return (-1);
}

/* One address from token *i: a group or a mailbox.  0 or -1. */
static int
address(const struct lexed *l, size_t *i, struct address *a)
{
	size_t	j = *i;

	for (; word(l, j) || (j > *i && special(l, j, '.')); j++)
		;
	if (j == *i || !special(l, j, ':'))
		return (mailbox(l, i, a));
	/* display-name ":" [mailbox-list] ";" */
	a->flags |= ADDR_GROUP;
	j++;
	for (;;) {
		while (special(l, j, ','))	/* obs-mbox-list */
			j++;
		if (special(l, j, ';'))
			break;
		if (mailbox(l, &j, a) != 0)
			return (-1);
		if (!special(l, j, ',') && !special(l, j, ';')) {
			a->flags |= ADDR_BAD;
			return (-1);
		}
	}
	*i = j + 1;
	return (0);
}

/*
 * What a careless reader takes: the text between the last '<' and the '>'
 * after it, or else the first run of characters up to a space or '(', its
 * domain (from its last '@') lower-cased.  Is it addr?  Compared where it
 * stands, with no copy made.
 */
static int
naive_same(const char *v, const char *addr)
{
	const char	*lt, *gt, *start, *end, *at;
	size_t		 i, n;

	if ((lt = strrchr(v, '<')) != NULL && (gt = strchr(lt, '>')) != NULL) {
		start = lt + 1;
		end = gt;
	} else {
		start = v + strspn(v, " \t");
		end = start + strcspn(start, " \t(");
	}
	if ((n = (size_t)(end - start)) == 0)
		return (0);
	if ((at = memrchr(start, '@', n)) == NULL)
		at = end;
	/* The bytes before the domain as they are (strncmp() stops at the
	 * end of a shorter addr), the domain's lower-cased. */
	if (strncmp(start, addr, (size_t)(at - start)) != 0)
		return (0);
	for (i = (size_t)(at - start); i < n; i++)
		if (tolower((u_char)start[i]) != (u_char)addr[i])
			return (0);
	return (addr[n] == '\0');
}

int
address_parse(const char *value, struct address *a)
{
	struct lexed	 l;
	size_t		 i = 0;

	memset(a, 0, sizeof *a);
	if (value == NULL)
		return (-1);
	if (byte_class['a'] == 0)
		classes_init();
	l.flags = 0;
	if (lex(value, &l) != 0)
		a->flags |= ADDR_BAD;
	else {
		while (i < l.n) {
			while (special(&l, i, ','))	/* obs-addr-list */
				i++;
			if (i == l.n)
				break;
			if (address(&l, &i, a) != 0)
				break;
			if (i < l.n && !special(&l, i, ',')) {
				a->flags |= ADDR_BAD;
				break;
			}
		}
	}
	a->flags |= l.flags;
	if (a->flags & ADDR_BAD) {
		address_free(a);
		a->n = 0;
		a->flags = ADDR_BAD;
		return (-1);
	}
	if (a->n == 0)
		return (-1);
	if (a->n == 1 && !(a->flags & ADDR_GROUP) &&
	    !naive_same(value, a->addr))
		a->flags |= ADDR_AMBIGUOUS;
	return (0);
}

/* What is wrong with a field of one sender, for a reason; NULL when it
 * names one address, unambiguously. */
const char *
address_problem(const struct address *a)
{
	if (a->flags & ADDR_BAD)
		return ("cannot be read as RFC 5322 addresses");
	if (a->flags & ADDR_GROUP)
		return ("is a group");
	if (a->n == 0)
		return ("holds no address");
	if (a->n > 1)
		return ("holds more than one address");
	if (a->flags & ADDR_AMBIGUOUS)
		return ("can be read as another address (angle brackets in a"
		    " comment or a quoted name, a route, stray brackets)");
	return (NULL);
}

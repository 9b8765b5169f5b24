/*
 * HTML to text, for mail that has no text/plain part: tags, comments,
 * <head>, <style> and <script> dropped, entities decoded, block elements
 * turned into line breaks, and the content of <blockquote> prefixed with
 * "> " so that the quote reader treats it like any quoted text.  The web
 * links (<a href>) are kept aside with the text a reader sees of them, for
 * the screening of lures.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

struct entity {
	const char	*name;
	uint32_t	 cp;
};

static const struct entity entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 }, { "shy", 0xad },
	{ "laquo", 0xab }, { "raquo", 0xbb }, { "copy", 0xa9 },
	{ "reg", 0xae }, { "deg", 0xb0 }, { "middot", 0xb7 },
	{ "agrave", 0xe0 }, { "aacute", 0xe1 }, { "acirc", 0xe2 },
	{ "auml", 0xe4 }, { "ccedil", 0xe7 }, { "egrave", 0xe8 },
	{ "eacute", 0xe9 }, { "ecirc", 0xea }, { "euml", 0xeb },
	{ "igrave", 0xec }, { "iacute", 0xed }, { "icirc", 0xee },
	{ "iuml", 0xef }, { "ntilde", 0xf1 }, { "ograve", 0xf2 },
	{ "oacute", 0xf3 }, { "ocirc", 0xf4 }, { "ouml", 0xf6 },
	{ "ugrave", 0xf9 }, { "uacute", 0xfa }, { "ucirc", 0xfb },
	{ "uuml", 0xfc }, { "yuml", 0xff }, { "szlig", 0xdf },
	{ "Agrave", 0xc0 }, { "Aacute", 0xc1 }, { "Acirc", 0xc2 },
	{ "Ccedil", 0xc7 }, { "Egrave", 0xc8 }, { "Eacute", 0xc9 },
	{ "Ecirc", 0xca }, { "Icirc", 0xce }, { "Ocirc", 0xd4 },
	{ "Ugrave", 0xd9 }, { "Ucirc", 0xdb }, { "oelig", 0x153 },
	{ "OElig", 0x152 }, { "aelig", 0xe6 }, { "AElig", 0xc6 },
	{ "ndash", 0x2013 }, { "mdash", 0x2014 }, { "lsquo", 0x2018 },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201a }, { "ldquo", 0x201c },
	{ "rdquo", 0x201d }, { "bdquo", 0x201e }, { "hellip", 0x2026 },
	{ "euro", 0x20ac }, { "trade", 0x2122 }, { "bull", 0x2022 },
	{ "thinsp", 0x2009 }, { "ensp", 0x2002 }, { "emsp", 0x2003 },
	{ "zwnj", 0x200c }, { "zwj", 0x200d },
};

/* Elements whose start or end breaks the line. */
static const char *blocks[] = {
	"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
	"table", "ul", "ol", "hr", "pre", "blockquote", "dd", "dt", "dl",
	"section", "article", "header", "footer", "address", "center",
	"title", "body",
};

/* Elements whose content is not text. */
static const char *hidden[] = { "style", "script", "head", "title",
    "xml", "template" };

/* The levels of quoting a line shows: the quote reader needs one, and deeper
 * levels would multiply the text ("x<br>" quoted 16 deep gives 34 bytes). */
#define QUOTE_SHOWN	2

struct html {
	struct buf	*out;
	struct links	*links;		/* or NULL: none kept */
	struct link	*open;		/* the <a> whose text is being read */
	size_t		 open_at;	/* where its text starts in out */
	int		 depth;		/* blockquote nesting */
	int		 pre;		/* inside <pre> */
	int		 bol;		/* at the beginning of a line */
	int		 space;		/* a space is pending */
	int		 blank;		/* newlines written in a row */
};

static void
html_newline(struct html *h)
{
	if (h->blank >= 2)
		return;
	buf_addc(h->out, '\n');
	h->blank++;
	h->bol = 1;
	h->space = 0;
}

static void
html_char(struct html *h, uint32_t cp)
{
	int	i;

	if (!h->pre && (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
	    cp == 0xa0)) {
		if (!h->bol)
			h->space = 1;
		return;
	}
	if (h->pre && cp == '\n') {
		html_newline(h);
		return;
	}
	if (cp == '\r')
		return;
	if (h->bol) {
		for (i = 0; i < h->depth && i < QUOTE_SHOWN; i++)
			buf_add(h->out, "> ", 2);
		h->bol = 0;
	} else if (h->space)
		buf_addc(h->out, ' ');
	h->space = 0;
	h->blank = 0;
	utf8_encode(h->out, cp);
}

/* Decodes the entity at s (after '&'); returns its length, 0 if none. */
static size_t
html_entity(const char *s, size_t len, uint32_t *cp)
{
	size_t		 i, n;
	char		 name[16], num[12];
	unsigned long	 v;
	char		*end;
	const char	*digits;
	int		 hex;

	if (len > 0 && s[0] == '#') {
		hex = len > 1 && (s[1] == 'x' || s[1] == 'X');
		digits = s + 1 + hex;
		for (n = 0; digits + n < s + len && n < sizeof num - 1 &&
		    isxdigit((u_char)digits[n]); n++)
			num[n] = digits[n];
		num[n] = '\0';
		v = strtoul(num, &end, hex ? 16 : 10);
		if (end == num)
			return (0);
		n = (size_t)(digits - s) + (size_t)(end - num);
		if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return (0);
		if (n < len && s[n] == ';')
			n++;
		*cp = (uint32_t)v;
		return (n);
	}
	for (n = 0; n < len && n < sizeof name - 1 && isalnum((u_char)s[n]);
	    n++)
		name[n] = s[n];
	name[n] = '\0';
	if (n == 0)
		return (0);
	for (i = 0; i < sizeof entities / sizeof entities[0]; i++) {
		if (strcmp(entities[i].name, name) == 0) {
			*cp = entities[i].cp;
			if (n < len && s[n] == ';')
				n++;
			return (n);
		}
	}
	return (0);
}

/* Is the name (lower case) one of the list's?  Its first letter first. */
static int
in_list(const char *name, const char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (name[0] == list[i][0] && strcmp(name, list[i]) == 0)
			return (1);
	return (0);
}

/* Skips to the end of a hidden element's content; returns the new index. */
static size_t
html_skip(const char *s, size_t len, size_t i, const char *name)
{
	size_t	nlen = strlen(name);

	for (; i + nlen + 2 < len; i++) {
		if (s[i] == '<' && s[i + 1] == '/' &&
		    strncasecmp(s + i + 2, name, nlen) == 0)
			return (i);
	}
	return (len);
}

/* Is the href that of a web page (http, https, "//" or "www.")? */
static int
web_href(const char *v)
{
	return (strncasecmp(v, "http:", 5) == 0 ||
	    strncasecmp(v, "https:", 6) == 0 || strncmp(v, "//", 2) == 0 ||
	    strncasecmp(v, "www.", 4) == 0);
}

/*
 * The value of the href attribute among a tag's attributes, entities
 * decoded, controls and leading spaces left out (a browser drops them
 * too), cut at LINK_MAX_HREF bytes; 0 when there is none.
 */
static int
attr_href(const char *s, size_t len, struct buf *b)
{
	size_t		 i, k, n;
	uint32_t	 cp;
	char		 q = 0, c;

	for (i = 0; i + 4 < len; i++) {
		if (strncasecmp(s + i, "href", 4) != 0 || (i > 0 &&
		    !isspace((u_char)s[i - 1]) && s[i - 1] != '"' &&
		    s[i - 1] != '\'' && s[i - 1] != '/'))
			continue;
		for (k = i + 4; k < len && isspace((u_char)s[k]); k++)
			;
		if (k == len || s[k] != '=')
			continue;
		for (k++; k < len && isspace((u_char)s[k]); k++)
			;
		if (k < len && (s[k] == '"' || s[k] == '\''))
			q = s[k++];
		while (k < len && b->len < LINK_MAX_HREF) {
			c = s[k];
			if (q != 0 ? c == q : isspace((u_char)c) || c == '>')
				break;
			if (c == '&' && (n = html_entity(s + k + 1,
			    len - k - 1, &cp)) != 0) {
				if (cp > ' ')
					utf8_encode(b, cp);
				k += n + 1;
				continue;
			}
			if ((u_char)c > ' ' && c != 0x7f)
				buf_addc(b, c);
			k++;
		}
		buf_addc(b, '\0');
		return (1);
	}
	return (0);
}

/* The text of the open link, from where it started, cut at LINK_MAX_TEXT
 * bytes on a character's start. */
static void
link_close(struct html *h)
{
	const char	*t;
	size_t		 n;

	if (h->open == NULL)
		return;
	/* The space written before its first character is not its own. */
	n = h->out->len - h->open_at;
	t = n != 0 ? h->out->data + h->open_at : "";
	while (n > 0 && isspace((u_char)*t))
		t++, n--;
	if (n > LINK_MAX_TEXT) {
		n = LINK_MAX_TEXT;
		while (n > 0 && ((u_char)t[n] & 0xc0) == 0x80)
			n--;
	}
	h->open->text = xstrndup(t, n);
	h->open = NULL;
}

/* An <a> tag: its href, if a web one, is kept with the text to come. */
static void
link_open(struct html *h, const char *attrs, size_t len)
{
	struct links	*l = h->links;
	struct buf	 b;

	link_close(h);
	if (l->n == LINK_MAX)
		return;
	buf_init(&b);
	if (attr_href(attrs, len, &b) && web_href(b.data)) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n].href = buf_steal(&b);
		l->v[l->n].text = NULL;
		h->open = &l->v[l->n++];
		h->open_at = h->out->len;
	} else
		buf_free(&b);
}

void
links_free(struct links *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].href);
		free(l->v[i].text);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
html_to_text(struct buf *out, const char *s, size_t len)
{
	html_to_text_links(out, s, len, NULL);
}

void
html_to_text_links(struct buf *out, const char *s, size_t len,
    struct links *links)
{
	struct html	 h;
	size_t		 i = 0, n, j;
	char		 name[16];
	int		 closing;
	uint32_t	 cp;
	const char	*end;

	memset(&h, 0, sizeof h);
	h.out = out;
	h.links = links;
	h.bol = 1;
	h.blank = 2;
	while (i < len) {
		if (s[i] == '<') {
			if (len - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
				end = memmem(s + i + 4, len - i - 4, "-->", 3);
				i = end == NULL ? len : (size_t)(end - s) + 3;
				continue;
			}
			j = i + 1;
			closing = j < len && s[j] == '/';
			if (closing)
				j++;
			/* The name in lower case, compared as it is. */
			for (n = 0; j < len && n < sizeof name - 1 &&
			    (isalnum((u_char)s[j]) || s[j] == ':'); j++)
				name[n++] = (char)tolower((u_char)s[j]);
			name[n] = '\0';
			if (n == 0 && !(j < len && (s[j] == '!' || s[j] == '?'))) {
				/* A lone '<' is text. */
				html_char(&h, '<');
				i++;
				continue;
			}
			end = memchr(s + j, '>', len - j);
			i = end == NULL ? len : (size_t)(end - s) + 1;
			if (n == 0)
				continue;
			if (!closing && in_list(name, hidden,
			    sizeof hidden / sizeof hidden[0])) {
				i = html_skip(s, len, i, name);
				continue;
			}
			if (strcmp(name, "blockquote") == 0) {
				if (closing && h.depth > 0)
					h.depth--;
				else if (!closing && h.depth < 16)
					h.depth++;
			}
			if (strcmp(name, "pre") == 0)
				h.pre = !closing;
			if (h.links != NULL && strcmp(name, "a") == 0) {
				if (closing)
					link_close(&h);
				else
					link_open(&h, s + j, (end == NULL ?
					    len : (size_t)(end - s)) - j);
			}
			if (in_list(name, blocks, sizeof blocks / sizeof blocks[0])) {
				if (!h.bol || strcmp(name, "br") == 0 ||
				    strcmp(name, "p") == 0)
					html_newline(&h);
			} else if (strcmp(name, "td") == 0 ||
			    strcmp(name, "th") == 0)
				h.space = !h.bol;
			continue;
		}
		if (s[i] == '&' && (n = html_entity(s + i + 1, len - i - 1,
		    &cp)) != 0) {
			html_char(&h, cp);
			i += n + 1;
			continue;
		}
		if ((u_char)s[i] < 0x80) {
			/* A NUL would cut the text short: a space. */
			html_char(&h, s[i] == '\0' ? ' ' : (u_char)s[i]);
			i++;
			continue;
		}
		if ((n = utf8_decode((const u_char *)s + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		html_char(&h, cp);
		i += n;
	}
	link_close(&h);
	if (!h.bol)
		buf_addc(out, '\n');
}

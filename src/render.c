/*
 * Rendering a reply's Markdown (a cmark tree) as text/plain, wrapped and
 * with every link written out so it can be read and copied, and as
 * text/html through cmark's own renderer, which escapes text and leaves
 * raw HTML out.
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

struct text {
	struct buf	*out;
	int		 width;
};

/* Characters (not bytes) of a UTF-8 string. */
static size_t
ulen(const char *s, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return (c);
}

void
render_inlines(cmark_node *n, struct buf *b, int flat)
{
	cmark_node	*c;
	const char	*url, *lit;
	size_t		 before;

	for (c = cmark_node_first_child(n); c != NULL;
	    c = cmark_node_next(c)) {
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if ((lit = cmark_node_get_literal(c)) != NULL)
				buf_adds(b, lit);
			break;
		case CMARK_NODE_SOFTBREAK:
			buf_addc(b, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			buf_addc(b, flat ? ' ' : '\n');
			break;
		case CMARK_NODE_LINK:
			before = b->len;
			render_inlines(c, b, flat);
			url = cmark_node_get_url(c);
			if (flat || url == NULL || *url == '\0')
				break;
			if (strncmp(url, "mailto:", 7) == 0) {
				if (strcmp(b->data + before, url + 7) != 0)
					buf_printf(b, " (%s)", url + 7);
			} else if (strcmp(b->data + before, url) != 0) {
				if (b->len == before)
					buf_adds(b, url);
				else
					buf_printf(b, " (%s)", url);
			}
			break;
		default:
			render_inlines(c, b, flat);
			break;
		}
	}
}

/* "?", "!", ":", ";", "»" alone: never the first word of a line. */
static int
glued(const char *w, size_t n)
{
	return ((n == 1 && strchr("?!:;", *w) != NULL) ||
	    (n == 2 && memcmp(w, "\xc2\xbb", 2) == 0));
}

/* Writes text wrapped at the width, first line after first, others after
 * rest. */
static void
wrap(struct text *t, const char *s, const char *first, const char *rest)
{
	const char	*p = s, *w, *prefix = first;
	size_t		 col, n;
	int		 empty = 1;

	buf_adds(t->out, prefix);
	col = ulen(prefix, strlen(prefix));
	while (*p != '\0') {
		if (*p == '\n') {
			buf_addc(t->out, '\n');
			prefix = rest;
			buf_adds(t->out, prefix);
			col = ulen(prefix, strlen(prefix));
			empty = 1;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		for (w = p; *w != '\0' && *w != ' ' && *w != '\n'; w++)
			;
		n = ulen(p, (size_t)(w - p));
		/* French punctuation after a space stays with its word. */
		if (!empty && col + 1 + n > (size_t)t->width &&
		    !glued(p, (size_t)(w - p))) {
			buf_addc(t->out, '\n');
			prefix = rest;
			buf_adds(t->out, prefix);
			col = ulen(prefix, strlen(prefix));
			empty = 1;
		}
		if (!empty) {
			buf_addc(t->out, ' ');
			col++;
		}
		buf_add(t->out, p, (size_t)(w - p));
		col += n;
		empty = 0;
		p = w;
	}
	buf_addc(t->out, '\n');
}

static void
blocks(struct text *t, cmark_node *parent, const char *first,
    const char *rest)
{
	cmark_node	*n;
	struct buf	 b;
	const char	*f = first;
	char		*f2, *r2, *lit;
	size_t		 len, i;
	int		 number;

	for (n = cmark_node_first_child(parent); n != NULL;
	    n = cmark_node_next(n)) {
		if (n != cmark_node_first_child(parent)) {
			/* A blank line between blocks, but tight lists. */
			if (!(cmark_node_get_type(parent) == CMARK_NODE_LIST &&
			    cmark_node_get_list_tight(parent))) {
				len = strlen(rest);
				while (len > 0 && rest[len - 1] == ' ')
					len--;
				buf_add(t->out, rest, len);
				buf_addc(t->out, '\n');
			}
			f = rest;
		}
		buf_init(&b);
		switch (cmark_node_get_type(n)) {
		case CMARK_NODE_PARAGRAPH:
			render_inlines(n, &b, 0);
			wrap(t, b.data != NULL ? b.data : "", f, rest);
			break;
		case CMARK_NODE_HEADING:
			render_inlines(n, &b, 0);
			len = ulen(b.data != NULL ? b.data : "", b.len);
			wrap(t, b.data != NULL ? b.data : "", f, rest);
			buf_adds(t->out, rest);
			for (i = 0; i < len && i < (size_t)t->width; i++)
				buf_addc(t->out, cmark_node_get_heading_level(n)
				    <= 1 ? '=' : '-');
			buf_addc(t->out, '\n');
			break;
		case CMARK_NODE_LIST:
			blocks(t, n, f, rest);
			break;
		case CMARK_NODE_ITEM:
			if (cmark_node_get_list_type(parent) ==
			    CMARK_ORDERED_LIST) {
				number = cmark_node_get_list_start(parent);
				for (cmark_node *s = cmark_node_first_child(
				    parent); s != n; s = cmark_node_next(s))
					number++;
				f2 = xasprintf("%s%d. ", f, number);
			} else
				f2 = xasprintf("%s- ", f);
			r2 = xasprintf("%s%*s", rest, (int)(strlen(f2) -
			    strlen(f)), "");
			blocks(t, n, f2, r2);
			free(f2);
			free(r2);
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			f2 = xasprintf("%s> ", f);
			r2 = xasprintf("%s> ", rest);
			blocks(t, n, f2, r2);
			free(f2);
			free(r2);
			break;
		case CMARK_NODE_CODE_BLOCK:
			lit = xstrdup(cmark_node_get_literal(n) != NULL ?
			    cmark_node_get_literal(n) : "");
			len = strlen(lit);
			if (len > 0 && lit[len - 1] == '\n')
				lit[len - 1] = '\0';
			buf_adds(t->out, f);
			for (i = 0; lit[i] != '\0'; i++) {
				buf_addc(t->out, lit[i]);
				if (lit[i] == '\n')
					buf_adds(t->out, rest);
			}
			buf_addc(t->out, '\n');
			free(lit);
			break;
		case CMARK_NODE_THEMATIC_BREAK:
			buf_printf(t->out, "%s----\n", f);
			break;
		default:
			break;
		}
		buf_free(&b);
	}
}

char *
render_text(cmark_node *doc, int width)
{
	struct buf	out;
	struct text	t;

	buf_init(&out);
	t.out = &out;
	t.width = width;
	blocks(&t, doc, "", "");
	return (buf_steal(&out));
}

char *
render_html(cmark_node *doc)
{
	char	*s, *r;

	s = cmark_render_html(doc, CMARK_OPT_DEFAULT);
	r = xstrdup(s);
	free(s);
	return (r);
}

cmark_node *
text_node(const char *s, size_t n)
{
	cmark_node	*t;
	char		*copy;

	t = cmark_node_new(CMARK_NODE_TEXT);
	copy = xstrndup(s, n);
	cmark_node_set_literal(t, copy);
	free(copy);
	return (t);
}

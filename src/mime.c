/*
 * The MIME structure of a message: its parts found by their boundaries,
 * each part's Content-Type read by libetpan's parser and its transfer
 * encoding undone by libetpan's decoders, the text parts converted to
 * UTF-8 (HTML turned into text), in the order a person reads them.
 *
 * The walk is iterative over the bytes, not over a tree built first, so
 * the limits on nesting and parts hold before any work is done: a
 * message nested thousands of levels deep costs no more than its size.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

struct walk {
	struct message	*msg;
	struct buf	*text;
	int		 parts;
};

/* The fields of a part that say how to read it. */
struct fields {
	const char	*type;		/* Content-Type value, or NULL */
	size_t		 typelen;
	const char	*cte;		/* Content-Transfer-Encoding */
	size_t		 ctelen;
	const char	*disp;		/* Content-Disposition */
	size_t		 displen;
	struct buf	 unfolded;	/* holds folded values, unfolded */
	int		 folded;	/* FOLDED_*: the values in unfolded,
					   the others in the message */
};
#define FOLDED_TYPE	0x1
#define FOLDED_CTE	0x2
#define FOLDED_DISP	0x4

static void	entity(struct walk *, const struct fields *, const char *,
		    size_t, int);

/* libetpan takes parameter names as char *. */
static char	param_charset[] = "charset";
static char	param_boundary[] = "boundary";

static void
add_text(struct walk *w, const char *s, size_t len, const char *charset,
    int html)
{
	struct buf	 t, *out = w->text;
	size_t		 i, start;
	char		*nul;

	if (out->len != 0 && out->data[out->len - 1] != '\n')
		buf_addc(out, '\n');
	start = out->len;
	if (html && charset_keeps_utf8(charset) && utf8_valid(s, len)) {
		/* Read as it is: no UTF-8 copy of the HTML first. */
		html_to_text_links(out, s, len, &w->msg->links);
		return;
	}
	if (html) {
		buf_init(&t);
		buf_reserve(&t, len + len / 4);
		out = &t;
	}
	/* Decoded, the text stays within twice the message's size (only
	 * text made of characters of three UTF-8 bytes would reach it). */
	if (charset_to_utf8_max(out, charset, s, len, 2 * w->msg->rawlen) !=
	    0)
		w->msg->flags |= MSG_CHARSET;
	if (out->len >= 2 * w->msg->rawlen)
		w->msg->flags |= MSG_TEXTCUT;
	/* NUL bytes would cut the text short later. */
	for (i = html ? 0 : start; i < out->len && (nul = memchr(out->data + i,
	    '\0', out->len - i)) != NULL; i = (size_t)(nul - out->data) + 1)
		*nul = ' ';
	if (html) {
		html_to_text_links(w->text, t.data, t.len, &w->msg->links);
		buf_free(&t);
	}
}

/*
 * Reads the header block of a part at p: the three fields that matter,
 * read where they are, or unfolded when folded.  Returns the offset of the
 * part's body.
 */
static size_t
part_fields(const char *p, size_t len, struct fields *f)
{
	const char	*end = p + len, *line = p, *next, *colon, *v, **dst;
	size_t		 n, *dstlen, start;
	int		 bit;

	memset(f, 0, sizeof *f);
	while (line < end) {
		n = line_next(line, end, &next);
		if (n == 0)
			return ((size_t)(next - p));
		dst = NULL;
		dstlen = NULL;
		bit = 0;
		colon = memchr(line, ':', n);
		if (colon != NULL && colon - line == 12 &&
		    strncasecmp(line, "Content-Type", 12) == 0) {
			dst = &f->type;
			dstlen = &f->typelen;
			bit = FOLDED_TYPE;
		} else if (colon != NULL && colon - line == 25 &&
		    strncasecmp(line, "Content-Transfer-Encoding", 25) == 0) {
			dst = &f->cte;
			dstlen = &f->ctelen;
			bit = FOLDED_CTE;
		} else if (colon != NULL && colon - line == 19 &&
		    strncasecmp(line, "Content-Disposition", 19) == 0) {
			dst = &f->disp;
			dstlen = &f->displen;
			bit = FOLDED_DISP;
		}
		if (dst == NULL) {
			line = next;
			continue;
		}
		v = colon + 1;
		if (next == end || (*next != ' ' && *next != '\t')) {
			/* One line: its value as it stands. */
			*dst = v;
			*dstlen = n - (size_t)(v - line);
			f->folded &= ~bit;
			line = next;
			continue;
		}
		/* The value and its continuation lines, unfolded. */
		start = f->unfolded.len;
		buf_add(&f->unfolded, v, n - (size_t)(v - line));
		line = next;
		while (line < end && (*line == ' ' || *line == '\t')) {
			n = line_next(line, end, &next);
			buf_add(&f->unfolded, line, n);
			line = next;
		}
		buf_addc(&f->unfolded, '\0');
		/* Offsets for now: the buffer may move. */
		*dst = (const char *)(uintptr_t)start;
		*dstlen = f->unfolded.len - 1 - start;
		f->folded |= bit;
	}
	return (len);
}

/* Turns the offsets part_fields() left for the values it unfolded into
 * pointers. */
static void
fields_resolve(struct fields *f)
{
	if (f->folded & FOLDED_TYPE)
		f->type = f->unfolded.data + (uintptr_t)f->type;
	if (f->folded & FOLDED_CTE)
		f->cte = f->unfolded.data + (uintptr_t)f->cte;
	if (f->folded & FOLDED_DISP)
		f->disp = f->unfolded.data + (uintptr_t)f->disp;
}

static int
transfer_encoding(const struct fields *f)
{
	const char	*v = f->cte;
	size_t		 n = f->ctelen;

	if (v == NULL)
		return (MAILMIME_MECHANISM_8BIT);
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	if (n >= 6 && strncasecmp(v, "base64", 6) == 0)
		return (MAILMIME_MECHANISM_BASE64);
	if (n >= 16 && strncasecmp(v, "quoted-printable", 16) == 0)
		return (MAILMIME_MECHANISM_QUOTED_PRINTABLE);
	return (MAILMIME_MECHANISM_8BIT);
}

static int
is_attachment(const struct fields *f)
{
	const char	*v = f->disp;
	size_t		 n = f->displen;

	if (v == NULL)
		return (0);
	while (n > 0 && (*v == ' ' || *v == '\t'))
		v++, n--;
	return (n >= 10 && strncasecmp(v, "attachment", 10) == 0);
}

/* A type or subtype as content_parse() keeps it: cut, lower case. */
static void
ctype_name(char *dst, const char *src, size_t len)
{
	size_t	i;

	if (len > CTYPE_MAX - 1)
		len = CTYPE_MAX - 1;
	for (i = 0; i < len; i++)
		dst[i] = (char)tolower((u_char)src[i]);
	dst[len] = '\0';
}

/* The reading of libetpan's Content-Type parser, for the values that are
 * not simple (ctype_simple()): the mapping of its types to names. */
static void
ctype_libetpan(struct ctype *c, const char *v, size_t len)
{
	struct mailmime_content	*ct = NULL;
	size_t			 idx = 0;
	const char		*t, *p;

	if (mailmime_content_parse(v, len, &idx, &ct) != MAILIMF_NO_ERROR)
		return;
	t = "";
	if (ct->ct_type != NULL) {
		if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
			switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
			case MAILMIME_DISCRETE_TYPE_TEXT:
				t = "text";
				break;
			case MAILMIME_DISCRETE_TYPE_EXTENSION:
				t = ct->ct_type->tp_data.tp_discrete_type->
				    dt_extension;
				break;
			default:
				t = "other";
				break;
			}
		} else {
			switch (ct->ct_type->tp_data.tp_composite_type->
			    ct_type) {
			case MAILMIME_COMPOSITE_TYPE_MESSAGE:
				t = "message";
				break;
			case MAILMIME_COMPOSITE_TYPE_MULTIPART:
				t = "multipart";
				break;
			default:
				t = ct->ct_type->tp_data.tp_composite_type->
				    ct_token;
				break;
			}
		}
	}
	if (t == NULL)
		t = "";
	ctype_name(c->type, t, strlen(t));
	t = ct->ct_subtype != NULL ? ct->ct_subtype : "";
	ctype_name(c->sub, t, strlen(t));
	if ((p = mailmime_content_param_get(ct, param_charset)) != NULL)
		c->charset = xstrdup(p);
	if ((p = mailmime_content_param_get(ct, param_boundary)) != NULL)
		c->boundary = xstrdup(p);
	mailmime_content_free(ct);
}

/*
 * Content-Type values by hand.  Nearly every value is made of printable
 * ASCII, spaces and tabs, with no comment and no quoted pair; on these,
 * libetpan's grammar comes down to what ctype_read() does, step for step,
 * quirks included: "message", "multipart", "text", "image", "audio",
 * "video" and "application" are matched as prefixes, a type without "/"
 * has the subtype "unknown", a tab belongs to a token, an unquoted value
 * runs to a space, '<', '>', ',', '"', ':' or ';', white space in a quoted
 * one becomes one space, and the parameters end at the first that does not
 * parse.  Any other value goes to libetpan's parser.
 */
#define CT_WSP		0x01	/* white space */
#define CT_TOKEN	0x02	/* a byte of a token (RFC 2045) */
#define CT_ATEXT	0x04	/* of an unquoted value, for libetpan */
#define CT_QTEXT	0x08	/* of a quoted string, white space aside */
#define CT_SIMPLE	0x10	/* of the values read here */
static u_char	ct_class[256];

static void
ctype_init(void)
{
	const char	*tspecials = "()<>@,;:\\\"/[]?=";
	int		 c;

	for (c = 0; c < 256; c++) {
		if (c == ' ' || c == '\t')
			ct_class[c] |= CT_WSP;
		if (c <= 0x7f && c != ' ' && (c == 0 ||
		    strchr(tspecials, c) == NULL))
			ct_class[c] |= CT_TOKEN;
		if (strchr(" \t\n\r<>,\":;", c) == NULL || c == 0)
			ct_class[c] |= CT_ATEXT;
		if (c >= 33 && c != '"' && c != '\\' && c != 127)
			ct_class[c] |= CT_QTEXT;
		if ((c == '\t' || (c >= 0x20 && c < 0x7f)) && c != '(' &&
		    c != '\\')
			ct_class[c] |= CT_SIMPLE;
	}
}

/* Printable ASCII, spaces and tabs, no '(' (a comment) nor '\' (a quoted
 * pair): the values read here. */
static int
ctype_simple(const char *v, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (!(ct_class[(u_char)v[i]] & CT_SIMPLE))
			return (0);
	return (1);
}

static size_t
ct_skip(const char *v, size_t len, size_t i, int class)
{
	while (i < len && (ct_class[(u_char)v[i]] & class))
		i++;
	return (i);
}

/* Is the type at v[i] this one (a prefix, in any case)?  Its first
 * letter first: most are not. */
static int
ct_prefix(const char *v, size_t len, size_t i, const char *name)
{
	size_t	n = strlen(name);

	return (i + n <= len && (v[i] | 0x20) == name[0] &&
	    strncasecmp(v + i, name, n) == 0);
}

/* A parameter's value at v[*i], unquoted or quoted, appended to b with a
 * NUL (b NULL: only read); 0 and *i past it, or -1. */
static int
ct_value(const char *v, size_t len, size_t *i, struct buf *b)
{
	size_t	j = *i, k;

	if ((k = ct_skip(v, len, j, CT_ATEXT)) > j) {
		if (b != NULL) {
			buf_add(b, v + j, k - j);
			buf_addc(b, '\0');
		}
		*i = k;
		return (0);
	}
	if (j >= len || v[j] != '"')
		return (-1);
	for (j++;;) {
		if ((k = ct_skip(v, len, j, CT_WSP)) > j) {
			if (b != NULL)
				buf_addc(b, ' ');
			j = k;
		}
		if ((k = ct_skip(v, len, j, CT_QTEXT)) == j)
			break;
		if (b != NULL)
			buf_add(b, v + j, k - j);
		j = k;
	}
	if (j >= len || v[j] != '"')
		return (-1);
	if (b != NULL)
		buf_addc(b, '\0');
	*i = j + 1;
	return (0);
}

void
ctype_read(struct ctype *c, const char *v, size_t len)
{
	/* libetpan tries the composite types first. */
	static const struct {
		const char	*prefix;
		const char	*name;
	} types[] = {
		{ "message", "message" }, { "multipart", "multipart" },
		{ "text", "text" }, { "image", "other" }, { "audio", "other" },
		{ "video", "other" }, { "application", "other" },
	};
	struct buf	 b;
	char		 type[CTYPE_MAX], sub[CTYPE_MAX], **dst;
	size_t		 i, j, k, n, name;

	memset(c, 0, sizeof *c);
	ctype_name(c->type, "text", 4);
	ctype_name(c->sub, "plain", 5);
	if (v == NULL)
		return;
	if (ct_class['a'] == 0)
		ctype_init();
	if (!ctype_simple(v, len)) {
		ctype_libetpan(c, v, len);
		return;
	}
	i = ct_skip(v, len, 0, CT_WSP);
	for (k = 0; k < sizeof types / sizeof types[0]; k++)
		if (ct_prefix(v, len, i, types[k].prefix))
			break;
	if (k < sizeof types / sizeof types[0]) {
		ctype_name(type, types[k].name, strlen(types[k].name));
		i += strlen(types[k].prefix);
	} else if ((n = ct_skip(v, len, i, CT_TOKEN)) > i) {
		ctype_name(type, v + i, n - i);
		i = n;
	} else
		return;			/* no type */
	j = ct_skip(v, len, i, CT_WSP);
	if (j < len && v[j] == '/') {
		j = ct_skip(v, len, j + 1, CT_WSP);
		if ((n = ct_skip(v, len, j, CT_TOKEN)) == j)
			return;		/* no subtype after the '/' */
		ctype_name(sub, v + j, n - j);
		i = n;
	} else
		ctype_name(sub, "unknown", 7);
	memcpy(c->type, type, sizeof c->type);
	memcpy(c->sub, sub, sizeof c->sub);

	/* The parameters, to the first that does not parse; the first of
	 * each name counts, written where it is kept, the others only
	 * read. */
	for (;;) {
		j = ct_skip(v, len, i, CT_WSP);
		if (j >= len || v[j] != ';')
			break;
		name = ct_skip(v, len, j + 1, CT_WSP);
		if ((k = ct_skip(v, len, name, CT_TOKEN)) == name)
			break;
		n = k - name;
		k = ct_skip(v, len, k, CT_WSP);
		if (k >= len || v[k] != '=')
			break;
		k = ct_skip(v, len, k + 1, CT_WSP);
		dst = NULL;
		if (c->charset == NULL && n == 7 &&
		    strncasecmp(v + name, "charset", 7) == 0)
			dst = &c->charset;
		else if (c->boundary == NULL && n == 8 &&
		    strncasecmp(v + name, "boundary", 8) == 0)
			dst = &c->boundary;
		buf_init(&b);
		if (ct_value(v, len, &k, dst != NULL ? &b : NULL) != 0) {
			buf_free(&b);
			break;
		}
		i = k;
		if (dst != NULL)
			*dst = buf_steal(&b);
	}
}

void
ctype_clear(struct ctype *c)
{
	free(c->charset);
	free(c->boundary);
	c->charset = c->boundary = NULL;
}

/* Is the part's type this one ("text/plain", or a prefix "multipart/")?
 * A look at the value, for choosing among alternatives. */
static int
type_is(const struct fields *f, const char *want)
{
	const char	*v = f->type;
	size_t		 n = strlen(want), len = f->typelen;

	if (v == NULL)
		return (strcmp(want, "text/plain") == 0);
	while (len > 0 && (*v == ' ' || *v == '\t'))
		v++, len--;
	return (len >= n && strncasecmp(v, want, n) == 0 && (len == n ||
	    want[n - 1] == '/' || v[n] == ';' || v[n] == ' ' || v[n] == '\t'));
}

/*
 * The value of a parameter of a field's value ("name", "filename": a key
 * in lower case), in its RFC 2231 form too (name*=UTF-8''x.html: the part
 * after the language), into out; 0 when the field has none.
 */
static int
param_find(const char *v, size_t len, const char *key, char *out,
    size_t size)
{
	const char	*p = v, *end = v + len, *q;
	size_t		 n = strlen(key), i = 0;

	for (; p + n < end; p++) {
		if (tolower((u_char)*p) != key[0] || strncasecmp(p, key, n) !=
		    0 || (p > v && p[-1] != ';' && p[-1] != ' ' &&
		    p[-1] != '\t'))
			continue;
		q = p + n;
		while (q < end && (*q == '*' || isdigit((u_char)*q)))
			q++;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		if (q == end || *q != '=')
			continue;
		for (q++; q < end && (*q == ' ' || *q == '\t' || *q == '"');
		    q++)
			;
		while (q < end && *q != '"' && *q != ';' && i + 1 < size) {
			if (*q == '\'')
				i = 0;		/* charset'language'value */
			else
				out[i++] = *q;
			q++;
		}
		out[i] = '\0';
		return (i > 0);
	}
	return (0);
}

/* Does the name end with the extension of a page a browser opens? */
static int
page_name(const char *name)
{
	static const char	*ext[] = { ".htm", ".html", ".shtml", ".xhtml",
	    ".svg" };
	size_t			 n = strlen(name), i, k;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	for (i = 0; i < sizeof ext / sizeof ext[0]; i++) {
		k = strlen(ext[i]);
		if (n > k && strncasecmp(name + n - k, ext[i], k) == 0)
			return (1);
	}
	return (0);
}

/* A page sent as a file: a text/html attachment, or a part named as a
 * page.  Opened, it runs in a browser with the message's trust. */
static int
page_file(const struct fields *f, const char *type, const char *sub)
{
	char	name[256];

	if (strcmp(type, "text") == 0 && strcmp(sub, "html") == 0 &&
	    is_attachment(f))
		return (1);
	if (f->type != NULL && param_find(f->type, f->typelen, "name", name,
	    sizeof name) && page_name(name))
		return (1);
	return (f->disp != NULL && param_find(f->disp, f->displen,
	    "filename", name, sizeof name) && page_name(name));
}

/*
 * Transfer encodings undone as libetpan's decoder undoes them, byte for
 * byte.  Base64: every byte out of its alphabet is skipped, '=' included,
 * and the last group gives one byte at least.  Quoted-printable: every
 * line end becomes CR LF, a CR at the very end goes, "=" and a line end is
 * a soft break, a digit that is not hexadecimal reads as 0, an '=' at the
 * very end stays, and "=" and a CR at the very end stop the reading.
 */
static void
base64_decode(struct buf *out, const char *s, size_t len)
{
	const signed char	*b64_value = base64_values();
	u_char			 g[4] = { 0, 0, 0, 0 }, *o;
	size_t			 i, n = 0;
	int			 v;

	buf_reserve(out, len / 4 * 3 + 3);
	o = (u_char *)out->data + out->len;
	for (i = 0; i < len; i++) {
		if ((v = b64_value[(u_char)s[i]]) < 0)
			continue;
		g[n++] = (u_char)v;
		if (n < 4)
			continue;
		*o++ = (u_char)(g[0] << 2 | g[1] >> 4);
		*o++ = (u_char)(g[1] << 4 | g[2] >> 2);
		*o++ = (u_char)(g[2] << 6 | g[3]);
		n = 0;
		memset(g, 0, sizeof g);
	}
	if (n > 0)
		*o++ = (u_char)(g[0] << 2 | g[1] >> 4);
	if (n >= 3)
		*o++ = (u_char)(g[1] << 4 | g[2] >> 2);
	out->len = (size_t)((char *)o - out->data);
	out->data[out->len] = '\0';
}

/* A quoted-printable digit: not hexadecimal, it reads as 0. */
static int
qp_digit(u_char c)
{
	int	v = hex_value(c);

	return (v < 0 ? 0 : v);
}

/* The bytes that end a run of plain quoted-printable: '=', CR, LF. */
static const u_char	qp_stop[256] = { ['='] = 1, ['\r'] = 1, ['\n'] = 1 };

/* Quoted-printable that does not end in an escape cut short.  Runs of
 * plain bytes are copied whole; a step writes two bytes at most after a
 * run, and room is made for them with it. */
static void
qp_decode(struct buf *out, const char *s, size_t len)
{
	size_t	i = 0, j;
	char	*o;

	buf_reserve(out, len + 2);
	o = out->data + out->len;
	while (i < len) {
		for (j = i; j < len && !qp_stop[(u_char)s[j]]; j++)
			;
		if (out->size - (size_t)(o - out->data) < j - i + 3) {
			out->len = (size_t)(o - out->data);
			buf_reserve(out, len - i + 2);
			o = out->data + out->len;
		}
		memcpy(o, s + i, j - i);
		o += j - i;
		if ((i = j) == len)
			break;
		if (s[i] == '\n' || s[i] == '\r') {
			if (s[i] == '\r' && i + 1 == len)
				break;
			*o++ = '\r';
			*o++ = '\n';
			i += s[i] == '\r' && s[i + 1] == '\n' ? 2 : 1;
		} else if (i + 1 == len) {
			*o++ = '=';
			i++;
		} else if (s[i + 1] == '\n')
			i += 2;
		else if (s[i + 1] == '\r') {
			if (i + 2 == len)
				break;
			i += s[i + 2] == '\n' ? 3 : 2;
		} else {
			*o++ = (char)(qp_digit((u_char)s[i + 1]) << 4 |
			    qp_digit((u_char)s[i + 2]));
			i += 3;
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* An escape cut short at the end of a part: "=" and one byte. */
static int
cut_escape(const char *body, size_t len)
{
	return (len >= 2 && body[len - 2] == '=' && body[len - 1] != '\r' &&
	    body[len - 1] != '\n');
}

void
mime_decode(struct buf *out, int mechanism, const char *body, size_t len)
{
	char	*dec;
	size_t	 idx = 0, declen;

	/* Room for the bytes decoded at once: none of the decodings gives
	 * more than len + 2 (libetpan's reading aside). */
	buf_reserve(out, len + 2);
	if (mechanism == MAILMIME_MECHANISM_BASE64) {
		base64_decode(out, body, len);
		return;
	}
	if (mechanism != MAILMIME_MECHANISM_QUOTED_PRINTABLE) {
		buf_add(out, body, len);
		return;
	}
	/* libetpan's decoder reads past the end of a part that ends in an
	 * escape cut short ("=4"): the escape, which says nothing, goes. */
	if (cut_escape(body, len))
		len -= 2;
	/* Cut short again ("=A=4"), libetpan's reading of it (it reads the
	 * '=' dropped) is kept as it is. */
	if (cut_escape(body, len)) {
		if (mailmime_part_parse(body, len, &idx, mechanism, &dec,
		    &declen) == MAILIMF_NO_ERROR) {
			buf_add(out, dec, declen);
			mailmime_decoded_part_free(dec);
		}
		return;
	}
	qp_decode(out, body, len);
}

/* A single part: text is read, the rest counted as attachments. */
static void
leaf(struct walk *w, const struct fields *f, const struct ctype *c,
    const char *body, size_t len)
{
	struct buf	 dec;
	int		 enc, html;

	if (strcmp(c->type, "text") == 0 && strcmp(c->sub, "calendar") == 0)
		w->msg->flags |= MSG_CALENDAR;
	if (page_file(f, c->type, c->sub))
		w->msg->flags |= MSG_PAGEFILE;
	if (is_attachment(f) || strcmp(c->type, "text") != 0) {
		w->msg->nattach++;
		return;
	}
	html = strcmp(c->sub, "html") == 0;
	if (!html && strcmp(c->sub, "plain") != 0 && *c->sub != '\0')
		return;
	enc = transfer_encoding(f);
	if (enc == MAILMIME_MECHANISM_8BIT)
		add_text(w, body, len, c->charset, html);
	else {
		buf_init(&dec);
		mime_decode(&dec, enc, body, len);
		add_text(w, dec.data, dec.len, c->charset, html);
		buf_free(&dec);
	}
	if (html)
		w->msg->flags |= MSG_HTMLONLY;
}

/* The next delimiter line "--boundary" at or after p in a body that starts
 * at start; NULL if none.  Sets *close for the closing "--boundary--". */
static const char *
delimiter(const char *start, const char *p, const char *end, const char *b,
    size_t blen, int *close)
{
	const char	*d, *after;

	while (p < end && (d = memmem(p, (size_t)(end - p), b, blen)) != NULL) {
		after = d + blen;
		/* "--" first, at the start of a line; the boundary whole. */
		if (d - 2 >= start && d[-1] == '-' && d[-2] == '-' &&
		    (d - 2 == start || d[-3] == '\n') && (after == end ||
		    *after == '\r' || *after == '\n' || *after == ' ' ||
		    *after == '\t' || *after == '-')) {
			*close = after + 1 < end && after[0] == '-' &&
			    after[1] == '-';
			return (d - 2);
		}
		p = d + 1;
	}
	return (NULL);
}

/* A part of a multipart body: where it starts, its length, its fields. */
struct part {
	const char	*start;
	size_t		 len;
	struct fields	 f;
};

/* The parts of a multipart body, each as (start, length), at most
 * MSG_MAX_PARTS; the array is allocated when there is a part. */
static size_t
split_parts(const char *body, size_t len, const char *boundary,
    struct part **partsp)
{
	const char	*p = body, *end = body + len, *d, *next, *eol, *pend;
	struct part	*parts = NULL;
	size_t		 blen = strlen(boundary), n = 0, size = 0;
	int		 close = 0;

	if ((d = delimiter(body, p, end, boundary, blen, &close)) == NULL)
		return (0);
	while (!close && n < MSG_MAX_PARTS) {
		if (n == size) {
			size = size == 0 ? 4 : size * 2;
			parts = xreallocarray(parts, size, sizeof *parts);
		}
		/* The part starts on the line after the delimiter. */
		eol = memchr(d, '\n', (size_t)(end - d));
		if (eol == NULL)
			break;
		p = eol + 1;
		next = delimiter(body, p, end, boundary, blen, &close);
		pend = next != NULL ? next : end;
		/* The CRLF before a delimiter belongs to it. */
		if (next != NULL && pend > p && pend[-1] == '\n')
			pend--;
		if (next != NULL && pend > p && pend[-1] == '\r')
			pend--;
		parts[n].start = p;
		parts[n++].len = (size_t)(pend - p);
		if (next == NULL)
			break;
		d = next;
	}
	if (n == 0) {
		/* A delimiter that ends the body: no part after all. */
		free(parts);
		return (0);
	}
	*partsp = parts;
	return (n);
}

static void
multipart(struct walk *w, const char *sub, const char *boundary,
    const char *body, size_t len, int depth)
{
	struct part	*pt;
	size_t		 n, i, off, pick, plain = SIZE_MAX, rich = SIZE_MAX;

	if (strcmp(sub, "report") == 0)
		w->msg->flags |= MSG_REPORT;
	n = boundary != NULL && *boundary != '\0' ? split_parts(body, len,
	    boundary, &pt) : 0;
	if (n == 0) {
		/* No part where the boundary says: the body is read as text,
		 * so that the question is not lost. */
		if (len > 0)
			add_text(w, body, len, NULL, 0);
		return;
	}
	for (i = 0; i < n; i++) {
		off = part_fields(pt[i].start, pt[i].len, &pt[i].f);
		fields_resolve(&pt[i].f);
		pt[i].start += off;
		pt[i].len -= off;
	}
	if (strcmp(sub, "alternative") == 0) {
		/* The plain text if there is some, else the last rich part. */
		for (i = 0; i < n; i++) {
			if (type_is(&pt[i].f, "text/calendar"))
				w->msg->flags |= MSG_CALENDAR;
			if (type_is(&pt[i].f, "text/plain") && pt[i].len > 0 &&
			    plain == SIZE_MAX)
				plain = i;
			if (type_is(&pt[i].f, "multipart/") ||
			    type_is(&pt[i].f, "text/html"))
				rich = i;
		}
		pick = plain != SIZE_MAX ? plain : rich != SIZE_MAX ? rich : 0;
		entity(w, &pt[pick].f, pt[pick].start, pt[pick].len,
		    depth + 1);
	} else {
		for (i = 0; i < n; i++)
			entity(w, &pt[i].f, pt[i].start, pt[i].len, depth + 1);
	}
	if (n == MSG_MAX_PARTS)
		w->msg->flags |= MSG_TOODEEP;
	for (i = 0; i < n; i++)
		buf_free(&pt[i].f.unfolded);
	free(pt);
}

/* One MIME entity: its fields and its body. */
static void
entity(struct walk *w, const struct fields *f, const char *body,
    size_t len, int depth)
{
	struct ctype	 c;
	struct fields	 inner;
	size_t		 off;

	if (depth > MSG_MAX_DEPTH || ++w->parts > MSG_MAX_PARTS) {
		w->msg->flags |= MSG_TOODEEP;
		return;
	}
	ctype_read(&c, f->type, f->typelen);
	if (strcmp(c.type, "multipart") == 0)
		multipart(w, c.sub, c.boundary, body, len, depth);
	else if (strcmp(c.type, "message") == 0 && strcmp(c.sub, "rfc822") ==
	    0 && !is_attachment(f) && transfer_encoding(f) ==
	    MAILMIME_MECHANISM_8BIT) {
		/* A message inside: read as a forward. */
		if (w->text->len != 0)
			buf_addc(w->text, '\n');
		buf_adds(w->text, "---------- Forwarded message ----------\n");
		off = part_fields(body, len, &inner);
		fields_resolve(&inner);
		entity(w, &inner, body + off, len - off, depth + 1);
		buf_free(&inner.unfolded);
	} else if (strcmp(c.type, "message") == 0)
		w->msg->nattach++;
	else
		leaf(w, f, &c, body, len);
	ctype_clear(&c);
}

void
mime_read(struct message *msg, const char *body, size_t len,
    struct buf *text)
{
	struct walk	 w;
	struct fields	 f;
	const char	*v;

	memset(&w, 0, sizeof w);
	w.msg = msg;
	w.text = text;
	memset(&f, 0, sizeof f);
	if ((v = message_header(msg, "Content-Type")) != NULL) {
		f.type = v;
		f.typelen = strlen(v);
	}
	if ((v = message_header(msg, "Content-Transfer-Encoding")) != NULL) {
		f.cte = v;
		f.ctelen = strlen(v);
	}
	if ((v = message_header(msg, "Content-Disposition")) != NULL) {
		f.disp = v;
		f.displen = strlen(v);
	}
	entity(&w, &f, body, len, 0);
	msg->nparts = w.parts;
}

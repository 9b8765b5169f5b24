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
};

static void	entity(struct walk *, const struct fields *, const char *,
		    size_t, int);

/* A type or a subtype, as read. */
#define TYPE_MAX	64

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
 * unfolded when folded.  Returns the offset of the part's body.
 */
static size_t
part_fields(const char *p, size_t len, struct fields *f)
{
	const char	*end = p + len, *line = p, *next, *colon, *v, **dst;
	size_t		 n, *dstlen, start;

	memset(f, 0, sizeof *f);
	while (line < end) {
		n = line_next(line, end, &next);
		if (n == 0)
			return ((size_t)(next - p));
		dst = NULL;
		dstlen = NULL;
		colon = memchr(line, ':', n);
		if (colon != NULL && colon - line == 12 &&
		    strncasecmp(line, "Content-Type", 12) == 0) {
			dst = &f->type;
			dstlen = &f->typelen;
		} else if (colon != NULL && colon - line == 25 &&
		    strncasecmp(line, "Content-Transfer-Encoding", 25) == 0) {
			dst = &f->cte;
			dstlen = &f->ctelen;
		} else if (colon != NULL && colon - line == 19 &&
		    strncasecmp(line, "Content-Disposition", 19) == 0) {
			dst = &f->disp;
			dstlen = &f->displen;
		}
		if (dst == NULL) {
			line = next;
			continue;
		}
		/* The value and its continuation lines, unfolded. */
		start = f->unfolded.len;
		v = colon + 1;
		buf_add(&f->unfolded, v, n - (size_t)(v - line));
		line = next;
		while (line < end && (*line == ' ' || *line == '\t')) {
			n = line_next(line, end, &next);
			buf_add(&f->unfolded, line, n);
			line = next;
		}
		buf_addc(&f->unfolded, '\0');
		/* Offsets for now: the buffer may move. */
		*dst = (const char *)(uintptr_t)(start + 1);
		*dstlen = f->unfolded.len - 1 - start;
	}
	return (len);
}

/* Turns the offsets part_fields() left into pointers. */
static void
fields_resolve(struct fields *f)
{
	if (f->type != NULL)
		f->type = f->unfolded.data + (uintptr_t)f->type - 1;
	if (f->cte != NULL)
		f->cte = f->unfolded.data + (uintptr_t)f->cte - 1;
	if (f->disp != NULL)
		f->disp = f->unfolded.data + (uintptr_t)f->disp - 1;
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

/* The type and subtype, lower case, and the content for its parameters
 * (libetpan's Content-Type parser), or NULL when there is none or it does
 * not parse: the part is then text/plain. */
static struct mailmime_content *
content_parse(const struct fields *f, char *type, size_t tsize, char *sub,
    size_t ssize)
{
	struct mailmime_content	*ct = NULL;
	size_t			 idx = 0;
	const char		*t;

	snprintf(type, tsize, "text");
	snprintf(sub, ssize, "plain");
	if (f->type == NULL || mailmime_content_parse(f->type, f->typelen,
	    &idx, &ct) != MAILIMF_NO_ERROR)
		return (NULL);
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
	snprintf(type, tsize, "%s", t != NULL ? t : "");
	snprintf(sub, ssize, "%s", ct->ct_subtype != NULL ? ct->ct_subtype :
	    "");
	for (t = type; *t != '\0'; t++)
		*(char *)t = (char)tolower((u_char)*t);
	for (t = sub; *t != '\0'; t++)
		*(char *)t = (char)tolower((u_char)*t);
	return (ct);
}

/*
 * The Content-Type values of the last single parts read, each with what
 * content_parse() made of it: the same few values ("text/plain;
 * charset=utf-8") come back part after part and message after message, and
 * libetpan's parser costs more than the rest of a part's reading.  The
 * same bytes give the same reading.  The contents belong to the cache,
 * which keeps CT_CACHE values of CT_VALUE_MAX bytes at most.
 *
 * Only single parts are kept: the content of a multipart or a message is
 * read while the parts inside it are, whose values could push it out.
 */
#define CT_CACHE	16
#define CT_VALUE_MAX	256
static struct {
	char			 value[CT_VALUE_MAX];
	size_t			 len;		/* 0: an empty slot */
	struct mailmime_content	*ct;		/* NULL: it did not parse */
	char			 type[TYPE_MAX];
	char			 sub[TYPE_MAX];
} ct_cache[CT_CACHE];
static size_t	ct_next;		/* the slot to fill next */

/* As content_parse(), type and sub of TYPE_MAX bytes; *owned says whether
 * the content is the caller's to free, or the cache's. */
static struct mailmime_content *
content_type(const struct fields *f, char *type, char *sub, int *owned)
{
	struct mailmime_content	*ct;
	size_t			 i;

	*owned = 1;
	if (f->type == NULL || f->typelen == 0 || f->typelen > CT_VALUE_MAX)
		return (content_parse(f, type, TYPE_MAX, sub, TYPE_MAX));
	for (i = 0; i < CT_CACHE; i++) {
		if (ct_cache[i].len != f->typelen ||
		    memcmp(ct_cache[i].value, f->type, f->typelen) != 0)
			continue;
		memcpy(type, ct_cache[i].type, TYPE_MAX);
		memcpy(sub, ct_cache[i].sub, TYPE_MAX);
		*owned = 0;
		return (ct_cache[i].ct);
	}
	ct = content_parse(f, type, TYPE_MAX, sub, TYPE_MAX);
	if (strcmp(type, "multipart") == 0 || strcmp(type, "message") == 0)
		return (ct);
	i = ct_next;
	ct_next = (ct_next + 1) % CT_CACHE;
	if (ct_cache[i].ct != NULL)
		mailmime_content_free(ct_cache[i].ct);
	memcpy(ct_cache[i].value, f->type, f->typelen);
	ct_cache[i].len = f->typelen;
	ct_cache[i].ct = ct;
	memcpy(ct_cache[i].type, type, TYPE_MAX);
	memcpy(ct_cache[i].sub, sub, TYPE_MAX);
	*owned = 0;
	return (ct);
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
 * The value of a parameter of a field's value ("name", "filename"), in
 * its RFC 2231 form too (name*=UTF-8''x.html: the part after the
 * language), into out; 0 when the field has none.
 */
static int
param_find(const char *v, size_t len, const char *key, char *out,
    size_t size)
{
	const char	*p = v, *end = v + len, *q;
	size_t		 n = strlen(key), i = 0;

	for (; p + n < end; p++) {
		if (strncasecmp(p, key, n) != 0 || (p > v && p[-1] != ';' &&
		    p[-1] != ' ' && p[-1] != '\t'))
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

/* A single part: text is read, the rest counted as attachments. */
static void
leaf(struct walk *w, const struct fields *f, struct mailmime_content *ct,
    const char *type, const char *sub, const char *body, size_t len)
{
	const char	*charset = NULL;
	char		*dec;
	size_t		 idx = 0, declen;
	int		 enc, html;

	if (strcmp(type, "text") == 0 && strcmp(sub, "calendar") == 0)
		w->msg->flags |= MSG_CALENDAR;
	if (page_file(f, type, sub))
		w->msg->flags |= MSG_PAGEFILE;
	if (is_attachment(f) || strcmp(type, "text") != 0) {
		w->msg->nattach++;
		return;
	}
	html = strcmp(sub, "html") == 0;
	if (!html && strcmp(sub, "plain") != 0 && *sub != '\0')
		return;
	if (ct != NULL)
		charset = mailmime_content_param_get(ct, param_charset);
	enc = transfer_encoding(f);
	/* libetpan's decoder reads past the end of a part that ends in an
	 * escape cut short ("=4"): the escape, which says nothing, goes. */
	if (enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE && len >= 2 &&
	    body[len - 2] == '=' && body[len - 1] != '\r' &&
	    body[len - 1] != '\n')
		len -= 2;
	if (enc == MAILMIME_MECHANISM_8BIT)
		add_text(w, body, len, charset, html);
	else if (mailmime_part_parse(body, len, &idx, enc, &dec, &declen) ==
	    MAILIMF_NO_ERROR) {
		add_text(w, dec, declen, charset, html);
		mailmime_decoded_part_free(dec);
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

/* The parts of a multipart body, each as (start, length), at most
 * MSG_MAX_PARTS; the arrays are allocated when there is a part. */
static size_t
split_parts(const char *body, size_t len, const char *boundary,
    const char ***startsp, size_t **lensp)
{
	const char	*p = body, *end = body + len, *d, *next, *eol, *pend;
	const char	**starts = NULL;
	size_t		 blen = strlen(boundary), n = 0, size = 0, *lens = NULL;
	int		 close = 0;

	if ((d = delimiter(body, p, end, boundary, blen, &close)) == NULL)
		return (0);
	while (!close && n < MSG_MAX_PARTS) {
		if (n == size) {
			size = size == 0 ? 4 : size * 2;
			starts = xreallocarray(starts, size, sizeof *starts);
			lens = xreallocarray(lens, size, sizeof *lens);
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
		starts[n] = p;
		lens[n++] = (size_t)(pend - p);
		if (next == NULL)
			break;
		d = next;
	}
	if (n == 0) {
		/* A delimiter that ends the body: no part after all. */
		free(starts);
		free(lens);
		return (0);
	}
	*startsp = starts;
	*lensp = lens;
	return (n);
}

static void
multipart(struct walk *w, const char *sub, struct mailmime_content *ct,
    const char *body, size_t len, int depth)
{
	const char		*boundary, **starts;
	size_t			*lens, n, i, off, pick, plain = SIZE_MAX,
				 rich = SIZE_MAX;
	struct fields		*pf;

	boundary = ct != NULL ? mailmime_content_param_get(ct,
	    param_boundary) : NULL;
	if (strcmp(sub, "report") == 0)
		w->msg->flags |= MSG_REPORT;
	n = boundary != NULL && *boundary != '\0' ? split_parts(body, len,
	    boundary, &starts, &lens) : 0;
	if (n == 0) {
		/* No part where the boundary says: the body is read as text,
		 * so that the question is not lost. */
		if (len > 0)
			add_text(w, body, len, NULL, 0);
		return;
	}
	pf = xcalloc(n, sizeof *pf);
	for (i = 0; i < n; i++) {
		off = part_fields(starts[i], lens[i], &pf[i]);
		fields_resolve(&pf[i]);
		starts[i] += off;
		lens[i] -= off;
	}
	if (strcmp(sub, "alternative") == 0) {
		/* The plain text if there is some, else the last rich part. */
		for (i = 0; i < n; i++) {
			if (type_is(&pf[i], "text/calendar"))
				w->msg->flags |= MSG_CALENDAR;
			if (type_is(&pf[i], "text/plain") && lens[i] > 0 &&
			    plain == SIZE_MAX)
				plain = i;
			if (type_is(&pf[i], "multipart/") ||
			    type_is(&pf[i], "text/html"))
				rich = i;
		}
		pick = plain != SIZE_MAX ? plain : rich != SIZE_MAX ? rich : 0;
		entity(w, &pf[pick], starts[pick], lens[pick], depth + 1);
	} else {
		for (i = 0; i < n; i++)
			entity(w, &pf[i], starts[i], lens[i], depth + 1);
	}
	if (n == MSG_MAX_PARTS)
		w->msg->flags |= MSG_TOODEEP;
	for (i = 0; i < n; i++)
		buf_free(&pf[i].unfolded);
	free(pf);
	free(starts);
	free(lens);
}

/* One MIME entity: its fields and its body. */
static void
entity(struct walk *w, const struct fields *f, const char *body,
    size_t len, int depth)
{
	struct mailmime_content	*ct;
	struct fields		 inner;
	char			 type[TYPE_MAX], sub[TYPE_MAX];
	size_t			 off;
	int			 owned;

	if (depth > MSG_MAX_DEPTH || ++w->parts > MSG_MAX_PARTS) {
		w->msg->flags |= MSG_TOODEEP;
		return;
	}
	ct = content_type(f, type, sub, &owned);
	if (strcmp(type, "multipart") == 0)
		multipart(w, sub, ct, body, len, depth);
	else if (strcmp(type, "message") == 0 && strcmp(sub, "rfc822") == 0 &&
	    !is_attachment(f) && transfer_encoding(f) ==
	    MAILMIME_MECHANISM_8BIT) {
		/* A message inside: read as a forward. */
		if (w->text->len != 0)
			buf_addc(w->text, '\n');
		buf_adds(w->text, "---------- Forwarded message ----------\n");
		off = part_fields(body, len, &inner);
		fields_resolve(&inner);
		entity(w, &inner, body + off, len - off, depth + 1);
		buf_free(&inner.unfolded);
	} else if (strcmp(type, "message") == 0)
		w->msg->nattach++;
	else
		leaf(w, f, ct, type, sub, body, len);
	if (ct != NULL && owned)
		mailmime_content_free(ct);
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

/*
 * Reading a raw RFC 5322 message: the header block (kept raw for the
 * screening rules, decoded for the fields the responder uses), then the
 * MIME tree through libetpan, each text part decoded to UTF-8, HTML turned
 * into text, and the sender's own words set apart from what he quotes.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

#define MSG_MAX_HEADERS	1000

struct walk {
	struct message	*msg;
	struct buf	*text;
	int		 parts;
};

static void	walk_mime(struct walk *, struct mailmime *, int depth);

const char *
message_header(const struct message *msg, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i < msg->nhdrs; i++)
		if (msg->hdrs[i].namelen == n &&
		    strcasecmp(msg->hdrs[i].name, name) == 0)
			return (msg->hdrs[i].value);
	return (NULL);
}

const char *
address_domain(const char *addr)
{
	const char	*at;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return ("");
	return (at + 1);
}

void
address_free(struct address *a)
{
	free(a->name);
	free(a->addr);
	a->name = a->addr = NULL;
}

/* Characters an address may hold: no space, control, quote or bracket. */
static int
address_char(u_char c)
{
	return (c >= 0x80 || isalnum(c) || strchr("!#$%&'*+-/=?^_`{|}~.@", c)
	    != NULL);
}

int
address_parse(const char *value, struct address *a)
{
	const char	*lt, *gt, *p, *start, *end;
	char		*addr, *name, *q;
	size_t		 i, ats = 0;

	a->name = a->addr = NULL;
	if (value == NULL)
		return (-1);
	lt = strrchr(value, '<');
	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		start = lt + 1;
		end = gt;
		/* The display name: before '<', quotes removed. */
		p = value;
		while (*p == ' ' || *p == '\t')
			p++;
		name = xstrndup(p, (size_t)(lt - p));
		for (i = strlen(name); i > 0 && (name[i - 1] == ' ' ||
		    name[i - 1] == '\t'); i--)
			name[i - 1] = '\0';
		if (name[0] == '"' && i >= 2 && name[i - 1] == '"') {
			memmove(name, name + 1, i - 2);
			name[i - 2] = '\0';
		}
		if (*name != '\0')
			a->name = header_decode(name, strlen(name));
		free(name);
	} else {
		start = value;
		while (*start == ' ' || *start == '\t')
			start++;
		for (end = start; *end != '\0' && *end != ' ' && *end != '\t' &&
		    *end != '('; end++)
			;
	}
	addr = xstrndup(start, (size_t)(end - start));
	for (i = 0; addr[i] != '\0'; i++) {
		if (!address_char((u_char)addr[i]))
			break;
		if (addr[i] == '@')
			ats++;
	}
	if (addr[i] != '\0' || ats != 1 || addr[0] == '@' ||
	    addr[i - 1] == '@') {
		free(addr);
		return (-1);
	}
	for (q = strchr(addr, '@'); *q != '\0'; q++)
		*q = (char)tolower((u_char)*q);
	a->addr = addr;
	return (0);
}

/* Splits the header block into unfolded fields; returns the body offset.
 * Names and values go, NUL-terminated, into one block of memory. */
static size_t
parse_headers(struct message *msg)
{
	const char	*p = msg->raw, *end = msg->raw + msg->rawlen, *eol,
			*colon, *next;
	struct buf	 data;
	size_t		 n, size = 0, i, vstart, *offs = NULL;

	buf_init(&data);
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n == 0) {		/* the blank line */
			p = eol < end ? eol + 1 : end;
			break;
		}
		colon = memchr(p, ':', n);
		if (colon == NULL || colon == p || p[0] == ' ' ||
		    p[0] == '\t' || memchr(p, ' ', (size_t)(colon - p))) {
			/* Not a header: the body starts here (no blank line). */
			if (msg->nhdrs == 0 && (p[0] == ' ' || p[0] == '\t')) {
				p = eol < end ? eol + 1 : end;
				continue;
			}
			break;
		}
		next = eol < end ? eol + 1 : end;
		if (msg->nhdrs == MSG_MAX_HEADERS) {
			while (next < end && (*next == ' ' || *next == '\t')) {
				eol = memchr(next, '\n', (size_t)(end - next));
				next = eol != NULL ? eol + 1 : end;
			}
			p = next;
			continue;
		}
		if (msg->nhdrs == size) {
			size = size == 0 ? 32 : size * 2;
			offs = xreallocarray(offs, size, 2 * sizeof *offs);
		}
		offs[2 * msg->nhdrs] = data.len;
		buf_add(&data, p, (size_t)(colon - p));
		buf_addc(&data, '\0');
		vstart = data.len;
		offs[2 * msg->nhdrs + 1] = vstart;
		buf_add(&data, colon + 1, n - (size_t)(colon + 1 - p));
		/* Continuation lines. */
		while (next < end && (*next == ' ' || *next == '\t')) {
			eol = memchr(next, '\n', (size_t)(end - next));
			if (eol == NULL)
				eol = end;
			n = (size_t)(eol - next);
			if (n > 0 && next[n - 1] == '\r')
				n--;
			buf_add(&data, next, n);
			next = eol < end ? eol + 1 : end;
		}
		/* Trimmed, and cut at a NUL byte. */
		n = vstart;
		while (n < data.len && (data.data[n] == ' ' ||
		    data.data[n] == '\t'))
			n++;
		memmove(data.data + vstart, data.data + n, data.len - n);
		data.len -= n - vstart;
		data.len = vstart + strnlen(data.data + vstart, data.len - vstart);
		while (data.len > vstart && (data.data[data.len - 1] == ' ' ||
		    data.data[data.len - 1] == '\t'))
			data.len--;
		buf_addc(&data, '\0');
		msg->nhdrs++;
		p = next;
	}
	msg->hdrdata = buf_steal(&data);
	msg->hdrs = xcalloc(msg->nhdrs, sizeof *msg->hdrs);
	for (i = 0; i < msg->nhdrs; i++) {
		msg->hdrs[i].name = msg->hdrdata + offs[2 * i];
		msg->hdrs[i].value = msg->hdrdata + offs[2 * i + 1];
		msg->hdrs[i].namelen = strlen(msg->hdrs[i].name);
	}
	free(offs);
	return ((size_t)(p - msg->raw));
}

/* A message id "<left@right>" with nothing a header could be bent by. */
static char *
message_id(const char *value)
{
	const char	*lt, *gt, *p;

	if (value == NULL || (lt = strchr(value, '<')) == NULL ||
	    (gt = strchr(lt, '>')) == NULL || gt - lt < 4)
		return (NULL);
	for (p = lt + 1; p < gt; p++)
		if ((u_char)*p <= ' ' || (u_char)*p >= 0x7f || *p == '<')
			return (NULL);
	if (memchr(lt, '@', (size_t)(gt - lt)) == NULL)
		return (NULL);
	return (xstrndup(lt, (size_t)(gt - lt + 1)));
}

/* The ids of References (or In-Reply-To), each checked, space separated. */
static char *
references(const char *value)
{
	struct buf	 b;
	const char	*p = value;
	char		*id;

	buf_init(&b);
	while (p != NULL && (p = strchr(p, '<')) != NULL) {
		if ((id = message_id(p)) != NULL) {
			if (b.len != 0)
				buf_addc(&b, ' ');
			buf_adds(&b, id);
			p += strlen(id);
			free(id);
		} else
			p++;
	}
	if (b.len == 0) {
		buf_free(&b);
		return (NULL);
	}
	return (buf_steal(&b));
}

static void
add_text(struct walk *w, const char *s, size_t len, const char *charset,
    int html)
{
	struct buf	 t;
	size_t		 i;

	buf_init(&t);
	if (charset_to_utf8(&t, charset, s, len) != 0)
		w->msg->flags |= MSG_CHARSET;
	/* NUL bytes would cut the text short later. */
	for (i = 0; i < t.len; i++)
		if (t.data[i] == '\0')
			t.data[i] = ' ';
	if (w->text->len != 0 && w->text->data[w->text->len - 1] != '\n')
		buf_addc(w->text, '\n');
	if (html)
		html_to_text(w->text, t.data, t.len);
	else
		buf_add(w->text, t.data, t.len);
	buf_free(&t);
}

static void
walk_single(struct walk *w, struct mailmime *mime)
{
	struct mailmime_single_fields	 sf;
	struct mailmime_content		*ct = mime->mm_content_type;
	struct mailmime_data		*data;
	const char			*type, *sub;
	char				*dec;
	size_t				 idx = 0, declen;
	int				 enc, html;

	memset(&sf, 0, sizeof sf);
	mailmime_single_fields_init(&sf, mime->mm_mime_fields, ct);
	type = "text";
	sub = "plain";
	if (ct != NULL && ct->ct_type != NULL) {
		if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
			switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
			case MAILMIME_DISCRETE_TYPE_TEXT:
				type = "text";
				break;
			default:
				type = "other";
				break;
			}
		} else
			type = "other";
		sub = ct->ct_subtype != NULL ? ct->ct_subtype : "";
	}
	if (strcmp(type, "text") == 0 && strcasecmp(sub, "calendar") == 0)
		w->msg->flags |= MSG_CALENDAR;
	if (sf.fld_disposition != NULL &&
	    sf.fld_disposition->dsp_type != NULL &&
	    sf.fld_disposition->dsp_type->dsp_type ==
	    MAILMIME_DISPOSITION_TYPE_ATTACHMENT) {
		w->msg->nattach++;
		return;
	}
	if (strcmp(type, "text") != 0) {
		w->msg->nattach++;
		return;
	}
	html = strcasecmp(sub, "html") == 0;
	if (!html && strcasecmp(sub, "plain") != 0 && strcasecmp(sub, "") != 0)
		return;
	data = mime->mm_data.mm_single;
	if (data == NULL || data->dt_type != MAILMIME_DATA_TEXT)
		return;
	enc = data->dt_encoding;
	if (!data->dt_encoded)
		enc = MAILMIME_MECHANISM_8BIT;
	if (enc == MAILMIME_MECHANISM_BASE64 ||
	    enc == MAILMIME_MECHANISM_QUOTED_PRINTABLE) {
		if (mailmime_part_parse(data->dt_data.dt_text.dt_data,
		    data->dt_data.dt_text.dt_length, &idx, enc, &dec,
		    &declen) != MAILIMF_NO_ERROR)
			return;
		add_text(w, dec, declen, sf.fld_content_charset, html);
		mailmime_decoded_part_free(dec);
	} else
		add_text(w, data->dt_data.dt_text.dt_data,
		    data->dt_data.dt_text.dt_length, sf.fld_content_charset,
		    html);
	if (html)
		w->msg->flags |= MSG_HTMLONLY;
}

/* In multipart/alternative, the plain text part if there is one. */
static struct mailmime *
alternative_pick(struct mailmime *mime)
{
	clistiter		*it;
	struct mailmime		*sub, *best = NULL;
	struct mailmime_content	*ct;

	for (it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
	    it != NULL; it = clist_next(it)) {
		sub = clist_content(it);
		ct = sub->mm_content_type;
		if (sub->mm_type == MAILMIME_SINGLE && (ct == NULL ||
		    (ct->ct_type != NULL && ct->ct_type->tp_type ==
		    MAILMIME_TYPE_DISCRETE_TYPE &&
		    ct->ct_type->tp_data.tp_discrete_type->dt_type ==
		    MAILMIME_DISCRETE_TYPE_TEXT && ct->ct_subtype != NULL &&
		    strcasecmp(ct->ct_subtype, "plain") == 0))) {
			if (sub->mm_data.mm_single != NULL &&
			    sub->mm_data.mm_single->dt_data.dt_text.dt_length >
			    0)
				return (sub);
		}
		if (best == NULL)
			best = sub;
		else if (sub->mm_type == MAILMIME_MULTIPLE ||
		    (ct != NULL && ct->ct_subtype != NULL &&
		    strcasecmp(ct->ct_subtype, "html") == 0))
			best = sub;
	}
	return (best);
}

static void
walk_mime(struct walk *w, struct mailmime *mime, int depth)
{
	clistiter		*it;
	struct mailmime_content	*ct = mime->mm_content_type;
	const char		*sub;
	struct mailmime		*pick;

	if (depth > MSG_MAX_DEPTH || ++w->parts > MSG_MAX_PARTS) {
		w->msg->flags |= MSG_TOODEEP;
		return;
	}
	switch (mime->mm_type) {
	case MAILMIME_SINGLE:
		walk_single(w, mime);
		break;
	case MAILMIME_MULTIPLE:
		sub = ct != NULL && ct->ct_subtype != NULL ? ct->ct_subtype :
		    "mixed";
		if (strcasecmp(sub, "report") == 0)
			w->msg->flags |= MSG_REPORT;
		if (strcasecmp(sub, "alternative") == 0) {
			if ((pick = alternative_pick(mime)) != NULL)
				walk_mime(w, pick, depth + 1);
			/* An invitation hides in an alternative. */
			for (it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
			    it != NULL; it = clist_next(it)) {
				pick = clist_content(it);
				ct = pick->mm_content_type;
				if (ct != NULL && ct->ct_subtype != NULL &&
				    strcasecmp(ct->ct_subtype, "calendar") == 0)
					w->msg->flags |= MSG_CALENDAR;
			}
			break;
		}
		for (it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			walk_mime(w, clist_content(it), depth + 1);
		break;
	case MAILMIME_MESSAGE:
		if (depth > 0) {
			/* An attached message: read as a forward. */
			if (w->text->len != 0)
				buf_addc(w->text, '\n');
			buf_adds(w->text, "---------- Forwarded message "
			    "----------\n");
		}
		if (mime->mm_data.mm_message.mm_msg_mime != NULL)
			walk_mime(w, mime->mm_data.mm_message.mm_msg_mime,
			    depth + 1);
		break;
	}
}

/*
 * How deep multiparts could nest, counted before libetpan is asked: its
 * parser is quadratic in the depth and fails on very deep messages.
 */
static int
too_complex(const char *raw, size_t len)
{
	const char	*p = raw, *end = raw + len;
	size_t		 n = 0;

	while (p < end && (p = memchr(p, ':', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 10 && strncasecmp(p, "multipart/", 10) == 0 &&
		    ++n > MSG_MAX_DEPTH * 2)
			return (1);
	}
	return (0);
}

/* The MIME fields of the header block and the body, for libetpan. */
static struct buf
mime_input(const struct message *msg, const char *raw, size_t len,
    size_t body)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < msg->nhdrs; i++) {
		/* Only what the structure needs: libetpan decodes the
		 * other Content-* fields, at a cost. */
		if (strcasecmp(msg->hdrs[i].name, "Content-Type") == 0 ||
		    strcasecmp(msg->hdrs[i].name,
		    "Content-Transfer-Encoding") == 0 ||
		    strcasecmp(msg->hdrs[i].name, "Content-Disposition") == 0) {
			buf_adds(&b, msg->hdrs[i].name);
			buf_add(&b, ": ", 2);
			buf_adds(&b, msg->hdrs[i].value);
			buf_add(&b, "\r\n", 2);
		}
	}
	buf_add(&b, "\r\n", 2);
	buf_add(&b, raw + body, len - body);
	return (b);
}

int
message_parse(const char *raw, size_t len, struct message **msgp,
    char **cause)
{
	struct message	*msg;
	struct mailmime	*mime = NULL;
	struct walk	 w;
	struct buf	 text, own, fwd, mimebuf;
	const char	*v, *lt, *gt;
	size_t		 idx = 0, body;

	*msgp = NULL;
	if (len == 0) {
		*cause = xstrdup("empty message");
		return (-1);
	}
	msg = xcalloc(1, sizeof *msg);
	msg->raw = raw;
	msg->rawlen = len;
	body = parse_headers(msg);
	if (msg->nhdrs == 0) {
		message_free(msg);
		*cause = xstrdup("no header fields: not a mail message");
		return (-1);
	}

	v = message_header(msg, "Subject");
	msg->subject = v != NULL ? header_decode(v, strlen(v)) : xstrdup("");
	address_parse(message_header(msg, "From"), &msg->from);
	address_parse(message_header(msg, "Reply-To"), &msg->reply_to);
	if ((v = message_header(msg, "Return-Path")) != NULL) {
		if ((lt = strchr(v, '<')) != NULL &&
		    (gt = strchr(lt, '>')) != NULL) {
			struct address ra;

			if (gt == lt + 1)
				msg->return_path = xstrdup("");
			else if (address_parse(v, &ra) == 0) {
				msg->return_path = ra.addr;
				free(ra.name);
			}
		}
	}
	msg->message_id = message_id(message_header(msg, "Message-ID"));
	v = message_header(msg, "References");
	if (v == NULL)
		v = message_header(msg, "In-Reply-To");
	msg->references = references(v);
	if ((v = message_header(msg, "Date")) != NULL)
		msg->date = header_decode(v, strlen(v));

	buf_init(&text);
	memset(&w, 0, sizeof w);
	w.msg = msg;
	w.text = &text;
	if (too_complex(raw, len))
		msg->flags |= MSG_TOODEEP;
	else {
		/* libetpan reads the MIME structure from the MIME fields and
		 * the body alone: the other header fields were read above,
		 * and parsing them again costs more than the body. */
		mimebuf = mime_input(msg, raw, len, body);
		if (mailmime_parse(mimebuf.data, mimebuf.len, &idx, &mime) ==
		    MAILIMF_NO_ERROR) {
			walk_mime(&w, mime, 0);
			mailmime_free(mime);
		}
		buf_free(&mimebuf);
	}
	if (text.len == 0)
		msg->flags |= MSG_NOTEXT;
	if (mojibake_repair(&text) != 0)
		msg->flags |= MSG_MOJIBAKE;
	buf_init(&own);
	buf_init(&fwd);
	text_own(&own, &fwd, text.data != NULL ? text.data : "", text.len);
	if (fwd.len != 0)
		msg->flags |= MSG_FORWARD;
	msg->fwdlen = fwd.len;
	msg->fwd = buf_steal(&fwd);
	msg->textlen = text.len;
	msg->text = buf_steal(&text);
	msg->ownlen = own.len;
	msg->own = buf_steal(&own);
	*msgp = msg;
	return (0);
}

void
message_free(struct message *msg)
{
	if (msg == NULL)
		return;
	free(msg->hdrs);
	free(msg->hdrdata);
	free(msg->subject);
	address_free(&msg->from);
	address_free(&msg->reply_to);
	free(msg->return_path);
	free(msg->message_id);
	free(msg->references);
	free(msg->date);
	free(msg->text);
	free(msg->own);
	free(msg->fwd);
	free(msg);
}

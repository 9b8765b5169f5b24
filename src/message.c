/*
 * Reading a raw RFC 5322 message: the header block (kept raw for the
 * screening rules, decoded for the fields the responder uses), then the
 * text of its body (mime.c), and the sender's own words set apart from
 * what he quotes (text.c).
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

#define MSG_MAX_HEADERS	1000


const char *
message_header(const struct message *msg, const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i < msg->nhdrs; i++)
		if (msg->hdrs[i].namelen == n &&
		    (msg->hdrs[i].name[0] | 0x20) == (name[0] | 0x20) &&
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
		free(a->name);
		a->name = NULL;
		return (-1);
	}
	for (q = strchr(addr, '@'); *q != '\0'; q++)
		*q = (char)tolower((u_char)*q);
	a->addr = addr;
	return (0);
}

/* Splits the header block into unfolded fields; returns the body offset.
 * Names and values go, NUL-terminated, into one block of memory. */
size_t
line_next(const char *p, const char *end, const char **next)
{
	const char	*eol;
	size_t		 n;

	if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
		eol = end;
	*next = eol < end ? eol + 1 : end;
	n = (size_t)(eol - p);
	if (n > 0 && p[n - 1] == '\r')
		n--;
	return (n);
}

static size_t
parse_headers(struct message *msg)
{
	const char	*p = msg->raw, *end = msg->raw + msg->rawlen, *colon,
			*next;
	struct buf	 data;
	size_t		 n, size = 0, i, vstart, *offs = NULL;

	buf_init(&data);
	while (p < end) {
		n = line_next(p, end, &next);
		if (n == 0) {		/* the blank line */
			p = next;
			break;
		}
		colon = memchr(p, ':', n);
		if (colon == NULL || colon == p || p[0] == ' ' ||
		    p[0] == '\t' || memchr(p, ' ', (size_t)(colon - p))) {
			/* Not a header: the body starts here (no blank line). */
			if (msg->nhdrs == 0 && (p[0] == ' ' || p[0] == '\t')) {
				p = next;
				continue;
			}
			break;
		}
		if (msg->nhdrs == MSG_MAX_HEADERS) {
			while (next < end && (*next == ' ' || *next == '\t'))
				line_next(next, end, &next);
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
			p = next;
			n = line_next(p, end, &next);
			buf_add(&data, p, n);
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

int
message_parse(const char *raw, size_t len, struct message **msgp,
    char **cause)
{
	struct message	*msg;
	struct buf	 text, own, fwd;
	const char	*v, *lt, *gt;
	size_t		 body;

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
		msg->date = xstrdup(v);

	buf_init(&text);
	buf_reserve(&text, len + len / 2);
	mime_read(msg, raw + body, len - body, &text);
	if (text.len == 0)
		msg->flags |= MSG_NOTEXT;
	if (mojibake_repair(&text) != 0)
		msg->flags |= MSG_MOJIBAKE;
	buf_init(&own);
	buf_init(&fwd);
	buf_reserve(&own, text.len);
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

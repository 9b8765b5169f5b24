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
#define MSG_MAX_VALUE	262144	/* bytes of a field's value kept */


/* A quick test of a header's name: its length and its first and last
 * bytes, ASCII letters in either case alike. */
static uint32_t
name_key(const char *name, size_t n)
{
	if (n == 0)
		return (0);
	return ((uint32_t)(n & 0xffff) << 16 |
	    (uint32_t)((u_char)name[0] | 0x20) << 8 |
	    (uint32_t)((u_char)name[n - 1] | 0x20));
}

/* The bucket of hdrfirst of a key: its bits mixed, so that the names
 * that end with the same letter ("Received", "Message-ID") part. */
static size_t
name_bucket(uint32_t key)
{
	return ((key * 0x9e3779b1U) >> 27 & (MSG_HDR_BUCKETS - 1));
}

const char *
message_header_len(const struct message *msg, const char *name, size_t n)
{
	size_t		i;
	uint32_t	key = name_key(name, n);

	for (i = msg->hdrfirst[name_bucket(key)]; i-- > 0;
	    i = msg->hdrs[i].next)
		if (msg->hdrs[i].key == key && msg->hdrs[i].namelen == n &&
		    strcasecmp(msg->hdrs[i].name, name) == 0)
			return (msg->hdrs[i].value);
	return (NULL);
}

const struct header *
message_field(const struct message *msg, const char *name,
    const struct header *after)
{
	size_t		i, n = strlen(name);
	uint32_t	key = name_key(name, n);

	/* The fields of a bucket are chained in order. */
	i = after != NULL ? after->next : msg->hdrfirst[name_bucket(key)];
	for (; i-- > 0; i = msg->hdrs[i].next)
		if (msg->hdrs[i].key == key && msg->hdrs[i].namelen == n &&
		    strcasecmp(msg->hdrs[i].name, name) == 0)
			return (&msg->hdrs[i]);
	return (NULL);
}

/* The line at p: its length without CR LF, *next the line after it.
 * Inline, for the loop over the lines of the header fields. */
static inline size_t
line_at(const char *p, const char *end, const char **next)
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

size_t
line_next(const char *p, const char *end, const char **next)
{
	return (line_at(p, end, next));
}

/* Room for n bytes more at *w in b, and a NUL; *w moves with b's data. */
static void
room(struct buf *b, char **w, size_t n)
{
	size_t	len = (size_t)(*w - b->data);

	if (b->size - len < n + 1) {
		b->len = len;
		buf_reserve(b, n);
		*w = b->data + len;
	}
}

/* Appends a piece of a field's value at *w: the pieces joined are cut at
 * MSG_MAX_VALUE bytes (*seen counts them), and the white space that starts
 * the value is left out (*lead while only white space was seen). */
static inline void
add_value(struct buf *b, char **w, size_t *seen, int *lead, const char *p,
    size_t n)
{
	if (n > MSG_MAX_VALUE - *seen)
		n = MSG_MAX_VALUE - *seen;
	*seen += n;
	if (*lead) {
		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (n == 0)
			return;
		*lead = 0;
	}
	room(b, w, n);
	memcpy(*w, p, n);
	*w += n;
}

#define HDR_ROOM	16384
#define HDR_STACK	32	/* fields whose offsets the stack holds */

/*
 * Splits the header block into unfolded fields, their values trimmed and
 * cut at a NUL byte; returns the body offset.  Names and values go,
 * NUL-terminated, into one block of memory, written in place.  A field's
 * name is read to its ':' (a space or the line's end first: no field),
 * then its lines are found once each.  Most messages hold no NUL byte: one
 * look at the whole message says which fields need one looked for.
 */
/*
 * The end of a field's name at p: its ':', or a space or the line's end
 * first.  Eight bytes at a time: a byte equal to one of them is a zero
 * byte of the eight xored with it eight times, and the first such byte
 * (the lowest, little-endian) is told exactly.
 */
#define NAME8(c)	((uint64_t)(c) * 0x0101010101010101ULL)
#define NAME_ZERO(x)	(((x) - NAME8(1)) & ~(x) & NAME8(0x80))
static const char *
name_end(const char *p, const char *end)
{
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_BIG_ENDIAN__
	uint64_t	v, z;

	for (; end - p >= 8; p += 8) {
		memcpy(&v, p, 8);
		z = NAME_ZERO(v ^ NAME8(':')) | NAME_ZERO(v ^ NAME8(' ')) |
		    NAME_ZERO(v ^ NAME8('\n'));
		if (z != 0)
			return (p + (__builtin_ctzll(z) >> 3));
	}
#endif
	while (p < end && *p != ':' && *p != ' ' && *p != '\n')
		p++;
	return (p);
}

static size_t
parse_headers(struct message *msg)
{
	const char	*p = msg->raw, *end = msg->raw + msg->rawlen, *q,
			*next, *le, *firstnul, *nul;
	struct buf	 data;
	size_t		 stack[3 * HDR_STACK], *offs = stack, size = HDR_STACK,
			 i, b, seen, at;
	char		*w, *vstart;
	int		 lead;

	if ((firstnul = memchr(p, '\0', msg->rawlen)) == NULL)
		firstnul = end;
	/* Room for most header blocks at once, grown past HDR_ROOM only for
	 * the largest: a field takes no more room than its lines. */
	buf_init(&data);
	buf_reserve(&data, msg->rawlen < HDR_ROOM ? msg->rawlen + 1 : HDR_ROOM);
	w = data.data;
	while (p < end) {
		if (*p == '\n' || (*p == '\r' && (p + 1 == end ||
		    p[1] == '\n'))) {
			/* The blank line. */
			p += *p == '\r' && p + 1 < end ? 2 : 1;
			break;
		}
		q = name_end(p, end);
		if (q == end || *q != ':' || q == p || *p == '\t') {
			/* Not a header: the body starts here (no blank line). */
			if (msg->nhdrs == 0 && (*p == ' ' || *p == '\t')) {
				line_next(p, end, &p);
				continue;
			}
			break;
		}
		le = q + line_at(q, end, &next);
		if (msg->nhdrs == MSG_MAX_HEADERS) {
			while (next < end && (*next == ' ' || *next == '\t'))
				line_next(next, end, &next);
			p = next;
			continue;
		}
		if (msg->nhdrs == size) {
			size *= 2;
			offs = xreallocarray(offs == stack ? NULL : offs, size,
			    3 * sizeof *offs);
			if (size == 2 * HDR_STACK)
				memcpy(offs, stack, sizeof stack);
		}
		room(&data, &w, (size_t)(q - p) + 1);
		offs[3 * msg->nhdrs] = (size_t)(w - data.data);
		offs[3 * msg->nhdrs + 2] = firstnul < q ?
		    strnlen(p, (size_t)(q - p)) : (size_t)(q - p);
		memcpy(w, p, (size_t)(q - p));
		w += q - p;
		*w++ = '\0';
		offs[3 * msg->nhdrs + 1] = (size_t)(w - data.data);
		vstart = w;
		seen = 0;
		lead = 1;
		add_value(&data, &w, &seen, &lead, q + 1, (size_t)(le - q - 1));
		/* Continuation lines. */
		while (next < end && (*next == ' ' || *next == '\t')) {
			p = next;
			le = p + line_at(p, end, &next);
			add_value(&data, &w, &seen, &lead, p, (size_t)(le - p));
		}
		vstart = data.data + offs[3 * msg->nhdrs + 1];
		if (firstnul < next && (nul = memchr(vstart, '\0',
		    (size_t)(w - vstart))) != NULL)
			w = (char *)nul;
		while (w > vstart && (w[-1] == ' ' || w[-1] == '\t'))
			w--;
		*w++ = '\0';
		msg->nhdrs++;
		p = next;
	}
	/* The array of the fields after their names and values, in the
	 * same block. */
	data.len = (size_t)(w - data.data);
	at = (data.len + _Alignof(struct header) - 1) &
	    ~(_Alignof(struct header) - 1);
	buf_reserve(&data, at - data.len + msg->nhdrs * sizeof *msg->hdrs);
	msg->hdrdata = buf_steal(&data);
	msg->hdrs = (struct header *)(void *)(msg->hdrdata + at);
	/* The buckets hold their headers in order: built from the last. */
	for (i = msg->nhdrs; i-- > 0;) {
		msg->hdrs[i].name = msg->hdrdata + offs[3 * i];
		msg->hdrs[i].value = msg->hdrdata + offs[3 * i + 1];
		msg->hdrs[i].namelen = offs[3 * i + 2];
		msg->hdrs[i].key = name_key(msg->hdrs[i].name,
		    msg->hdrs[i].namelen);
		b = name_bucket(msg->hdrs[i].key);
		msg->hdrs[i].next = msg->hdrfirst[b];
		msg->hdrfirst[b] = (unsigned short)(i + 1);
	}
	if (offs != stack)
		free(offs);
	return ((size_t)(p - msg->raw));
}

/* Are the eight bytes at p, all before end, printable ASCII but for '<'
 * (the byte tests add a constant to all eight at once: with their high
 * bits apart, no carry crosses from a byte to the next)?  Returns 1 when
 * one is not, or when fewer than eight are left. */
static int
id_bad8(const char *p, const char *end)
{
	uint64_t	v, v7, ok;

	if (end - p < 8)
		return (1);
	memcpy(&v, p, 8);
	v7 = v & ~NAME8(0x80);
	/* 0x21 to 0x7e: v7 + 0x5f has its high bit, v7 + 1 has not. */
	ok = (v7 + NAME8(0x5f)) & ~(v7 + NAME8(0x01)) & ~v & NAME8(0x80);
	return (ok != NAME8(0x80) || NAME_ZERO(v ^ NAME8('<')) != 0);
}

/* A message id "<left@right>" with nothing a header could be bent by. */
static char *
message_id(const char *value)
{
	const char	*lt, *gt, *p;

	if (value == NULL || (lt = strchr(value, '<')) == NULL ||
	    (gt = strchr(lt, '>')) == NULL || gt - lt < 4)
		return (NULL);
	for (p = lt + 1; p < gt && !id_bad8(p, gt); p += 8)
		;
	for (; p < gt; p++)
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

/* The envelope sender: one address, or "" for the null sender <>. */
static void
return_path(struct message *msg, const char *v)
{
	struct address	 ra;
	const char	*p = v;

	p += strspn(p, " \t");
	if (*p == '<') {
		p += 1 + strspn(p + 1, " \t");
		if (*p == '>' && p[1 + strspn(p + 1, " \t")] == '\0') {
			msg->return_path = xstrdup("");
			return;
		}
	}
	if (address_parse(v, &ra) == 0) {
		msg->return_path = ra.addr;
		ra.addr = NULL;
	}
	msg->return_path_flags = ra.flags | (ra.n > 1 ? ADDR_BAD : 0);
	address_free(&ra);
}

/* The forwarded words of the messages that forward none, not allocated
 * for each (read only, as fwd is). */
static char	no_fwd[] = "";

int
message_parse(const char *raw, size_t len, struct message **msgp,
    char **cause)
{
	struct message	*msg;
	struct buf	 text, fwd;
	const char	*v;
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
	address_parse(message_header(msg, "Sender"), &msg->sender);
	if ((v = message_header(msg, "Return-Path")) != NULL)
		return_path(msg, v);
	msg->message_id = message_id(message_header(msg, "Message-ID"));
	v = message_header(msg, "References");
	if (v == NULL)
		v = message_header(msg, "In-Reply-To");
	msg->references = references(v);
	msg->date = message_header(msg, "Date");

	buf_init(&text);
	buf_reserve(&text, len + len / 2);
	mime_read(msg, raw + body, len - body, &text);
	if (text.len == 0)
		msg->flags |= MSG_NOTEXT;
	if (mojibake_repair(&text) != 0)
		msg->flags |= MSG_MOJIBAKE;
	/* The own words are written over the text: no second copy. */
	msg->textlen = text.len;
	buf_init(&fwd);
	if (text_own_inplace(&text, &fwd) & TEXT_ANSWER)
		msg->flags |= MSG_ANSWER;
	if (fwd.len != 0)
		msg->flags |= MSG_FORWARD;
	msg->fwdlen = fwd.len;
	if (fwd.len != 0)
		msg->fwd = buf_steal(&fwd);
	else {
		buf_free(&fwd);
		msg->fwd = no_fwd;
	}
	msg->ownlen = text.len;
	msg->own = xreallocarray(buf_steal(&text), 1, msg->ownlen + 1);
	*msgp = msg;
	return (0);
}

void
message_free(struct message *msg)
{
	if (msg == NULL)
		return;
	free(msg->hdrdata);		/* and the array hdrs */
	free(msg->subject);
	address_free(&msg->from);
	address_free(&msg->reply_to);
	address_free(&msg->sender);
	free(msg->return_path);
	free(msg->message_id);
	free(msg->references);
	free(msg->own);
	if (msg->fwd != no_fwd)
		free(msg->fwd);
	links_free(&msg->links);
	free(msg);
}

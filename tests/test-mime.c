/*
 * The MIME reader's own parts against libetpan, whose reading they
 * replace: Content-Type values (type, subtype, charset, boundary) and
 * transfer encodings undone, on tricky values and on many made of random
 * pieces, with the same result each time.
 */

#include <ctype.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"
#include "tap.h"

static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static size_t
pick(size_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return ((size_t)(rng % n));
}

/* What libetpan's parser makes of a value, named as mime.c names it. */
static void
reference(struct ctype *c, const char *v, size_t len)
{
	struct mailmime_content	*ct = NULL;
	size_t			 idx = 0, i;
	const char		*t = "";
	char			*p, charset[] = "charset", boundary[] = "boundary";

	memset(c, 0, sizeof *c);
	snprintf(c->type, sizeof c->type, "text");
	snprintf(c->sub, sizeof c->sub, "plain");
	if (v == NULL || mailmime_content_parse(v, len, &idx, &ct) !=
	    MAILIMF_NO_ERROR)
		return;
	if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE) {
		switch (ct->ct_type->tp_data.tp_discrete_type->dt_type) {
		case MAILMIME_DISCRETE_TYPE_TEXT:
			t = "text";
			break;
		case MAILMIME_DISCRETE_TYPE_EXTENSION:
			t = ct->ct_type->tp_data.tp_discrete_type->dt_extension;
			break;
		default:
			t = "other";
			break;
		}
	} else if (ct->ct_type->tp_data.tp_composite_type->ct_type ==
	    MAILMIME_COMPOSITE_TYPE_MESSAGE)
		t = "message";
	else
		t = "multipart";
	snprintf(c->type, sizeof c->type, "%s", t);
	snprintf(c->sub, sizeof c->sub, "%s", ct->ct_subtype);
	for (i = 0; c->type[i] != '\0'; i++)
		c->type[i] = (char)tolower((unsigned char)c->type[i]);
	for (i = 0; c->sub[i] != '\0'; i++)
		c->sub[i] = (char)tolower((unsigned char)c->sub[i]);
	if ((p = mailmime_content_param_get(ct, charset)) != NULL)
		c->charset = xstrdup(p);
	if ((p = mailmime_content_param_get(ct, boundary)) != NULL)
		c->boundary = xstrdup(p);
	mailmime_content_free(ct);
}

static int
same_str(const char *a, const char *b)
{
	return ((a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0));
}

/* 1 when ctype_read() reads v as libetpan does; says how it differs. */
static int
same_ctype(const char *v, size_t len)
{
	struct ctype	got, want;
	int		same;

	ctype_read(&got, v, len);
	reference(&want, v, len);
	same = strcmp(got.type, want.type) == 0 && strcmp(got.sub,
	    want.sub) == 0 && same_str(got.charset, want.charset) &&
	    same_str(got.boundary, want.boundary);
	if (!same) {
		tap_show("value", v);
		printf("#   got %s/%s charset %s boundary %s\n", got.type,
		    got.sub, got.charset ? got.charset : "-",
		    got.boundary ? got.boundary : "-");
		printf("#   libetpan %s/%s charset %s boundary %s\n", want.type,
		    want.sub, want.charset ? want.charset : "-",
		    want.boundary ? want.boundary : "-");
	}
	ctype_clear(&got);
	ctype_clear(&want);
	return (same);
}

/* libetpan's decoding of a part, once a last escape cut short is dropped
 * (as mime_decode() documents it). */
static void
decode_reference(struct buf *out, int mechanism, const char *s, size_t len)
{
	char	*dec;
	size_t	 idx = 0, declen;

	if (mechanism == MAILMIME_MECHANISM_QUOTED_PRINTABLE && len >= 2 &&
	    s[len - 2] == '=' && s[len - 1] != '\r' && s[len - 1] != '\n')
		len -= 2;
	buf_reserve(out, 0);
	if (mailmime_part_parse(s, len, &idx, mechanism, &dec, &declen) ==
	    MAILIMF_NO_ERROR) {
		buf_add(out, dec, declen);
		mailmime_decoded_part_free(dec);
	}
}

static int
same_decoding(int mechanism, const char *s, size_t len)
{
	struct buf	got, want;
	int		same;

	buf_init(&got);
	buf_init(&want);
	mime_decode(&got, mechanism, s, len);
	decode_reference(&want, mechanism, s, len);
	same = got.len == want.len && memcmp(got.data, want.data, got.len) ==
	    0;
	if (!same) {
		printf("#   input of %zu bytes:", len);
		for (size_t i = 0; i < len; i++)
			printf(" %02x", (unsigned char)s[i]);
		printf("\n#   %zu bytes, libetpan %zu\n", got.len, want.len);
	}
	buf_free(&got);
	buf_free(&want);
	return (same);
}

#define PICK(list)	(list)[pick(sizeof (list) / sizeof (list)[0])]

/* A piece of a made-up value, or now and then a random one instead. */
static void
piece(struct buf *b, const char *want, const char **pieces, size_t n)
{
	buf_adds(b, pick(10) == 0 ? pieces[pick(n)] : want);
}

/* A value shaped as a Content-Type value: type, subtype, parameters, with
 * white space here and there and random pieces put in. */
static void
made_up(struct buf *b, const char **pieces, size_t npieces)
{
	static const char	*ws[] = { "", "", "", " ", "\t", "  ", " \t" };
	static const char	*types[] = { "text", "Text", "multipart",
	    "MESSAGE", "image", "application", "x-y", "textual", "" };
	static const char	*subs[] = { "plain", "html", "mixed",
	    "alternative", "rfc822", "Calendar", "x.y+z", "" };
	static const char	*names[] = { "charset", "CharSet", "boundary",
	    "Boundary", "name", "format", "charsets", "boundary*", "" };
	static const char	*chars[] = { "a", "Z", "0", "-", "_", ".", "=",
	    "?", "/", " ", "\t", "'", "<", ",", ";", ":", ")", "@", "[",
	    "+", "%" };
	size_t			 k, n, j, m;

	piece(b, PICK(ws), pieces, npieces);
	piece(b, PICK(types), pieces, npieces);
	piece(b, PICK(ws), pieces, npieces);
	piece(b, "/", pieces, npieces);
	piece(b, PICK(ws), pieces, npieces);
	piece(b, PICK(subs), pieces, npieces);
	for (k = 0, n = pick(4); k < n; k++) {
		piece(b, PICK(ws), pieces, npieces);
		piece(b, ";", pieces, npieces);
		piece(b, PICK(ws), pieces, npieces);
		piece(b, PICK(names), pieces, npieces);
		piece(b, PICK(ws), pieces, npieces);
		piece(b, "=", pieces, npieces);
		piece(b, PICK(ws), pieces, npieces);
		j = pick(2);
		if (j)
			piece(b, "\"", pieces, npieces);
		for (m = pick(6); m > 0; m--)
			piece(b, PICK(chars), pieces, npieces);
		if (j)
			piece(b, "\"", pieces, npieces);
	}
	piece(b, PICK(ws), pieces, npieces);
}

int
main(void)
{
	static const char	*values[] = {
		"text/plain; charset=utf-8",
		"text/plain; charset=\"iso-8859-1\"; format=flowed",
		"TEXT/HTML;CHARSET=UTF-8",
		"multipart/alternative;\tboundary=\"=_b1 x\"",
		"multipart/mixed; boundary=----=_Part_1.2; charset=us-ascii",
		"  text / plain ; charset = utf-8 ",
		"text/plain\t; charset=utf-8",
		"text/plain; charset\t=utf-8",
		"text", "texts/plain", "textile", "multipartx/y", "message",
		"image/png; name=\"a b.png\"", "application/pdf",
		"x-custom/Thing; Charset=latin1; charset=utf-8",
		"text/; charset=utf-8", "/plain", "", " ", ";",
		"text/plain;", "text/plain; ; charset=utf-8",
		"text/plain; charset=", "text/plain; charset=\"utf-8",
		"text/plain; charset=\"a  \t b \"", "text/plain; =x; charset=y",
		"text/plain; charset=utf-8\"x\"; boundary=z",
		"text/plain; charset=<x>", "text/plain; boundary=a,b",
		"text/plain; charset=a;boundary=b;charset=c",
		"multipart/mixed; boundary=\"\"",
		"text/plain; charset=utf-8 (a comment)",
		"text/plain (a comment); charset=utf-8",
		"(c) text/plain", "text/plain; charset=\"a\\\"b\"",
		"text/plain; charset=\xc3\xa9t\xc3\xa9",
		"text/plain; charset=\"utf-8\r\n\"",
		"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"
		    "nopqrstuvwxyz/abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu"
		    "vwxyzabcdefghijklmnopqrstuvwxyz",
	};
	static const char	*pieces[] = {
		"text", "TEXT", "Text", "multipart", "message", "image",
		"audio", "video", "application", "x-foo", "texts", "/", "/",
		"plain", "html", "mixed", "alternative", ";", ";", " ", " ",
		"\t", "charset", "boundary", "Charset", "BOUNDARY", "=", "=",
		"\"", "\"", "utf-8", "iso-8859-1", "a", "b c", "<", ">", ",",
		":", "@", "?", "[", "]", ")", ".", "-", "_", "*", "'", "%",
		"{", "}", "~", "|", "!", "#", "0", "9",
	};
	static const char	 qp_bytes[] = "==\r\n\r\nAf3G9 x_\0\xe9+/";
	static const char	 b64_bytes[] = "AZaz09+/==\r\n -\x80";
	struct ctype		 c;
	struct buf		 b;
	char			 s[64];
	const char		*v;
	size_t			 i, k, n, len, bad;
	int			 mechanisms[] = { MAILMIME_MECHANISM_QUOTED_PRINTABLE,
	    MAILMIME_MECHANISM_BASE64 };

	ctype_read(&c, NULL, 0);
	OK(strcmp(c.type, "text") == 0 && strcmp(c.sub, "plain") == 0 &&
	    c.charset == NULL && c.boundary == NULL,
	    "no Content-Type is text/plain, no parameter");
	v = "multipart/Mixed; boundary=\"a  b\"; charset=x";
	ctype_read(&c, v, strlen(v));
	OK(strcmp(c.type, "multipart") == 0 && strcmp(c.sub, "mixed") == 0 &&
	    same_str(c.boundary, "a b") && same_str(c.charset, "x"),
	    "a multipart's boundary, white space in quotes made one space");
	ctype_clear(&c);
	ctype_read(&c, "texte/plain", strlen("texte/plain"));
	OK(strcmp(c.type, "text") == 0 && strcmp(c.sub, "unknown") == 0,
	    "a type read as a prefix, as libetpan does (\"texte\": text,"
	    " no '/' after it)");
	ctype_clear(&c);

	for (i = 0, bad = 0; i < sizeof values / sizeof values[0]; i++)
		bad += !same_ctype(values[i], strlen(values[i]));
	INT_EQ((int)bad, 0, "%zu tricky Content-Type values read as libetpan"
	    " reads them", sizeof values / sizeof values[0]);

	buf_init(&b);
	for (i = 0, bad = 0; i < 20000; i++) {
		buf_reset(&b);
		if (i % 2 == 0) {
			for (k = 0, n = 1 + pick(12); k < n; k++)
				buf_adds(&b, PICK(pieces));
		} else
			made_up(&b, pieces, sizeof pieces / sizeof pieces[0]);
		bad += !same_ctype(b.data, b.len);
	}
	buf_free(&b);
	INT_EQ((int)bad, 0, "20,000 values of random pieces, or shaped as"
	    " values are with pieces put in, read as libetpan reads them");

	/* Transfer encodings. */
	buf_init(&b);
	v = "caf=C3=A9 =\r\nau lait\r\nx=4";
	mime_decode(&b, MAILMIME_MECHANISM_QUOTED_PRINTABLE, v, strlen(v));
	STR_EQ(b.data, "café au lait\r\nx", "quoted-printable: escapes, a soft"
	    " break, a last escape cut short dropped");
	buf_reset(&b);
	v = "Y2Fm\r\nw6kh";
	mime_decode(&b, MAILMIME_MECHANISM_BASE64, v, strlen(v));
	STR_EQ(b.data, "café!", "base64: line ends skipped");
	buf_free(&b);
	for (k = 0; k < 2; k++) {
		for (i = 0, bad = 0; i < 20000; i++) {
			len = pick(sizeof s);
			for (n = 0; n < len; n++)
				s[n] = k == 0 ? qp_bytes[pick(sizeof qp_bytes -
				    1)] : b64_bytes[pick(sizeof b64_bytes - 1)];
			bad += !same_decoding(mechanisms[k], s, len);
		}
		INT_EQ((int)bad, 0, "20,000 random %s bodies decoded as"
		    " libetpan decodes them", k == 0 ? "quoted-printable" :
		    "base64");
	}
	for (i = 0, bad = 0; i < 2000; i++) {
		/* A long body, runs of plain text between escapes. */
		buf_init(&b);
		for (n = 0, len = 1 + pick(600); n < len; n++)
			buf_addc(&b, pick(8) == 0 ? qp_bytes[pick(sizeof
			    qp_bytes - 1)] : 'a' + (int)pick(26));
		bad += !same_decoding(MAILMIME_MECHANISM_QUOTED_PRINTABLE,
		    b.data, b.len);
		bad += !same_decoding(MAILMIME_MECHANISM_BASE64, b.data,
		    b.len);
		buf_free(&b);
	}
	INT_EQ((int)bad, 0, "2,000 longer bodies decoded as libetpan decodes"
	    " them");
	return (tap_done());
}

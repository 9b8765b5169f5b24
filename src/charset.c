/*
 * Text to UTF-8: the charsets mail declares (UTF-8, ISO-8859-1/-15,
 * windows-1252 by hand, the rest through libetpan's iconv wrapper), RFC
 * 2047 header words, and the repair of mojibake -- UTF-8 that was once
 * decoded as windows-1252 or Mac Roman and encoded again.
 */

#include <sys/types.h>

#include <ctype.h>
#include <strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

/* windows-1252 0x80..0x9f; 0 where the byte is undefined. */
static const uint16_t cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178
};

/* Mac Roman 0x80..0xff. */
static const uint16_t macroman_high[128] = {
	0x00c4, 0x00c5, 0x00c7, 0x00c9, 0x00d1, 0x00d6, 0x00dc, 0x00e1,
	0x00e0, 0x00e2, 0x00e4, 0x00e3, 0x00e5, 0x00e7, 0x00e9, 0x00e8,
	0x00ea, 0x00eb, 0x00ed, 0x00ec, 0x00ee, 0x00ef, 0x00f1, 0x00f3,
	0x00f2, 0x00f4, 0x00f6, 0x00f5, 0x00fa, 0x00f9, 0x00fb, 0x00fc,
	0x2020, 0x00b0, 0x00a2, 0x00a3, 0x00a7, 0x2022, 0x00b6, 0x00df,
	0x00ae, 0x00a9, 0x2122, 0x00b4, 0x00a8, 0x2260, 0x00c6, 0x00d8,
	0x221e, 0x00b1, 0x2264, 0x2265, 0x00a5, 0x00b5, 0x2202, 0x2211,
	0x220f, 0x03c0, 0x222b, 0x00aa, 0x00ba, 0x03a9, 0x00e6, 0x00f8,
	0x00bf, 0x00a1, 0x00ac, 0x221a, 0x0192, 0x2248, 0x2206, 0x00ab,
	0x00bb, 0x2026, 0x00a0, 0x00c0, 0x00c3, 0x00d5, 0x0152, 0x0153,
	0x2013, 0x2014, 0x201c, 0x201d, 0x2018, 0x2019, 0x00f7, 0x25ca,
	0x00ff, 0x0178, 0x2044, 0x20ac, 0x2039, 0x203a, 0xfb01, 0xfb02,
	0x2021, 0x00b7, 0x201a, 0x201e, 0x2030, 0x00c2, 0x00ca, 0x00c1,
	0x00cb, 0x00c8, 0x00cd, 0x00ce, 0x00cf, 0x00cc, 0x00d3, 0x00d4,
	0xf8ff, 0x00d2, 0x00da, 0x00db, 0x00d9, 0x0131, 0x02c6, 0x02dc,
	0x00af, 0x02d8, 0x02d9, 0x02da, 0x00b8, 0x02dd, 0x02db, 0x02c7
};

enum cs { CS_UTF8, CS_CP1252, CS_LATIN9, CS_OTHER };

/* The labels known, normalised (lower case, no quote nor space). */
static const struct {
	const char	*label;
	enum cs		 kind;
} labels[] = {
	{ "utf-8", CS_UTF8 }, { "utf8", CS_UTF8 },
	{ "us-ascii", CS_CP1252 }, { "ascii", CS_CP1252 },
	{ "iso-8859-1", CS_CP1252 }, { "iso8859-1", CS_CP1252 },
	{ "iso_8859-1", CS_CP1252 }, { "latin1", CS_CP1252 },
	{ "latin-1", CS_CP1252 }, { "l1", CS_CP1252 },
	{ "windows-1252", CS_CP1252 }, { "cp1252", CS_CP1252 },
	{ "x-cp1252", CS_CP1252 }, { "iso-ir-100", CS_CP1252 },
	{ "", CS_CP1252 }, { "ansi_x3.4-1968", CS_CP1252 },
	{ "iso-8859-15", CS_LATIN9 }, { "iso8859-15", CS_LATIN9 },
	{ "iso_8859-15", CS_LATIN9 }, { "latin9", CS_LATIN9 },
	{ "latin-9", CS_LATIN9 },
};

/* Reads a charset label in any case, quoted or not (ASCII: the program
 * runs in the C locale). */
static enum cs
charset_kind(const char *label, char *norm, size_t size)
{
	size_t	i = 0, k;
	char	c;

	if (label == NULL)
		label = "us-ascii";
	/* "utf-8*fr": an RFC 2231 language ends the label. */
	for (; *label != '\0' && *label != '*' && i + 1 < size; label++) {
		c = *label;
		if (c == '"' || c == '\'' || c == ' ' || (c >= '\t' &&
		    c <= '\r'))
			continue;
		norm[i++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	norm[i] = '\0';
	for (k = 0; k < sizeof labels / sizeof labels[0]; k++)
		if (labels[k].label[0] == norm[0] &&
		    strcmp(labels[k].label, norm) == 0)
			return (labels[k].kind);
	return (CS_OTHER);
}

static uint32_t
cp1252_char(unsigned char c)
{
	if (c >= 0x80 && c <= 0x9f && cp1252_high[c - 0x80] != 0)
		return (cp1252_high[c - 0x80]);
	return (c);
}

static uint32_t
latin9_char(unsigned char c)
{
	switch (c) {
	case 0xa4: return (0x20ac);
	case 0xa6: return (0x0160);
	case 0xa8: return (0x0161);
	case 0xb4: return (0x017d);
	case 0xb8: return (0x017e);
	case 0xbc: return (0x0152);
	case 0xbd: return (0x0153);
	case 0xbe: return (0x0178);
	}
	return (cp1252_char(c));
}

/* The UTF-8 form of cp into s (room for 4); returns its length. */
static size_t
utf8_put(char *s, uint32_t cp)
{
	if (cp < 0x80) {
		s[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	s[0] = (char)(0xf0 | (cp >> 18));
	s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	s[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/* Is the character at p (len bytes left) one of two bytes of UTF-8
 * (U+0080-U+07FF), the most common beyond ASCII in mail in French?  Told
 * without utf8_decode(), which finds it valid. */
static inline int
two_bytes(const unsigned char *p, size_t len)
{
	return (len >= 2 && p[0] >= 0xc2 && p[0] <= 0xdf &&
	    (p[1] & 0xc0) == 0x80);
}

/* Appends a run of bytes and the UTF-8 form of cp after it. */
static void
add_run_cp(struct buf *out, const unsigned char *p, size_t n, uint32_t cp)
{
	buf_reserve(out, n + 4);
	memcpy(out->data + out->len, p, n);
	out->len += n;
	out->len += utf8_put(out->data + out->len, cp);
	out->data[out->len] = '\0';
}

/*
 * UTF-8 where it is valid, single bytes read as windows-1252 elsewhere.
 * The text is read piece after piece (a run of ASCII, a character) while
 * out holds less than max bytes; the valid pieces in a row are copied
 * together.
 */
static void
utf8_or_cp1252(struct buf *out, const char *in, size_t len, size_t max)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i = 0, n, start, have;
	uint32_t		 cp;

	while (i < len && out->len < max) {
		start = i;
		for (have = out->len; i < len && have < max; i += n, have += n) {
			if (p[i] < 0x80)
				n = ascii_span(in + i, len - i);
			else if (two_bytes(p + i, len - i))
				n = 2;
			else if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
				break;
		}
		if (i < len && have < max) {
			/* A byte that is not UTF-8. */
			add_run_cp(out, p + start, i - start,
			    cp1252_char(p[i]));
			i++;
		} else
			buf_add(out, p + start, i - start);
	}
}

static void
single_byte(struct buf *out, const char *in, size_t len, enum cs kind,
    size_t max)
{
	const unsigned char	*p = (const unsigned char *)in;
	size_t			 i, n;

	for (i = 0; i < len && out->len < max; i = n) {
		n = i + ascii_span(in + i, len - i);
		if (n < len) {
			add_run_cp(out, p + i, n - i, kind == CS_LATIN9 ?
			    latin9_char(p[n]) : cp1252_char(p[n]));
			n++;
		} else
			buf_add(out, p + i, n - i);
	}
}

int
charset_keeps_utf8(const char *label)
{
	char	norm[64];
	enum cs	kind = charset_kind(label, norm, sizeof norm);

	return (kind == CS_UTF8 || kind == CS_CP1252);
}

int
charset_to_utf8(struct buf *out, const char *label, const char *in,
    size_t len)
{
	return (charset_to_utf8_max(out, label, in, len, SIZE_MAX));
}

int
charset_to_utf8_max(struct buf *out, const char *label, const char *in,
    size_t len, size_t max)
{
	char	 norm[64], *conv;
	size_t	 convlen;
	enum cs	 kind;

	kind = charset_kind(label, norm, sizeof norm);
	switch (kind) {
	case CS_UTF8:
		utf8_or_cp1252(out, in, len, max);
		return (0);
	case CS_CP1252:
	case CS_LATIN9:
		/* Mail labelled ASCII or Latin-1 is often UTF-8 really. */
		if (kind == CS_CP1252 && utf8_valid(in, len))
			buf_add(out, in, len);
		else
			single_byte(out, in, len, kind, max);
		return (0);
	case CS_OTHER:
		break;
	}
	if (charconv_buffer("utf-8", norm, in, len, &conv, &convlen) ==
	    MAIL_CHARCONV_NO_ERROR) {
		utf8_or_cp1252(out, conv, convlen, max);
		charconv_buffer_free(conv);
		return (0);
	}
	utf8_or_cp1252(out, in, len, max);
	return (-1);
}

/*
 * Mojibake.  Each non-ASCII character is mapped back to the byte that a
 * windows-1252 (or Latin-1) or a Mac Roman decoder made it from; when a
 * few such bytes in a row form one valid UTF-8 character of the ranges
 * that French and English text use, they are replaced by it.  Genuine
 * text almost never has such runs ("Ã©", "â€™", "√©"), and the range
 * check keeps "l’é" and "«é" as they are.
 */
static int
byte_cp1252(uint32_t cp)
{
	int	i;

	if (cp >= 0x80 && cp <= 0xff)
		return ((int)cp);
	for (i = 0; i < 32; i++)
		if (cp1252_high[i] == cp)
			return (0x80 + i);
	return (-1);
}

static int
byte_macroman(uint32_t cp)
{
	int	i;

	if (cp < 0x80)
		return (-1);
	for (i = 0; i < 128; i++)
		if (macroman_high[i] == cp)
			return (0x80 + i);
	return (-1);
}

static int
plausible(uint32_t cp)
{
	return ((cp >= 0xa0 && cp <= 0x17f) || (cp >= 0x2010 && cp <= 0x203a) ||
	    cp == 0x20ac || cp == 0x2122);
}

/* Tries to read one mojibake character at p; returns bytes of p used. */
static size_t
mojibake_one(const unsigned char *p, size_t len, int (*back)(uint32_t),
    uint32_t *out)
{
	unsigned char	bytes[4];
	size_t		used = 0, n, want = 0, got = 0;
	uint32_t	cp;
	int		b;

	while (got < 4 && used < len && p[used] >= 0x80) {
		if ((n = utf8_decode(p + used, len - used, &cp)) == 0)
			return (0);
		if ((b = back(cp)) == -1)
			return (0);
		bytes[got++] = (unsigned char)b;
		used += n;
		if (got == 1) {
			if (b >= 0xc2 && b <= 0xdf)
				want = 2;
			else if (b >= 0xe0 && b <= 0xef)
				want = 3;
			else if (b >= 0xf0 && b <= 0xf4)
				want = 4;
			else
				return (0);
		} else if (got == want)
			break;
	}
	if (want == 0 || got != want)
		return (0);
	if (utf8_decode(bytes, want, &cp) != want || !plausible(cp))
		return (0);
	*out = cp;
	return (used);
}

size_t
mojibake_repair(struct buf *b)
{
	unsigned char	*p = (unsigned char *)b->data;
	size_t		 i = 0, n, fixed = 0, start = 0, w = 0;
	uint32_t	 cp;

	if (b->len == 0)
		return (0);
	/*
	 * Repaired in place: a character made of want bytes was read from
	 * want characters of two bytes or more, so what is written never
	 * passes what was read.
	 */
	while (i < b->len) {
		if (p[i] < 0x80) {
			i += ascii_span(b->data + i, b->len - i);
			continue;
		}
		/* Mojibake is two non-ASCII characters or more in a row: a
		 * lone "é" before a letter is genuine, and common. */
		if (two_bytes(p + i, b->len - i) && (i + 2 == b->len ||
		    p[i + 2] < 0x80)) {
			i += 2;
			continue;
		}
		if ((n = utf8_decode(p + i, b->len - i, &cp)) != 0 &&
		    (i + n == b->len || p[i + n] < 0x80)) {
			i += n;
			continue;
		}
		n = mojibake_one(p + i, b->len - i, byte_cp1252, &cp);
		if (n == 0)
			n = mojibake_one(p + i, b->len - i, byte_macroman, &cp);
		if (n == 0) {
			if ((n = utf8_decode(p + i, b->len - i, &cp)) == 0)
				n = 1;
			i += n;
			continue;
		}
		memmove(p + w, p + start, i - start);
		w += i - start;
		w += utf8_put((char *)p + w, cp);
		i += n;
		start = i;
		fixed++;
	}
	if (fixed == 0)
		return (0);
	memmove(p + w, p + start, b->len - start);
	b->len = w + b->len - start;
	b->data[b->len] = '\0';
	/* A second layer ("ÃƒÂ©") comes undone on a second pass. */
	return (fixed + mojibake_repair(b));
}

static char	*header_decode_slow(const char *, size_t);

/*
 * RFC 2047: "=?charset?Q|B?text?=" words.  White space between two
 * encoded words is dropped, and the bytes of neighbouring words in the same
 * charset are joined before conversion, so that a character split across
 * two words survives.
 */
int
hex_value(int c)
{
	/* A digit's value plus one, 0 for the bytes that are none. */
	static const signed char	v[256] = {
		['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5,
		['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10,
		['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
		['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
		['E'] = 15, ['F'] = 16,
	};

	if (c < 0 || c > 255)
		return (-1);
	return (v[c] - 1);
}

const signed char *
base64_values(void)
{
	static const char	 alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	static signed char	 v[256];
	static int		 ready;
	size_t			 i;

	if (!ready) {
		memset(v, -1, sizeof v);
		for (i = 0; i < 64; i++)
			v[(u_char)alphabet[i]] = (signed char)i;
		ready = 1;
	}
	return (v);
}

static void
decode_word(struct buf *out, char enc, const char *s, size_t len)
{
	size_t		i;
	int		h, l, v;
	uint32_t	acc = 0;
	int		bits = 0;
	char		*o;

	/* Decoded, a word takes no more bytes than it is written on. */
	buf_reserve(out, len);
	o = out->data + out->len;
	if (enc == 'q' || enc == 'Q') {
		for (i = 0; i < len; i++) {
			if (s[i] == '_')
				*o++ = ' ';
			else if (s[i] == '=' && i + 2 < len &&
			    (h = hex_value((u_char)s[i + 1])) != -1 &&
			    (l = hex_value((u_char)s[i + 2])) != -1) {
				*o++ = (char)(h * 16 + l);
				i += 2;
			} else
				*o++ = s[i];
		}
	} else {
		for (i = 0; i < len; i++) {
			if ((v = base64_values()[(u_char)s[i]]) == -1)
				continue;
			acc = (acc << 6) | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				*o++ = (char)((acc >> bits) & 0xff);
			}
		}
	}
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

/* An encoded word's charset as a label of 63 bytes at most. */
static void
word_label(char *label, size_t size, const char *cs, size_t cslen)
{
	size_t	n = strnlen(cs, cslen < size - 1 ? cslen : size - 1);

	memcpy(label, cs, n);
	label[n] = '\0';
}

/* Parses an encoded word at s; fills its parts and returns its length. */
static size_t
encoded_word(const char *s, size_t len, const char **cs, size_t *cslen,
    char *enc, const char **text, size_t *textlen)
{
	const char	*q1, *q2, *end;

	if (len < 8 || s[0] != '=' || s[1] != '?')
		return (0);
	if ((q1 = memchr(s + 2, '?', len - 2)) == NULL)
		return (0);
	if (q1 + 3 > s + len || q1[2] != '?')
		return (0);
	*enc = q1[1];
	if (strchr("qQbB", *enc) == NULL)
		return (0);
	q2 = q1 + 3;
	for (end = q2; end + 1 < s + len; end++) {
		if (end[0] == '?' && end[1] == '=')
			break;
		if (end[0] == ' ' || end[0] == '\t')
			return (0);
	}
	if (end + 1 >= s + len)
		return (0);
	*cs = s + 2;
	*cslen = (size_t)(q1 - (s + 2));
	*text = q2;
	*textlen = (size_t)(end - q2);
	return ((size_t)(end + 2 - s));
}

char *
header_decode(const char *raw, size_t len)
{
	size_t	k;

	/* Plain printable ASCII needs nothing but a trim. */
	for (k = 0; k < len; k++)
		if ((u_char)raw[k] < 0x20 || (u_char)raw[k] >= 0x7f ||
		    (raw[k] == '=' && k + 1 < len && raw[k + 1] == '?') ||
		    (raw[k] == ' ' && k + 1 < len && raw[k + 1] == ' '))
			break;
	if (k == len) {
		while (len > 0 && raw[0] == ' ')
			raw++, len--;
		while (len > 0 && raw[len - 1] == ' ')
			len--;
		return (xstrndup(raw, len));
	}
	return (header_decode_slow(raw, len));
}

static char *
header_decode_slow(const char *raw, size_t len)
{
	struct buf	 out, bytes, unf;
	const char	*cs, *text, *pcs = NULL, *u;
	char		 enc, label[64];
	size_t		 i, n, cslen, textlen, pcslen = 0, j, k, ulen;
	int		 last_encoded = 0;

	buf_init(&out);
	buf_init(&bytes);
	buf_init(&unf);
	/* Unfold: CR and LF go, the white space after them stays.  The
	 * values of a parsed message's fields are unfolded already: read
	 * where they are. */
	if (memchr(raw, '\r', len) == NULL && memchr(raw, '\n', len) == NULL) {
		u = raw;
		ulen = len;
	} else {
		buf_reserve(&unf, len);
		for (i = 0; i < len; i++)
			if (raw[i] != '\r' && raw[i] != '\n')
				unf.data[unf.len++] = raw[i];
		unf.data[unf.len] = '\0';
		u = unf.data;
		ulen = unf.len;
	}
	i = 0;
	while (i < ulen) {
		n = encoded_word(u + i, ulen - i, &cs, &cslen, &enc,
		    &text, &textlen);
		if (n != 0) {
			if (pcs != NULL && (cslen != pcslen ||
			    strncasecmp(cs, pcs, cslen) != 0)) {
				word_label(label, sizeof label, pcs, pcslen);
				charset_to_utf8(&out, label, bytes.data,
				    bytes.len);
				buf_reset(&bytes);
			}
			decode_word(&bytes, enc, text, textlen);
			pcs = cs;
			pcslen = cslen;
			last_encoded = 1;
			i += n;
			continue;
		}
		if (last_encoded) {
			/* White space between encoded words is dropped. */
			for (j = i; j < ulen && (u[j] == ' ' ||
			    u[j] == '\t'); j++)
				;
			k = 0;
			if (j < ulen)
				k = encoded_word(u + j, ulen - j, &cs,
				    &cslen, &enc, &text, &textlen);
			if (k != 0) {
				i = j;
				continue;
			}
			word_label(label, sizeof label, pcs, pcslen);
			charset_to_utf8(&out, label, bytes.data, bytes.len);
			buf_reset(&bytes);
			pcs = NULL;
			last_encoded = 0;
		}
		/* A run of plain text: UTF-8 or windows-1252 bytes. */
		for (j = i + 1; j < ulen && !(u[j] == '=' &&
		    j + 1 < ulen && u[j + 1] == '?'); j++)
			;
		charset_to_utf8(&out, "utf-8", u + i, j - i);
		i = j;
	}
	if (last_encoded) {
		word_label(label, sizeof label, pcs, pcslen);
		charset_to_utf8(&out, label, bytes.data, bytes.len);
	}
	buf_free(&bytes);
	buf_free(&unf);
	mojibake_repair(&out);
	/* No control character survives, and white space is trimmed and
	 * collapsed, in place. */
	for (i = 0, k = 0; i < out.len; i++) {
		u_char c = (u_char)out.data[i];
		if (c < 0x20 || c == 0x7f)
			c = ' ';
		if (c == ' ' && (k == 0 || out.data[k - 1] == ' '))
			continue;
		out.data[k++] = (char)c;
	}
	while (k > 0 && out.data[k - 1] == ' ')
		k--;
	if (out.data == NULL)
		return (xstrdup(""));
	out.data[k] = '\0';
	out.len = k;
	return (buf_steal(&out));
}

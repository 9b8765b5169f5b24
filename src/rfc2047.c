/*
 * Header fields of outgoing mail: printable ASCII values folded at white
 * space, others encoded as RFC 2047 "B" words of UTF-8, each word cut on a
 * character boundary and kept under 75 characters.  A printable ASCII
 * value with a word too long for a line (over HDR_WORD_MAX octets) is
 * encoded too, so that no line of a header passes 998 octets (RFC 5322).
 * Structured values (References) are folded, never encoded.  No CR, LF
 * or other control character of a value reaches the output.
 */

#include <string.h>

#include "floss-responder.h"

#define HDR_WORD_MAX	900	/* octets of a word written as it is */

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(struct buf *out, const unsigned char *s, size_t n)
{
	size_t		i;
	uint32_t	v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		buf_addc(out, b64[v >> 18]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, b64[(v >> 6) & 63]);
		buf_addc(out, b64[v & 63]);
	}
	if (i < n) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		buf_addc(out, b64[v >> 18]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, i + 1 < n ? b64[(v >> 6) & 63] : '=');
		buf_addc(out, '=');
	}
}

/* The length of the longest run of non-spaces. */
static size_t
longest_word(const char *s)
{
	size_t	n, max = 0;

	while (*s != '\0') {
		n = strcspn(s, " ");
		if (n > max)
			max = n;
		s += n;
		s += strspn(s, " ");
	}
	return (max);
}

/* Writes the words of s, each after one space, folded before 78 columns
 * when the line already holds a word; col is where the line is. */
static void
fold_words(struct buf *out, const char *s, size_t col)
{
	size_t	i = 0, n, len = strlen(s);
	int	online = 0;

	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		for (n = i; n < len && s[n] != ' '; n++)
			;
		if (n == i)
			break;
		if (col + 1 + (n - i) > 78 && online) {
			buf_adds(out, "\r\n");
			col = 0;
		}
		buf_addc(out, ' ');
		buf_add(out, s + i, n - i);
		col += 1 + (n - i);
		online = 1;
		i = n;
	}
	buf_adds(out, "\r\n");
}

void
header_fold(struct buf *out, const char *name, const char *value)
{
	struct buf	v;
	const char	*p;

	buf_init(&v);
	for (p = value; *p != '\0'; p++)
		buf_addc(&v, (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p);
	buf_adds(out, name);
	buf_adds(out, ":");
	fold_words(out, v.data != NULL ? v.data : "", strlen(name) + 1);
	buf_free(&v);
}

void
rfc2047_header(struct buf *out, const char *name, const char *value)
{
	struct buf		 v;
	const unsigned char	*p;
	size_t			 i, col, n, start, w, len;
	int			 ascii = 1;
	uint32_t		 cp;

	/* Control characters become spaces; the value is trimmed. */
	buf_init(&v);
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			buf_addc(&v, ' ');
		else {
			if (*p >= 0x80)
				ascii = 0;
			buf_addc(&v, *p);
		}
	}
	buf_adds(out, name);
	buf_adds(out, ":");
	col = strlen(name) + 1;
	if (v.len == 0) {
		buf_adds(out, "\r\n");
		buf_free(&v);
		return;
	}
	if (ascii && strstr(v.data, "=?") == NULL &&
	    longest_word(v.data) <= HDR_WORD_MAX) {
		fold_words(out, v.data, col);
		buf_free(&v);
		return;
	}
	/* Encoded words of at most 30 bytes of text each. */
	p = (const unsigned char *)v.data;
	len = v.len;
	start = 0;
	w = 0;
	while (start < len) {
		i = start;
		while (i < len) {
			n = utf8_decode(p + i, len - i, &cp);
			if (n == 0)
				n = 1;
			if (i + n - start > 30)
				break;
			i += n;
		}
		if (w++ > 0)
			buf_adds(out, "\r\n");
		buf_adds(out, " =?UTF-8?B?");
		base64(out, p + start, i - start);
		buf_adds(out, "?=");
		start = i;
	}
	buf_adds(out, "\r\n");
	buf_free(&v);
}

/*
 * Header fields of outgoing mail: printable ASCII values folded at white
 * space, others encoded as RFC 2047 "B" words of UTF-8, each word cut on a
 * character boundary and kept under 75 characters.  No CR, LF or other
 * control character of a value reaches the output.
 */

#include <string.h>

#include "floss-responder.h"

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
	if (ascii && strstr(v.data, "=?") == NULL) {
		/* Fold at spaces before 78 columns. */
		i = 0;
		while (i < v.len) {
			while (i < v.len && v.data[i] == ' ')
				i++;
			for (n = i; n < v.len && v.data[n] != ' '; n++)
				;
			if (n == i)
				break;
			if (col + 1 + (n - i) > 78 && col > strlen(name) + 1) {
				buf_adds(out, "\r\n");
				col = 0;
			}
			buf_addc(out, ' ');
			buf_add(out, v.data + i, n - i);
			col += 1 + (n - i);
			i = n;
		}
		buf_adds(out, "\r\n");
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

/*
 * IMAP mailbox names in modified UTF-7 (RFC 3501, 5.1.3): printable ASCII
 * as it is ("&" as "&-"), anything else as UTF-16 in a base64 with ","
 * for "/", between "&" and "-".  A folder named "À relire" in a mail
 * client is "&AMA- relire" on the wire.
 */

#include "floss-responder.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

/* The code point at *s (valid UTF-8), advancing *s. */
static uint32_t
next_cp(const unsigned char **s)
{
	const unsigned char	*p = *s;
	uint32_t		 c;
	int			 n, i;

	if (p[0] < 0x80) {
		*s = p + 1;
		return (p[0]);
	}
	n = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : 1;
	c = p[0] & (0x3f >> n);
	for (i = 1; i <= n; i++)
		c = (c << 6) | (p[i] & 0x3f);
	*s = p + n + 1;
	return (c);
}

char *
mutf7_encode(const char *utf8)
{
	const unsigned char	*s = (const unsigned char *)utf8;
	struct buf		 b;
	uint32_t		 c, bits = 0;
	int			 nbits = 0, open = 0;
	uint16_t		 u[2];
	int			 nu, i;

	if (!utf8_valid(utf8, strlen(utf8)))
		return (NULL);
	if (*utf8 == '\0')
		return (xstrdup(""));
	buf_init(&b);
	while (*s != '\0') {
		if (*s >= 0x20 && *s <= 0x7e) {
			if (open) {
				if (nbits > 0)
					buf_addc(&b, b64[(bits << (6 - nbits)) &
					    0x3f]);
				buf_addc(&b, '-');
				open = 0;
				nbits = 0;
				bits = 0;
			}
			if (*s == '&')
				buf_adds(&b, "&-");
			else
				buf_addc(&b, (char)*s);
			s++;
			continue;
		}
		c = next_cp(&s);
		if (c >= 0x10000) {
			c -= 0x10000;
			u[0] = 0xd800 | (c >> 10);
			u[1] = 0xdc00 | (c & 0x3ff);
			nu = 2;
		} else {
			u[0] = c;
			nu = 1;
		}
		if (!open) {
			buf_addc(&b, '&');
			open = 1;
		}
		for (i = 0; i < nu; i++) {
			bits = (bits << 16) | u[i];
			nbits += 16;
			while (nbits >= 6) {
				nbits -= 6;
				buf_addc(&b, b64[(bits >> nbits) & 0x3f]);
			}
			bits &= (1u << nbits) - 1;
		}
	}
	if (open) {
		if (nbits > 0)
			buf_addc(&b, b64[(bits << (6 - nbits)) & 0x3f]);
		buf_addc(&b, '-');
	}
	return (buf_steal(&b));
}

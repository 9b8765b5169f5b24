/* Charsets to UTF-8, mojibake repair and RFC 2047 header decoding. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*label;
	const char	*in;
	const char	*want;
} convs[] = {
	{ "utf-8", "march\xc3\xa9", "marché" },
	{ "UTF8", "march\xc3\xa9", "marché" },
	{ "\"UTF-8\"", "march\xc3\xa9", "marché" },
	{ "utf-8*fr", "march\xc3\xa9", "marché" },
	{ "iso-8859-1", "march\xe9", "marché" },
	{ "ISO-8859-1", "l\x92\xe9quipe \x93oui\x94 \x9cuvre \x85",
	  "l’équipe “oui” œuvre …" },
	{ "latin1", "\xe0 bient\xf4t", "à bientôt" },
	{ "Windows-1252", "\x80 100", "€ 100" },
	{ "'windows-1252'", "\xab march\xe9 \xbb", "« marché »" },
	{ "iso-8859-15", "\xa4 \xbd\xbcuvre", "€ œŒuvre" },
	{ "us-ascii", "plain", "plain" },
	{ "us-ascii", "march\xc3\xa9", "marché" },	/* UTF-8 mislabelled */
	{ "utf-8", "caf\xe9 ok", "café ok" },		/* bad UTF-8: cp1252 */
	{ NULL, "no label", "no label" },
	{ "koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет" },
};

static const struct {
	const char	*in;
	const char	*want;
} mojibakes[] = {
	{ "interminist\xc3\x83\xc2\xa9riel", "interministériel" },
	{ "d\xc3\xa2\xe2\x82\xac\xe2\x84\xa2ici", "d’ici" },	/* dâ€™ici */
	{ "p\xc3\x83\xc2\xa9rim\xc3\x83\xc2\xa8tre", "périmètre" },
	{ "\xe2\x88\x9a\xc2\xa9quipe", "équipe" },		/* Mac Roman √© */
	{ "arr\xc3\x83\xc2\xaat\xc3\x83\xc2\xa9", "arrêté" },
	/* Twice broken: ÃƒÂ© */
	{ "\xc3\x83\xc6\x92\xc3\x82\xc2\xa9t\xc3\x83\xc6\x92\xc3\x82\xc2\xa9",
	  "été" },
	/* Genuine text stays as it is. */
	{ "l’équipe", "l’équipe" },
	{ "«élevé»", "«élevé»" },
	{ "À l’été, Ça va", "À l’été, Ça va" },
	{ "© 2025 — ok", "© 2025 — ok" },
};

static const struct {
	const char	*raw;
	const char	*want;
} headers[] = {
	{ "=?UTF-8?Q?R=C3=A9f=C3=A9rencement_SILL?=", "Référencement SILL" },
	{ "=?utf-8?b?UsOpZsOpcmVuY2VtZW50?=", "Référencement" },
	{ "=?ISO-8859-1?Q?Cl=E9s_de_vo=FBte?=", "Clés de voûte" },
	{ "=?windows-1252?Q?R=E9f=E9rencement_de_notre_solution_Paraflux_dans_le_SI?=\r\n"
	  " =?windows-1252?Q?LL?=",
	  "Référencement de notre solution Paraflux dans le SILL" },
	/* A character split across two words. */
	{ "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "éé" },
	{ "=?UTF-8?Q?a=C3?= =?UTF-8?Q?=A9b?=", "aéb" },
	{ "Question sur le =?UTF-8?Q?march=C3=A9?= de support",
	  "Question sur le marché de support" },
	{ "raw 8-bit march\xc3\xa9", "raw 8-bit marché" },
	{ "raw latin march\xe9", "raw latin marché" },
	{ "=?ISO-8859-1?Q?l=92=E9t=E9?=", "l’été" },
	{ "folded\r\n continuation", "folded continuation" },
	{ "evil\r\nBcc: x@y", "evilBcc: x@y" },
	{ "tab\tand\x01 controls", "tab and controls" },
	{ "=?UTF-8?Q?unterminated", "=?UTF-8?Q?unterminated" },
	{ "=?bogus-charset?Q?caf=E9?=", "café" },
	{ "  spaces  around  ", "spaces around" },
	{ "Re: interminist\xc3\x83\xc2\xa9riel", "Re: interministériel" },
};

int
main(void)
{
	struct buf	 b;
	size_t		 i;
	char		*s;
	int		 r;

	buf_init(&b);
	for (i = 0; i < sizeof convs / sizeof convs[0]; i++) {
		buf_reset(&b);
		charset_to_utf8(&b, convs[i].label, convs[i].in,
		    strlen(convs[i].in));
		STR_EQ(b.data, convs[i].want, "charset %s",
		    convs[i].label != NULL ? convs[i].label : "(none)");
	}
	buf_reset(&b);
	r = charset_to_utf8(&b, "x-no-such-charset", "caf\xe9", 4);
	INT_EQ(r, -1, "an unknown charset is reported");
	STR_EQ(b.data, "café", "and read as windows-1252");

	for (i = 0; i < sizeof mojibakes / sizeof mojibakes[0]; i++) {
		buf_reset(&b);
		buf_adds(&b, mojibakes[i].in);
		mojibake_repair(&b);
		STR_EQ(b.data, mojibakes[i].want, "mojibake \"%s\"",
		    mojibakes[i].in);
	}
	buf_free(&b);

	for (i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		s = header_decode(headers[i].raw, strlen(headers[i].raw));
		STR_EQ(s, headers[i].want, "header \"%s\"", headers[i].raw);
		free(s);
	}
	return (tap_done());
}

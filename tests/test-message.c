/* Reading messages: every charset and encoding, HTML, quotes, forwards,
 * and malformed input, which gives a message or a clear error. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*file;
	const char	*subject;
	const char	*from;
	const char	*own_has;
	const char	*own_hasnt;
	int		 flags;
} cases[] = {
	{ "utf8-qp.eml", "Devenir référente dans le SILL",
	  "camille.martin@agence.example.fr", "devenir référente de ce logiciel",
	  "Camille", 0 },
	{ "latin1-qp.eml", "Équivalent libre à un logiciel",
	  "camille.martin@agence.example.fr", "équivalent libre à Microsoft Visio pour l’équipe d’urbanisme",
	  "\xe9", 0 },
	{ "cp1252-8bit.eml", "Nommer un logiciel dans un appel d'offres",
	  "camille.martin@agence.example.fr",
	  "marché de 40 000 €, avons-nous le droit de citer nommément « Moodle »", NULL, 0 },
	{ "latin9-b64.eml", "Lots et titulaires", "camille.martin@agence.example.fr",
	  "l'œuvre : 5 000 €", NULL, 0 },
	{ "html-only.eml", "Communauté", "camille.martin@agence.example.fr",
	  "échanger avec d’autres agents", "color: red", MSG_HTMLONLY },
	{ "mojibake.eml", "Données du socle interministériel",
	  "renee.dupre@agence.example.fr", "Le socle interministériel de logiciels libres est indisponible",
	  "Ã", MSG_MOJIBAKE },
	{ "mojibake-macroman.eml", "Équipes produit", "renee.dupre@agence.example.fr",
	  "Vous êtes membre d'une équipe", "√", MSG_MOJIBAKE },
	{ "reply-quoted.eml", "Re: Votre question sur le marché de support",
	  "camille.martin@agence.example.fr", "rejoindre la liste de discussion OSPO-fr",
	  "bénéficiaire", 0 },
	{ "outlook-quote.eml", "RE: bénéficiaires", "camille.martin@agence.example.fr",
	  "Quelle licence libre choisir", "bénéficiaire", 0 },
	{ "forward.eml", "Tr: Référencement", "camille.martin@agence.example.fr",
	  "Je vous transfère", "Notre société édite", MSG_FORWARD },
	{ "signature-disclaimer.eml", "Licence des développements",
	  "camille.martin@agence.example.fr", "Sous quelle licence libre",
	  "Coordinateur", 0 },
	{ "english.eml", "Upstream contributions", "alex@uni.example.org",
	  "list of contributions", "Alex", 0 },
	{ "subject-only.eml", "Référencer notre logiciel dans le SILL",
	  "camille.martin@agence.example.fr", "", "x", MSG_NOTEXT },
	{ "bounce.eml", "Undelivered Mail", "MAILER-DAEMON@mx.example.fr",
	  "could not be delivered", "5.1.1", MSG_REPORT },
	{ "calendar.eml", "Invitation: point SILL", "camille.martin@agence.example.fr",
	  "Point sur le SILL", "VCALENDAR", MSG_CALENDAR },
	{ "attachment.eml", "Cession des droits : extrait du CCTP",
	  "camille.martin@agence.example.fr", "article 46 du CCAG-TIC", "PDF", 0 },
	{ "bad-boundary.eml", "Équivalent libre", "camille.martin@agence.example.fr",
	  "", "zzz", 0 },
	{ "truncated-b64.eml", "Question", "camille.martin@agence.example.fr",
	  "Existe-t-il un équivalent libre à Photoshop", NULL, 0 },
	{ "nul-bytes.eml", "Question", "camille.martin@agence.example.fr",
	  "équivalent libre", NULL, 0 },
	{ "8bit-headers.eml", "Alternative libre à Visio",
	  "camille.martin@agence.example.fr", "alternative libre à Visio", NULL, 0 },
	{ "injection.eml", "SILL Bcc: victim@example.com <b>bold</b>",
	  "eve@agence.example.fr", "<script>", NULL, 0 },
};

static char *
slurp(const char *name, size_t *len)
{
	char	*path, *data, *cause = NULL;

	path = xasprintf("%s/tests/msg/%s", srcdir(), name);
	data = read_message(path, len, &cause);
	if (data == NULL)
		printf("# %s\n", cause);
	free(cause);
	free(path);
	return (data);
}

/* Parses a made-up message; never crashes, returns 0 or -1 with a cause. */
static int
parse_ok(const char *name, const char *raw, size_t len, struct message **m)
{
	char	*cause = NULL;
	int	 r;

	r = message_parse(raw, len, m, &cause);
	if (r != 0) {
		OK(cause != NULL && *cause != '\0', "%s: error with a reason"
		    " (%s)", name, cause != NULL ? cause : "none");
		free(cause);
	}
	return (r);
}

int
main(void)
{
	struct message	*msg;
	struct buf	 b;
	char		*raw, *cause = NULL;
	size_t		 i, len;
	int		 r;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if ((raw = slurp(cases[i].file, &len)) == NULL) {
			OK(0, "%s: read", cases[i].file);
			continue;
		}
		r = message_parse(raw, len, &msg, &cause);
		INT_EQ(r, 0, "%s: parsed", cases[i].file);
		if (r != 0) {
			free(cause);
			free(raw);
			continue;
		}
		STR_EQ(msg->subject, cases[i].subject, "%s: subject",
		    cases[i].file);
		STR_EQ(msg->from.addr, cases[i].from, "%s: from",
		    cases[i].file);
		HAS(msg->own, cases[i].own_has, "%s: the question is read",
		    cases[i].file);
		if (cases[i].own_hasnt != NULL)
			HASNT(msg->own, cases[i].own_hasnt, "%s: the rest is not",
			    cases[i].file);
		OK((msg->flags & cases[i].flags) == cases[i].flags,
		    "%s: flags %#x (have %#x)", cases[i].file, cases[i].flags,
		    msg->flags);
		OK(utf8_valid(msg->own, msg->ownlen) &&
		    utf8_valid(msg->subject, strlen(msg->subject)),
		    "%s: the text is UTF-8", cases[i].file);
		message_free(msg);
		free(raw);
	}

	/* Header details. */
	raw = slurp("reply-quoted.eml", &len);
	message_parse(raw, len, &msg, &cause);
	STR_EQ(msg->message_id, "<replyq@agence.example.fr>", "message id");
	STR_EQ(msg->references, "<old0@numerique.gouv.fr> <old1@numerique.gouv.fr>",
	    "references");
	STR_EQ(msg->return_path, "camille.martin@agence.example.fr",
	    "return path");
	message_free(msg);
	free(raw);
	raw = slurp("bounce.eml", &len);
	message_parse(raw, len, &msg, &cause);
	STR_EQ(msg->return_path, "", "an empty Return-Path is \"\"");
	message_free(msg);
	free(raw);
	raw = slurp("injection.eml", &len);
	message_parse(raw, len, &msg, &cause);
	OK(strchr(msg->subject, '\r') == NULL && strchr(msg->subject, '\n') ==
	    NULL, "no CR or LF survives in a decoded subject");
	OK(msg->from.name != NULL && strchr(msg->from.name, '\n') == NULL,
	    "nor in a display name");
	message_free(msg);
	free(raw);

	/* Fields unfolded and trimmed: the white space that starts a value
	 * is left out across its lines, a NUL byte cuts it, the white space
	 * that ends it goes; a name is read up to a NUL. */
	{
		static const char	 folded[] = "Subject:  \t\r\n"
		    "   \r\n\tUn sujet\r\n  sur deux lignes \t\r\n"
		    "X-Nul: avant\0apr\xc3\xa8s\r\n"
		    "X-Empty:   \r\n"
		    "X-N\0om: v\r\n"
		    "X-Last:\tfin  \r\n\r\ncorps\r\n";

		r = message_parse(folded, sizeof folded - 1, &msg, &cause);
		INT_EQ(r, 0, "folded fields: parsed");
		if (r == 0) {
			STR_EQ(message_header(msg, "Subject"),
			    "Un sujet  sur deux lignes",
			    "a value's lines joined, trimmed at both ends");
			STR_EQ(message_header(msg, "X-Nul"), "avant",
			    "a NUL cuts a value");
			STR_EQ(message_header(msg, "X-Empty"), "",
			    "white space alone is an empty value");
			STR_EQ(message_header(msg, "X-N"), "v",
			    "a name is read up to a NUL");
			STR_EQ(message_header(msg, "X-Last"), "fin",
			    "the last field before the body");
			INT_EQ((int)msg->nhdrs, 5, "five fields");
			STR_EQ(msg->own, "corps\n", "and the body after them");
			message_free(msg);
		}
	}

	/* Many fields, past the first offsets kept apart and their first
	 * growth: each found, the first of a name counting. */
	{
		struct buf	 many;
		char		 name[32], want[32];
		int		 k, found = 0;

		buf_init(&many);
		for (k = 0; k < 150; k++)
			buf_printf(&many, "X-Field-%d: value %d\r\n", k, k);
		buf_adds(&many, "X-Field-70: again\r\nSubject: many\r\n\r\n"
		    "corps\r\n");
		r = message_parse(many.data, many.len, &msg, &cause);
		INT_EQ(r, 0, "150 fields: parsed");
		if (r == 0) {
			for (k = 0; k < 150; k++) {
				snprintf(name, sizeof name, "x-field-%d", k);
				snprintf(want, sizeof want, "value %d", k);
				found += message_header(msg, name) != NULL &&
				    strcmp(message_header(msg, name), want) == 0;
			}
			INT_EQ(found, 150, "each of 150 fields found");
			STR_EQ(message_header(msg, "Subject"), "many",
			    "and the last after them");
			INT_EQ((int)msg->nhdrs, 152, "152 fields");
			{
				const struct header	*f = NULL;
				int			 m = 0;

				while ((f = message_field(msg, "X-FIELD-70",
				    f)) != NULL)
					m = m * 10 + (strcmp(f->value,
					    "value 70") == 0 ? 1 : strcmp(
					    f->value, "again") == 0 ? 2 : 9);
				INT_EQ(m, 12, "a name's fields one after the"
				    " other, in order, case aside");
				OK(message_field(msg, "X-Field-150", NULL) ==
				    NULL, "and none of a name not there");
			}
			STR_EQ(msg->own, "corps\n", "and the body");
			message_free(msg);
		}
		buf_free(&many);
	}

	/* A long field name is read to its ':', however far; a line whose
	 * first space comes before any ':' is no field, and starts the
	 * body. */
	{
		static const char	 names[] = "X-A-Rather-Long-Field-Name: v\r\n"
		    "X-Short:w\r\n"
		    "Une ligne qui commence le texte: sans ligne vide\r\n"
		    "X-After: z\r\n\r\nfin\r\n";

		r = message_parse(names, sizeof names - 1, &msg, &cause);
		INT_EQ(r, 0, "long names: parsed");
		if (r == 0) {
			STR_EQ(message_header(msg, "X-A-Rather-Long-Field-Name"),
			    "v", "a long name read to its ':'");
			STR_EQ(message_header(msg, "X-Short"), "w",
			    "a short one too");
			INT_EQ((int)msg->nhdrs, 2, "a space before the ':' ends"
			    " the fields");
			HAS(msg->own, "Une ligne qui commence le texte",
			    "and starts the body");
			message_free(msg);
		}
	}

	/* A Message-ID is kept only when every byte between its brackets is
	 * printable ASCII and no '<': a bad byte is found wherever it
	 * stands, in the first bytes, far in, or in the last ones. */
	{
		static const struct {
			const char	*id;
			int		 good;
		} ids[] = {
			{ "<a1b2c3d4e5f6g7h8i9j0.k1l2m3@agence.example.fr>", 1 },
			{ "<x@y.fr>", 1 },
			{ "<a b@agence.example.fr>", 0 },
			{ "<abcdefghijklmnop qrstuvwxyz@agence.example.fr>", 0 },
			{ "<abcdefghijklmnopqrstu\x7fvwxyz@agence.example.fr>", 0 },
			{ "<abcdefghijklmnopqrstuvwxyz@agence.example.f\xc3\xa9>",
			  0 },
			{ "<abcdefghijklmnopqrstuv<wxyz@agence.example.fr>", 0 },
			{ "<abcdefghijklmnopqrstuvwxyz@agence.exam\tple.fr>", 0 },
			{ "<abcdefghijklmnopqrstuvwxyz@agence.example.f\x01>", 0 },
		};
		char	 text[256];
		size_t	 k;

		for (k = 0; k < sizeof ids / sizeof ids[0]; k++) {
			snprintf(text, sizeof text, "From: a@b.fr\r\n"
			    "Message-ID: %s\r\n\r\ncorps\r\n", ids[k].id);
			r = message_parse(text, strlen(text), &msg, &cause);
			INT_EQ(r, 0, "message id %zu: parsed", k);
			if (r != 0)
				continue;
			if (ids[k].good)
				STR_EQ(msg->message_id, ids[k].id,
				    "message id %zu: kept", k);
			else
				OK(msg->message_id == NULL,
				    "message id %zu: a bad byte, none kept", k);
			message_free(msg);
		}
	}

	/* Every field after a NUL byte is cut at its own; names are found in
	 * any case, and a tab may be part of one. */
	{
		static const char	 nuls[] = "Received: a\r\n"
		    "X-A: un\0deux\r\nReply-To: b@example.fr\r\n"
		    "X-B: trois\0quatre\r\nX-Tab\tName: t\r\n\r\n";

		r = message_parse(nuls, sizeof nuls - 1, &msg, &cause);
		INT_EQ(r, 0, "fields with NUL bytes: parsed");
		if (r == 0) {
			STR_EQ(message_header(msg, "x-a"), "un",
			    "the first NUL cuts its field");
			STR_EQ(message_header(msg, "X-B"), "trois",
			    "and a NUL in a later field cuts it too");
			STR_EQ(message_header(msg, "REPLY-TO"), "b@example.fr",
			    "a name found in another case");
			STR_EQ(message_header(msg, "RECEIVED"), "a",
			    "and one of the same length and first letter");
			STR_EQ(message_header(msg, "X-Tab\tName"), "t",
			    "a name with a tab");
			OK(message_header(msg, "X-") == NULL &&
			    message_header(msg, "") == NULL,
			    "no field for a prefix or an empty name");
			message_free(msg);
		}
		r = message_parse("Subject: s\r\n\r", 13, &msg, &cause);
		INT_EQ(r, 0, "a blank line of a lone CR at the end");
		if (r == 0) {
			STR_EQ(message_header(msg, "Subject"), "s",
			    "the field before it");
			message_free(msg);
		}
	}

	/* The 256 KB kept of a value count the white space that starts it. */
	buf_init(&b);
	buf_adds(&b, "From: a@b.example\r\nSubject:");
	for (i = 0; i < 262144 - 3; i++)
		buf_addc(&b, ' ');
	buf_adds(&b, "\r\n abcdef\r\n\r\nLe corps.\r\n");
	r = parse_ok("leading space", b.data, b.len, &msg);
	INT_EQ(r, 0, "a value after 256 KB of white space is read");
	OK(r == 0 && strcmp(message_header(msg, "Subject"), "ab") == 0,
	    "up to 256 KB, white space first included");
	if (r == 0)
		message_free(msg);
	buf_free(&b);

	/* The Content-Type of a part read again: the same reading each time,
	 * whatever was read between (many values, and multiparts). */
	{
		static const char	*latin = "From: a@example.fr\r\n"
		    "Subject: s\r\nContent-Type: text/plain;"
		    " charset=iso-8859-1\r\n\r\nUn \xe9t\xe9 au bord de l'eau ?\r\n";
		char			 other[512];
		int			 k, same = 0;

		for (k = 0; k < 40; k++) {
			if (k % 2 == 0) {
				len = strlen(latin);
				r = message_parse(latin, len, &msg, &cause);
				same += r == 0 && strstr(msg->own,
				    "Un \xc3\xa9t\xc3\xa9 au bord") != NULL;
			} else {
				len = (size_t)snprintf(other, sizeof other,
				    "From: a@example.fr\r\nSubject: s\r\n"
				    "Content-Type: multipart/mixed;"
				    " boundary=\"b%d\"\r\n\r\n--b%d\r\n"
				    "Content-Type: text/plain; charset=utf-8;"
				    " x-n=%d\r\n\r\nAutre texte %d\r\n--b%d--\r\n",
				    k, k, k, k, k);
				r = message_parse(other, len, &msg, &cause);
				same += r == 0 && strstr(msg->own,
				    "Autre texte") != NULL;
			}
			if (r == 0)
				message_free(msg);
		}
		INT_EQ(same, 40, "a Content-Type read again, between 20 others"
		    " and their multiparts: the same text each time");
	}

	/* The fields of parts on one line or folded, the last of a name
	 * counting, whichever way each is written. */
	{
		static const char	*parts = "From: a@example.fr\r\n"
		    "Subject: s\r\nContent-Type: multipart/mixed;"
		    " boundary=\"zz\"\r\n\r\n--zz\r\n"
		    "Content-Type: text/plain;\r\n charset=iso-8859-1\r\n"
		    "Content-Transfer-Encoding:\r\n\tquoted-printable\r\n\r\n"
		    "Premier r=E9sum=E9.\r\n--zz\r\n"
		    "Content-Type: text/plain;\r\n charset=utf-8\r\n"
		    "Content-Type: text/plain; charset=iso-8859-1\r\n\r\n"
		    "Second \xe9t\xe9.\r\n--zz\r\n"
		    "Content-Type: text/plain; charset=iso-8859-1\r\n"
		    "Content-Disposition: inline;\r\n filename=\"x.txt\"\r\n"
		    "Content-Disposition:\r\n attachment\r\n\r\n"
		    "Pi\xe8" "ce jointe.\r\n--zz--\r\n";

		len = strlen(parts);
		r = message_parse(parts, len, &msg, &cause);
		INT_EQ(r, 0, "parts with folded fields: parsed");
		OK(r == 0 && strstr(msg->own, "Premier r\xc3\xa9sum\xc3\xa9.") !=
		    NULL, "a folded Content-Type and transfer encoding read");
		OK(r == 0 && strstr(msg->own, "Second \xc3\xa9t\xc3\xa9.") !=
		    NULL, "a one-line Content-Type after a folded one counts");
		OK(r == 0 && strstr(msg->own, "jointe") == NULL &&
		    msg->nattach == 1, "a folded disposition after a one-line"
		    " one counts");
		if (r == 0)
			message_free(msg);
	}

	/* Malformed and hostile input. */
	r = parse_ok("empty", "", 0, &msg);
	INT_EQ(r, -1, "an empty message is an error");
	r = parse_ok("garbage", "\x01\x02\xff\xfe binary", 11, &msg);
	INT_EQ(r, -1, "bytes that are not a message are an error");
	r = parse_ok("headers only", "Subject: x\r\n", 12, &msg);
	INT_EQ(r, 0, "headers without a body are a message");
	message_free(msg);
	r = parse_ok("no blank line", "From: a@b.c\r\nSubject: x\r\nbody line\r\n",
	    36, &msg);
	INT_EQ(r, 0, "a body without a blank line before it");
	message_free(msg);

	/* 10 MB of text. */
	buf_init(&b);
	buf_adds(&b, "From: a@b.example\r\nSubject: big\r\nContent-Type: text/plain;"
	    " charset=utf-8\r\n\r\n");
	while (b.len < 10 * 1024 * 1024)
		buf_adds(&b, "Existe-t-il un équivalent libre à un logiciel ? ");
	r = parse_ok("10 MB", b.data, b.len, &msg);
	INT_EQ(r, 0, "a 10 MB message is read");
	OK(r == 0 && msg->textlen >= 10 * 1024 * 1024 - 200, "all of its text");
	if (r == 0)
		message_free(msg);
	buf_free(&b);

	/* A field of 1 MB: its first 256 KB are kept, the body still read. */
	buf_init(&b);
	buf_adds(&b, "From: a@b.example\r\nSubject: SILL\r\n");
	while (b.len < 1024 * 1024)
		buf_adds(&b, " logiciel\r\n");
	buf_adds(&b, "X-After: yes\r\n\r\nLe corps.\r\n");
	r = parse_ok("1 MB field", b.data, b.len, &msg);
	INT_EQ(r, 0, "a message with a field of 1 MB is read");
	OK(r == 0 && strlen(msg->subject) <= 262144 &&
	    strlen(msg->subject) > 260000, "its first 256 KB are kept");
	OK(r == 0 && message_header(msg, "X-After") != NULL &&
	    strcmp(msg->own, "Le corps.\n") == 0,
	    "the fields and the body after it are read");
	if (r == 0)
		message_free(msg);
	buf_free(&b);

	/* 1,000 nested multiparts. */
	buf_init(&b);
	buf_adds(&b, "From: a@b.example\r\nSubject: deep\r\n");
	for (i = 0; i < 1000; i++)
		buf_printf(&b, "Content-Type: multipart/mixed; boundary=\"b%zu\"\r\n"
		    "\r\n--b%zu\r\n", i, i);
	buf_adds(&b, "Content-Type: text/plain\r\n\r\ndeep text\r\n");
	for (i = 1000; i > 0; i--)
		buf_printf(&b, "--b%zu--\r\n", i - 1);
	r = parse_ok("nested", b.data, b.len, &msg);
	INT_EQ(r, 0, "1,000 nested multiparts are read");
	OK(r == 0 && (msg->flags & MSG_TOODEEP), "and marked too deep");
	if (r == 0)
		message_free(msg);
	buf_free(&b);

	/* 20,000 sibling parts. */
	buf_init(&b);
	buf_adds(&b, "From: a@b.example\r\nSubject: wide\r\nContent-Type:"
	    " multipart/mixed; boundary=\"w\"\r\n\r\n");
	for (i = 0; i < 20000; i++)
		buf_adds(&b, "--w\r\nContent-Type: text/plain\r\n\r\nx\r\n");
	buf_adds(&b, "--w--\r\n");
	r = parse_ok("wide", b.data, b.len, &msg);
	INT_EQ(r, 0, "20,000 sibling parts are read");
	OK(r == 0 && (msg->flags & MSG_TOODEEP), "past the part limit");
	if (r == 0)
		message_free(msg);
	buf_free(&b);

	/* A header line of 100,000 bytes and 2,000 header fields. */
	buf_init(&b);
	buf_adds(&b, "Subject: ");
	for (i = 0; i < 100000; i++)
		buf_addc(&b, 'a' + (int)(i % 26));
	buf_adds(&b, "\r\n");
	for (i = 0; i < 2000; i++)
		buf_printf(&b, "X-H%zu: v\r\n", i);
	buf_adds(&b, "\r\nbody\r\n");
	r = parse_ok("long header", b.data, b.len, &msg);
	INT_EQ(r, 0, "a 100,000-byte header line is read");
	OK(r == 0 && strlen(msg->subject) == 100000, "whole");
	if (r == 0)
		message_free(msg);
	buf_free(&b);
	return (tap_done());
}

/* The addresses of From, Reply-To, Sender and Return-Path: what RFC 5322
 * reads, how many addresses a field held, and when another reader could
 * take another address from it. */

#include "floss-responder.h"
#include "tap.h"

#define A	ADDR_AMBIGUOUS
#define G	ADDR_GROUP
#define B	ADDR_BAD

static const struct {
	const char	*name;
	const char	*value;
	int		 ret;
	const char	*addr;		/* NULL: none */
	const char	*display;	/* NULL: none */
	int		 n;
	int		 flags;
} cases[] = {
	{ "plain", "camille.martin@agence.example.fr", 0,
	  "camille.martin@agence.example.fr", NULL, 1, 0 },
	{ "display name", "Camille Martin <camille.martin@agence.example.fr>",
	  0, "camille.martin@agence.example.fr", "Camille Martin", 1, 0 },
	{ "the domain lower-cased, not the local part",
	  "Camille <Camille.Martin@Agence.Example.FR>", 0,
	  "Camille.Martin@agence.example.fr", "Camille", 1, 0 },
	{ "quoted name with a comma",
	  "\"Martin, Camille\" <c@agence.example.fr>",
	  0, "c@agence.example.fr", "Martin, Camille", 1, 0 },
	{ "quoted name with < and , inside",
	  "\"Martin, C <victim@evil.example>\" <c@agence.example.fr>", 0,
	  "c@agence.example.fr", "Martin, C <victim@evil.example>", 1, A },
	{ "quoted name with an escaped quote",
	  "\"Q\\\"x\" <q@agence.example.fr>",
	  0, "q@agence.example.fr", "Q\"x", 1, 0 },
	{ "comment holding <victim@...>",
	  "<camille.martin@agence.example.fr> (see <victim@evil.example>)", 0,
	  "camille.martin@agence.example.fr", NULL, 1, A },
	{ "comment before the address",
	  "(see <victim@evil.example>) camille@agence.example.fr", 0,
	  "camille@agence.example.fr", NULL, 1, A },
	{ "a plain comment after the address",
	  "MAILER-DAEMON@mx.example.fr (Mail Delivery System)", 0,
	  "MAILER-DAEMON@mx.example.fr", NULL, 1, 0 },
	{ "nested comment", "a@agence.example.fr (x (y) z)", 0,
	  "a@agence.example.fr", NULL, 1, 0 },
	{ "group", "team: <a@x.example>, <b@y.example>;", 0, "a@x.example",
	  NULL, 2, G },
	{ "group of one", "team: a@x.example;", 0, "a@x.example", NULL, 1, G },
	{ "empty group", "undisclosed-recipients:;", -1, NULL, NULL, 0, G },
	{ "two addresses", "a@x.example, B <b@y.example>", 0, "a@x.example",
	  NULL, 2, 0 },
	{ "two angle addresses side by side",
	  "Camille <a@x.example> <b@y.example>", -1, NULL, NULL, 0, B },
	{ "route addr",
	  "<@relay.example,@evil.example:camille@agence.example.fr>",
	  0, "camille@agence.example.fr", NULL, 1, A },
	{ "8-bit name and address", "Jérôme <jérôme@agence.example.fr>", 0,
	  "jérôme@agence.example.fr", "Jérôme", 1, 0 },
	{ "8-bit that is not UTF-8", "J\xe9r\xf4me <j\xe9@agence.example.fr>",
	  -1, NULL, NULL, 0, B },
	{ "encoded name",
	  "=?UTF-8?Q?Ren=C3=A9e_Dupr=C3=A9?= <r@agence.example.fr>",
	  0, "r@agence.example.fr", "Renée Dupré", 1, 0 },
	{ "encoded name with specials inside",
	  "=?UTF-8?Q?Eve=0D=0ABcc:_victim@example.com?="
	  " <eve@agence.example.fr>",
	  0, "eve@agence.example.fr", "Eve Bcc: victim@example.com", 1, 0 },
	{ "encoded name that decodes to <...>",
	  "=?UTF-8?Q?=3Cvictim@evil.example=3E?= <c@agence.example.fr>", 0,
	  "c@agence.example.fr", "<victim@evil.example>", 1, A },
	{ "obsolete phrase with a dot", "A. Name <a@agence.example.fr>", 0,
	  "a@agence.example.fr", "A. Name", 1, 0 },
	{ "quoted local part", "\"camille martin\"@agence.example.fr", 0,
	  "\"camille martin\"@agence.example.fr", NULL, 1, A },
	{ "quoted local part with a quoted pair",
	  "<\"camille\\ martin\"@agence.example.fr>", 0,
	  "\"camille martin\"@agence.example.fr", NULL, 1, A },
	{ "empty quoted local part", "\"\"@agence.example.fr", 0,
	  "\"\"@agence.example.fr", NULL, 1, 0 },
	{ "quoted local part that needs no quotes",
	  "<\"camille\"@agence.example.fr>", 0, "camille@agence.example.fr",
	  NULL, 1, A },
	{ "empty element of an obsolete list", "a@x.example, ,", 0,
	  "a@x.example", NULL, 1, A },
	{ "stray > after the address", "<a@x.example>>", -1, NULL, NULL, 0, B },
	{ "stray > after a bare address", "a@x.example>", -1, NULL, NULL, 0,
	  B },
	{ "no closing bracket", "Foo <a@x.example", -1, NULL, NULL, 0, B },
	{ "a word after the address", "A <a@x.example> trailing", -1, NULL,
	  NULL, 0, B },
	{ "unquoted comma in a name", "Martin, Camille <c@agence.example.fr>",
	  -1, NULL, NULL, 0, B },
	{ "a bad address after a display name", "Camille <not an address>",
	  -1, NULL, NULL, 0, B },
	{ "unterminated comment", "a@x.example (comment", -1, NULL, NULL, 0,
	  B },
	{ "unterminated quote", "\"Camille <a@x.example>", -1, NULL, NULL, 0,
	  B },
	{ "address literal", "a@[192.0.2.1]", -1, NULL, NULL, 0, B },
	{ "no domain", "camille", -1, NULL, NULL, 0, B },
	{ "no local part", "<@x.example>", -1, NULL, NULL, 0, B },
	{ "empty", "", -1, NULL, NULL, 0, 0 },
	{ "garbage", "\x01\x02 <<<>>> ;;; @@", -1, NULL, NULL, 0, B },
	{ "control in a quoted local part", "\"a\x01\"@x.example", -1, NULL,
	  NULL, 0, B },
	{ "CR LF inside (unfolded)", "Camille\r\n <a@x.example>", 0,
	  "a@x.example", "Camille", 1, 0 },
	{ "a bare address up to a comment, its domain in capitals",
	  "Camille.M@Agence.EXAMPLE.fr(C. M.)", 0, "Camille.M@agence.example.fr",
	  NULL, 1, 0 },
	{ "an '@' in a quoted local part, the domain after the last",
	  "<\"c@m\"@X.example>", 0, "\"c@m\"@x.example", NULL, 1, 0 },
};

int
main(void)
{
	struct address	 a;
	struct message	*msg;
	const char	*raw;
	char		*cause = NULL, big[4096];
	size_t		 i;
	int		 r;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = address_parse(cases[i].value, &a);
		INT_EQ(r, cases[i].ret, "%s: returns %d", cases[i].name,
		    cases[i].ret);
		if (cases[i].addr != NULL)
			STR_EQ(a.addr, cases[i].addr, "%s: address",
			    cases[i].name);
		else
			OK(a.addr == NULL, "%s: no address", cases[i].name);
		if (cases[i].display != NULL)
			STR_EQ(a.name, cases[i].display, "%s: display name",
			    cases[i].name);
		else
			OK(a.name == NULL, "%s: no display name (%s)",
			    cases[i].name, a.name != NULL ? a.name : "-");
		INT_EQ(a.n, cases[i].n, "%s: addresses", cases[i].name);
		INT_EQ(a.flags, cases[i].flags, "%s: flags", cases[i].name);
		OK((address_problem(&a) == NULL) == (cases[i].n == 1 &&
		    cases[i].flags == 0), "%s: %s", cases[i].name,
		    address_problem(&a) != NULL ? address_problem(&a) :
		    "names one sender");
		address_free(&a);
	}

	/* Too many tokens: not read, nothing kept. */
	for (i = 0; i + 3 < sizeof big; i += 3)
		memcpy(big + i, "a, ", 3);
	big[i] = '\0';
	INT_EQ(address_parse(big, &a), -1,
	    "a field of 1,000 words is not read");
	address_free(&a);

	/* The fields of a message. */
	raw = "Return-Path: <rp@agence.example.fr>\r\n"
	    "From: team: <a@x.example>, <b@y.example>;\r\n"
	    "Sender: Camille <s@agence.example.fr>\r\n"
	    "Reply-To: a@x.example, b@y.example\r\n"
	    "Subject: x\r\n\r\nbody\r\n";
	r = message_parse(raw, strlen(raw), &msg, &cause);
	INT_EQ(r, 0, "a message with a group From is read");
	if (r == 0) {
		STR_EQ(msg->from.addr, "a@x.example", "From: the first member");
		INT_EQ(msg->from.flags, ADDR_GROUP, "From: a group");
		INT_EQ(msg->from.n, 2, "From: two members");
		INT_EQ(msg->reply_to.n, 2, "Reply-To: two addresses");
		STR_EQ(msg->sender.addr, "s@agence.example.fr", "Sender");
		STR_EQ(msg->return_path, "rp@agence.example.fr", "Return-Path");
		INT_EQ(msg->return_path_flags, 0, "Return-Path: one address");
		message_free(msg);
	}
	raw = "Return-Path: < >\r\nFrom: a@x.example\r\n\r\nbody\r\n";
	r = message_parse(raw, strlen(raw), &msg, &cause);
	if (r == 0) {
		STR_EQ(msg->return_path, "", "Return-Path: < > is the null"
		    " sender");
		message_free(msg);
	}
	raw = "Return-Path: <a@x.example>, <b@y.example>\r\n"
	    "From: a@x.example\r\n\r\nbody\r\n";
	r = message_parse(raw, strlen(raw), &msg, &cause);
	if (r == 0) {
		OK(msg->return_path_flags & ADDR_BAD, "Return-Path: two"
		    " addresses are not one envelope sender");
		message_free(msg);
	}
	raw = "Return-Path: Name <not an address>\r\n"
	    "X-Loop: Name <not an address>\r\n"
	    "Sender: Name <not an address>\r\n"
	    "From: Name <not an address>\r\n\r\nbody\r\n";
	r = message_parse(raw, strlen(raw), &msg, &cause);
	if (r == 0) {
		OK(msg->return_path == NULL && msg->from.addr == NULL &&
		    msg->from.name == NULL && msg->sender.name == NULL,
		    "a bad address after a display name: nothing kept");
		message_free(msg);
	}
	free(cause);
	return (tap_done());
}

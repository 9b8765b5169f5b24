/* Screening: each rule fires on its own small message, and no rule fires
 * on an ordinary question from a trusted sender. */

#include "floss-responder.h"
#include "tap.h"

#define AR	"Authentication-Results: mx1.numerique.gouv.fr; dmarc=pass" \
		" header.from=agence.example.fr\r\n"
#define RP	"Return-Path: <a@agence.example.fr>\r\n"
#define FROM	"From: Agent <a@agence.example.fr>\r\n"
#define BODY	"Subject: Question\r\n\r\nComment devenir référent ?\r\n"

struct scase {
	const char	*name;
	const char	*msg;
	const char	*rule;		/* NULL: none fires */
	enum action	 action;
};

static const struct scase cases[] = {
	{ "ordinary question", RP AR FROM BODY, NULL, ACT_REPLY },
	{ "Auto-Submitted: auto-replied",
	  RP AR FROM "Auto-Submitted: auto-replied\r\n" BODY,
	  "auto-submitted", ACT_IGNORE },
	{ "Auto-Submitted: auto-replied (vacation)",
	  RP AR FROM "Auto-Submitted: Auto-Replied (vacation)\r\n" BODY,
	  "auto-submitted", ACT_IGNORE },
	{ "Auto-Submitted: auto-generated",
	  RP AR FROM "Auto-Submitted: auto-generated\r\n" BODY,
	  "auto-submitted", ACT_IGNORE },
	{ "Auto-Submitted: no", RP AR FROM "Auto-Submitted: no\r\n" BODY,
	  NULL, ACT_REPLY },
	{ "X-Autoreply", RP AR FROM "X-Autoreply: yes\r\n" BODY,
	  "autoreply-header", ACT_IGNORE },
	{ "X-Autorespond", RP AR FROM "X-Autorespond: 1\r\n" BODY,
	  "autoreply-header", ACT_IGNORE },
	{ "Precedence: bulk", RP AR FROM "Precedence: bulk\r\n" BODY,
	  "precedence", ACT_IGNORE },
	{ "Precedence: list", RP AR FROM "Precedence: list\r\n" BODY,
	  "precedence", ACT_IGNORE },
	{ "Precedence: junk", RP AR FROM "Precedence: JUNK\r\n" BODY,
	  "precedence", ACT_IGNORE },
	{ "Precedence: first-class", RP AR FROM "Precedence: first-class\r\n"
	  BODY, NULL, ACT_REPLY },
	{ "List-Id", RP AR FROM "List-Id: <l.example.org>\r\n" BODY, "list",
	  ACT_IGNORE },
	{ "List-Post", RP AR FROM "List-Post: <mailto:l@example.org>\r\n" BODY,
	  "list", ACT_IGNORE },
	{ "List-Unsubscribe",
	  RP AR FROM "List-Unsubscribe: <https://x.example/u>\r\n" BODY,
	  "list", ACT_IGNORE },
	{ "multipart/report", RP AR FROM "Subject: r\r\nContent-Type:"
	  " multipart/report; report-type=disposition-notification;"
	  " boundary=r\r\n\r\n--r\r\nContent-Type: text/plain\r\n\r\nread\r\n"
	  "--r--\r\n", "report", ACT_IGNORE },
	{ "text/calendar", RP AR FROM "Subject: i\r\nContent-Type: text/calendar;"
	  " method=REQUEST\r\n\r\nBEGIN:VCALENDAR\r\n", "calendar", ACT_IGNORE },
	{ "empty envelope sender", "Return-Path: <>\r\n" AR FROM BODY,
	  "machine-sender", ACT_IGNORE },
	{ "MAILER-DAEMON", RP AR "From: MAILER-DAEMON@agence.example.fr\r\n" BODY,
	  "machine-sender", ACT_IGNORE },
	{ "postmaster", RP AR "From: postmaster@agence.example.fr\r\n" BODY,
	  "machine-sender", ACT_IGNORE },
	{ "noreply", RP AR "From: Outil <no-reply@agence.example.fr>\r\n" BODY,
	  "machine-sender", ACT_IGNORE },
	{ "owner-", "Return-Path: <owner-liste@agence.example.fr>\r\n" AR FROM
	  BODY, "machine-sender", ACT_IGNORE },
	{ "-request", "Return-Path: <liste-request@agence.example.fr>\r\n" AR
	  FROM BODY, "machine-sender", ACT_IGNORE },
	{ "no From", RP AR BODY, "machine-sender", ACT_IGNORE },
	{ "own address", "Return-Path: <floss@numerique.gouv.fr>\r\n"
	  "From: floss@numerique.gouv.fr\r\n" BODY, "own-address", ACT_IGNORE },
	{ "own address in X-Loop", RP AR FROM
	  "X-Loop: floss@numerique.gouv.fr\r\n" BODY, "own-address", ACT_IGNORE },
	{ "a colleague of the same domain is a person, not a loop: a person"
	  " answers",
	  "Return-Path: <collegue@numerique.gouv.fr>\r\nAuthentication-Results:"
	  " mx1.numerique.gouv.fr; dmarc=pass header.from=numerique.gouv.fr\r\n"
	  "From: collegue@numerique.gouv.fr\r\n" BODY, "colleague", ACT_REVIEW },
	{ "French out-of-office subject", RP AR FROM
	  "Subject: Réponse automatique : absent\r\n\r\nJe suis absent.\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "English out-of-office subject", RP AR FROM
	  "Subject: Out of Office: question\r\n\r\nback soon\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "German out-of-office subject", RP AR FROM
	  "Subject: Abwesenheitsnotiz\r\n\r\nbin weg\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "French out-of-office body", RP AR FROM
	  "Subject: Re: marché\r\n\r\nBonjour, je suis absente jusqu'au 3 mars.\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "English out-of-office body", RP AR FROM
	  "Subject: Re: SILL\r\n\r\nI am out of the office until Monday.\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "German out-of-office body", RP AR FROM
	  "Subject: Re: SILL\r\n\r\nIch bin abwesend bis Montag.\r\n",
	  "out-of-office", ACT_IGNORE },
	{ "X-Auto-Response-Suppress: All", RP AR FROM
	  "X-Auto-Response-Suppress: All\r\n" BODY, "no-auto-response",
	  ACT_REVIEW },
	{ "X-Auto-Response-Suppress: DR, AutoReply", RP AR FROM
	  "X-Auto-Response-Suppress: DR, AutoReply\r\n" BODY,
	  "no-auto-response", ACT_REVIEW },
	{ "X-Auto-Response-Suppress: OOF", RP AR FROM
	  "X-Auto-Response-Suppress: OOF\r\n" BODY, NULL, ACT_REPLY },
	{ "X-Spam-Flag: YES", RP AR FROM "X-Spam-Flag: YES\r\n" BODY,
	  "spam-verdict", ACT_REVIEW },
	{ "X-Spam-Status: Yes", RP AR FROM "X-Spam-Status: Yes, score=9\r\n"
	  BODY, "spam-verdict", ACT_REVIEW },
	{ "X-Spam-Status: No", RP AR FROM "X-Spam-Status: No, score=1\r\n"
	  BODY, NULL, ACT_REPLY },
	{ "rspamd add header", RP AR FROM "X-Rspamd-Action: add header\r\n"
	  BODY, "spam-verdict", ACT_REVIEW },
	{ "rspamd no action", RP AR FROM "X-Rspamd-Action: no action \r\n"
	  BODY, NULL, ACT_REPLY },
	{ "dmarc=fail", RP "Authentication-Results: mx1.numerique.gouv.fr;"
	  " dmarc=fail header.from=agence.example.fr\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "spf=pass aligned, no dmarc", RP "Authentication-Results:"
	  " mx1.numerique.gouv.fr; spf=pass smtp.mailfrom=a@agence.example.fr\r\n"
	  FROM BODY, NULL, ACT_REPLY },
	{ "results and a field's name in capitals", RP "AUTHENTICATION-RESULTS:"
	  " mx1.numerique.gouv.fr; DKIM=PASS HEADER.D=Mail.Agence.Example.FR\r\n"
	  FROM BODY, NULL, ACT_REPLY },
	{ "a verdict in capitals", RP "Authentication-Results:"
	  " mx1.numerique.gouv.fr; DMARC=FAIL header.from=agence.example.fr\r\n"
	  FROM BODY, "untrusted-sender", ACT_REVIEW },
	{ "dkim=pass of a subdomain", RP "Authentication-Results:"
	  " mx1.numerique.gouv.fr; dkim=pass header.d=mail.agence.example.fr\r\n"
	  FROM BODY, NULL, ACT_REPLY },
	{ "dkim=pass of another domain, spf fail",
	  "Return-Path: <x@evil.example.net>\r\nAuthentication-Results:"
	  " mx1.numerique.gouv.fr; dkim=pass header.d=evil.example.net;"
	  " spf=fail smtp.mailfrom=x@evil.example.net\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "a verdict from another host does not count",
	  "Return-Path: <x@evil.example.net>\r\nAuthentication-Results:"
	  " mx.evil.example.net; dmarc=pass\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "no verdict: review", RP FROM BODY, "untrusted-sender",
	  ACT_REVIEW },
	{ "a colleague of identity.colleagues, in a subdomain", "Return-Path:"
	  " <b@x.beta.gouv.fr>\r\nAuthentication-Results:"
	  " mx1.numerique.gouv.fr; dmarc=pass header.from=x.beta.gouv.fr\r\n"
	  "From: B <b@x.beta.gouv.fr>\r\n" BODY, "colleague", ACT_REVIEW },
	{ "a domain that only ends like a colleague's", "Return-Path:"
	  " <b@notbeta.gouv.fr>\r\nAuthentication-Results:"
	  " mx1.numerique.gouv.fr; dmarc=pass header.from=notbeta.gouv.fr\r\n"
	  "From: B <b@notbeta.gouv.fr>\r\n" BODY, NULL, ACT_REPLY },
	{ "results without a verdict (dmarc=none, spf=none)", RP
	  "Authentication-Results: mx1.numerique.gouv.fr; dmarc=none"
	  " header.from=agence.example.fr; spf=none\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "dmarc=pass without header.from is no verdict", RP
	  "Authentication-Results: mx1.numerique.gouv.fr; dmarc=pass\r\n"
	  FROM BODY, "untrusted-sender", ACT_REVIEW },
	{ "dmarc=pass for another domain", RP "Authentication-Results:"
	  " mx1.numerique.gouv.fr; dmarc=pass header.from=evil.example\r\n"
	  FROM BODY, "untrusted-sender", ACT_REVIEW },
	{ "dmarc=pass here, dmarc=fail from the second MX", RP AR
	  "Authentication-Results: mx2.numerique.gouv.fr; dmarc=fail"
	  " header.from=agence.example.fr\r\n" FROM BODY, "untrusted-sender",
	  ACT_REVIEW },
	{ "empty results and a comment before the key", RP
	  "Authentication-Results: mx1.numerique.gouv.fr;; spf=pass (the"
	  " sender smtp host is permitted) smtp.mailfrom=a@agence.example.fr;"
	  "\r\n" FROM BODY, NULL, ACT_REPLY },
	{ "field name and keys in other cases", RP "authentication-results:"
	  " mx1.numerique.gouv.fr; DMARC=pass Header.From=agence.example.fr\r\n"
	  FROM BODY, NULL, ACT_REPLY },
	{ "a key inside another word is not read", RP "Authentication-Results:"
	  " mx1.numerique.gouv.fr; dmarc=pass xheader.from=agence.example.fr"
	  "\r\n" FROM BODY, "untrusted-sender", ACT_REVIEW },
	{ "dmarc=pass from the second MX", RP "Authentication-Results:"
	  " mx2.numerique.gouv.fr; dmarc=pass header.from=agence.example.fr\r\n"
	  FROM BODY, NULL, ACT_REPLY },
	{ "one header a method: a failed spf, an aligned dkim pass", RP
	  "Authentication-Results: mx2.numerique.gouv.fr; spf=softfail"
	  " smtp.mailfrom=a@agence.example.fr\r\n"
	  "Authentication-Results: mx2.numerique.gouv.fr; dkim=pass"
	  " header.d=agence.example.fr\r\n" FROM BODY, NULL, ACT_REPLY },
	{ "a second dmarc=fail of the same host", RP AR
	  "Authentication-Results: mx1.numerique.gouv.fr; dmarc=fail"
	  " header.from=agence.example.fr\r\n" FROM BODY, "untrusted-sender",
	  ACT_REVIEW },
	{ "From with <victim> in a comment", RP AR
	  "From: <a@agence.example.fr> (see <victim@evil.example>)\r\n" BODY,
	  "unclear-from", ACT_REVIEW },
	{ "From as a group", RP AR
	  "From: team: <a@agence.example.fr>, <victim@evil.example>;\r\n" BODY,
	  "unclear-from", ACT_REVIEW },
	{ "From with two addresses", RP AR
	  "From: a@agence.example.fr, victim@evil.example\r\n" BODY,
	  "unclear-from", ACT_REVIEW },
	{ "From with <victim> in a quoted name", RP AR
	  "From: \"A <victim@evil.example>\" <a@agence.example.fr>\r\n" BODY,
	  "unclear-from", ACT_REVIEW },
	{ "From with an empty group", RP AR "From: undisclosed:;\r\n" BODY,
	  "unclear-from", ACT_REVIEW },
	{ "From that cannot be read", RP AR
	  "From: Agent <not an address>\r\n" BODY, "unclear-from",
	  ACT_REVIEW },
	{ "1,000 nested multiparts", NULL, "unreadable", ACT_REVIEW },
	{ "a reply to an automatic answer (In-Reply-To)", RP AR FROM
	  "In-Reply-To: <floss-responder.1741000000.0a1b2c3d4e5f6071"
	  "@numerique.gouv.fr>\r\n" BODY, "follow-up", ACT_REVIEW },
	{ "a reply to an automatic answer (References, domain in capitals)",
	  RP AR FROM "References: <x1@agence.example.fr>\r\n"
	  " <floss-responder.1741000000.0a1b2c3d4e5f6071@Numerique.Gouv.FR>\r\n"
	  BODY, "follow-up", ACT_REVIEW },
	{ "a reply to another message of the mission's domain", RP AR FROM
	  "References: <a1b2c3@numerique.gouv.fr> <x1@agence.example.fr>\r\n"
	  "In-Reply-To: <x1@agence.example.fr>\r\n" BODY, "follow-up",
	  ACT_REVIEW },
	{ "References to someone else's Message-ID only", RP AR FROM
	  "References: <a1b2c3@agence.example.fr> <x1@agence.example.fr>\r\n"
	  "In-Reply-To: <x1@agence.example.fr>\r\n" BODY, NULL, ACT_REPLY },
	{ "a Message-ID on a domain that only begins like ours", RP AR FROM
	  "In-Reply-To: <floss-responder.1741000000.0a1b2c3d4e5f6071"
	  "@numerique.gouv.fr.example.net>\r\n" BODY, NULL, ACT_REPLY },
	{ "an auto-reply to an automatic answer is machine mail", RP AR FROM
	  "Auto-Submitted: auto-replied\r\nIn-Reply-To: <floss-responder."
	  "1741000000.0a1b2c3d4e5f6071@numerique.gouv.fr>\r\n" BODY,
	  "auto-submitted", ACT_IGNORE },
};

/* With trust.without_verdict: return-path, today's rule when no host
 * said anything: From and Return-Path in the same domain. */
/* Follow-ups to an answer on a referent, with classify.follow_ups: new. */
#define ANSWERED RP AR FROM "In-Reply-To: <floss-responder.1741000000." \
		"0a1b2c3d4e5f6071@numerique.gouv.fr>\r\n" \
		"Subject: Re: Devenir référent d'un logiciel du SILL\r\n\r\n"
static const struct {
	const char	*name;
	const char	*msg;
	enum action	 action;
	const char	*verdict;
	const char	*topic;
} again[] = {
	{ "the same question again", ANSWERED "Merci, mais je n'ai pas"
	  " compris : comment devenir référent d'un logiciel du SILL pour"
	  " notre mairie ?\r\n", ACT_REVIEW, "again", "sill-referent" },
	{ "a new question", ANSWERED "Merci beaucoup. Autre chose : où"
	  " trouver la liste des OSPO du secteur public ?\r\n", ACT_REPLY,
	  "reply", "ospo-list" },
	{ "the thread's topic asked again beside a new one", ANSWERED
	  "Merci. Autre question : GLPI est-il couvert par le marché de"
	  " support ? Et pour le catalogue, comment y indiquer que nous"
	  " sommes utilisateurs ?\r\n", ACT_REVIEW, "again",
	  "markets-software" },
	{ "thanks only", ANSWERED "Merci beaucoup pour ces précisions,"
	  " c'est très clair.\r\n", ACT_REVIEW, "no-keyword", "-" },
};

static const struct scase relaxed[] = {
	{ "no verdict, Return-Path in the From domain", RP FROM
	  BODY, NULL, ACT_REPLY },
	{ "no verdict, Return-Path elsewhere",
	  "Return-Path: <news@mailer.example.net>\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "no verdict, no Return-Path", FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
	{ "no verdict, two Return-Path addresses",
	  "Return-Path: <a@agence.example.fr>, <b@evil.example>\r\n" FROM BODY,
	  "untrusted-sender", ACT_REVIEW },
};

/* Out-of-office notices read from the words folded once (decide()) as
 * from the words the screen folds itself. */
static const struct {
	const char	*name;
	const char	*pad;		/* written npad times first */
	int		 npad;
	const char	*text;
	int		 notice;
} heads[] = {
	{ "a notice after a blank line", "", 0, "Bonjour.\n\nJe suis absent du"
	  " bureau jusqu'au 3 mai.", 1 },
	{ "a notice across a sentence's end", "", 0, "I am. Out of the office"
	  " until Monday.", 1 },
	{ "a notice in a list", "", 0, "Note :\n- je suis absent\n- retour"
	  " lundi", 1 },
	{ "a notice past the start", "x ", 300, "Je suis absent.", 0 },
	{ "accents up to the cut", "\xc3\xa9", 300, "Je suis absent.", 0 },
	{ "a letter across the cut", "a\xc3\xa9", 300, "Je suis absent.", 0 },
	/* The start is cut inside the last letter: "bis " then. */
	{ "a notice cut inside a letter", "a", 387, " ich bin bis\xc3\xa9"
	  " lundi", 1 },
	{ "a notice before the cut", "", 0, "Merci. Je suis absent. \xc3\xa9"
	  "t\xc3\xa9 ?", 1 },
	{ "a notice that ends at the cut", "x ", 193, "Je suis absent.", 1 },
	{ "a notice cut inside its last word", "x ", 195, "Je suis absent.",
	  0 },
	{ "a notice past a blank line near the cut", "x ", 180, "ok.\n\n"
	  "je suis absent", 1 },
};

static void
read_heads(const struct core *core)
{
	const struct screen_rule	*a, *b;
	struct message			*msg;
	struct reading			 rd;
	struct decision			 d;
	struct buf			 raw;
	char				*wa, *wb, *cause, *want;
	size_t				 i, k;

	buf_init(&raw);
	for (i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		buf_reset(&raw);
		buf_adds(&raw, RP AR FROM "Subject: Question\r\n"
		    "Content-Type: text/plain; charset=utf-8\r\n\r\n");
		for (k = 0; k < (size_t)heads[i].npad; k++)
			buf_adds(&raw, heads[i].pad);
		buf_adds(&raw, heads[i].text);
		if (message_parse(raw.data, raw.len, &msg, &cause) != 0) {
			OK(0, "%s: parse: %s", heads[i].name, cause);
			free(cause);
			continue;
		}
		reading_init(&rd, msg);
		a = screen(core, msg, &wa);
		b = screen_read(core, msg, &rd, &wb);
		STR_EQ(a != NULL ? a->name : "(none)", heads[i].notice ?
		    "out-of-office" : "(none)", "%s", heads[i].name);
		STR_EQ(b != NULL ? b->name : "(none)", a != NULL ? a->name :
		    "(none)", "%s: the same from the words folded once",
		    heads[i].name);
		STR_EQ(wb != NULL ? wb : "-", wa != NULL ? wa : "-",
		    "%s: the same reason", heads[i].name);
		/* And from what classify's scan found. */
		decision_init(&d);
		decide(core, msg, &d);
		want = a != NULL ? xasprintf("%s: %s", a->name, wa) :
		    xstrdup("-");
		STR_EQ(d.rule != NULL && d.nreasons > 0 ? d.reasons[0] : "-",
		    want, "%s: the same from classify's scan", heads[i].name);
		free(want);
		decision_clear(&d);
		free(wa);
		free(wb);
		reading_free(&rd);
		message_free(msg);
	}
	buf_free(&raw);
}

int
main(void)
{
	struct core			*core;
	struct message			*msg;
	struct decision			 d;
	struct buf			 b;
	const struct screen_rule	*rule, **r;
	char				*why, *cause = NULL;
	const struct scase		*c;
	const char			*raw;
	size_t				 i, j, n;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL)
		return (tap_done());
	/* The default: follow-ups go to a person. */
	core->conf->follow_ups = FOLLOWUP_REVIEW;
	buf_init(&b);
	n = sizeof cases / sizeof cases[0];
	for (i = 0; i < n + sizeof relaxed / sizeof relaxed[0]; i++) {
		c = i < n ? &cases[i] : &relaxed[i - n];
		raw = c->msg;
		if (raw == NULL) {
			buf_reset(&b);
			buf_adds(&b, RP AR FROM "Subject: deep\r\n");
			for (j = 0; j < 1000; j++)
				buf_printf(&b, "Content-Type: multipart/mixed;"
				    " boundary=\"b%zu\"\r\n\r\n--b%zu\r\n", j, j);
			raw = b.data;
		}
		if (message_parse(raw, strlen(raw), &msg, &cause) != 0) {
			OK(0, "%s: parse: %s", c->name, cause);
			free(cause);
			continue;
		}
		core->conf->without_verdict = i < n ? NOVERDICT_REVIEW :
		    NOVERDICT_RETURN_PATH;
		rule = screen(core, msg, &why);
		if (c->rule == NULL)
			OK(rule == NULL, "%s: no rule fires (%s: %s)",
			    c->name, rule != NULL ? rule->name : "-",
			    why != NULL ? why : "-");
		else {
			STR_EQ(rule != NULL ? rule->name : "(none)",
			    c->rule, "%s: rule", c->name);
			OK(why != NULL && *why != '\0', "%s: says why (%s)",
			    c->name, why != NULL ? why : "");
			INT_EQ(rule != NULL ? (int)rule->action : -1,
			    c->action, "%s: action", c->name);
		}
		/* The same through the one route. */
		decision_init(&d);
		decide(core, msg, &d);
		if (c->rule != NULL) {
			INT_EQ(d.action, c->action, "%s: decision",
			    c->name);
			OK(d.nreasons > 0 && strncmp(d.reasons[0], c->rule,
			    strlen(c->rule)) == 0,
			    "%s: the rule is the first reason", c->name);
			if (d.action == ACT_IGNORE)
				INT_EQ(d.ntopics, 0, "%s: no topic for ignored"
				    " mail", c->name);
		}
		decision_clear(&d);
		free(why);
		message_free(msg);
	}
	buf_free(&b);
	read_heads(core);

	/* A follow-up goes to a person with the reason the answer gives;
	 * with classify.follow_ups: new, a clear question in it is
	 * answered. */
	raw = RP AR FROM "In-Reply-To: <floss-responder.1741000000."
	    "0a1b2c3d4e5f6071@numerique.gouv.fr>\r\n" BODY;
	if (message_parse(raw, strlen(raw), &msg, &cause) == 0) {
		decision_init(&d);
		decide(core, msg, &d);
		INT_EQ(d.action, ACT_REVIEW, "a follow-up: review");
		HAS(d.nreasons > 0 ? d.reasons[0] : "", "follow-up: a follow-up"
		    " to an answer of the mission: a person answers, as the answer"
		    " promises", "a follow-up: the reason says a person answers");
		decision_clear(&d);
		message_free(msg);
	}
	core->conf->follow_ups = FOLLOWUP_NEW;
	if (message_parse(raw, strlen(raw), &msg, &cause) == 0) {
		rule = screen(core, msg, &why);
		OK(rule == NULL, "follow_ups new: no rule fires (%s)",
		    rule != NULL ? rule->name : "-");
		free(why);
		decision_init(&d);
		decide(core, msg, &d);
		INT_EQ(d.action, ACT_REPLY, "follow_ups new: the question"
		    " is answered");
		decision_clear(&d);
		message_free(msg);
	} else {
		OK(0, "follow_ups new: parse: %s", cause);
		free(cause);
	}
	/* What the Subject names was answered: the same question asked
	 * again goes to a person; another one is answered, and the Subject
	 * adds nothing to it. */
	for (j = 0; j < sizeof again / sizeof again[0]; j++) {
		if (message_parse(again[j].msg, strlen(again[j].msg), &msg,
		    &cause) != 0) {
			OK(0, "%s: parse: %s", again[j].name, cause);
			free(cause);
			continue;
		}
		decision_init(&d);
		decide(core, msg, &d);
		INT_EQ(d.action, again[j].action, "follow_ups new, %s: %s",
		    again[j].name, action_name(again[j].action));
		STR_EQ(verdict_names[d.verdict], again[j].verdict,
		    "follow_ups new, %s: verdict", again[j].name);
		STR_EQ(d.ntopics > 0 ? core->rules->topics[d.topics[0]].id :
		    "-", again[j].topic, "follow_ups new, %s: topic",
		    again[j].name);
		decision_clear(&d);
		message_free(msg);
	}
	core->conf->follow_ups = FOLLOWUP_REVIEW;

	/* Our id after 100,000 bytes of ids that never close, each read
	 * once. */
	buf_init(&b);
	buf_adds(&b, RP AR FROM "References:");
	for (j = 0; j < 6000; j++)
		buf_adds(&b, " <floss-responder.1741000000");
	buf_adds(&b, " <floss-responder.1741000000.0a1b2c3d4e5f6071"
	    "@numerique.gouv.fr>\r\n" BODY);
	if (message_parse(b.data, b.len, &msg, &cause) == 0) {
		rule = screen(core, msg, &why);
		STR_EQ(rule != NULL ? rule->name : "(none)", "follow-up",
		    "our id after ids that never close: a follow-up");
		free(why);
		message_free(msg);
	} else {
		OK(0, "ids that never close: parse: %s", cause);
		free(cause);
	}

	/* The notice of an automatic answer quoted, whatever the headers
	 * say: a follow-up too, unless follow-ups are classified. */
	for (j = 0; j < 2; j++) {
		buf_reset(&b);
		buf_adds(&b, RP AR FROM "Subject: Re: question\r\n\r\n"
		    "Et pour le lot 2 ?\r\n\r\nLe 4 mars 2025 à 09:30,"
		    " Mission <floss@numerique.gouv.fr> a écrit :\r\n> ");
		buf_adds(&b, core->replies->frame_text[j].automatic);
		buf_adds(&b, "\r\n");
		if (message_parse(b.data, b.len, &msg, &cause) != 0) {
			OK(0, "the notice quoted: parse: %s", cause);
			free(cause);
			continue;
		}
		OK(msg->flags & MSG_ANSWER, "the %s notice quoted: read",
		    lang_name(j));
		rule = screen(core, msg, &why);
		STR_EQ(rule != NULL ? rule->name : "(none)", "follow-up",
		    "the %s notice quoted: a follow-up", lang_name(j));
		free(why);
		core->conf->follow_ups = FOLLOWUP_NEW;
		rule = screen(core, msg, &why);
		OK(rule == NULL, "the %s notice quoted, follow_ups new:"
		    " no rule fires", lang_name(j));
		free(why);
		core->conf->follow_ups = FOLLOWUP_REVIEW;
		message_free(msg);
	}
	buf_free(&b);

	/* Every rule describes itself. */
	for (r = screen_rules; *r != NULL; r++)
		OK((*r)->desc() != NULL && strlen((*r)->desc()) > 10,
		    "rule %s describes itself", (*r)->name);
	core_free(core);
	return (tap_done());
}

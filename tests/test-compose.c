/* The reply message, parsed back: headers, threading, both parts, accents,
 * links, and nothing of the incoming message bending it. */

#include <libetpan/libetpan.h>

#include "floss-responder.h"
#include "tap.h"

static struct core *core;

struct parts {
	char	*text;
	char	*html;
};

static void
collect(struct mailmime *mime, struct parts *p)
{
	clistiter			*it;
	struct mailmime_data		*data;
	struct mailmime_single_fields	 sf;
	char				*dec;
	size_t				 idx = 0, len;

	if (mime->mm_type == MAILMIME_MULTIPLE) {
		for (it = clist_begin(mime->mm_data.mm_multipart.mm_mp_list);
		    it != NULL; it = clist_next(it))
			collect(clist_content(it), p);
		return;
	}
	if (mime->mm_type == MAILMIME_MESSAGE) {
		if (mime->mm_data.mm_message.mm_msg_mime != NULL)
			collect(mime->mm_data.mm_message.mm_msg_mime, p);
		return;
	}
	data = mime->mm_data.mm_single;
	memset(&sf, 0, sizeof sf);
	mailmime_single_fields_init(&sf, mime->mm_mime_fields,
	    mime->mm_content_type);
	if (mailmime_part_parse(data->dt_data.dt_text.dt_data,
	    data->dt_data.dt_text.dt_length, &idx, data->dt_encoding, &dec,
	    &len) != MAILIMF_NO_ERROR)
		return;
	if (strcmp(mime->mm_content_type->ct_subtype, "plain") == 0)
		p->text = xstrndup(dec, len);
	else if (strcmp(mime->mm_content_type->ct_subtype, "html") == 0)
		p->html = xstrndup(dec, len);
	mailmime_decoded_part_free(dec);
}

/* Decides and composes the reply to a test message; returns its bytes. */
static char *
reply_to(const char *file, const char *message_id, struct message **msgp,
    struct decision *d)
{
	struct compose_opts	 o = { .now = 1741600000 };
	struct buf		 out;
	char			*path, *raw, *cause = NULL;
	size_t			 len;

	o.message_id = message_id;
	path = xasprintf("%s/tests/msg/%s", srcdir(), file);
	raw = read_message(path, &len, &cause);
	free(path);
	decision_init(d);
	if (raw == NULL || decide_raw(core, raw, len, msgp, d) != 0) {
		printf("# %s: %s\n", file, cause);
		free(cause);
		free(raw);
		return (NULL);
	}
	buf_init(&out);
	if (compose_reply(core, *msgp, d, &o, &out, &cause) != 0) {
		printf("# %s: %s\n", file, cause);
		free(cause);
		buf_free(&out);
		out.data = NULL;
	}
	/* The message points into raw; the caller frees both. */
	(*msgp)->raw = NULL;
	free(raw);
	return (out.data);
}

static const char *
header(const struct message *m, const char *name)
{
	const char	*v = message_header(m, name);

	return (v != NULL ? v : "(none)");
}

/* Header lines of a raw message, to check their shape. */
static int
well_formed(const char *raw)
{
	const char	*p, *eol;

	for (p = raw; *p != '\0'; p = eol + 1) {
		if ((eol = strchr(p, '\n')) == NULL)
			return (*p == '\0');
		if (eol == p || eol[-1] != '\r')
			return (0);	/* a bare LF */
		if (eol - p > 998)
			return (0);
	}
	return (1);
}

/*
 * An automatic reply pasted back under a new question, without any mark
 * (a client that lost the HTML quote): its words are not the sender's,
 * whatever topics they name, and the message quotes an answer.
 */
static void
pasted_back(void)
{
	struct message	*in, *back;
	struct decision	 d;
	struct buf	 b;
	char		*raw, *text, *cause = NULL;
	const char	*p;

	text_known(core->known);
	raw = reply_to("multi-topic.eml", NULL, &in, &d);
	OK(raw != NULL, "pasted back: composed");
	if (raw == NULL)
		return;
	text = reply_text(core, in, &d, NULL);
	buf_init(&b);
	buf_adds(&b, "From: Camille <c@agence.example.fr>\r\nSubject: Re: "
	    "question\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	    "Bonjour,\r\nMerci. Nous cherchons aussi une solution libre pour"
	    " remplacer notre outil de visioconférence.\r\n\r\n");
	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			buf_addc(&b, '\r');
		buf_addc(&b, *p);
	}
	if (message_parse(b.data, b.len, &back, &cause) != 0) {
		OK(0, "pasted back: parse: %s", cause);
		free(cause);
	} else {
		HAS(back->own, "visioconférence", "pasted back: the new question"
		    " is kept");
		HASNT(back->own, "propriété intellectuelle", "pasted back: the"
		    " answer's words are not");
		HASNT(back->own, "Choisir la licence libre", "pasted back: nor"
		    " a section's title");
		OK(back->flags & MSG_ANSWER, "pasted back: the message quotes"
		    " an answer");
		message_free(back);
	}
	buf_free(&b);
	free(text);
	free(raw);
	decision_clear(&d);
	message_free(in);
}

/* How many times needle is in hay. */
static int
count(const char *hay, const char *needle)
{
	const char	*p;
	int		 n = 0;

	for (p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return (n);
}

/* Sets the body of a topic's French reply (the test's own texts). */
static void
set_body(const char *topic, const char *md)
{
	struct reply_doc	*doc;
	int			 t = rules_topic(core->rules, topic);

	doc = &core->replies->docs[(size_t)t * LANG_COUNT + LANG_FR];
	free(doc->body);
	doc->body = xstrdup(md);
}

/*
 * Two answers that give the same links: each address is given once, by
 * the first longer paragraph that holds it (else its first place).  A
 * paragraph of one sentence whose links are given elsewhere goes; another
 * longer one keeps the link's words; a paragraph said twice is said once.
 */
static void
combined(void)
{
	struct message	 m;
	struct decision	 d;
	struct compose_opts o = { .draft = 1 };
	char		*md, *text;

	memset(&m, 0, sizeof m);
	m.subject = xstrdup("Deux questions");
	m.from.addr = xstrdup("a@b.example");
	m.own = xstrdup("Question ?");
	m.ownlen = strlen(m.own);
	set_body("bluehats", "Lisez [le guide](https://a.example/guide).\n\n"
	    "Voir [la liste](https://a.example/liste).\n\n"
	    "La liste est longue. Elle est [là](https://a.example/liste) et"
	    " change souvent.\n\n"
	    "Un fait dit deux fois, dans les deux réponses.\n");
	set_body("ospo-list", "Le guide explique tout. Il est"
	    " [ici](https://a.example/guide) et compte deux parties.\n\n"
	    "Voir [la liste](https://a.example/liste).\n\n"
	    "Relisez [le guide](https://a.example/guide), dit autrement.\n\n"
	    "La liste aussi. On la trouve [là-bas](https://a.example/liste)"
	    " chaque jour.\n\n"
	    "Un fait dit deux fois, dans les deux réponses.\n\n"
	    "Un fait de la seconde réponse, dit une fois.\n");
	decision_init(&d);
	d.action = ACT_REPLY;
	d.topics[0] = rules_topic(core->rules, "bluehats");
	d.topics[1] = rules_topic(core->rules, "ospo-list");
	d.ntopics = 2;
	md = reply_markdown(core, &m, &d, &o);
	INT_EQ(count(md, "https://a.example/guide"), 1,
	    "combined: the guide's link once");
	INT_EQ(count(md, "https://a.example/liste"), 1,
	    "combined: the list's link once");
	HAS(md, "Il est [ici](https://a.example/guide) et compte",
	    "combined: a longer paragraph keeps it, though a sentence that"
	    " only gives it came first");
	HAS(md, "Elle est [là](https://a.example/liste) et change",
	    "combined: the first longer paragraph keeps it");
	HAS(md, "On la trouve là-bas chaque jour.",
	    "combined: a later longer paragraph keeps the link's words");
	INT_EQ(count(md, "Voir "), 0, "combined: the sentences that only give"
	    " a link given elsewhere go");
	HASNT(md, "Lisez", "combined: in the first answer too");
	INT_EQ(count(md, "Un fait dit deux fois"), 1,
	    "combined: the same paragraph once");
	HAS(md, "Un fait de la seconde réponse, dit une fois.",
	    "combined: the rest of the second answer stays");
	text = reply_text(core, &m, &d, &o);
	INT_EQ(count(text, "https://a.example/guide"), 1,
	    "combined: the text part writes the link once");
	free(text);
	free(md);
	decision_clear(&d);
	free(m.subject);
	free(m.from.addr);
	free(m.own);
}

/* The products the lists do not know, told by the words around them. */
static const struct {
	const char	*text, *want;	/* names, '|' between */
} product_cases[] = {
	{ "Le logiciel Frobnicator est-il couvert ?", "Frobnicator" },
	{ "Nous utilisons GLPI, Quuxbase et Zimbra.", "Quuxbase" },
	{ "Les logiciels Alpha, Beta et GLPI sont-ils couverts ?",
	  "Alpha|Beta" },
	{ "L'outil libre Grumbl Suite est-il couvert par le marché ?",
	  "Grumbl Suite" },
	{ "Le logiciel de gestion Fizzware est-il couvert ?", "Fizzware" },
	{ "Is the tool Blorp covered by the support market?", "Blorp" },
	{ "Is Blorp covered? We use no software of yours.", "" },
	{ "Is our software Blorp covered?", "Blorp" },
	{ "Est-ce que Fizzware est couvert par le marché ?", "" },
	{ "Cela est-il couvert par le logiciel de support ?", "" },
	{ "Bjr, Nextcloud est-il couvert ?", "" },
	{ "Notre Direction utilise GLPI depuis Janvier.", "" },
	{ "Nous utilisons le logiciel SIRH de la DGFiP.", "" },
	{ "Le logiciel Postgres est-il couvert ?", "" },
	{ "Monsieur Martin, le logiciel GLPI est-il couvert ?", "" },
	{ "Le Cerema est-il couvert par le marché ?", "" },
};

static void
products(void)
{
	struct message	*m;
	struct decision	 d;
	struct buf	 got;
	char		*raw, *names[4], *cause = NULL;
	size_t		 i, k, n;

	for (i = 0; i < sizeof product_cases / sizeof product_cases[0]; i++) {
		raw = xasprintf("From: <a@b.example>\r\nSubject: Question\r\n"
		    "\r\n%s\r\n", product_cases[i].text);
		if (message_parse(raw, strlen(raw), &m, &cause) != 0) {
			OK(0, "%s: %s", product_cases[i].text, cause);
			free(cause);
			free(raw);
			continue;
		}
		decision_init(&d);
		decide(core, m, &d);
		n = say_unknown_products(core, m, &d, names, 4);
		buf_init(&got);
		for (k = 0; k < n; k++) {
			if (k > 0)
				buf_addc(&got, '|');
			buf_adds(&got, names[k]);
			free(names[k]);
		}
		STR_EQ(got.data != NULL ? got.data : "", product_cases[i].want,
		    "products in \"%s\"", product_cases[i].text);
		buf_free(&got);
		decision_clear(&d);
		message_free(m);
		free(raw);
	}
}

int
main(void)
{
	struct message	*in, *back;
	struct decision	 d;
	struct mailmime	*mime;
	struct parts	 parts;
	char		*raw, *cause = NULL, *hdrend;
	size_t		 idx;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL)
		return (tap_done());
	/* The replies are read back whole: their texts are not left out of
	 * the own words here. */
	text_forget(core->known);

	/* An ordinary question. */
	raw = reply_to("utf8-qp.eml", "<test-1@numerique.gouv.fr>", &in, &d);
	OK(raw != NULL, "a reply is composed");
	if (raw == NULL)
		return (tap_done());
	OK(well_formed(raw), "CRLF lines of at most 998 bytes");
	INT_EQ(message_parse(raw, strlen(raw), &back, &cause), 0,
	    "the reply parses back");
	STR_EQ(header(back, "From"), "Mission logiciels libres"
	    " <floss@numerique.gouv.fr>", "From: the identity");
	STR_EQ(header(back, "To"), "<camille.martin@agence.example.fr>",
	    "To: the sender only");
	STR_EQ(back->subject, "Re: Devenir référente dans le SILL",
	    "Subject: Re: and the original, accents kept");
	STR_EQ(header(back, "In-Reply-To"), "<utf8qp@agence.example.fr>",
	    "In-Reply-To");
	STR_EQ(back->references, "<utf8qp@agence.example.fr>", "References");
	STR_EQ(header(back, "Message-ID"), "<test-1@numerique.gouv.fr>",
	    "Message-ID");
	HAS(header(back, "Date"), "2025", "Date");
	STR_EQ(header(back, "Auto-Submitted"), "auto-replied",
	    "Auto-Submitted: auto-replied");
	STR_EQ(header(back, "X-Auto-Response-Suppress"), "All",
	    "X-Auto-Response-Suppress: All");
	STR_EQ(header(back, "Content-Language"), "fr", "Content-Language");
	STR_EQ(header(back, "MIME-Version"), "1.0", "MIME-Version");
	HAS(header(back, "Content-Type"), "multipart/alternative",
	    "multipart/alternative");
	message_free(back);

	idx = 0;
	memset(&parts, 0, sizeof parts);
	if (mailmime_parse(raw, strlen(raw), &idx, &mime) == MAILIMF_NO_ERROR) {
		collect(mime, &parts);
		mailmime_free(mime);
	}
	HAS(parts.text, "Bonjour,", "text: greeting");
	HAS(parts.text, "Devenir référent d'un logiciel libre du SILL",
	    "text: the topic's section, accents kept");
	HAS(parts.text, "(https://code.gouv.fr/fr/doc/sill/)",
	    "text: links written out");
	HAS(parts.text, "répondez simplement à ce message", "text: a person"
	    " reads the answers");
	HAS(parts.text, "> Comment puis-je devenir référente de ce logiciel dans"
	    " le SILL ?", "text: the question quoted");
	HASNT(parts.text, "Nous utilisons Nextcloud", "text: not its context");
	HASNT(parts.text, "Cordialement,\nCamille", "text: not the whole"
	    " message");
	HAS(parts.html, "<h2>Devenir référent d'un logiciel libre du SILL</h2>",
	    "html: the section");
	HAS(parts.html, "<a href=\"https://code.gouv.fr/fr/doc/sill/\">",
	    "html: the links");
	HAS(parts.html, "<blockquote>", "html: the quote");
	HAS(parts.html, "<html lang=\"fr\">", "html: the language");
	free(parts.text);
	free(parts.html);
	hdrend = strstr(raw, "\r\n\r\n");
	OK(hdrend != NULL && memchr(raw, '\n', (size_t)(hdrend - raw)) != NULL,
	    "a header block and a body");
	free(raw);
	decision_clear(&d);
	message_free(in);

	/* Injection: CR LF in the subject and the name, HTML and Markdown in
	 * the body. */
	raw = reply_to("injection.eml", "<test-2@numerique.gouv.fr>", &in, &d);
	OK(raw != NULL, "injection: a reply is composed");
	if (raw != NULL) {
		OK(well_formed(raw), "injection: well-formed lines");
		hdrend = strstr(raw, "\r\n\r\n");
		*hdrend = '\0';
		OK(strstr(raw, "\nBcc:") == NULL && strstr(raw, "\nbcc:") ==
		    NULL, "injection: no Bcc header line");
		*hdrend = '\r';
		INT_EQ(message_parse(raw, strlen(raw), &back, &cause), 0,
		    "injection: parses back");
		STR_EQ(back->subject, "Re: SILL Bcc: victim@example.com <b>bold</b>",
		    "injection: the subject stays one line of text");
		STR_EQ(header(back, "To"), "<eve@agence.example.fr>",
		    "injection: To is the address alone");
		message_free(back);
		idx = 0;
		memset(&parts, 0, sizeof parts);
		if (mailmime_parse(raw, strlen(raw), &idx, &mime) ==
		    MAILIMF_NO_ERROR) {
			collect(mime, &parts);
			mailmime_free(mime);
		}
		HASNT(parts.html, "<script>", "injection: no markup passes");
		HAS(parts.html, "&lt;script&gt;", "injection: it is escaped");
		HASNT(parts.html, "href=\"https://evil.example.net\"",
		    "injection: no link from the question");
		HAS(parts.html, "**gras**", "injection: Markdown stays text");
		free(parts.text);
		free(parts.html);
		free(raw);
		decision_clear(&d);
		message_free(in);
	}

	/* Threading of an answer, and no "Re: Re:". */
	raw = reply_to("reply-quoted.eml", NULL, &in, &d);
	OK(raw != NULL, "reply to a reply: composed");
	if (raw != NULL) {
		message_parse(raw, strlen(raw), &back, &cause);
		STR_EQ(back->subject, "Re: Votre question sur le marché de support",
		    "no Re: Re:");
		STR_EQ(back->references, "<old0@numerique.gouv.fr>"
		    " <old1@numerique.gouv.fr> <replyq@agence.example.fr>",
		    "References: the thread and the message");
		HAS(header(back, "Message-ID"), "@numerique.gouv.fr>",
		    "a fresh Message-ID on the responder's domain");
		message_free(back);
		free(raw);
		decision_clear(&d);
		message_free(in);
	}

	/* Reply-To in another domain: the reply goes to From. */
	raw = reply_to("reply-to-other.eml", NULL, &in, &d);
	OK(raw != NULL, "Reply-To elsewhere: composed");
	if (raw != NULL) {
		message_parse(raw, strlen(raw), &back, &cause);
		STR_EQ(header(back, "To"), "<camille.martin@agence.example.fr>",
		    "Reply-To in another domain is not followed");
		message_free(back);
		STR_EQ(reply_address(core->conf, in),
		    "camille.martin@agence.example.fr", "policy same-domain");
		core->conf->replyto = REPLYTO_ALWAYS;
		STR_EQ(reply_address(core->conf, in),
		    "camille.martin@agence.example.fr",
		    "policy always: not to another domain either");
		core->conf->replyto = REPLYTO_NEVER;
		STR_EQ(reply_address(core->conf, in),
		    "camille.martin@agence.example.fr", "policy never");
		core->conf->replyto = REPLYTO_DOMAIN;
		free(raw);
		decision_clear(&d);
		message_free(in);
	}

	/* English, two topics. */
	raw = reply_to("english.eml", NULL, &in, &d);
	OK(raw != NULL, "English: composed");
	if (raw != NULL) {
		message_parse(raw, strlen(raw), &back, &cause);
		STR_EQ(header(back, "Content-Language"), "en",
		    "English: Content-Language");
		HAS(back->own, "Hello,", "English: greeting");
		HAS(back->own, "The contributions made through the support market",
		    "English: section");
		message_free(back);
		free(raw);
		decision_clear(&d);
		message_free(in);
	}
	raw = reply_to("multi-topic.eml", NULL, &in, &d);
	OK(raw != NULL, "two topics: composed");
	if (raw != NULL) {
		message_parse(raw, strlen(raw), &back, &cause);
		HAS(back->own, "La cession de la propriété intellectuelle",
		    "two topics: the first section");
		HAS(back->own, "Choisir la licence libre", "two topics: the"
		    " second section");
		OK(strstr(back->own, "propriété intellectuelle des codes") <
		    strstr(back->own, "Choisir la licence libre"),
		    "two topics: in the order asked");
		message_free(back);
		free(raw);
		decision_clear(&d);
		message_free(in);
	}

	/* Reply-To: only one address, in the From's domain (same-domain) or
	 * in it or a subdomain (always). */
	{
		static const struct {
			const char	*reply_to;
			int		 policy;
			const char	*to;
		} rt[] = {
			{ "b@agence.example.fr", REPLYTO_DOMAIN,
			  "b@agence.example.fr" },
			{ "b@Agence.Example.FR", REPLYTO_DOMAIN,
			  "b@agence.example.fr" },
			{ "b@sub.agence.example.fr", REPLYTO_DOMAIN,
			  "a@agence.example.fr" },
			{ "b@sub.agence.example.fr", REPLYTO_ALWAYS,
			  "b@sub.agence.example.fr" },
			{ "b@evil.example", REPLYTO_ALWAYS,
			  "a@agence.example.fr" },
			{ "b@xagence.example.fr", REPLYTO_ALWAYS,
			  "a@agence.example.fr" },
			{ "b@agence.example.fr", REPLYTO_NEVER,
			  "a@agence.example.fr" },
			{ "b@agence.example.fr, c@evil.example", REPLYTO_DOMAIN,
			  "a@agence.example.fr" },
			{ "<b@agence.example.fr> (<c@evil.example>)",
			  REPLYTO_ALWAYS, "a@agence.example.fr" },
			{ "g: b@agence.example.fr;", REPLYTO_DOMAIN,
			  "a@agence.example.fr" },
		};
		struct message	*m;
		char		*r;
		size_t		 i;

		for (i = 0; i < sizeof rt / sizeof rt[0]; i++) {
			r = xasprintf("From: a@agence.example.fr\r\n"
			    "Reply-To: %s\r\n\r\nx\r\n", rt[i].reply_to);
			if (message_parse(r, strlen(r), &m, &cause) == 0) {
				core->conf->replyto = rt[i].policy;
				STR_EQ(reply_address(core->conf, m), rt[i].to,
				    "Reply-To: %s (policy %d)", rt[i].reply_to,
				    rt[i].policy);
				message_free(m);
			}
			free(r);
		}
		core->conf->replyto = REPLYTO_DOMAIN;
	}

	/* A long subject with accents: folded encoded words. */
	{
		struct message	 m;
		struct decision	 dd;
		struct buf	 out;
		char		*line, *save;

		memset(&m, 0, sizeof m);
		m.subject = xstrdup("Très longue question à propos du référencement"
		    " d'un logiciel libre dans le socle interministériel de"
		    " logiciels libres, et de bien d'autres choses encore");
		m.from.addr = xstrdup("a@b.example");
		m.own = xstrdup("Question ?");
		m.ownlen = strlen(m.own);
		decision_init(&dd);
		dd.action = ACT_REPLY;
		dd.topics[0] = rules_topic(core->rules, "sill-reference");
		dd.ntopics = 1;
		buf_init(&out);
		compose_reply(core, &m, &dd, NULL, &out, &cause);
		hdrend = strstr(out.data, "\r\n\r\n");
		*hdrend = '\0';
		for (line = strtok_r(out.data, "\r\n", &save); line != NULL;
		    line = strtok_r(NULL, "\r\n", &save))
			if (strlen(line) > 78)
				break;
		OK(line == NULL, "header lines within 78 columns");
		buf_free(&out);
		free(m.subject);
		free(m.from.addr);
		free(m.own);
		decision_clear(&dd);
	}
	pasted_back();
	combined();
	products();
	core_free(core);
	return (tap_done());
}

/*
 * The reply.  One Markdown document is assembled as a cmark tree -- the
 * greeting, one section per topic (each link and paragraph said once), the
 * notice that the answer is automatic and that replying reaches a person
 * (not in a reply a person sends, which has an introduction of its own),
 * a short quote of the question, the signature -- and rendered twice, as
 * text/plain and text/html, in one
 * multipart/alternative written by libetpan.  The header block is written
 * here so that nothing of the incoming message can bend it: addresses and
 * message ids were checked by the reader, the subject goes through RFC 2047,
 * and the quoted question enters the tree as text nodes, never as Markdown.
 */

#include <sys/types.h>
#include <sys/random.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

#define QUOTE_MAX_LINE	160	/* characters of one quoted line */
#define QUOTE_MAX	600	/* bytes quoted at most */
#define REFS_MAX	10	/* ids kept in References */
#define ID_MAX		250	/* octets of an id kept in a reply: a longer
				   one is left out, so that no header line
				   passes 998 octets (RFC 5322) */
#define SUBJECT_MAX	200	/* characters of the subject kept */
#define ADDR_MAX	254	/* octets of an address (RFC 5321) */

/*
 * From, or Reply-To when it names one address in the domain the sender
 * was authenticated in (same-domain), or in it or one of its subdomains
 * (always): a reply never goes to a domain nobody authenticated.
 */
const char *
reply_address(const struct config *c, const struct message *msg)
{
	const char	*rd, *fd;

	if (msg->reply_to.addr == NULL || c->replyto == REPLYTO_NEVER ||
	    address_problem(&msg->reply_to) != NULL ||
	    msg->from.addr == NULL)
		return (msg->from.addr);
	rd = address_domain(msg->reply_to.addr);
	fd = address_domain(msg->from.addr);
	if (strcasecmp(rd, fd) == 0)
		return (msg->reply_to.addr);
	if (c->replyto == REPLYTO_ALWAYS && domain_under(rd, fd))
		return (msg->reply_to.addr);
	return (msg->from.addr);
}

/* Moves the blocks of a Markdown text to the end of doc; with a decision,
 * the {{organisations}} and {{software}} paragraphs become what the reply
 * says of them (say.c). */
static void
append_body(cmark_node *doc, const char *md, const struct core *core,
    const struct message *msg, const struct decision *d, struct say *st)
{
	cmark_node	*part, *c;
	const char	*slot;

	part = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
	while ((c = cmark_node_first_child(part)) != NULL) {
		cmark_node_unlink(c);
		if (d != NULL && (slot = reply_slot(c)) != NULL) {
			say_entities(doc, core, msg, d, slot[2] == 'o' ?
			    "organisations" : "software", st);
			cmark_node_free(c);
		} else
			cmark_node_append_child(doc, c);
	}
	cmark_node_free(part);
}

static void
append_markdown(cmark_node *doc, const char *md)
{
	append_body(doc, md, NULL, NULL, NULL, NULL);
}

/* Whether a paragraph is one sentence: no '.', '?' or '!' before a space
 * ends one inside it. */
static int
one_sentence(cmark_node *para)
{
	struct buf	 b;
	size_t		 i;
	int		 one = 1;

	buf_init(&b);
	render_inlines(para, &b, 1);
	for (i = 0; i + 1 < b.len; i++)
		if (strchr(".?!", b.data[i]) != NULL && b.data[i + 1] == ' ' &&
		    i + 2 < b.len)
			one = 0;
	buf_free(&b);
	return (one);
}

/* Removes a block, and the list item and list it leaves empty. */
static void
remove_block(cmark_node *n)
{
	cmark_node	*up;

	while ((up = cmark_node_parent(n)) != NULL &&
	    (cmark_node_get_type(up) == CMARK_NODE_ITEM ||
	    cmark_node_get_type(up) == CMARK_NODE_LIST) &&
	    cmark_node_first_child(up) == n && cmark_node_next(n) == NULL)
		n = up;
	cmark_node_free(n);
}

/* Puts a link's words in its place, without its address; a link written
 * as its address goes altogether. */
static void
unlink_words(cmark_node *link)
{
	cmark_node	*c;
	struct buf	 b;
	const char	*url = cmark_node_get_url(link);

	buf_init(&b);
	render_inlines(link, &b, 1);
	if (url == NULL || strcmp(b.data != NULL ? b.data : "", url) != 0 ||
	    strncmp(url, "mailto:", 7) == 0)
		while ((c = cmark_node_first_child(link)) != NULL) {
			cmark_node_unlink(c);
			cmark_node_insert_before(link, c);
		}
	buf_free(&b);
	cmark_node_free(link);
}

/* The nodes of a type under root, in the order they are read. */
static cmark_node **
nodes_of(cmark_node *root, cmark_node_type type, size_t *n)
{
	cmark_iter	 *it;
	cmark_node	**v = NULL;

	*n = 0;
	it = cmark_iter_new(root);
	while (cmark_iter_next(it) != CMARK_EVENT_DONE) {
		if (cmark_iter_get_event_type(it) != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(cmark_iter_get_node(it)) != type)
			continue;
		v = xreallocarray(v, *n + 1, sizeof *v);
		v[(*n)++] = cmark_iter_get_node(it);
	}
	cmark_iter_free(it);
	return (v);
}


/* The paragraph a node is in, or NULL. */
static cmark_node *
paragraph_of(cmark_node *n)
{
	while (n != NULL && cmark_node_get_type(n) != CMARK_NODE_PARAGRAPH)
		n = cmark_node_parent(n);
	return (n);
}

/* Whether a link may keep its address: not one of the sentences about
 * what was recognised when the answers' text gives it. */
static int
keeper_may(cmark_node *link, const char **hard, size_t nhard)
{
	return (cmark_node_get_user_data(link) != &say_link_mark ||
	    !strv_has(cmark_node_get_url(link), hard, nhard));
}

/*
 * Each link once, each paragraph once, in the answers a reply combines.
 * A link of the sentences about what was recognised gives way to the same
 * one in the answers' text.  Of the places that give one address, the
 * first where it is part of a longer paragraph keeps it (else the first
 * place): there it says most.  Elsewhere a paragraph of one sentence whose
 * every link is given in another place says nothing new and goes ("see
 * also the list..."); in a longer one, the link keeps its words and loses
 * its address.  Last, a paragraph that says what one before said goes.
 */
static void
say_once(cmark_node *root)
{
	cmark_node	**links, **paras, **para, *p;
	const char	**hard = NULL, *url;
	char		**texts;
	struct buf	  b;
	size_t		  nlinks, nparas, nhard = 0, i, k;
	int		 *keep, *pointer, all;

	links = nodes_of(root, CMARK_NODE_LINK, &nlinks);
	if (nlinks == 0)
		goto paragraphs;
	for (i = 0; i < nlinks; i++)
		if (cmark_node_get_user_data(links[i]) != &say_link_mark) {
			hard = xreallocarray(hard, nhard + 1, sizeof *hard);
			hard[nhard++] = cmark_node_get_url(links[i]);
		}
	para = xcalloc(nlinks, sizeof *para);
	pointer = xcalloc(nlinks, sizeof *pointer);
	keep = xcalloc(nlinks, sizeof *keep);
	for (i = 0; i < nlinks; i++) {
		para[i] = paragraph_of(links[i]);
		pointer[i] = para[i] == NULL || one_sentence(para[i]);
	}
	/* Which place keeps each address. */
	for (i = 0; i < nlinks; i++) {
		if (!keeper_may(links[i], hard, nhard))
			continue;
		url = cmark_node_get_url(links[i]);
		for (k = 0; k < nlinks; k++)
			if (keep[k] && strcmp(cmark_node_get_url(links[k]),
			    url) == 0)
				break;
		if (k < nlinks)
			continue;
		for (k = i; k < nlinks; k++)
			if (keeper_may(links[k], hard, nhard) && !pointer[k] &&
			    strcmp(cmark_node_get_url(links[k]), url) == 0)
				break;
		keep[k < nlinks ? k : i] = 1;
	}
	for (i = 0; i < nlinks; i++) {
		if (keep[i] || links[i] == NULL)
			continue;
		p = para[i];
		all = p != NULL && pointer[i] &&
		    cmark_node_get_user_data(links[i]) != &say_link_mark;
		for (k = 0; k < nlinks && all; k++)
			if (para[k] == p && keep[k])
				all = 0;
		if (all) {
			/* Its other links go with it. */
			for (k = 0; k < nlinks; k++)
				if (para[k] == p)
					links[k] = NULL;
			remove_block(p);
		} else {
			unlink_words(links[i]);
			links[i] = NULL;
		}
	}
	free(para);
	free(pointer);
	free(keep);
paragraphs:
	free(hard);
	free(links);

	paras = nodes_of(root, CMARK_NODE_PARAGRAPH, &nparas);
	texts = xcalloc(nparas > 0 ? nparas : 1, sizeof *texts);
	for (i = 0; i < nparas; i++) {
		buf_init(&b);
		render_inlines(paras[i], &b, 1);
		texts[i] = buf_steal(&b);
		for (k = 0; k < i && strlen(texts[i]) >= 20; k++)
			if (texts[k] != NULL && strcmp(texts[k], texts[i]) == 0)
				break;
		if (k < i && strlen(texts[i]) >= 20) {
			remove_block(paras[i]);
			free(texts[i]);
			texts[i] = NULL;
		}
	}
	for (i = 0; i < nparas; i++)
		free(texts[i]);
	free(texts);
	free(paras);
}

/* Up to n characters of s, cut on a character boundary; returns bytes. */
static size_t
cut_chars(const char *s, size_t len, size_t n)
{
	size_t	i, c = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80 && c++ == n)
			break;
	}
	return (i);
}

/* "Bonjour," "Hello Sir," "Madame, Monsieur,": not worth quoting. */
int
reply_greeting(const char *s, size_t n)
{
	static const char	*words[] = { " bonjour", " bonsoir", " hello",
	    " hi ", " dear ", " madame", " monsieur", " salut", " guten tag",
	    " good morning", " good afternoon", " cher ", " chere ",
	    " mesdames", " messieurs" };
	struct buf		 f;
	size_t			 i, spaces = 0;
	int			 hit = 0;

	if (n > 60)
		return (0);
	buf_init(&f);
	fold_text(&f, s, n);
	for (i = 0; i < f.len; i++)
		if (f.data[i] == ' ')
			spaces++;
	for (i = 0; i < sizeof words / sizeof words[0] && spaces <= 5; i++)
		if (strncmp(f.data, words[i], strlen(words[i])) == 0)
			hit = 1;
	buf_free(&f);
	return (hit);
}

/* A block quote of the first lines of the question, as plain text nodes. */
static cmark_node *
quote_node(const struct message *msg, int maxlines)
{
	cmark_node	*q, *para = NULL;
	const char	*p = msg->own, *end = msg->own + msg->ownlen, *next;
	size_t		 n, total = 0;
	int		 lines = 0, more = 0, blank = 0;

	if (maxlines == 0)
		return (NULL);
	q = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
	while (p < end) {
		n = line_next(p, end, &next);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			n--;
		while (n > 0 && isspace((unsigned char)*p))
			p++, n--;
		if (n == 0 || (lines == 0 && reply_greeting(p, n))) {
			blank = 1;
			p = next;
			continue;
		}
		if (lines == maxlines || total >= QUOTE_MAX) {
			more = 1;
			break;
		}
		/* Lines of a paragraph flow; blank lines part paragraphs. */
		if (para == NULL || blank) {
			para = cmark_node_new(CMARK_NODE_PARAGRAPH);
			cmark_node_append_child(q, para);
		} else
			cmark_node_append_child(para,
			    cmark_node_new(CMARK_NODE_SOFTBREAK));
		blank = 0;
		if (cut_chars(p, n, QUOTE_MAX_LINE) < n) {
			n = cut_chars(p, n, QUOTE_MAX_LINE);
			cmark_node_append_child(para, text_node(p, n));
			cmark_node_append_child(para, text_node("…", 3));
		} else
			cmark_node_append_child(para, text_node(p, n));
		total += n;
		lines++;
		p = next;
	}
	if (lines == 0) {
		cmark_node_free(q);
		return (NULL);
	}
	if (more) {
		para = cmark_node_new(CMARK_NODE_PARAGRAPH);
		cmark_node_append_child(q, para);
		cmark_node_append_child(para, text_node("[…]", 5));
	}
	return (q);
}

/* Whether a person sends the reply (the options say a draft). */
static int
by_person(const struct compose_opts *opts)
{
	return (opts != NULL && opts->draft);
}

/* The reply's Markdown tree; a person's does not say it is automatic. */
static cmark_node *
reply_tree(const struct core *core, const struct message *msg,
    const struct decision *d, int person)
{
	const struct replies	*rp = core->replies;
	const struct reply_doc	*doc;
	cmark_node		*root, *h, *q, *first = NULL, *tmp, *c;
	struct say		 st = { 0, person };
	size_t			 i;
	int			 l = d->lang;

	root = cmark_node_new(CMARK_NODE_DOCUMENT);
	append_markdown(root, rp->frame_text[l].greeting);
	append_markdown(root, person &&
	    rp->frame_text[l].sentence[S_INTRO_PERSON] != NULL ?
	    rp->frame_text[l].sentence[S_INTRO_PERSON] :
	    rp->frame_text[l].intro);
	for (i = 0; i < d->ntopics; i++) {
		if ((doc = replies_get(rp, d->topics[i], d->lang)) == NULL)
			continue;
		h = cmark_node_new(CMARK_NODE_HEADING);
		cmark_node_set_heading_level(h, 2);
		cmark_node_append_child(h, text_node(doc->title,
		    strlen(doc->title)));
		cmark_node_append_child(root, h);
		if (first == NULL)
			first = h;
		append_body(root, doc->body, core, msg, d, &st);
	}
	/* Who may use the markets, asked under another topic: the answer
	 * for the sender opens the main one. */
	if (first != NULL && !(st.said & SAY_ORGS) &&
	    say_eligibility_asked(core, d)) {
		tmp = cmark_node_new(CMARK_NODE_DOCUMENT);
		say_entities(tmp, core, msg, d, "organisations", &st);
		h = first;
		while ((c = cmark_node_first_child(tmp)) != NULL) {
			cmark_node_unlink(c);
			cmark_node_insert_after(h, c);
			h = c;
		}
		cmark_node_free(tmp);
	}
	say_once(root);
	h = cmark_node_new(CMARK_NODE_THEMATIC_BREAK);
	cmark_node_append_child(root, h);
	if (!person)
		append_markdown(root, rp->frame_text[l].automatic);
	if ((q = quote_asked(core, msg, d, core->conf->quote_lines)) != NULL ||
	    (q = quote_node(msg, core->conf->quote_lines)) != NULL) {
		append_markdown(root, rp->frame_text[l].quoted);
		cmark_node_append_child(root, q);
	}
	append_markdown(root, rp->frame[l].body);
	return (root);
}

char *
reply_text(const struct core *core, const struct message *msg,
    const struct decision *d, const struct compose_opts *opts)
{
	cmark_node	*tree;
	char		*text;

	tree = reply_tree(core, msg, d, by_person(opts));
	text = render_text(tree, 72);
	cmark_node_free(tree);
	return (text);
}

char *
reply_markdown(const struct core *core, const struct message *msg,
    const struct decision *d, const struct compose_opts *opts)
{
	cmark_node	*tree;
	char		*md;

	tree = reply_tree(core, msg, d, by_person(opts));
	md = cmark_render_commonmark(tree, CMARK_OPT_DEFAULT, 0);
	cmark_node_free(tree);
	return (md);
}

char *
new_message_id(const char *domain, time_t now)
{
	uint32_t	r[2];

	if (getrandom(r, sizeof r, 0) != sizeof r)
		fatal("getrandom");
	return (xasprintf("<floss-responder.%lld.%08x%08x@%s>",
	    (long long)now, r[0], r[1], domain));
}

/* "Re: " once, whatever the case and spacing of an existing one. */
static char *
reply_subject_full(const char *s, enum lang l)
{
	while (*s == ' ')
		s++;
	if (*s == '\0')
		return (xstrdup(l == LANG_EN ? "Re: your message" :
		    "Re: votre message"));
	if (strncasecmp(s, "re", 2) == 0) {
		const char *p = s + 2;

		while (*p == ' ')
			p++;
		if (*p == ':')
			return (xstrdup(s));
	}
	return (xasprintf("Re: %s", s));
}

/* The reply's subject: a subject longer than SUBJECT_MAX characters is
 * cut, with "…". */
static char *
reply_subject(const struct message *msg, enum lang l)
{
	const char	*s = msg->subject;
	char		*subject, *cut;
	size_t		 len, n;

	subject = reply_subject_full(s, l);
	len = strlen(subject);
	if ((n = cut_chars(subject, len, SUBJECT_MAX)) == len)
		return (subject);
	cut = xasprintf("%.*s…", (int)n, subject);
	free(subject);
	return (cut);
}

/* Appends to refs the ids of the space-separated list ids (with <>) that
 * are no longer than ID_MAX octets. */
static void
short_ids(struct buf *refs, const char *ids)
{
	size_t	n;

	while (*ids != '\0') {
		ids += strspn(ids, " ");
		if ((n = strcspn(ids, " ")) == 0)
			break;
		if (n <= ID_MAX) {
			if (refs->len > 0)
				buf_addc(refs, ' ');
			buf_add(refs, ids, n);
		}
		ids += n;
	}
}

static struct mailmime *
text_part(const char *type, const char *body)
{
	struct mailmime_content	*ct;
	struct mailmime_fields	*f;
	struct mailmime		*part;
	struct mailmime_parameter *param;
	char			 name[] = "charset", value[] = "utf-8";

	/* The parameter is copied. */
	ct = mailmime_content_new_with_str(type);
	param = mailmime_param_new_with_data(name, value);
	clist_append(ct->ct_parameters, param);
	f = mailmime_fields_new_encoding(MAILMIME_MECHANISM_QUOTED_PRINTABLE);
	part = mailmime_new_empty(ct, f);
	mailmime_set_body_text(part, (char *)body, strlen(body));
	return (part);
}

int
compose_reply(const struct core *core, const struct message *msg,
    const struct decision *d, const struct compose_opts *opts,
    struct buf *out, char **cause)
{
	const struct config	*c = core->conf;
	cmark_node		*tree;
	struct mailmime		*msgmime, *alt, *tp, *hp;
	MMAPString		*mm;
	struct buf		 ids, html;
	const char		*to, *p;
	char			*text, *body, *subject, *msgid, date[64], *from;
	struct tm		 tm;
	time_t			 now;
	int			 col = 0, nrefs = 0, skip;

	if (d->ntopics == 0 && (opts == NULL || opts->markdown == NULL)) {
		*cause = xstrdup("no topic to answer");
		return (-1);
	}
	if ((to = reply_address(c, msg)) == NULL) {
		*cause = xstrdup("no address to reply to");
		return (-1);
	}
	if (strlen(to) > ADDR_MAX) {
		*cause = xasprintf("the address to reply to is %zu octets long,"
		    " more than SMTP allows (%d)", strlen(to), ADDR_MAX);
		return (-1);
	}
	now = opts != NULL && opts->now != 0 ? opts->now : time(NULL);
	if (opts != NULL && opts->markdown != NULL)
		tree = cmark_parse_document(opts->markdown,
		    strlen(opts->markdown), CMARK_OPT_DEFAULT);
	else
		tree = reply_tree(core, msg, d, by_person(opts));
	text = render_text(tree, 72);
	body = render_html(tree);
	cmark_node_free(tree);
	buf_init(&html);
	buf_printf(&html, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>"
	    "<meta charset=\"utf-8\"></head>\n<body>\n%s</body>\n</html>\n",
	    lang_name(d->lang), body);
	free(body);

	/* The header block. */
	from = xasprintf("%s <%s>", c->from_name, c->from_addr);
	for (p = c->from_name; *p != '\0'; p++)
		if (strchr("()<>[]:;@\\,.\"", *p) != NULL)
			break;
	if (*p != '\0') {
		free(from);
		from = xasprintf("\"%s\" <%s>", c->from_name, c->from_addr);
	}
	rfc2047_header(out, "From", from);
	free(from);
	buf_printf(out, "To: <%s>\r\n", to);
	subject = reply_subject(msg, d->lang);
	rfc2047_header(out, "Subject", subject);
	free(subject);
	localtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &tm);
	buf_printf(out, "Date: %s\r\n", date);
	msgid = opts != NULL && opts->message_id != NULL ?
	    xstrdup(opts->message_id) : new_message_id(c->msgid_domain, now);
	buf_printf(out, "Message-ID: %s\r\n", msgid);
	free(msgid);
	/* Threading: the last ids of References, then the message's own;
	 * an id too long for a header line is left out. */
	buf_init(&ids);
	if (msg->references != NULL)
		short_ids(&ids, msg->references);
	if (msg->message_id != NULL && strlen(msg->message_id) <= ID_MAX) {
		buf_printf(out, "In-Reply-To: %s\r\n", msg->message_id);
		if (ids.len == 0 || strstr(ids.data, msg->message_id) == NULL) {
			if (ids.len > 0)
				buf_addc(&ids, ' ');
			buf_adds(&ids, msg->message_id);
		}
	}
	if (ids.len > 0) {
		/* The last ids only: the thread's start and end. */
		for (p = ids.data; *p != '\0'; p++)
			if (*p == '<')
				nrefs++;
		skip = nrefs > REFS_MAX ? nrefs - REFS_MAX : 0;
		for (p = ids.data; *p != '\0' && skip > 0; p++)
			if (*p == '>')
				skip--;
		while (*p == ' ')
			p++;
		header_fold(out, "References", p);
	}
	buf_free(&ids);
	if (!by_person(opts)) {
		buf_adds(out, "Auto-Submitted: auto-replied\r\n");
		buf_adds(out, "X-Auto-Response-Suppress: All\r\n");
	}
	buf_printf(out, "Content-Language: %s\r\n", lang_name(d->lang));

	/* The body: multipart/alternative, text then HTML, in a message
	 * without header fields of its own so that libetpan writes
	 * MIME-Version and the Content-Type with its boundary. */
	msgmime = mailmime_new_message_data(NULL);
	alt = mailmime_multiple_new("multipart/alternative");
	tp = text_part("text/plain", text);
	hp = text_part("text/html", html.data);
	mailmime_smart_add_part(alt, tp);
	mailmime_smart_add_part(alt, hp);
	mailmime_smart_add_part(msgmime, alt);
	mm = mmap_string_new("");
	if (mailmime_write_mem(mm, &col, msgmime) != MAILIMF_NO_ERROR) {
		mmap_string_free(mm);
		mailmime_free(msgmime);
		free(text);
		buf_free(&html);
		*cause = xstrdup("libetpan could not write the MIME body");
		return (-1);
	}
	buf_add(out, mm->str, mm->len);
	mmap_string_free(mm);
	mailmime_free(msgmime);
	free(text);
	buf_free(&html);
	return (0);
}

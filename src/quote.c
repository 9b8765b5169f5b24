/*
 * The quote of the question in a reply: the sentences of the sender's own
 * words (or of the message he forwards, when the classifier read that)
 * that ask -- those the classifier read as asking, with a keyword in them
 * (decision.sentences, with explain) -- found again in the text as the
 * sender wrote them and cut at their ends; a question the Subject alone
 * asks is quoted as the Subject.  The greeting, the sign-off
 * and the signature ask nothing, so they are never quoted; a greeting in
 * front of the question ("Bonjour, pouvez-vous...") is left out too.
 *
 * The text is cut into sentences as a reader would: after '?', '!' or '.'
 * followed by a space or the end of a line, after ':' or ';' at the end of
 * a line, at a blank line, and before a line that starts a list item; a
 * line broken by the sender's mail program does not end a sentence.  A
 * sentence of the text is the classifier's when, folded, they begin the
 * same way: the classifier's may hold several of them (it cuts fewer), or
 * be part of one (it cuts more, at ';' or ':' inside a line).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

#define QUOTE_LINE	160	/* characters of a quoted sentence */
#define QUOTE_MIN	8	/* bytes of folded text a match needs */

struct span {
	const char	*p;
	size_t		 n;
};

/* Whether the line at p (up to end) starts a list item. */
static int
list_item(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p + 1 < end && (*p == '-' || *p == '*' || *p == '+') &&
	    p[1] == ' ')
		return (1);
	if (p < end && isdigit((unsigned char)*p)) {
		while (p < end && isdigit((unsigned char)*p))
			p++;
		return (p + 1 < end && (*p == '.' || *p == ')') &&
		    p[1] == ' ');
	}
	return (0);
}

/* Where the sentence that starts at p ends (the byte after it). */
static const char *
sentence_stop(const char *p, const char *end)
{
	const char	*q, *nl;

	for (q = p; q < end; q++) {
		if ((*q == '?' || *q == '!' || *q == '.') && (q + 1 == end ||
		    isspace((unsigned char)q[1]))) {
			/* "?!", "...": the marks run to their last */
			while (q + 1 < end && strchr("?!.", q[1]) != NULL)
				q++;
			return (q + 1);
		}
		if (*q != '\n')
			continue;
		/* A line's end: a blank line next, a list item next, or a
		 * line that ends with ':' or ';' ends the sentence. */
		for (nl = q; nl > p && (nl[-1] == ' ' || nl[-1] == '\t' ||
		    nl[-1] == '\r'); nl--)
			;
		if (nl > p && (nl[-1] == ':' || nl[-1] == ';'))
			return (q);
		for (nl = q + 1; nl < end && (*nl == ' ' || *nl == '\t' ||
		    *nl == '\r'); nl++)
			;
		if (nl == end || *nl == '\n' || list_item(q + 1, end))
			return (q);
	}
	return (end);
}

/* The sentence at p with its blanks trimmed; NULL at the text's end. */
static const char *
sentence_next(const char *p, const char *end, struct span *s)
{
	const char	*stop;

	while (p < end && isspace((unsigned char)*p))
		p++;
	if (p == end)
		return (NULL);
	stop = sentence_stop(p, end);
	s->p = p;
	s->n = (size_t)(stop - p);
	while (s->n > 0 && isspace((unsigned char)s->p[s->n - 1]))
		s->n--;
	return (stop);
}

/* The folded words of a span, without the spaces at both ends. */
static void
folded(struct buf *f, const char *p, size_t n)
{
	buf_reset(f);
	fold_text(f, p, n);
	while (f->len > 0 && f->data[f->len - 1] == ' ')
		f->len--;
	if (f->len > 0 && f->data[0] == ' ') {
		memmove(f->data, f->data + 1, f->len - 1);
		f->len--;
	}
	buf_addc(f, '\0');
	f->len--;
}

/* "Bonjour, " (or "Bonjour" on its line) in front of the question: how
 * many bytes to leave out. */
static size_t
greeting(const char *p, size_t n)
{
	const char	*c, *e = p + (n < 48 ? n : 48);

	/* The greeting ends with a comma, or its line. */
	for (c = p; c < e && *c != ',' && *c != '\n'; c++)
		;
	if (c == e || !reply_greeting(p, (size_t)(c - p)))
		return (0);
	for (c++; c < p + n && isspace((unsigned char)*c); c++)
		;
	return ((size_t)(c - p));
}

/* A sentence as a paragraph of text nodes: its lines joined, cut at
 * QUOTE_LINE characters. */
static cmark_node *
sentence_node(const char *p, size_t n)
{
	cmark_node	*para = cmark_node_new(CMARK_NODE_PARAGRAPH);
	struct buf	 b;
	size_t		 i, chars = 0;
	int		 space = 0, cut = 0;

	buf_init(&b);
	for (i = 0; i < n; i++) {
		if (isspace((unsigned char)p[i])) {
			space = b.len > 0;
			continue;
		}
		if (((unsigned char)p[i] & 0xc0) != 0x80 &&
		    chars++ + space == QUOTE_LINE) {
			cut = 1;
			break;
		}
		if (space)
			buf_addc(&b, ' ');
		space = 0;
		buf_addc(&b, p[i]);
	}
	cmark_node_append_child(para, text_node(b.data, b.len));
	if (cut)
		cmark_node_append_child(para, text_node("…", 3));
	buf_free(&b);
	return (para);
}

/*
 * The text's sentence at p, and those after it that the classifier's
 * sentence a (folded, maybe cut) goes on with, into s; 1 when they are the
 * classifier's sentence: they hold it whole (or as much of it as it
 * kept), or it is a part of one of them.
 */
static int
match_at(const char *a, const char *p, const char *end, struct span *s,
    const char **stop, struct buf *f, struct buf *g)
{
	struct span	 t;
	const char	*tn;
	size_t		 la = strlen(a);

	/* A long sentence is cut, with "...": its last word may be cut
	 * too. */
	if (la > 3 && strcmp(a + la - 3, "...") == 0)
		for (la -= 3; la > 0 && a[la - 1] != ' '; la--)
			;
	if ((*stop = sentence_next(p, end, s)) == NULL)
		return (0);
	folded(f, s->p, s->n);
	if (la < QUOTE_MIN || f->len == 0)
		return (0);
	if (strncmp(a, f->data, la) == 0)
		return (1);
	if (la == strlen(a) && strstr(f->data, a) != NULL)
		return (1);
	/* Fewer cuts than the text's: the next sentences, while they go on
	 * with it. */
	while (f->len < la && strncmp(a, f->data, f->len) == 0 &&
	    (tn = sentence_next(*stop, end, &t)) != NULL) {
		folded(g, s->p, (size_t)(t.p + t.n - s->p));
		if (strncmp(a, g->data, g->len < la ? g->len : la) != 0)
			break;
		s->n = (size_t)(t.p + t.n - s->p);
		*stop = tn;
		folded(f, s->p, s->n);
	}
	return (f->len >= la && strncmp(a, f->data, la) == 0);
}

/* What the matcher found in a sentence: a keyword of a topic answered,
 * an object (what a question is about), or an organisation or a software
 * of the lists. */
struct names {
	const struct rules	*r;
	const int		*topics;
	size_t			 ntopics;
	int			 found;
};

static void
names_hit(uint32_t id, size_t end, void *arg)
{
	struct names		*nm = arg;
	const struct pattern	*p = &nm->r->patterns[id];
	size_t			 i;

	if (p->kind == PAT_OBJECT || p->kind == PAT_ORG ||
	    p->kind == PAT_SOFTWARE)
		nm->found = 1;
	for (i = 0; p->kind == PAT_KEYWORD && i < nm->ntopics; i++)
		if (p->topic == nm->topics[i])
			nm->found = 1;
}

/* Whether the folded sentence names a topic of the reply. */
static int
names_topic(const struct core *core, const struct decision *reply,
    const char *text, struct buf *f)
{
	struct names	nm = { core->rules, reply->topics, reply->ntopics, 0 };

	buf_reset(f);
	buf_addc(f, ' ');
	buf_adds(f, text);
	buf_addc(f, ' ');
	matcher_scan(core->rules->matcher[LANG_FR], f->data, f->len,
	    names_hit, &nm);
	return (nm.found);
}

cmark_node *
quote_asked(const struct core *core, const struct message *msg,
    const struct decision *reply, int max)
{
	/* The fields a question is read in: the sender's own words, and
	 * the message forwarded when they ask nothing. */
	const char	*field[2] = { "body", "forward" };
	const char	*text[2] = { msg->own, msg->fwd };
	const char	*end[2] = { msg->own + msg->ownlen,
			    msg->fwd + msg->fwdlen };
	const char	*from[2] = { msg->own, msg->fwd };
	const char	*p, *stop = NULL;
	struct decision	 d;
	struct span	 s;
	struct buf	 f, g;
	cmark_node	*q = NULL;
	size_t		 i, skip, n = 0;
	int		 k, found, all;

	if (max <= 0 || core->rules->stemming)
		return (NULL);
	decision_init(&d);
	d.explain = 1;
	classify(core, msg, &d);
	buf_init(&f);
	buf_init(&g);
	/* The sentences that name what the reply answers; when none does
	 * (topics an operator chose), every one that asks. */
	all = 1;
	for (i = 0; i < d.nsentences; i++)
		if (d.sentences[i].asks &&
		    strcmp(d.sentences[i].field, "subject") != 0 &&
		    names_topic(core, reply, d.sentences[i].text, &f))
			all = 0;
	for (i = 0; i < d.nsentences && n < (size_t)max; i++) {
		for (k = 0; k < 2; k++)
			if (strcmp(d.sentences[i].field, field[k]) == 0)
				break;
		if (!d.sentences[i].asks || k == 2 || text[k] == NULL ||
		    (!all && !names_topic(core, reply, d.sentences[i].text,
		    &f)))
			continue;
		/* The classifier's sentences come in the text's order: the
		 * search goes on from the last one quoted. */
		found = 0;
		for (p = from[k]; p < end[k]; p = stop) {
			if (match_at(d.sentences[i].text, p, end[k], &s, &stop,
			    &f, &g)) {
				found = 1;
				break;
			}
			if (stop == NULL)
				break;
			/* the next sentence of the text, not the ones the
			 * failed match went on with */
			stop = sentence_stop(s.p, end[k]);
		}
		if (!found)
			continue;
		skip = greeting(s.p, s.n);
		if (q == NULL)
			q = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
		cmark_node_append_child(q, sentence_node(s.p + skip,
		    s.n - skip));
		n++;
		from[k] = stop;
	}
	/* A question asked in the Subject alone is the Subject. */
	for (i = 0; q == NULL && i < d.nsentences; i++)
		if (d.sentences[i].asks &&
		    strcmp(d.sentences[i].field, "subject") == 0 &&
		    *msg->subject != '\0') {
			q = cmark_node_new(CMARK_NODE_BLOCK_QUOTE);
			cmark_node_append_child(q, sentence_node(msg->subject,
			    strlen(msg->subject)));
		}
	buf_free(&f);
	buf_free(&g);
	decision_clear(&d);
	return (q);
}

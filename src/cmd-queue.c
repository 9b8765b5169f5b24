/*
 * "queue": the messages filed for a person, from the command line.
 *   queue list [--all] [--json] what waits, one line each: id, age,
 *                               sender, subject, suggested topics, why
 *   queue show ID               the question and the suggested reply
 *   queue send ID [--topic T]... [--lang fr|en] [--by NAME]
 *                               sends the suggested reply, or the one for
 *                               the topics chosen, and records who and when
 *   queue edit ID [...]         the suggested reply's Markdown in $EDITOR,
 *                               then sends what was saved
 *   queue dismiss ID [--by NAME]   no reply, recorded as such
 * An entry moves from one state to the next atomically in the journal:
 * two operators sending the same one at once send one reply.  Over IMAP,
 * what was done shows in the mailbox: \Answered or $FlossDismissed on the
 * message, its draft removed.
 */

#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "floss-responder.h"
#include "cmd.h"

static const char *
operator_name(const char *by)
{
	const char	*u;

	if (by != NULL && *by != '\0')
		return (by);
	if ((u = getenv("SUDO_USER")) != NULL && *u != '\0')
		return (u);
	if ((u = getenv("USER")) != NULL && *u != '\0')
		return (u);
	return ("unknown");
}

static long long
parse_id(const char *s)
{
	char		*end;
	long long	 id;

	id = strtoll(s, &end, 10);
	return (*s == '\0' || *end != '\0' || id <= 0 ? -1 : id);
}

static int
add_topic(const struct core *core, struct decision *d, const char *t,
    char **cause)
{
	int	id;

	if ((id = rules_topic(core->rules, t)) == -1 ||
	    replies_get(core->replies, id, d->lang) == NULL) {
		*cause = xasprintf("no %s reply for the topic '%s'",
		    lang_name(d->lang), t);
		return (-1);
	}
	if (d->ntopics < MAX_TOPICS)
		d->topics[d->ntopics++] = id;
	return (0);
}

/* The decision a reply is composed from: the message decided again, for
 * what it names (the organisations and software the reply speaks of), with
 * the topics chosen or those suggested, in the language chosen or
 * detected. */
static int
queue_decision(const struct core *core, const struct qentry *e,
    const struct message *msg, char **topics, size_t ntopics,
    const char *lang, struct decision *d, char **cause)
{
	char	*copy, *t, *save;
	size_t	 i;
	int	 r = 0;

	decision_init(d);
	decide(core, msg, d);
	d->action = ACT_REPLY;
	d->ntopics = 0;
	if (lang != NULL || e->lang != NULL)
		lang_parse(lang != NULL ? lang : e->lang, &d->lang);
	if (ntopics > 0) {
		for (i = 0; i < ntopics && r == 0; i++)
			r = add_topic(core, d, topics[i], cause);
	} else if (e->topics != NULL) {
		copy = xstrdup(e->topics);
		for (t = strtok_r(copy, ",", &save); t != NULL && r == 0;
		    t = strtok_r(NULL, ",", &save))
			r = add_topic(core, d, t, cause);
		free(copy);
	}
	if (r == 0 && d->ntopics == 0) {
		*cause = xstrdup("no topic to answer: choose one with --topic");
		r = -1;
	}
	return (r);
}

/* Appends what a message or an operator wrote, shown safely: no control
 * character reaches the terminal (with lines, newlines and tabs do). */
static void
vis(struct buf *b, const char *s, int lines)
{
	if (s != NULL)
		utf8_vis(b, s, strlen(s), lines);
}

/* Why an entry waits: "[verdict] reason", the verdict when it is known. */
static void
why(struct buf *b, const struct qentry *e)
{
	if (e->verdict != NULL) {
		buf_addc(b, '[');
		vis(b, e->verdict, 0);
		buf_adds(b, "] ");
	}
	vis(b, e->why, 0);
}

/* The columns a string takes on a terminal: a character one, but for the
 * combining marks (none) and the wide East Asian ones (two). */
static size_t
columns(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n, w = 0;
	uint32_t		 c;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_decode(p + i, len - i, &c)) == 0) {
			n = 1;
			c = '?';
		}
		if ((c >= 0x300 && c < 0x370) || c == 0x200b ||
		    (c >= 0xfe00 && c < 0xfe10))
			continue;
		if ((c >= 0x1100 && c < 0x1160) || (c >= 0x2e80 &&
		    c < 0xa4d0) || (c >= 0xac00 && c < 0xd7a4) ||
		    (c >= 0xf900 && c < 0xfb00) || (c >= 0xff00 &&
		    c < 0xff61) || (c >= 0xffe0 && c < 0xffe7) ||
		    (c >= 0x1f300 && c < 0x1fa00) || (c >= 0x20000 &&
		    c < 0x3fffe))
			w += 2;
		else
			w++;
	}
	return (w);
}

/* Appends s (safe for a terminal already) in exactly width columns: cut
 * with "…" when longer, padded with spaces when shorter (unless last). */
static void
column(struct buf *b, const char *s, size_t width, int last)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), i, n, w;
	uint32_t		 c;

	if ((w = columns(s, len)) > width) {
		for (i = 0, w = 0; i < len && width > 0; i += n) {
			if ((n = utf8_decode(p + i, len - i, &c)) == 0)
				n = 1;
			if (w + columns(s + i, n) > width - 1)
				break;
			w += columns(s + i, n);
		}
		/* The marks that follow the last character kept go with it. */
		while (i < len && (n = utf8_decode(p + i, len - i, &c)) > 0 &&
		    columns(s + i, n) == 0)
			i += n;
		buf_add(b, s, i);
		if (width > 0) {
			buf_adds(b, "…");
			w++;
		}
	} else
		buf_add(b, s, len);
	while (!last && w++ < width)
		buf_addc(b, ' ');
}

/* The width of the terminal the list is shown on: $COLUMNS, the
 * terminal's, or 80. */
static size_t
term_width(void)
{
	struct winsize	 ws;
	const char	*e;
	char		*end;
	long		 n;

	if ((e = getenv("COLUMNS")) != NULL && *e != '\0') {
		n = strtol(e, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return ((size_t)n);
	}
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	return (80);
}

/* Why an entry waits, as a short code: its verdict ("person", "signal",
 * "margin"...), but for a screening rule the rule's name
 * ("untrusted-sender"), which its reason starts with; in an entry that has
 * no verdict, the first word of the reason. */
static char *
why_code(const struct qentry *e)
{
	const char	*w = e->why != NULL ? e->why : "";
	char		*word, *code;
	size_t		 n;

	n = strcspn(w, ": ([");
	if (e->verdict != NULL && (strcmp(e->verdict, "screened") != 0 ||
	    n == 0))
		return (utf8_vis_string(e->verdict, 0));
	if (n == 0)
		return (xstrdup("-"));
	word = xasprintf("%.*s", (int)n, w);
	code = utf8_vis_string(word, 0);
	free(word);
	return (code);
}

/* How long ago: seconds, minutes, hours, then days. */
static void
age(char *s, size_t len, time_t then, time_t now)
{
	long long	d = then < now ? (long long)(now - then) : 0;

	if (d < 60)
		snprintf(s, len, "%llds", d);
	else if (d < 3600)
		snprintf(s, len, "%lldm", d / 60);
	else if (d < 86400)
		snprintf(s, len, "%lldh", d / 3600);
	else
		snprintf(s, len, "%lldd", d / 86400);
}

/* A time as JSON: "2026-11-22T19:05:00Z", or null. */
static void
json_time(struct buf *b, time_t t)
{
	struct tm	tm;
	char		s[32];

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		buf_adds(b, "null");
		return;
	}
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_string(b, s);
}

static void
json_opt(struct buf *b, const char *s)
{
	if (s != NULL)
		json_string(b, s);
	else
		buf_adds(b, "null");
}

/* One entry as a JSON object on a line. */
static void
list_json(struct buf *b, const struct qentry *e, const struct message *msg,
    time_t now)
{
	char		*copy, *t, *save;
	const char	*sep = "";

	buf_printf(b, "{\"id\": %lld, \"state\": ", e->id);
	json_string(b, e->state);
	buf_adds(b, ", \"created\": ");
	json_time(b, e->created);
	buf_printf(b, ", \"age\": %lld, \"message_id\": ",
	    e->created < now ? (long long)(now - e->created) : 0LL);
	json_opt(b, msg != NULL ? msg->message_id : NULL);
	buf_adds(b, ", \"sender\": ");
	json_opt(b, msg != NULL ? msg->from.addr : NULL);
	buf_adds(b, ", \"subject\": ");
	json_opt(b, msg != NULL ? msg->subject : NULL);
	buf_adds(b, ", \"topics\": [");
	if (e->topics != NULL) {
		copy = xstrdup(e->topics);
		for (t = strtok_r(copy, ",", &save); t != NULL;
		    t = strtok_r(NULL, ",", &save)) {
			buf_adds(b, sep);
			json_string(b, t);
			sep = ", ";
		}
		free(copy);
	}
	buf_adds(b, "], \"lang\": ");
	json_opt(b, e->lang);
	buf_adds(b, ", \"verdict\": ");
	json_opt(b, e->verdict);
	buf_adds(b, ", \"why\": ");
	json_opt(b, e->why);
	buf_adds(b, ", \"handled_by\": ");
	json_opt(b, e->handled_by);
	buf_adds(b, ", \"handled_at\": ");
	json_time(b, e->handled_by != NULL || strcmp(e->state, "open") != 0 ?
	    e->handled_at : 0);
	buf_printf(b, ", \"kept\": %s}\n", e->raw != NULL ? "true" : "false");
}

/* The list's columns, as shown: made safe for a terminal. */
enum { L_ID, L_AGE, L_STATE, L_FROM, L_SUBJECT, L_TOPICS, L_WHY, L_COUNT };
static const char *list_heads[L_COUNT] = { "ID", "AGE", "STATE", "FROM",
    "SUBJECT", "TOPICS", "WHY" };

/*
 * Narrows the sender, the subject and the topics until the line fits the
 * terminal: each as wide as it needs up to a level, the same for the three,
 * the highest that fits (8 columns at least); what the level leaves goes
 * to the subject.  The other columns are short and kept whole.
 */
static void
fit(size_t *width, size_t total)
{
	static const int	 cut[] = { L_SUBJECT, L_FROM, L_TOPICS };
	size_t			 fixed = 0, room, level, sum, k;

	for (k = 0; k < L_COUNT; k++)
		if (width[k] > 0)
			fixed += width[k] + (k != L_WHY ? 2 : 0);
	for (k = 0; k < 3; k++)
		fixed -= width[cut[k]];
	room = total > fixed ? total - fixed : 0;
	for (level = 8;; level++) {
		for (k = 0, sum = 0; k < 3; k++)
			sum += width[cut[k]] < level + 1 ? width[cut[k]] :
			    level + 1;
		if (sum > room || sum == width[L_SUBJECT] + width[L_FROM] +
		    width[L_TOPICS])
			break;
	}
	if (sum <= room)
		return;		/* everything fits */
	for (k = 0, sum = 0; k < 3; k++) {
		if (width[cut[k]] > level)
			width[cut[k]] = level;
		sum += width[cut[k]];
	}
	if (room > sum)
		width[L_SUBJECT] += room - sum;
}

/*
 * One line an entry, as postqueue -p shows the mail queue: its id, how long
 * it has waited, (with all, its state,) the sender, the subject cut to fit
 * the terminal, the suggested topics and why it waits as a short code.
 * With json, one object a line, everything in full.
 */
static int
queue_list(struct core *core, struct journal *j, int all, int json)
{
	struct qentry	*list;
	struct message	*msg;
	struct buf	 b;
	size_t		 n, i, k, width[L_COUNT];
	char		*cause = NULL, *(*cell)[L_COUNT], when[32];
	time_t		 now = time(NULL);

	if (journal_queue_list(j, all, &list, &n, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		return (EX_IOERR);
	}
	buf_init(&b);
	cell = xcalloc(n > 0 ? n : 1, sizeof *cell);
	for (k = 0; k < L_COUNT; k++)
		width[k] = strlen(list_heads[k]);
	for (i = 0; i < n; i++) {
		msg = NULL;
		if (list[i].raw != NULL && message_parse(list[i].raw,
		    list[i].rawlen, &msg, &cause) != 0) {
			free(cause);
			cause = NULL;
		}
		if (json) {
			list_json(&b, &list[i], msg, now);
			message_free(msg);
			continue;
		}
		age(when, sizeof when, list[i].created, now);
		cell[i][L_ID] = xasprintf("%lld", list[i].id);
		cell[i][L_AGE] = xstrdup(when);
		cell[i][L_STATE] = utf8_vis_string(list[i].state, 0);
		cell[i][L_FROM] = utf8_vis_string(msg != NULL &&
		    msg->from.addr != NULL ? msg->from.addr : "?", 0);
		cell[i][L_SUBJECT] = utf8_vis_string(msg != NULL ?
		    msg->subject : "(not kept)", 0);
		cell[i][L_TOPICS] = utf8_vis_string(list[i].topics != NULL &&
		    *list[i].topics != '\0' ? list[i].topics : "-", 0);
		cell[i][L_WHY] = why_code(&list[i]);
		message_free(msg);
		for (k = 0; k < L_COUNT; k++)
			if (columns(cell[i][k], strlen(cell[i][k])) > width[k])
				width[k] = columns(cell[i][k],
				    strlen(cell[i][k]));
	}
	if (!json && n == 0)
		buf_adds(&b, "review queue: empty\n");
	else if (!json) {
		if (!all)
			width[L_STATE] = 0;
		fit(width, term_width());
		for (i = 0; i <= n; i++) {
			for (k = 0; k < L_COUNT; k++) {
				if (k == L_STATE && !all)
					continue;
				column(&b, i == 0 ? list_heads[k] :
				    cell[i - 1][k], width[k], k == L_WHY);
				if (k != L_WHY)
					buf_adds(&b, "  ");
			}
			buf_addc(&b, '\n');
		}
	}
	for (i = 0; i < n; i++) {
		for (k = 0; k < L_COUNT; k++)
			free(cell[i][k]);
		qentry_clear(&list[i]);
	}
	free(cell);
	free(list);
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	return (fflush(stdout) != 0 ? EX_IOERR : 0);
}

/* A reply sent from the queue is a person's. */
static const struct compose_opts person = { .draft = 1 };

static int
queue_show(struct core *core, struct journal *j, long long id)
{
	struct qentry	 e;
	struct message	*msg = NULL;
	struct decision	 d;
	struct buf	 b;
	char		*cause = NULL, *text;

	memset(&e, 0, sizeof e);
	if (journal_queue_get(j, id, &e, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		return (EX_DATAERR);
	}
	buf_init(&b);
	buf_printf(&b, "queue %lld: ", e.id);
	vis(&b, e.state, 0);
	if (e.handled_by != NULL) {
		buf_adds(&b, " by ");
		vis(&b, e.handled_by, 0);
	}
	if (e.why != NULL) {
		buf_adds(&b, "\nwhy: ");
		why(&b, &e);
	}
	buf_adds(&b, "\n");
	decision_init(&d);
	if (e.raw == NULL || message_parse(e.raw, e.rawlen, &msg,
	    &cause) != 0) {
		buf_adds(&b, "(the message was not kept: read it in the"
		    " mailbox)\n");
		free(cause);
		goto out;
	}
	buf_adds(&b, "from: ");
	vis(&b, msg->from.addr != NULL ? msg->from.addr : "?", 0);
	buf_adds(&b, "\nsubject: ");
	vis(&b, msg->subject, 0);
	buf_adds(&b, "\n\n");
	vis(&b, msg->own, 1);
	buf_adds(&b, "\n");
	if (queue_decision(core, &e, msg, NULL, 0, NULL, &d, &cause) == 0) {
		text = reply_text(core, msg, &d, &person);
		buf_adds(&b, "---- suggested reply (");
		vis(&b, e.topics, 0);
		buf_printf(&b, ", %s) ----\n", lang_name(d.lang));
		vis(&b, text, 1);
		free(text);
	} else {
		buf_adds(&b, "---- no suggested reply: ");
		vis(&b, cause, 0);
		buf_adds(&b, " ----\n");
		free(cause);
	}
out:
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	decision_clear(&d);
	message_free(msg);
	qentry_clear(&e);
	return (0);
}

/* Shows in the mailbox what was done from here: the message answered or
 * dismissed, its draft gone.  The journal has it either way; a mailbox
 * that cannot be reached is said, not an error. */
static void
queue_reflect(const struct core *core, const char *msgid, enum unqueue how)
{
	struct source	 src;
	char		*cause = NULL;

	if (msgid == NULL)
		return;
	source_init(&src, core->conf);
	if (src.ops->unqueue == NULL)
		return;
	if (src.ops->open(&src, &cause) != 0 ||
	    src.ops->unqueue(&src, msgid, how, &cause) != 0) {
		fprintf(stderr, "floss-responder: the mailbox does not show it:"
		    " %s\n", cause);
		free(cause);
	}
	src.ops->close(&src);
}

/* Whether the mailbox shows that a mail client answered the message: 1
 * yes, 0 no (or a mailbox that cannot tell), -1 when it cannot be
 * reached (the error said). */
static int
queue_answered(const struct core *core, const char *msgid)
{
	struct source	 src;
	char		*cause = NULL, **ids = NULL, *open[1];
	size_t		 n = 0, i;
	int		 r = 0;

	if (msgid == NULL)
		return (0);
	source_init(&src, core->conf);
	if (src.ops->answered == NULL)
		return (0);
	open[0] = (char *)msgid;
	if (src.ops->open(&src, &cause) != 0 ||
	    src.ops->answered(&src, open, 1, 0, &ids, &n, &cause) != 0) {
		fprintf(stderr, "floss-responder: cannot see in the mailbox"
		    " whether a mail client answered it: %s\n", cause);
		free(cause);
		r = -1;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(ids[i], msgid) == 0)
			r = 1;
		free(ids[i]);
	}
	free(ids);
	src.ops->close(&src);
	return (r);
}

/* A dismissed entry, in the mailbox. */
static void
queue_dismissed(const struct core *core, struct journal *j, long long id)
{
	struct qentry	 e;
	struct message	*msg = NULL;
	char		*cause = NULL;

	memset(&e, 0, sizeof e);
	if (journal_queue_get(j, id, &e, &cause) == 0 && e.raw != NULL &&
	    message_parse(e.raw, e.rawlen, &msg, &cause) == 0)
		queue_reflect(core, msg->message_id, UNQ_DISMISSED);
	free(cause);
	message_free(msg);
	qentry_clear(&e);
}

/* The open entry and its message: 0, or -1 with *cause (unknown, handled
 * already, or the message not kept). */
static int
queue_take(struct journal *j, long long id, struct qentry *e,
    struct message **msg, char **cause)
{
	*msg = NULL;
	if (journal_queue_get(j, id, e, cause) != 0)
		return (-1);
	if (strcmp(e->state, "open") != 0) {
		*cause = xasprintf("message %lld of the review queue is %s"
		    " already%s%s", id, e->state, e->handled_by != NULL ?
		    " by " : "", e->handled_by != NULL ? e->handled_by : "");
		return (-1);
	}
	if (e->raw == NULL || message_parse(e->raw, e->rawlen, msg,
	    cause) != 0) {
		if (*cause == NULL)
			*cause = xstrdup("the message was not kept: answer it"
			    " from the mailbox");
		return (-1);
	}
	return (0);
}

/* Claims a taken entry, composes its reply -- for the decision, or from
 * the Markdown an operator wrote -- sends it and records it: an exit
 * status, the error said. */
static int
queue_reply(struct core *core, struct journal *j, const struct qentry *e,
    const struct message *msg, const struct decision *d,
    const char *markdown, const char *by)
{
	struct delivery		 dlv;
	struct compose_opts	 co;
	struct buf		 out;
	enum dstatus		 st;
	const char		*rcpt;
	char			*cause = NULL, *reply_id, *topics;
	time_t			 now = time(NULL);
	int			 status = 0;

	if ((rcpt = reply_address(core->conf, msg)) == NULL) {
		fprintf(stderr, "floss-responder: no address to reply to\n");
		return (EX_DATAERR);
	}
	/* Claimed first: a second operator finds it taken. */
	if (journal_queue_move(j, e->id, "open", "sending", operator_name(by),
	    NULL, now, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		return (EX_DATAERR);
	}
	/* Then the mailbox: a reply sent from a mail client closes it. */
	switch (queue_answered(core, msg->message_id)) {
	case 1:
		journal_queue_move(j, e->id, "sending", "answered",
		    "mail client", NULL, now, &cause);
		free(cause);
		queue_reflect(core, msg->message_id, UNQ_CLIENT);
		fprintf(stderr, "floss-responder: message %lld of the review"
		    " queue was answered from a mail client: not sent\n",
		    e->id);
		return (EX_DATAERR);
	case -1:
		journal_queue_move(j, e->id, "sending", "open", NULL, NULL,
		    now, &cause);
		free(cause);
		return (EX_TEMPFAIL);
	}
	reply_id = new_message_id(core->conf->msgid_domain, now);
	memset(&co, 0, sizeof co);
	co.now = now;
	co.message_id = reply_id;
	co.markdown = markdown;
	co.draft = 1;
	buf_init(&out);
	if (compose_reply(core, msg, d, &co, &out, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		cause = NULL;
		journal_queue_move(j, e->id, "sending", "open", NULL, NULL, now,
		    &cause);
		free(cause);
		free(reply_id);
		buf_free(&out);
		return (EX_DATAERR);
	}
	delivery_init(&dlv, core->conf);
	if (delivery_begin(&dlv, &cause) != 0)
		st = DLV_TEMP;
	else
		/* From the identity, not the null sender of automatic
		 * replies: a person answers, and hears of a bounce. */
		st = dlv.ops->send(&dlv, core->conf->from_addr, rcpt,
		    out.data, out.len, &cause);
	delivery_end(&dlv);
	buf_free(&out);
	switch (st) {
	case DLV_OK:
		/* What was sent: the topics and language chosen. */
		topics = decision_topics(core, d);
		if (journal_queue_sent(j, e->id, reply_id, topics,
		    lang_name(d->lang), msg->from.addr, operator_name(by),
		    time(NULL), &cause) != 0) {
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			cause = NULL;
		}
		free(topics);
		printf("queue %lld: reply %s sent to %s\n", e->id, reply_id,
		    rcpt);
		queue_reflect(core, msg->message_id, UNQ_SENT);
		break;
	case DLV_UNKNOWN:
		fprintf(stderr, "floss-responder: %s: the reply may or may not"
		    " have left; the entry stays 'sending'\n", cause);
		status = EX_TEMPFAIL;
		break;
	default:
		fprintf(stderr, "floss-responder: %s: not sent\n", cause);
		journal_queue_move(j, e->id, "sending", "open", NULL, NULL,
		    time(NULL), &cause);
		/* A login refused or a TLS mistake is no reason to wait. */
		status = st == DLV_TEMP ? failkind_exit(dlv.fail) : EX_DATAERR;
		break;
	}
	free(cause);
	free(reply_id);
	return (status);
}

/* Sends the reply for the topics chosen, or those suggested. */
static int
queue_send(struct core *core, struct journal *j, long long id, char **topics,
    size_t ntopics, const char *lang, const char *by)
{
	struct qentry	 e;
	struct message	*msg = NULL;
	struct decision	 d;
	char		*cause = NULL;
	int		 status;

	decision_init(&d);
	if (queue_take(j, id, &e, &msg, &cause) != 0 ||
	    queue_decision(core, &e, msg, topics, ntopics, lang, &d,
	    &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		status = EX_DATAERR;
	} else
		status = queue_reply(core, j, &e, msg, &d, NULL, by);
	decision_clear(&d);
	message_free(msg);
	qentry_clear(&e);
	return (status);
}

/* Runs $VISUAL or $EDITOR (vi) on the file: 0 when it exited 0. */
static int
run_editor(const char *path)
{
	const char	*ed;
	char		*cmd;
	pid_t		 pid;
	int		 st;

	if ((ed = getenv("VISUAL")) == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	fflush(stdout);
	switch (pid = fork()) {
	case -1:
		log_warn("fork");
		return (-1);
	case 0:
		/* The variable is shell words: "emacs -nw", quotes. */
		cmd = xasprintf("%s \"$@\"", ed);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return (-1);
	return (WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1);
}

/* Writes the suggested reply's Markdown to a file, lets the operator edit
 * it, and sends what was saved; nothing is sent when the editor fails or
 * the file is left empty. */
static int
queue_edit(struct core *core, struct journal *j, long long id,
    char **topics, size_t ntopics, const char *lang, const char *by)
{
	struct qentry	 e;
	struct message	*msg = NULL;
	struct decision	 d;
	char		*cause = NULL, *md, *edited = NULL, path[PATH_MAX];
	const char	*tmp, *p;
	size_t		 len;
	int		 fd, status = EX_DATAERR, r;

	decision_init(&d);
	if (queue_take(j, id, &e, &msg, &cause) != 0)
		goto out;
	/* Without a topic, the frame alone: greeting, closing, quote. */
	if (queue_decision(core, &e, msg, topics, ntopics, lang, &d,
	    &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	md = reply_markdown(core, msg, &d, &person);
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(path, sizeof path, "%s/floss-reply-%lld.XXXXXX.md",
	    tmp, id) >= sizeof path) {
		free(md);
		cause = xstrdup("TMPDIR is too long");
		goto out;
	}
	if ((fd = mkstemps(path, 3)) == -1) {
		free(md);
		cause = xasprintf("%s: %s", path, strerror(errno));
		status = EX_CANTCREAT;
		goto out;
	}
	r = write_all(fd, md, strlen(md));
	free(md);
	if (close(fd) != 0 || r != 0) {
		cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(path);
		status = EX_CANTCREAT;
		goto out;
	}
	if (run_editor(path) != 0) {
		cause = xasprintf("the editor failed: nothing sent, %s kept",
		    path);
		status = EX_TEMPFAIL;
		goto out;
	}
	if ((edited = read_message(path, &len, &cause)) == NULL) {
		status = EX_NOINPUT;
		goto out;
	}
	for (p = edited; *p != '\0' && strchr(" \t\r\n", *p) != NULL; p++)
		;
	if (*p == '\0') {
		unlink(path);
		cause = xstrdup("the reply was left empty: nothing sent");
		status = EX_DATAERR;
		goto out;
	}
	status = queue_reply(core, j, &e, msg, &d, edited, by);
	/* Kept when the reply did not leave: the text is not lost. */
	if (status == 0)
		unlink(path);
	else
		fprintf(stderr, "floss-responder: the edited reply is in %s\n",
		    path);
out:
	if (cause != NULL) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
	}
	free(edited);
	decision_clear(&d);
	message_free(msg);
	qentry_clear(&e);
	return (status);
}

static int
cmd_queue_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "by", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "lang", required_argument, NULL, 'l' },
		{ "topic", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct core	*core;
	struct journal	*j;
	char		*cause = NULL, **topics = NULL;
	const char	*by = NULL, *lang = NULL, *what;
	size_t		 ntopics = 0;
	long long	 id = -1;
	int		 ch, all = 0, json = 0, status;
	enum lang	 l;

	if (argc < 2) {
		fprintf(stderr, "usage: floss-responder queue list|show|send|"
		    "edit|dismiss ...\n");
		return (EX_USAGE);
	}
	what = argv[1];
	argc--;
	argv++;
	while ((ch = getopt_long(argc, argv, "ab:jl:t:", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'b':
			by = optarg;
			break;
		case 'j':
			json = 1;
			break;
		case 'l':
			lang = optarg;
			if (lang_parse(lang, &l) != 0) {
				fprintf(stderr, "floss-responder: --lang fr or"
				    " en\n");
				return (EX_USAGE);
			}
			break;
		case 't':
			topics = xreallocarray(topics, ntopics + 1,
			    sizeof *topics);
			topics[ntopics++] = optarg;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (strcmp(what, "list") != 0) {
		if (optind + 1 != argc || (id = parse_id(argv[optind])) < 0) {
			fprintf(stderr, "usage: floss-responder queue %s ID\n",
			    what);
			free(topics);
			return (EX_USAGE);
		}
	}
	core = cmd_load_core(config);
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		free(topics);
		core_free(core);
		return (EX_IOERR);
	}
	if (strcmp(what, "list") == 0)
		status = queue_list(core, j, all, json);
	else if (strcmp(what, "show") == 0)
		status = queue_show(core, j, id);
	else if (strcmp(what, "send") == 0)
		status = queue_send(core, j, id, topics, ntopics, lang, by);
	else if (strcmp(what, "edit") == 0)
		status = queue_edit(core, j, id, topics, ntopics, lang, by);
	else if (strcmp(what, "dismiss") == 0) {
		switch (journal_queue_move(j, id, "open", "dismissed",
		    operator_name(by), NULL, time(NULL), &cause)) {
		case 0:
			printf("queue %lld: dismissed\n", id);
			queue_dismissed(core, j, id);
			status = 0;
			break;
		default:
			if (cause == NULL)
				cause = xasprintf("no open message %lld", id);
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			status = EX_DATAERR;
			break;
		}
	} else {
		fprintf(stderr, "floss-responder: queue %s: unknown\n", what);
		status = EX_USAGE;
	}
	free(topics);
	journal_close(j);
	core_free(core);
	return (status);
}

const struct cmd_entry cmd_queue_entry = {
	"queue", "list [--all] [--json] | show ID | send|edit ID [--topic T]..."
	" [--lang fr|en] [--by NAME]\n           | dismiss ID [--by NAME]",
	"the messages filed for a person: read them, answer them, dismiss"
	" them",
	cmd_queue_exec
};

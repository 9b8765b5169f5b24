/*
 * The mailbox through the core: each message not yet finished is decided
 * by the one route (decide_raw), answered through the delivery when it
 * should be and may be (limits), and its outcome written to the journal
 * before every side effect and settled after it:
 *
 *   trying   written before the message is handled: a message that
 *            crashes a step is counted, and filed for a person after
 *            limits.max_tries;
 *   sending  written before the reply is handed over; settled as replied
 *            once accepted, as retry when surely refused for now, as
 *            review when refused for good.  Found at start-up, it means
 *            the outcome is unknown: the message goes to a person and the
 *            reply is never sent again blindly.
 *
 * The mailbox is marked after the journal, so a mark missed by a crash is
 * made again by the next run from the journal.  After a whole pass, what
 * is older than journal.keep_days is forgotten, but for the rows of the
 * messages the mailbox still offered.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floss-responder.h"

struct ctx {
	const struct core	*core;
	struct journal		*j;
	struct source		*src;
	struct delivery		*dlv;
	const struct run_opts	*opts;
	struct run_stats	*stats;
	time_t			 now;
	struct buf		 draft;		/* the suggestion, for review */
	char			**keys;		/* every message offered */
	size_t			 nkeys;
};

/* Whether a review decision has a reply to suggest: topics, each with a
 * reply in the language (not one only a person answers). */
static int
suggestion(const struct core *core, const struct decision *d)
{
	size_t	i;

	for (i = 0; i < d->ntopics; i++)
		if (replies_get(core->replies, d->topics[i], d->lang) == NULL)
			return (0);
	return (d->ntopics > 0);
}

/* Files a message for review where operators look, with the suggestion
 * as a draft.  Done once, after the journal: a failure is logged, and the
 * message still waits in the queue with its keyword. */
static void
file_review(struct ctx *c, const struct source_msg *m)
{
	const struct config	*conf = c->core->conf;
	char			*why = NULL;

	if (c->src->ops->file == NULL || (*conf->review_folder == '\0' &&
	    *conf->review_drafts == '\0'))
		return;
	if (c->src->ops->file(c->src, m, c->draft.len > 0 ? c->draft.data :
	    NULL, c->draft.len, &why) != 0) {
		log_warnx("%s: filing for review: %s", m->key, why);
		free(why);
	}
}

/* Writes an outcome, then marks the mailbox; in a dry run, logs only. */
static int
settle(struct ctx *c, const struct source_msg *m, struct jentry *e,
    char **cause)
{
	if (c->opts->dry_run)
		return (0);
	e->when = c->now;
	if (e->state == J_REVIEW) {
		e->raw = m->data;
		e->rawlen = m->len;
	}
	if (journal_put(c->j, e, cause) != 0)
		return (-1);
	if (e->state == J_RETRY)	/* the source lets it go */
		return (c->src->ops->mark(c->src, m, e->state, cause));
	if (e->state != J_REPLIED && e->state != J_REVIEW &&
	    e->state != J_IGNORED)
		return (0);
	if (c->src->ops->mark(c->src, m, e->state, cause) != 0)
		return (-1);
	if (e->state == J_REVIEW)
		file_review(c, m);
	return (0);
}

static void
count(struct ctx *c, enum jstate s)
{
	switch (s) {
	case J_REPLIED:
		c->stats->replied++;
		break;
	case J_REVIEW:
		c->stats->review++;
		break;
	case J_IGNORED:
		c->stats->ignored++;
		break;
	case J_RETRY:
		c->stats->retry++;
		break;
	default:
		break;
	}
}

/* The limits on automatic replies: per sender and topic, and per hour. */
static char *
over_limits(struct ctx *c, const char *sender, const struct decision *d,
    char **cause, int *failed)
{
	const struct config	*conf = c->core->conf;
	size_t			 i;
	int			 n;
	const char		*topic;

	*failed = 0;
	if (conf->per_sender_days > 0) {
		for (i = 0; i < d->ntopics; i++) {
			topic = c->core->rules->topics[d->topics[i]].id;
			if (journal_count(c->j, sender, topic, c->now -
			    (time_t)conf->per_sender_days * 86400, &n,
			    cause) != 0) {
				*failed = 1;
				return (NULL);
			}
			if (n > 0)
				return (xasprintf("%s was already answered"
				    " automatically on %s within %d days",
				    sender, topic, conf->per_sender_days));
		}
	}
	if (conf->hourly_cap > 0) {
		if (journal_count(c->j, NULL, NULL, c->now - 3600, &n,
		    cause) != 0) {
			*failed = 1;
			return (NULL);
		}
		if (n >= conf->hourly_cap)
			return (xasprintf("the cap of %d automatic replies an"
			    " hour is reached", conf->hourly_cap));
	}
	return (NULL);
}

/*
 * The way of one message, a step a function, in the order of the
 * protocol.  The source has claimed it already (its next()), or another
 * responder holds it (held_by).
 *
 *   held     another responder's claim: left to it, unless it has held
 *            the message for HELD_LEFT without settling it (that responder
 *            is gone): then a person decides, nothing is sent;
 *   resume   what the journal knows: finished (its mark again), cut off
 *            while sending (a person decides), tried too often;
 *   admit    within limits.max_size, then read -- counted as a try;
 *   decide   decide_raw(), the one route to a decision;
 *   guard    what may stop a reply: answered already under another key,
 *            the per-sender and hourly limits;
 *   act      the reply handed over, or the outcome settled.
 *
 * Each step returns STEP_ON to go on, STEP_DONE once the message is
 * settled (or left for later), STEP_FAIL with *cause when the journal or
 * the mailbox failed: the pass stops.
 */
enum step { STEP_ON, STEP_DONE, STEP_FAIL };

#define HELD_LONG	3600		/* a claim this old is told of */
#define HELD_LEFT	86400		/* this old, it was left behind */

struct way {
	struct source_msg	*m;
	struct jentry		 e;		/* what the journal gets */
	enum jstate		 was;		/* the journal's, before */
	int			 tries;		/* its count, before */
	struct message		*msg;		/* NULL: not read, or unreadable */
	struct decision		 d;
	const char		*rcpt;		/* foreign: into msg */
	char			*topics;	/* owned: e.topics */
	char			*reason;	/* owned: e.reason, when made */
	char			*reply_id;	/* owned: e.reply_id */
	int			 left;		/* a claim left behind: no reply */
};

/*
 * The line an administrator reads and joins with the MTA's and the IMAP
 * server's logs, one per message and outcome, in Postfix's manner: the
 * message's key in the mailbox, then key=value pairs -- its Message-ID,
 * sender, the action decided, topics, language and verdict, the reply's
 * address and Message-ID -- and the outcome, with its reason in
 * parentheses.  A value not known is left out.
 */
static void
log_outcome(struct ctx *c, const struct way *w, enum jstate s)
{
	const struct jentry	*e = &w->e;
	struct buf		 b;
	size_t			 n;

	buf_init(&b);
	if (e->message_id != NULL)
		buf_printf(&b, "message-id=%s, ", e->message_id);
	if (e->sender != NULL)
		buf_printf(&b, "from=<%s>, ", e->sender);
	if (e->action != NULL)
		buf_printf(&b, "action=%s, ", e->action);
	if (e->topics != NULL && *e->topics != '\0')
		buf_printf(&b, "topics=%s, ", e->topics);
	if (e->lang != NULL && e->action != NULL)
		buf_printf(&b, "lang=%s, ", e->lang);
	if (e->verdict != NULL)
		buf_printf(&b, "verdict=%s, ", e->verdict);
	if (w->rcpt != NULL && e->reply_id != NULL)
		buf_printf(&b, "to=<%s>, ", w->rcpt);
	if (e->reply_id != NULL)
		buf_printf(&b, "reply-id=%s, ", e->reply_id);
	if (c->opts->dry_run)
		buf_adds(&b, "dry-run=yes, ");
	buf_printf(&b, "status=%s", jstate_name(s));
	/* A server's answer, as a reason, ends with its CRLF. */
	n = e->reason != NULL ? strlen(e->reason) : 0;
	while (n > 0 && strchr(" \t\r\n", e->reason[n - 1]) != NULL)
		n--;
	if (n > 0)
		buf_printf(&b, " (%.*s)", (int)n, e->reason);
	buf_addc(&b, '\0');
	log_info("%s: %s", w->m->key, b.data);
	buf_free(&b);
}

/* Settles the outcome s, with a reason made here (owned by the way). */
static enum step
outcome(struct ctx *c, struct way *w, enum jstate s, char *reason,
    char **cause)
{
	if (reason != NULL) {
		free(w->reason);
		w->e.reason = w->reason = reason;
	}
	w->e.state = s;
	count(c, s);
	log_outcome(c, w, s);
	return (settle(c, w->m, &w->e, cause) == 0 ? STEP_DONE : STEP_FAIL);
}

static enum step
step_held(struct ctx *c, struct way *w, char **cause)
{
	time_t	since;
	long	hours;

	if (w->m->held_by == NULL)
		return (STEP_ON);
	if (c->opts->dry_run)
		return (STEP_DONE);
	if (journal_held(c->j, c->src->id, w->m->key, w->m->held_by, c->now,
	    &since, cause) != 0)
		return (STEP_FAIL);
	hours = (long)((c->now - since) / 3600);
	if (c->now - since < HELD_LONG)
		return (STEP_DONE);
	if (c->now - since < HELD_LEFT) {
		log_warnx("%s: held by %s for %ld hour%s, without an outcome:"
		    " if no responder of that name runs any more, it goes to a"
		    " person after %d hours", w->m->key, w->m->held_by, hours,
		    hours == 1 ? "" : "s", HELD_LEFT / 3600);
		return (STEP_DONE);
	}
	log_warnx("%s: held by %s for %ld hours, without an outcome: that"
	    " responder is taken to be gone; a person decides (it may have"
	    " been answered)", w->m->key, w->m->held_by, hours);
	w->left = 1;
	return (STEP_ON);
}

static enum step
step_resume(struct ctx *c, struct way *w, char **cause)
{
	if (journal_get(c->j, c->src->id, w->m->key, &w->was, &w->tries,
	    cause) != 0)
		return (STEP_FAIL);
	w->e.tries = w->tries;
	switch (w->was) {
	case J_REPLIED:
	case J_REVIEW:
	case J_IGNORED:
		/* Finished; the mark may have been lost to a crash. */
		if (c->opts->dry_run)
			return (STEP_DONE);
		if (c->src->ops->mark(c->src, w->m, w->was, cause) != 0)
			return (STEP_FAIL);
		return (STEP_DONE);
	case J_SENDING:
		log_warnx("%s: the responder stopped while sending the reply:"
		    " not sent again, a person decides", w->m->key);
		return (outcome(c, w, J_REVIEW, xstrdup("the responder stopped"
		    " while sending the reply: not sent again"), cause));
	case J_TRYING:
	case J_RETRY:
		if (w->tries < c->core->conf->max_tries)
			return (STEP_ON);
		log_warnx("%s: handling failed %d times", w->m->key, w->tries);
		return (outcome(c, w, J_REVIEW, xasprintf("handling failed %d"
		    " times", w->tries), cause));
	case J_NEW:
		break;
	}
	return (STEP_ON);
}

static enum step
step_admit(struct ctx *c, struct way *w, char **cause)
{
	char	*err = NULL;

	if ((double)w->m->size > c->core->conf->max_size) {
		return (outcome(c, w, J_REVIEW, xasprintf("%zu bytes, over"
		    " limits.max_size: not read", w->m->size), cause));
	}
	if (c->src->ops->read(c->src, w->m, &err) != 0) {
		log_warnx("%s: %s", w->m->key, err);
		w->e.tries = w->tries + 1;
		return (outcome(c, w, J_RETRY, err, cause));
	}
	/* Counted before the work: a crash in it counts as a try. */
	w->e.state = J_TRYING;
	w->e.tries = w->tries + 1;
	if (!c->opts->dry_run) {
		w->e.when = c->now;
		if (journal_put(c->j, &w->e, cause) != 0)
			return (STEP_FAIL);
	}
	return (STEP_ON);
}

static enum step
step_decide(struct ctx *c, struct way *w, char **cause)
{
	decide_raw(c->core, w->m->data, w->m->len, &w->msg, &w->d);
	w->topics = decision_topics(c->core, &w->d);
	w->e.topics = w->topics;
	w->e.lang = lang_name(w->d.lang);
	w->e.verdict = verdict_names[w->d.verdict];
	if (w->msg != NULL) {
		w->e.message_id = w->msg->message_id;
		w->e.sender = w->msg->from.addr;
		w->rcpt = reply_address(c->core->conf, w->msg);
	}
	return (STEP_ON);
}

static enum step
step_guard(struct ctx *c, struct way *w, char **cause)
{
	enum jstate	 then;
	char		*key = NULL, *limit;
	int		 failed;

	if (w->d.action != ACT_REPLY)
		return (STEP_ON);
	if (w->left) {
		w->d.action = ACT_REVIEW;
		w->d.verdict = VD_HELD;
		w->e.verdict = verdict_names[VD_HELD];
		decision_reason(&w->d, "held by %s, another responder, for"
		    " over %d hours without an outcome: it may have been"
		    " answered", w->m->held_by, HELD_LEFT / 3600);
		free(w->reason);
		w->e.reason = w->reason = xstrdup(w->d.reasons[w->d.nreasons -
		    1]);
		return (STEP_ON);
	}
	if (w->msg != NULL && w->msg->message_id != NULL) {
		if (journal_answered(c->j, c->src->id, w->msg->message_id,
		    w->m->key, &key, &then, cause) != 0)
			return (STEP_FAIL);
		if (key != NULL) {
			/* The same message under another key: a renumbered
			 * mailbox.  Recorded as it was then, without a
			 * reply. */
			log_warnx("%s: %s was answered already as %s: not"
			    " again", w->m->key, w->msg->message_id, key);
			free(key);
			w->e.topics = NULL;
			w->e.action = action_name(w->d.action);
			return (outcome(c, w, then == J_REVIEW ? J_REVIEW :
			    J_REPLIED, xstrdup("answered already under another"
			    " key (the mailbox was renumbered)"), cause));
		}
	}
	if (w->rcpt == NULL)
		return (STEP_ON);
	limit = over_limits(c, w->rcpt, &w->d, cause, &failed);
	if (failed)
		return (STEP_FAIL);
	if (limit != NULL) {
		w->d.action = ACT_REVIEW;
		w->d.verdict = VD_LIMIT;
		w->e.verdict = verdict_names[VD_LIMIT];
		decision_reason(&w->d, "%s", limit);
		free(w->reason);
		w->e.reason = w->reason = limit;
	}
	return (STEP_ON);
}

/* Hands a reply over: journal "sending", send, settle -- all in this
 * pass, whatever the delivery says. */
static enum step
send_reply(struct ctx *c, struct way *w, const struct buf *reply,
    char **cause)
{
	enum dstatus	 st;
	char		*why = NULL, *reason;

	/* The server down is not the message's fault: the try it was
	 * counted as is given back, and the pass stops. */
	if (delivery_begin(c->dlv, &why) != 0) {
		w->e.tries--;
		if (outcome(c, w, J_RETRY, why, cause) != STEP_DONE)
			return (STEP_FAIL);
		*cause = xstrdup(why);
		return (STEP_FAIL);
	}
	w->e.state = J_SENDING;
	w->e.when = c->now;
	if (journal_put(c->j, &w->e, cause) != 0)
		return (STEP_FAIL);
	st = c->dlv->ops->send(c->dlv, c->core->conf->envelope_from, w->rcpt,
	    reply->data, reply->len, &why);
	switch (st) {
	case DLV_OK:
		return (outcome(c, w, J_REPLIED, NULL, cause));
	case DLV_TEMP:
		log_warnx("%s: reply to %s not sent, tried again later: %s",
		    w->m->key, w->rcpt, why);
		/* The next message begins a new connection. */
		delivery_end(c->dlv);
		w->e.tries--;
		return (outcome(c, w, J_RETRY, why, cause));
	case DLV_PERM:
		log_warnx("%s: reply to %s refused: %s", w->m->key, w->rcpt,
		    why);
		return (outcome(c, w, J_REVIEW, why, cause));
	case DLV_UNKNOWN:
		break;
	}
	/* It may or may not have left: never sent again, a person decides,
	 * now rather than when the next mail comes. */
	log_warnx("%s: reply to %s may or may not have left: %s", w->m->key,
	    w->rcpt, why);
	delivery_end(c->dlv);
	c->stats->failed++;
	reason = xasprintf("the reply may or may not have left (%s): not sent"
	    " again", why);
	free(why);
	return (outcome(c, w, J_REVIEW, reason, cause));
}

/* The reply it would have sent, for an operator to send, when the
 * message goes to a person with topics that have replies. */
static void
make_draft(struct ctx *c, struct way *w)
{
	const struct config	*conf = c->core->conf;
	struct compose_opts	 co;
	char			*err = NULL;

	if (!suggestion(c->core, &w->d) || w->msg == NULL || w->rcpt == NULL ||
	    *conf->review_drafts == '\0' || c->src->ops->file == NULL ||
	    c->opts->dry_run)
		return;
	memset(&co, 0, sizeof co);
	co.now = c->now;
	co.draft = 1;
	if (compose_reply(c->core, w->msg, &w->d, &co, &c->draft, &err) != 0) {
		log_debug("%s: no draft: %s", w->m->key, err);
		free(err);
		buf_reset(&c->draft);
	}
}

static enum step
step_act(struct ctx *c, struct way *w, char **cause)
{
	struct compose_opts	 co;
	struct buf		 reply;
	char			*err = NULL;
	enum step		 r;

	w->e.action = action_name(w->d.action);
	switch (w->d.action) {
	case ACT_REPLY:
		if (w->rcpt == NULL)
			return (outcome(c, w, J_REVIEW, xstrdup("no address to"
			    " reply to"), cause));
		buf_init(&reply);
		w->reply_id = new_message_id(c->core->conf->msgid_domain,
		    c->now);
		memset(&co, 0, sizeof co);
		co.now = c->now;
		co.message_id = w->reply_id;
		if (compose_reply(c->core, w->msg, &w->d, &co, &reply,
		    &err) != 0) {
			buf_free(&reply);
			return (outcome(c, w, J_REVIEW, err, cause));
		}
		w->e.reply_id = w->reply_id;
		if (c->opts->dry_run) {
			count(c, J_REPLIED);
			log_outcome(c, w, J_REPLIED);
			r = STEP_DONE;
		} else
			r = send_reply(c, w, &reply, cause);
		buf_free(&reply);
		return (r);
	case ACT_REVIEW:
		if (w->e.reason == NULL)
			w->e.reason = decision_verdict(&w->d);
		make_draft(c, w);
		r = outcome(c, w, J_REVIEW, NULL, cause);
		buf_reset(&c->draft);
		return (r);
	case ACT_IGNORE:
		if (w->d.nreasons > 0)
			w->e.reason = w->d.reasons[0];
		return (outcome(c, w, J_IGNORED, NULL, cause));
	}
	return (STEP_DONE);
}

static enum step (*const steps[])(struct ctx *, struct way *, char **) = {
	step_held, step_resume, step_admit, step_decide, step_guard, step_act
};

static int
handle(struct ctx *c, struct source_msg *m, char **cause)
{
	struct way	w;
	enum step	r = STEP_ON;
	size_t		i;

	memset(&w, 0, sizeof w);
	w.m = m;
	w.e.mailbox = c->src->id;
	w.e.key = m->key;
	decision_init(&w.d);
	for (i = 0; i < sizeof steps / sizeof steps[0] && r == STEP_ON; i++)
		r = steps[i](c, &w, cause);
	free(w.reason);
	free(w.reply_id);
	free(w.topics);
	decision_clear(&w.d);
	message_free(w.msg);
	return (r == STEP_FAIL ? -1 : 0);
}

/* Messages answered from a mail client (the operator sent the draft, or a
 * reply of their own) leave the review queue, and their drafts go.  Asked
 * of the mailbox only while something waits. */
static int
queue_sync(struct ctx *c, char **cause)
{
	struct source	*src = c->src;
	char		**ids, **open, *why = NULL;
	size_t		 n, i, nopen;
	time_t		 since;
	long long	 id;
	int		 r = 0;

	if (src->ops->answered == NULL || src->ops->unqueue == NULL ||
	    c->opts->dry_run)
		return (0);
	if (journal_queue_ids(c->j, src->id, &open, &nopen, &since,
	    cause) != 0)
		return (-1);
	ids = NULL;
	n = 0;
	r = nopen == 0 ? 0 : src->ops->answered(src, open, nopen, since, &ids,
	    &n, cause);
	strv_free(open, nopen);
	if (r != 0)
		strv_free(ids, n);
	if (nopen == 0 || r != 0)
		return (r);
	for (i = 0; i < n && r == 0; i++) {
		if ((r = journal_queue_open(c->j, src->id, ids[i], &id,
		    cause)) != 0)
			break;
		if (id != 0) {
			switch (journal_queue_move(c->j, id, "open",
			    "answered", "mail client", NULL, c->now, cause)) {
			case -1:
				r = -1;
				continue;
			case 1:		/* an operator was first */
				free(*cause);
				*cause = NULL;
				break;
			default:
				log_info("%s: answered from a mail client: it"
				    " leaves the review queue", ids[i]);
				c->stats->answered++;
				break;
			}
		}
		/* Written after the journal; found again if lost. */
		if (src->ops->unqueue(src, ids[i], UNQ_CLIENT, &why) != 0) {
			log_warnx("%s: %s", ids[i], why);
			free(why);
			why = NULL;
		}
	}
	strv_free(ids, n);
	return (r);
}

/* After a whole pass: what the journal keeps no longer is forgotten.  The
 * messages the mailbox offered keep their rows, or they would be answered
 * again.  A failure is said, and the pass stands. */
static void
purge(struct ctx *c)
{
	const struct config	*conf = c->core->conf;
	struct jpurge		 p;
	char			*why = NULL;

	if (conf->keep_days == 0 || c->opts->dry_run)
		return;
	if (journal_purge(c->j, c->now, conf->keep_days, conf->per_sender_days,
	    c->src->id, c->keys, c->nkeys, 0, &p, &why) != 0) {
		log_warnx("%s", why);
		free(why);
		return;
	}
	if (p.raw + p.queue + p.messages + p.replies > 0)
		log_info("journal: forgotten after %d days: %d messages of closed"
		    " review entries, %d closed entries, %d message rows, %d"
		    " reply-history rows", conf->keep_days, p.raw, p.queue,
		    p.messages, p.replies);
}

/* After a whole pass: its end recorded, for monitoring (stats
 * --prometheus).  A failure is said, and the pass stands. */
static void
pass_done(struct ctx *c)
{
	char	*why = NULL;

	if (c->opts->dry_run)
		return;
	if (journal_pass(c->j, c->opts->now != 0 ? c->opts->now : time(NULL),
	    &why) != 0) {
		log_warnx("%s", why);
		free(why);
	}
}

int
process_run(const struct core *core, struct journal *j, struct source *src,
    struct delivery *dlv, const struct run_opts *opts,
    struct run_stats *stats, char **cause)
{
	struct ctx		c;
	struct source_msg	m;
	int			r;

	memset(&c, 0, sizeof c);
	c.core = core;
	c.j = j;
	c.src = src;
	c.dlv = dlv;
	c.opts = opts;
	c.stats = stats;
	src->instance = journal_instance(j);
	src->readonly = opts->dry_run;
	if (journal_fresh(j))
		log_info("%s: the journal is new: what the mailbox shows as"
		    " handled already is not handled again", src->ops->desc(src));
	if (src->ops->scan(src, cause) != 0)
		return (-1);
	buf_init(&c.draft);
	for (;;) {
		if (opts->stop != NULL && *opts->stop) {
			r = 0;
			break;
		}
		memset(&m, 0, sizeof m);
		if ((r = src->ops->next(src, &m, cause)) <= 0)
			break;
		c.now = opts->now != 0 ? opts->now : time(NULL);
		stats->seen++;
		r = handle(&c, &m, cause);
		c.keys = xreallocarray(c.keys, c.nkeys + 1, sizeof *c.keys);
		c.keys[c.nkeys++] = m.key;
		m.key = NULL;
		source_msg_clear(&m);
		if (r != 0) {
			r = -1;
			break;
		}
	}
	buf_free(&c.draft);
	if (r == 0) {
		c.now = opts->now != 0 ? opts->now : time(NULL);
		r = queue_sync(&c, cause);
	}
	/* Only when every message was looked at. */
	if (r == 0 && (opts->stop == NULL || !*opts->stop))
		purge(&c);
	if (r == 0 && (opts->stop == NULL || !*opts->stop))
		pass_done(&c);
	while (c.nkeys > 0)
		free(c.keys[--c.nkeys]);
	free(c.keys);
	return (r);
}

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

/* Sends a reply: journal "sending", hand it over, settle. */
static int
send_reply(struct ctx *c, const struct source_msg *m, struct jentry *e,
    const char *rcpt, const struct buf *reply, char **cause)
{
	const struct config	*conf = c->core->conf;
	enum dstatus		 st;
	char			*why = NULL;

	/* The server down is not the message's fault: the try it was
	 * counted as is given back, and the pass stops. */
	if (delivery_begin(c->dlv, &why) != 0) {
		e->state = J_RETRY;
		e->tries--;
		e->reason = why;
		count(c, e->state);
		if (settle(c, m, e, cause) == 0)
			*cause = why;
		else
			free(why);
		return (-1);
	}
	e->state = J_SENDING;
	e->when = c->now;
	if (journal_put(c->j, e, cause) != 0)
		return (-1);
	st = c->dlv->ops->send(c->dlv, conf->envelope_from, rcpt, reply->data,
	    reply->len, &why);
	switch (st) {
	case DLV_OK:
		e->state = J_REPLIED;
		break;
	case DLV_TEMP:
		e->state = J_RETRY;
		e->tries--;
		e->reason = why;
		log_warnx("%s: reply to %s not sent, tried again later: %s",
		    m->key, rcpt, why);
		break;
	case DLV_PERM:
		e->state = J_REVIEW;
		e->reason = why;
		log_warnx("%s: reply to %s refused: %s", m->key, rcpt, why);
		break;
	case DLV_UNKNOWN:
		/* Left "sending": the next run files it for a person. */
		log_warnx("%s: reply to %s may or may not have left: %s",
		    m->key, rcpt, why);
		free(why);
		c->stats->failed++;
		return (0);
	}
	count(c, e->state);
	if (settle(c, m, e, cause) != 0) {
		free(why);
		return (-1);
	}
	free(why);
	return (0);
}

static int
handle(struct ctx *c, struct source_msg *m, char **cause)
{
	const struct config	*conf = c->core->conf;
	struct jentry		 e;
	struct message		*msg = NULL;
	struct decision		 d;
	struct compose_opts	 co;
	struct buf		 reply;
	enum jstate		 state;
	char			*why = NULL, *topics = NULL, *reply_id = NULL,
				*limit, *err = NULL;
	const char		*rcpt;
	int			 tries, r = 0, failed;

	memset(&e, 0, sizeof e);
	e.mailbox = c->src->id;
	e.key = m->key;
	if (journal_get(c->j, c->src->id, m->key, &state, &tries, cause) != 0)
		return (-1);
	e.tries = tries;
	switch (state) {
	case J_REPLIED:
	case J_REVIEW:
	case J_IGNORED:
		/* Finished; the mark may have been lost to a crash. */
		if (c->opts->dry_run)
			return (0);
		return (c->src->ops->mark(c->src, m, state, cause));
	case J_SENDING:
		e.state = J_REVIEW;
		e.reason = "the responder stopped while sending the reply: not"
		    " sent again";
		log_warnx("%s: %s", m->key, e.reason);
		count(c, e.state);
		return (settle(c, m, &e, cause));
	case J_TRYING:
	case J_RETRY:
		if (tries >= conf->max_tries) {
			e.state = J_REVIEW;
			why = xasprintf("handling failed %d times", tries);
			e.reason = why;
			log_warnx("%s: %s", m->key, why);
			count(c, e.state);
			r = settle(c, m, &e, cause);
			free(why);
			return (r);
		}
		break;
	case J_NEW:
		break;
	}

	if ((double)m->size > conf->max_size) {
		e.state = J_REVIEW;
		why = xasprintf("%zu bytes, over limits.max_size: not read",
		    m->size);
		e.reason = why;
		log_info("%s: review: %s", m->key, why);
		count(c, e.state);
		r = settle(c, m, &e, cause);
		free(why);
		return (r);
	}
	if (c->src->ops->read(c->src, m, &err) != 0) {
		e.state = J_RETRY;
		e.tries = tries + 1;
		e.reason = err;
		log_warnx("%s: %s", m->key, err);
		count(c, e.state);
		r = settle(c, m, &e, cause);
		free(err);
		return (r);
	}
	/* Counted before the work: a crash in it counts as a try. */
	e.state = J_TRYING;
	e.tries = tries + 1;
	if (!c->opts->dry_run) {
		e.when = c->now;
		if (journal_put(c->j, &e, cause) != 0)
			return (-1);
	}

	decision_init(&d);
	decide_raw(c->core, m->data, m->len, &msg, &d);
	topics = decision_topics(c->core, &d);
	e.topics = topics;
	e.lang = lang_name(d.lang);
	if (msg != NULL) {
		e.message_id = msg->message_id;
		e.sender = msg->from.addr;
	}
	rcpt = msg != NULL ? reply_address(conf, msg) : NULL;

	if (d.action == ACT_REPLY && msg != NULL && msg->message_id != NULL) {
		if (journal_answered(c->j, c->src->id, msg->message_id,
		    m->key, &why, &state, cause) != 0) {
			r = -1;
			goto out;
		}
		if (why != NULL) {
			/* Answered already, under another key: a renumbered
			 * mailbox.  Recorded as answered, without a reply. */
			log_warnx("%s: %s was answered already as %s: not"
			    " again", m->key, msg->message_id, why);
			free(why);
			why = xstrdup("answered already under another key (the"
			    " mailbox was renumbered)");
			e.reason = why;
			/* As it was then: answered, or with a person. */
			e.state = state == J_REVIEW ? J_REVIEW : J_REPLIED;
			e.topics = NULL;
			e.action = action_name(d.action);
			count(c, e.state);
			r = settle(c, m, &e, cause);
			goto out;
		}
	}
	if (d.action == ACT_REPLY && rcpt != NULL) {
		limit = over_limits(c, rcpt, &d, cause, &failed);
		if (failed) {
			r = -1;
			goto out;
		}
		if (limit != NULL) {
			d.action = ACT_REVIEW;
			decision_reason(&d, "%s", limit);
			e.reason = why = limit;
		}
	}
	e.action = action_name(d.action);

	if (d.action == ACT_REPLY) {
		buf_init(&reply);
		reply_id = new_message_id(conf->msgid_domain, c->now);
		memset(&co, 0, sizeof co);
		co.now = c->now;
		co.message_id = reply_id;
		if (rcpt == NULL || compose_reply(c->core, msg, &d, &co, &reply,
		    &err) != 0) {
			e.state = J_REVIEW;
			e.reason = why = err != NULL ? err :
			    xstrdup("no address to reply to");
			err = NULL;
			buf_free(&reply);
		} else {
			e.reply_id = reply_id;
			log_info("%s: reply %s to %s (%s)", m->key, topics, rcpt,
			    reply_id);
			if (!c->opts->dry_run)
				r = send_reply(c, m, &e, rcpt, &reply, cause);
			else
				count(c, J_REPLIED);
			buf_free(&reply);
			goto out;
		}
	} else if (d.action == ACT_REVIEW) {
		e.state = J_REVIEW;
		if (e.reason == NULL)
			e.reason = decision_verdict(&d);
	} else {
		e.state = J_IGNORED;
		if (d.nreasons > 0)
			e.reason = d.reasons[0];
	}
	log_info("%s: %s %s (%s)", m->key, jstate_name(e.state), topics,
	    e.reason != NULL ? e.reason : "");
	if (e.state == J_REVIEW && suggestion(c->core, &d) && msg != NULL &&
	    rcpt != NULL && *conf->review_drafts != '\0' &&
	    c->src->ops->file != NULL && !c->opts->dry_run) {
		/* The reply it would have sent, for an operator to send. */
		memset(&co, 0, sizeof co);
		co.now = c->now;
		co.draft = 1;
		if (compose_reply(c->core, msg, &d, &co, &c->draft,
		    &err) != 0) {
			log_debug("%s: no draft: %s", m->key, err);
			free(err);
			err = NULL;
			buf_reset(&c->draft);
		}
	}
	count(c, e.state);
	r = settle(c, m, &e, cause);
	buf_reset(&c->draft);

out:
	free(why);
	free(reply_id);
	free(topics);
	decision_clear(&d);
	message_free(msg);
	return (r);
}

/* Messages answered from a mail client (the operator sent the draft, or a
 * reply of their own) leave the review queue, and their drafts go.  Asked
 * of the mailbox only while something waits. */
static int
queue_sync(struct ctx *c, char **cause)
{
	struct source	*src = c->src;
	char		**ids, *why = NULL;
	size_t		 n, i;
	long long	 id;
	int		 r = 0;

	if (src->ops->answered == NULL || src->ops->unqueue == NULL ||
	    c->opts->dry_run)
		return (0);
	if (journal_queue_open(c->j, src->id, NULL, &id, cause) != 0)
		return (-1);
	if (id == 0)
		return (0);
	if (src->ops->answered(src, &ids, &n, cause) != 0)
		return (-1);
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
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return (r);
}

void
source_init(struct source *src, const struct config *c)
{
	memset(src, 0, sizeof *src);
	src->conf = c;
	src->ops = c->mailbox_type == MAILBOX_IMAP ? &source_imap :
	    &source_maildir;
}

void
delivery_init(struct delivery *dv, const struct config *c)
{
	memset(dv, 0, sizeof *dv);
	dv->conf = c;
	switch (c->delivery_type) {
	case DELIVERY_OUTBOX:
		dv->ops = &deliver_outbox;
		break;
	case DELIVERY_SENDMAIL:
		dv->ops = &deliver_sendmail;
		break;
	default:
		dv->ops = &deliver_smtp;
		break;
	}
}

int
delivery_begin(struct delivery *dv, char **cause)
{
	if (dv->begun) {
		if (dv->failed)
			*cause = xstrdup("the delivery could not start");
		return (dv->failed ? -1 : 0);
	}
	dv->begun = 1;
	dv->failed = dv->ops->begin(dv, cause) != 0;
	return (dv->failed ? -1 : 0);
}

void
delivery_end(struct delivery *dv)
{
	if (dv->begun)
		dv->ops->end(dv);
	dv->begun = dv->failed = 0;
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
	while (c.nkeys > 0)
		free(c.keys[--c.nkeys]);
	free(c.keys);
	return (r);
}

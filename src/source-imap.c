/*
 * An IMAP folder as the mailbox, with libetpan.  The server itself records
 * each outcome as a keyword ($AutoReplied, $FlossReview, $FlossIgnored), so
 * that the folder shows what was done and new mail is found without
 * rescanning it: UID SEARCH for the messages with none of the three.
 *
 * The folder is also what several responders share (a daemon and a cron
 * job, a standby machine): before a message is handled, this responder
 * claims it with a keyword of its own, "$FlossClaim." and its journal's
 * name, stored only if the message did not change since it was fetched
 * (UID STORE UNCHANGEDSINCE, CONDSTORE, RFC 7162).  A message another
 * responder claimed is left to it; the outcome keyword then replaces the
 * claim.  A server without CONDSTORE gets the best claim IMAP allows: set,
 * then read again, the smaller name winning a tie; two responders on it
 * are not safe, and the log says so.
 *
 * Messages are fetched in batches of imap.batch: sizes, flags and
 * mod-sequences first, then the claim (one command), then BODY.PEEK[] of
 * those within limits.max_size, BATCH_BYTES at a time.  \Seen is never
 * set, by fetching or otherwise, so an operator reading a message first
 * does not hide it.  Outcomes, filings for review and drafts are written
 * once a batch (one command each), before the folder is left: a message
 * whose claim is still there after its outcome was not filed yet, and is
 * filed by the next pass.  The journal key is "UIDVALIDITY:UID".
 */

#include <sys/types.h>

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"
#include "imap.h"

static int	unqueue_draft(struct imap *, const char *, const char *,
		    char **);

/* What libetpan's code r means, for a person. */
static const char *
imap_strerror(int r)
{
	switch (r) {
	case MAILIMAP_ERROR_STREAM:
		return ("the connection was closed");
	case MAILIMAP_ERROR_PARSE:
		return ("the server's answer could not be read");
	case MAILIMAP_ERROR_CONNECTION_REFUSED:
		return ("cannot connect");
	case MAILIMAP_ERROR_MEMORY:
		return ("out of memory");
	case MAILIMAP_ERROR_FATAL:
		return ("the server ended the session");
	case MAILIMAP_ERROR_DONT_ACCEPT_CONNECTION:
		return ("the server accepts no connection");
	case MAILIMAP_ERROR_SSL:
		return ("the TLS handshake failed");
	case MAILIMAP_ERROR_SASL:
		return ("the authentication exchange failed");
	case MAILIMAP_ERROR_EXTENSION:
		return ("the server lacks an extension this needs");
	case MAILIMAP_ERROR_BAD_STATE:
	case MAILIMAP_ERROR_INVAL:
		return ("the command does not fit the session's state");
	}
	return ("the server refused the command");
}

/* Why a command failed, for a person: the server's own text when it
 * answered NO or BAD, what libetpan's code r means otherwise (never the
 * text of an earlier OK). */
const char *
imap_said(struct imap *im, int r)
{
	const char	*text;

	text = im->s != NULL ? im->s->imap_response : NULL;
	if (text != NULL && *text != '\0' && (r == MAILIMAP_ERROR_PROTOCOL ||
	    (r >= MAILIMAP_ERROR_APPEND && r <= MAILIMAP_ERROR_STARTTLS) ||
	    r == MAILIMAP_ERROR_CUSTOM_COMMAND))
		return (text);
	return (imap_strerror(r));
}

static int
imap_port(const struct endpoint *e)
{
	if (e->port != 0)
		return (e->port);
	return (e->tls == TLS_IMPLICIT ? 993 : 143);
}

static int
imap_ok(int r)
{
	return (r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
	    r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED);
}

static int
imap_connect(struct source *src, struct imap *im, char **cause)
{
	const struct endpoint	*e = &src->conf->imap;
	struct mailimap_capability_data *caps = NULL;
	const char		*code;
	char			*pass, *why = NULL;
	int			 r, port = imap_port(e);

	src->fail = FAIL_TEMP;
	im->s = mailimap_new(0, NULL);
	mailimap_set_timeout(im->s, (time_t)e->timeout);
	mailstream_network_delay.tv_sec = e->timeout;
	mailstream_network_delay.tv_usec = 0;
	if (e->tls == TLS_IMPLICIT)
		r = mailimap_ssl_connect_with_callback(im->s, e->host,
		    (uint16_t)port, tls_sni, tls_name(e));
	else
		r = mailimap_socket_connect(im->s, e->host, (uint16_t)port);
	if ((*cause = tls_mode_mistake(e, port, r == MAILIMAP_ERROR_SSL,
	    r == MAILIMAP_ERROR_STREAM, "imap")) != NULL) {
		src->fail = FAIL_CONFIG;
		return (-1);
	}
	if (!imap_ok(r)) {
		*cause = xasprintf("%s:%d: %s", e->host, port,
		    imap_strerror(r));
		return (-1);
	}
	if (e->tls == TLS_IMPLICIT && tls_verify(im->s->imap_stream,
	    tls_name(e), e->ca_file, cause) != 0) {
		src->fail = FAIL_CONFIG;
		return (-1);
	}
	if (e->tls == TLS_STARTTLS) {
		if ((r = mailimap_socket_starttls_with_callback(im->s, tls_sni,
		    tls_name(e))) != MAILIMAP_NO_ERROR) {
			/* Refused, or data injected before the handshake. */
			if (r == MAILIMAP_ERROR_STARTTLS)
				src->fail = FAIL_CONFIG;
			*cause = xasprintf("%s: STARTTLS: %s", e->host,
			    imap_said(im, r));
			return (-1);
		}
		if (tls_verify(im->s->imap_stream, tls_name(e), e->ca_file,
		    cause) != 0) {
			src->fail = FAIL_CONFIG;
			return (-1);
		}
		/* The capabilities change with TLS. */
		if (mailimap_capability(im->s, &caps) == MAILIMAP_NO_ERROR)
			mailimap_capability_data_free(caps);
	}
	/* No password in clear but to this machine, as the socket says. */
	if (e->tls == TLS_NONE && !peer_loopback(im->s->imap_stream)) {
		src->fail = FAIL_CONFIG;
		*cause = xasprintf("%s: imap.tls is none and the server is not"
		    " on a loopback address: no password is sent in clear over"
		    " a network", e->host);
		return (-1);
	}
	if ((pass = secret_read(e->password_file, e->password_env, &why)) ==
	    NULL) {
		src->fail = FAIL_CONFIG;
		*cause = why;
		return (-1);
	}
	r = mailimap_login(im->s, e->user, pass);
	explicit_bzero(pass, strlen(pass));
	free(pass);
	if (r == MAILIMAP_ERROR_LOGIN) {
		/* [UNAVAILABLE]: the server's trouble, not the password. */
		code = im->s->imap_response_info != NULL ?
		    im->s->imap_response_info->rsp_atom : NULL;
		if (code == NULL || strcasecmp(code, "UNAVAILABLE") != 0) {
			src->fail = FAIL_AUTH;
			*cause = xasprintf("the IMAP server %s refused the login"
			    " for %s (%s): check imap.user and the password",
			    e->host, e->user, imap_said(im, r));
			return (-1);
		}
	}
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("%s: LOGIN as %s: %s", e->host, e->user,
		    imap_said(im, r));
		return (-1);
	}
	return (0);
}

int
by_uid(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

/* SELECTs a folder named in UTF-8 (modified UTF-7 on the wire), unless
 * it is the one selected. */
int
imap_select(struct imap *im, const char *folder, char **cause)
{
	char	*wire;
	int	 r;

	if (im->selected != NULL && strcmp(im->selected, folder) == 0)
		return (0);
	free(im->selected);
	im->selected = NULL;	/* a SELECT refused leaves none selected */
	if ((wire = mutf7_encode(folder)) == NULL) {
		*cause = xasprintf("'%s' is not UTF-8", folder);
		return (-1);
	}
	im->commands++;
	r = mailimap_select(im->s, wire);
	free(wire);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("SELECT %s: %s", folder, imap_said(im, r));
		return (-1);
	}
	im->selected = xstrdup(folder);
	return (0);
}

int
imap_highest(struct imap *im, uint64_t *highest, char **cause)
{
	struct mailimap_status_att_list		*att;
	struct mailimap_mailbox_data_status	*st = NULL;
	struct mailimap_status_info		*info;
	struct mailimap_extension_data		*ext;
	clistiter				*it;
	char					*wire;
	int					 r;

	*highest = 0;
	if ((wire = mutf7_encode(im->selected)) == NULL) {
		*cause = xasprintf("'%s' is not UTF-8", im->selected);
		return (-1);
	}
	att = mailimap_status_att_list_new_empty();
	mailimap_status_att_list_add(att, MAILIMAP_STATUS_ATT_HIGHESTMODSEQ);
	im->commands++;
	r = mailimap_status(im->s, wire, att, &st);
	mailimap_status_att_list_free(att);
	free(wire);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("STATUS %s (HIGHESTMODSEQ): %s",
		    im->selected, imap_said(im, r));
		return (-1);
	}
	for (it = clist_begin(st->st_info_list); it != NULL;
	    it = clist_next(it)) {
		info = clist_content(it);
		ext = info->st_ext_data;
		/* (libetpan reads it as an extension's item.) */
		if (ext != NULL && ext->ext_extension ==
		    &mailimap_extension_condstore && ext->ext_type ==
		    MAILIMAP_CONDSTORE_TYPE_STATUS_INFO)
			*highest = ((struct mailimap_condstore_status_info *)
			    ext->ext_data)->cs_highestmodseq_value;
	}
	mailimap_mailbox_data_status_free(st);
	if (*highest == 0) {
		*cause = xasprintf("STATUS %s: no HIGHESTMODSEQ in the"
		    " answer", im->selected);
		return (-1);
	}
	return (0);
}

/* One UID SEARCH (the key is freed): the UIDs found, ascending, in a
 * clist the caller frees with mailimap_search_result_free(). */
int
uid_search(struct imap *im, struct mailimap_search_key *key,
    const char *what, clist **res, char **cause)
{
	int	r;

	*res = NULL;
	im->commands++;
	r = mailimap_uid_search(im->s, NULL, key, res);
	mailimap_search_key_free(key);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID SEARCH%s%s: %s", *what != '\0' ? " " :
		    "", what, imap_said(im, r));
		return (-1);
	}
	return (0);
}

/* The UIDs of a search result as a set, NULL when there is none; frees
 * the result. */
static struct mailimap_set *
uid_set(clist *res)
{
	struct mailimap_set	*set = NULL;
	clistiter		*it;
	uint32_t		*u;
	size_t			 n = 0;

	u = xcalloc((size_t)clist_count(res) + 1, sizeof *u);
	for (it = clist_begin(res); it != NULL; it = clist_next(it))
		u[n++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(res);
	if (n > 0)
		set = uids_set(u, uids_unique(u, n));
	free(u);
	return (set);
}

/* The messages with none of the three outcome keywords, and those that
 * still show our claim (their outcome was not all written): one UID
 * SEARCH. */
static int
imap_search(struct source *src, struct imap *im, char **cause)
{
	struct mailimap_search_key	*key;
	clist				*res;
	clistiter			*it;

	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_unkeyword(xstrdup(KW_REPLIED)));
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_unkeyword(xstrdup(KW_REVIEW)));
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_unkeyword(xstrdup(KW_IGNORED)));
	if (im->claim != NULL && !src->readonly)
		key = mailimap_search_key_new_or(key,
		    mailimap_search_key_new_keyword(xstrdup(im->claim)));
	if (uid_search(im, key, "", &res, cause) != 0)
		return (-1);
	im->nuids = (size_t)clist_count(res);
	im->uids = xcalloc(im->nuids, sizeof *im->uids);
	im->nuids = 0;
	for (it = clist_begin(res); it != NULL; it = clist_next(it))
		im->uids[im->nuids++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(res);
	qsort(im->uids, im->nuids, sizeof *im->uids, by_uid);
	return (0);
}

/* Whether the folder selected lets new keywords be stored (\* in its
 * PERMANENTFLAGS).  A server that names none lets all be (RFC 3501). */
static int
keywords_allowed(struct imap *im)
{
	struct mailimap_selection_info	*sel = im->s->imap_selection_info;
	struct mailimap_flag_perm	*fp;
	clistiter			*it;

	if (sel == NULL || sel->sel_perm_flags == NULL)
		return (1);
	for (it = clist_begin(sel->sel_perm_flags); it != NULL;
	    it = clist_next(it)) {
		fp = clist_content(it);
		if (fp->fl_type == MAILIMAP_FLAG_PERM_ALL)
			return (1);
	}
	return (0);
}

static int
imap_open(struct source *src, char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im;

	im = xcalloc(1, sizeof *im);
	src->data = im;
	im->desc = xasprintf("imap %s@%s/%s", c->imap.user, c->imap.host,
	    c->imap_folder);
	src->id = xasprintf("imap:%s@%s/%s", c->imap.user, c->imap.host,
	    c->imap_folder);
	if (imap_connect(src, im, cause) != 0)
		return (-1);
	if (imap_select(im, c->imap_folder, cause) != 0)
		return (-1);
	im->uidvalidity = im->s->imap_selection_info != NULL ?
	    im->s->imap_selection_info->sel_uidvalidity : 0;
	im->condstore = mailimap_has_condstore(im->s);
	if (!src->readonly && !keywords_allowed(im)) {
		*cause = xasprintf("%s: the folder lets no keyword be created"
		    " (PERMANENTFLAGS without \\*): the responder records"
		    " its claims and outcomes as keywords; let the server"
		    " keep keywords (Dovecot does by default)", im->desc);
		src->fail = FAIL_CONFIG;
		return (-1);
	}
	if (!im->condstore)
		log_warnx("%s: the server has no CONDSTORE: a message is"
		    " claimed as well as IMAP allows without it, and two"
		    " responders on this folder could both answer it",
		    im->desc);
	return (0);
}

static int
imap_scan(struct source *src, char **cause)
{
	struct imap	*im = src->data;

	if (pending_flush(src, im, cause) != 0 ||
	    imap_select(im, src->conf->imap_folder, cause) != 0)
		return (-1);
	batch_clear(im);
	free(im->uids);
	im->uids = NULL;
	im->nuids = im->next = 0;
	if (im->s->imap_selection_info != NULL &&
	    im->s->imap_selection_info->sel_uidvalidity != im->uidvalidity) {
		log_warnx("%s: UIDVALIDITY changed from %u to %u", im->desc,
		    im->uidvalidity, im->s->imap_selection_info->sel_uidvalidity);
		im->uidvalidity = im->s->imap_selection_info->sel_uidvalidity;
	}
	if (im->claim == NULL && src->instance != NULL && !src->readonly)
		im->claim = xasprintf(KW_CLAIM "%s", src->instance);
	return (imap_search(src, im, cause));
}

/*
 * Waits for new mail: IDLE when the server has it (RFC 2177), ended and
 * started again before its 29 minutes, the socket watched with the stop
 * flag looked at every second; else the poll interval.
 */
static int
imap_wait(struct source *src, volatile sig_atomic_t *stop, char **cause)
{
	struct imap	*im = src->data;
	struct pollfd	 pfd;
	time_t		 until;
	int		 r, woke = 0;

	if (src->conf->imap_idle != 0 || !mailimap_has_idle(im->s))
		return (nap(src->conf->poll_interval, stop));
	/* The review queue's look may have left another folder selected. */
	if (imap_select(im, src->conf->imap_folder, cause) != 0)
		return (-1);
	im->commands++;
	if ((r = mailimap_idle(im->s)) != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("IDLE: %s", imap_said(im, r));
		return (-1);
	}
	until = time(NULL) + (time_t)mailimap_idle_get_done_delay(im->s);
	pfd.fd = mailimap_idle_get_fd(im->s);
	pfd.events = POLLIN;
	while (!*stop && time(NULL) < until) {
		if (im->s->imap_stream->read_buffer_len > 0) {
			woke = 1;
			break;
		}
		r = poll(&pfd, 1, 1000);
		if (r > 0) {
			woke = 1;
			break;
		}
	}
	if ((r = mailimap_idle_done(im->s)) != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("IDLE ended with an error: %s",
		    imap_said(im, r));
		return (-1);
	}
	log_debug("%s: %s", im->desc, woke ? "IDLE woke" : *stop ?
	    "stopped while idle" : "IDLE renewed");
	return (*stop ? 0 : 1);
}

/* The next message of the batch that is ours to handle; at the end of a
 * batch, what it decided is written to the folder first. */
static int
imap_next(struct source *src, struct source_msg *m, char **cause)
{
	struct imap	*im = src->data;
	struct fetched	*f;

	for (;;) {
		if (im->bnext == im->nbatch) {
			if (pending_flush(src, im, cause) != 0)
				return (-1);
			if (im->next == im->nuids)
				return (0);
			if (batch_fetch(src, im, cause) != 0)
				return (-1);
			continue;
		}
		f = &im->batch[im->bnext++];
		if (f->hold == HOLD_DONE || (f->hold == HOLD_OTHER &&
		    (f->other == NULL || src->readonly)))
			continue;
		f->given = 1;
		memset(m, 0, sizeof *m);
		m->key = xasprintf("%u:%u", im->uidvalidity, f->uid);
		m->size = f->size;
		m->priv = f;
		if (f->hold == HOLD_OTHER)
			m->held_by = f->other;
		return (1);
	}
}

static int
imap_read(struct source *src, struct source_msg *m, char **cause)
{
	struct imap	*im = src->data;
	struct fetched	*f = m->priv;

	if (m->data != NULL)
		return (0);
	if (!f->asked && batch_bodies(src, im, (size_t)(f - im->batch),
	    cause) != 0)
		return (-1);
	if (f->data == NULL) {
		*cause = xasprintf("UID %u: the server sent no body", f->uid);
		return (-1);
	}
	/* Handed over: the batch holds each body until it is read. */
	m->data = f->data;
	m->len = f->len;
	f->data = NULL;
	return (0);
}

/* An outcome is noted, and written with the batch's: the claim keeps the
 * message ours meanwhile. */
static int
imap_mark(struct source *src, const struct source_msg *m, enum jstate state,
    char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im = src->data;
	struct fetched		*f = m->priv;

	switch (state) {
	case J_REPLIED:
		pending_outcome(im, f->uid, OUT_REPLIED, 0);
		break;
	case J_REVIEW:
		pending_outcome(im, f->uid, OUT_REVIEW,
		    *c->review_folder != '\0' &&
		    strcmp(c->review_folder, c->imap_folder) != 0);
		break;
	case J_IGNORED:
		pending_outcome(im, f->uid, OUT_IGNORED, 0);
		break;
	case J_RETRY:
		f->release = 1;		/* nothing left: let it go */
		break;
	default:
		break;
	}
	return (0);
}

/* Makes sure the review folder and the drafts folder exist, once a
 * connection: CREATE, whose "already exists" is no error. */
void
imap_create(struct imap *im, const char *folder)
{
	char	*wire;
	int	 r;

	if (folder == NULL || *folder == '\0' ||
	    strcasecmp(folder, "INBOX") == 0 ||
	    (wire = mutf7_encode(folder)) == NULL)
		return;
	im->commands++;
	if ((r = mailimap_create(im->s, wire)) != MAILIMAP_NO_ERROR)
		log_debug("%s: CREATE %s: %s", im->desc, folder,
		    imap_said(im, r));
	free(wire);
}

/* Files a message for review: its copy into review.folder is noted with
 * its outcome (imap_mark); the suggested reply goes to review.drafts with
 * the batch's. */
static int
imap_file(struct source *src, const struct source_msg *m, const char *draft,
    size_t len, char **cause)
{
	struct imap	*im = src->data;
	struct fetched	*f = m->priv;

	if (draft != NULL && *src->conf->review_drafts != '\0')
		pending_draft(im, f->uid, draft, len);
	return (0);
}

/* SELECTs a folder (named in UTF-8) and finds the messages whose header
 * field has the value: a UID set, NULL when there is none, or -1. */
static int
imap_find(struct imap *im, const char *folder, const char *field,
    const char *value, struct mailimap_set **set, char **cause)
{
	clist	*res;

	*set = NULL;
	if (imap_select(im, folder, cause) != 0)
		return (-1);
	if (uid_search(im, mailimap_search_key_new_header(xstrdup(field),
	    xstrdup(value)), folder, &res, cause) != 0)
		return (-1);
	*set = uid_set(res);
	return (0);
}

/* Adds one flag, or two, to the messages of a set: 0 or -1. */
int
imap_flag(struct imap *im, struct mailimap_set *set,
    struct mailimap_flag *flag, struct mailimap_flag *also, char **cause)
{
	struct mailimap_flag_list	*fl;
	struct mailimap_store_att_flags	*sa;
	int				 r;

	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, flag);
	if (also != NULL)
		mailimap_flag_list_add(fl, also);
	sa = mailimap_store_att_flags_new_add_flags_silent(fl);
	im->commands++;
	r = mailimap_uid_store(im->s, set, sa);
	mailimap_store_att_flags_free(sa);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID STORE: %s", imap_said(im, r));
		return (-1);
	}
	return (0);
}

/* What an operator did from the command line, shown in the mailbox: the
 * message gets \Answered (sent) or $FlossDismissed, where it is and in the
 * review folder, and its draft is removed. */
static int
imap_unqueue(struct source *src, const char *msgid, enum unqueue how,
    char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im = src->data;
	struct mailimap_set	*set;
	const char		*folders[2];
	size_t			 i;
	int			 r;

	/* What the folder watched is to show, before it is left. */
	if (pending_flush(src, im, cause) != 0)
		return (-1);
	folders[0] = c->imap_folder;
	folders[1] = c->review_folder;
	for (i = 0; i < 2; i++) {
		if (*folders[i] == '\0' || (i == 1 &&
		    strcmp(folders[0], folders[1]) == 0))
			continue;
		if (imap_find(im, folders[i], "Message-ID", msgid, &set,
		    cause) != 0)
			return (-1);
		if (set == NULL)
			continue;
		r = imap_flag(im, set, mailimap_flag_new_flag_keyword(
		    xstrdup(KW_CLOSED)), how == UNQ_SENT ?
		    mailimap_flag_new_answered() : how == UNQ_DISMISSED ?
		    mailimap_flag_new_flag_keyword(xstrdup(KW_DISMISSED)) :
		    NULL, cause);
		mailimap_set_free(set);
		if (r != 0)
			return (-1);
	}
	/* (The folder watched is selected again when it is next used.) */
	if (*c->review_drafts == '\0')
		return (0);
	return (unqueue_draft(im, c->review_drafts, msgid, cause));
}

/* Removes the drafts replying to the message. */
static int
unqueue_draft(struct imap *im, const char *drafts, const char *msgid,
    char **cause)
{
	struct mailimap_set	*set;
	int			 r;

	if (imap_find(im, drafts, "In-Reply-To", msgid, &set,
	    cause) != 0)
		return (-1);
	if (set == NULL)
		return (0);
	r = imap_flag(im, set, mailimap_flag_new_deleted(), NULL, cause);
	if (r == 0 && mailimap_has_extension(im->s, "UIDPLUS")) {
		/* Those drafts only, not what else is marked deleted. */
		im->commands++;
		if ((r = mailimap_uid_expunge(im->s, set)) !=
		    MAILIMAP_NO_ERROR) {
			*cause = xasprintf("UID EXPUNGE in %s: %s", drafts,
			    imap_said(im, r));
			r = -1;
		}
	}
	mailimap_set_free(set);
	return (r);
}

static void
imap_close(struct source *src)
{
	struct imap	*im = src->data;
	char		*why = NULL;

	if (im == NULL)
		return;
	if (im->s != NULL && im->s->imap_stream != NULL &&
	    pending_flush(src, im, &why) != 0) {
		log_warnx("%s: %s", im->desc, why);
		free(why);
	}
	if (im->s != NULL) {
		if (im->s->imap_stream != NULL) {
			log_info("%s: %u commands after login, LOGOUT aside",
			    im->desc, im->commands);
			mailimap_logout(im->s);
		}
		mailimap_free(im->s);
	}
	batch_clear(im);
	pending_clear(&im->pend);
	free(im->uids);
	free(im->claim);
	free(im->selected);
	free(im->desc);
	free(im);
	src->data = NULL;
	free(src->id);
	src->id = NULL;
}

static const char *
imap_desc(struct source *src)
{
	struct imap	*im = src->data;

	return (im != NULL ? im->desc : "imap");
}

const struct source_ops source_imap = {
	"imap", imap_open, imap_scan, imap_next, imap_read, imap_mark,
	imap_wait, imap_close, imap_desc, imap_file, imap_unqueue,
	imap_answered
};

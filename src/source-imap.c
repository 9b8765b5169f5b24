/*
 * An IMAP folder as the mailbox, with libetpan.  The server itself records
 * each outcome as a keyword ($AutoReplied, $FlossReview, $FlossIgnored), so
 * that the folder shows what was done and new mail is found without
 * rescanning it: UID SEARCH for the messages with none of the three.
 * Messages are fetched in batches of imap.batch, sizes first, then
 * BODY.PEEK[] of those within limits.max_size: \Seen is never set, by
 * fetching or otherwise, so an operator reading a message first does not
 * hide it.  The journal key is "UIDVALIDITY:UID".
 */

#include <sys/types.h>

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"

#define KW_REPLIED	"$AutoReplied"
#define KW_REVIEW	"$FlossReview"
#define KW_IGNORED	"$FlossIgnored"
#define KW_DISMISSED	"$FlossDismissed"
#define KW_CLOSED	"$FlossClosed"	/* left the review queue */

struct fetched {
	uint32_t	 uid;
	size_t		 size;
	char		*data;		/* NULL: not fetched (over the limit) */
	size_t		 len;
};

struct imap {
	mailimap	*s;
	uint32_t	 uidvalidity;
	uint32_t	*uids;		/* to handle, ascending */
	size_t		 nuids, next;
	struct fetched	*batch;
	size_t		 nbatch, bnext;
	char		*desc;
	unsigned int	 commands;	/* sent after LOGIN, for the log */
	int		 created;	/* review folders CREATEd (tried) */
};

static void	batch_clear(struct imap *);
static int	unqueue_draft(struct imap *, const char *, const char *,
		    char **);
static int	imap_flag(struct imap *, struct mailimap_set *,
		    struct mailimap_flag *, struct mailimap_flag *, char **);

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
static const char *
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
		    (uint16_t)port, tls_sni, e->host);
	else
		r = mailimap_socket_connect(im->s, e->host, (uint16_t)port);
	if (r == MAILIMAP_ERROR_SSL && port_greets_plain(e->host, port,
	    e->timeout)) {
		src->fail = FAIL_CONFIG;
		*cause = xasprintf("%s:%d: the TLS handshake failed: the port"
		    " speaks IMAP in clear (imap.tls: starttls for a port such"
		    " as 143, tls for 993)", e->host, port);
		return (-1);
	}
	if (r == MAILIMAP_ERROR_STREAM && e->tls != TLS_IMPLICIT &&
	    port_speaks_tls(e->host, port, e->timeout)) {
		src->fail = FAIL_CONFIG;
		*cause = xasprintf("%s:%d: no greeting in clear: the port speaks"
		    " implicit TLS (imap.tls: tls for a port such as 993)",
		    e->host, port);
		return (-1);
	}
	if (!imap_ok(r)) {
		*cause = xasprintf("%s:%d: %s", e->host, port,
		    imap_strerror(r));
		return (-1);
	}
	if (e->tls == TLS_IMPLICIT && tls_verify(im->s->imap_stream, e->host,
	    e->ca_file, cause) != 0) {
		src->fail = FAIL_CONFIG;
		return (-1);
	}
	if (e->tls == TLS_STARTTLS) {
		if ((r = mailimap_socket_starttls_with_callback(im->s, tls_sni,
		    e->host)) != MAILIMAP_NO_ERROR) {
			/* Refused, or data injected before the handshake. */
			if (r == MAILIMAP_ERROR_STARTTLS)
				src->fail = FAIL_CONFIG;
			*cause = xasprintf("%s: STARTTLS: %s", e->host,
			    imap_said(im, r));
			return (-1);
		}
		if (tls_verify(im->s->imap_stream, e->host, e->ca_file,
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

static int
by_uid(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x < y ? -1 : x > y);
}

/* SELECTs a folder named in UTF-8 (modified UTF-7 on the wire). */
static int
imap_select(struct imap *im, const char *folder, char **cause)
{
	char	*wire;
	int	 r;

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
	return (0);
}

/* One UID SEARCH (the key is freed): the UIDs found, ascending, in a
 * clist the caller frees with mailimap_search_result_free(). */
static int
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

	for (it = clist_begin(res); it != NULL; it = clist_next(it)) {
		if (set == NULL)
			set = mailimap_set_new_empty();
		mailimap_set_add_single(set, *(uint32_t *)clist_content(it));
	}
	mailimap_search_result_free(res);
	return (set);
}

/* The messages with none of the three keywords: one UID SEARCH. */
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
	return (0);
}

static int
imap_scan(struct source *src, char **cause)
{
	struct imap	*im = src->data;

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

static void
batch_clear(struct imap *im)
{
	size_t	i;

	for (i = 0; i < im->nbatch; i++)
		free(im->batch[i].data);
	free(im->batch);
	im->batch = NULL;
	im->nbatch = im->bnext = 0;
}

static struct fetched *
batch_find(struct imap *im, uint32_t uid)
{
	size_t	i;

	for (i = 0; i < im->nbatch; i++)
		if (im->batch[i].uid == uid)
			return (&im->batch[i]);
	return (NULL);
}

/* Runs one UID FETCH and stores what came back in the batch. */
static int
fetch(struct imap *im, struct mailimap_set *set, int body, char **cause)
{
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att		*att;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	struct fetched			*f;
	clist				*list = NULL;
	clistiter			*it, *jt;
	uint32_t			 uid;
	size_t				 size;
	const char			*data;
	size_t				 len;
	int				 r;

	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	if (body)
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
	else
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_rfc822_size());
	im->commands++;
	r = mailimap_uid_fetch(im->s, set, ft, &list);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID FETCH: %s", imap_said(im, r));
		return (-1);
	}
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		att = clist_content(it);
		uid = 0;
		size = 0;
		data = NULL;
		len = 0;
		for (jt = clist_begin(att->att_list); jt != NULL;
		    jt = clist_next(jt)) {
			item = clist_content(jt);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			switch (st->att_type) {
			case MAILIMAP_MSG_ATT_UID:
				uid = st->att_data.att_uid;
				break;
			case MAILIMAP_MSG_ATT_RFC822_SIZE:
				size = st->att_data.att_rfc822_size;
				break;
			case MAILIMAP_MSG_ATT_BODY_SECTION:
				data = st->att_data.att_body_section->
				    sec_body_part;
				len = st->att_data.att_body_section->sec_length;
				break;
			}
		}
		if (uid == 0)
			continue;
		if (!body) {
			if (batch_find(im, uid) != NULL)
				continue;
			f = &im->batch[im->nbatch++];
			memset(f, 0, sizeof *f);
			f->uid = uid;
			f->size = size;
		} else if ((f = batch_find(im, uid)) != NULL && data != NULL &&
		    f->data == NULL) {
			f->data = xmalloc(len + 1);
			memcpy(f->data, data, len);
			f->data[len] = '\0';
			f->len = len;
		}
	}
	mailimap_fetch_list_free(list);
	return (0);
}

/* The next batch: sizes of up to imap.batch messages, then the bodies of
 * those within the size limit. */
static int
fetch_batch(struct source *src, struct imap *im, char **cause)
{
	struct mailimap_set	*set;
	size_t			 i, n, want = 0;
	int			 r;

	batch_clear(im);
	n = im->nuids - im->next;
	if (n > (size_t)src->conf->imap_batch)
		n = (size_t)src->conf->imap_batch;
	if (n == 0)
		return (0);
	im->batch = xcalloc(n, sizeof *im->batch);
	set = mailimap_set_new_empty();
	for (i = 0; i < n; i++)
		mailimap_set_add_single(set, im->uids[im->next + i]);
	im->next += n;
	r = fetch(im, set, 0, cause);
	mailimap_set_free(set);
	if (r != 0)
		return (-1);
	qsort(im->batch, im->nbatch, sizeof *im->batch, by_uid);
	set = mailimap_set_new_empty();
	for (i = 0; i < im->nbatch; i++) {
		if ((double)im->batch[i].size <= src->conf->max_size) {
			mailimap_set_add_single(set, im->batch[i].uid);
			want++;
		}
	}
	if (want > 0 && fetch(im, set, 1, cause) != 0) {
		mailimap_set_free(set);
		return (-1);
	}
	mailimap_set_free(set);
	return (0);
}

static int
imap_next(struct source *src, struct source_msg *m, char **cause)
{
	struct imap	*im = src->data;
	struct fetched	*f;

	for (;;) {
		if (im->bnext == im->nbatch) {
			if (im->next == im->nuids)
				return (0);
			if (fetch_batch(src, im, cause) != 0)
				return (-1);
			continue;
		}
		f = &im->batch[im->bnext++];
		memset(m, 0, sizeof *m);
		m->key = xasprintf("%u:%u", im->uidvalidity, f->uid);
		m->size = f->size;
		m->priv = f;
		return (1);
	}
}

static int
imap_read(struct source *src, struct source_msg *m, char **cause)
{
	struct fetched	*f = m->priv;

	if (m->data != NULL)
		return (0);
	if (f->data == NULL) {
		*cause = xasprintf("UID %u: the server sent no body", f->uid);
		return (-1);
	}
	/* The batch keeps its copy until the next batch. */
	m->data = f->data;
	m->len = f->len;
	f->data = NULL;
	return (0);
}

static int
imap_mark(struct source *src, const struct source_msg *m, enum jstate state,
    char **cause)
{
	struct imap		*im = src->data;
	struct fetched		*f = m->priv;
	struct mailimap_set	*set;
	const char		*kw;
	char			*why;
	int			 r;

	switch (state) {
	case J_REPLIED:
		kw = KW_REPLIED;
		break;
	case J_REVIEW:
		kw = KW_REVIEW;
		break;
	case J_IGNORED:
		kw = KW_IGNORED;
		break;
	default:
		return (0);
	}
	set = mailimap_set_new_single(f->uid);
	r = imap_flag(im, set, mailimap_flag_new_flag_keyword(xstrdup(kw)),
	    NULL, cause);
	mailimap_set_free(set);
	if (r != 0) {
		why = *cause;
		*cause = xasprintf("UID STORE %u +FLAGS %s: %s", f->uid, kw,
		    strncmp(why, "UID STORE: ", 11) == 0 ? why + 11 : why);
		free(why);
	}
	return (r);
}

/* Makes sure the review folder and the drafts folder exist, once a
 * connection: CREATE, whose "already exists" is no error. */
static void
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

/* Files a message for review: into review.folder (copied, or moved), and
 * the suggested reply into review.drafts as a \Draft. */
static int
imap_file(struct source *src, const struct source_msg *m, const char *draft,
    size_t len, char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im = src->data;
	struct fetched		*f = m->priv;
	struct mailimap_set	*set;
	struct mailimap_flag_list *fl;
	char			*wire;
	int			 r;

	if (!im->created) {
		imap_create(im, c->review_folder);
		imap_create(im, c->review_drafts);
		im->created = 1;
	}
	if (draft != NULL && *c->review_drafts != '\0') {
		if ((wire = mutf7_encode(c->review_drafts)) == NULL) {
			*cause = xasprintf("review.drafts '%s' is not UTF-8",
			    c->review_drafts);
			return (-1);
		}
		fl = mailimap_flag_list_new_empty();
		mailimap_flag_list_add(fl, mailimap_flag_new_draft());
		mailimap_flag_list_add(fl, mailimap_flag_new_seen());
		im->commands++;
		r = mailimap_append(im->s, wire, fl, NULL, draft, len);
		mailimap_flag_list_free(fl);
		free(wire);
		if (r != MAILIMAP_NO_ERROR) {
			*cause = xasprintf("APPEND to %s: %s", c->review_drafts,
			    imap_said(im, r));
			return (-1);
		}
	}
	if (*c->review_folder == '\0')
		return (0);
	if ((wire = mutf7_encode(c->review_folder)) == NULL) {
		*cause = xasprintf("review.folder '%s' is not UTF-8",
		    c->review_folder);
		return (-1);
	}
	set = mailimap_set_new_single(f->uid);
	im->commands++;
	if (c->review_move && mailimap_has_extension(im->s, "MOVE"))
		r = mailimap_uid_move(im->s, set, wire);
	else
		r = mailimap_uid_copy(im->s, set, wire);
	mailimap_set_free(set);
	free(wire);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID %s %u %s: %s", c->review_move ? "MOVE" :
		    "COPY", f->uid, c->review_folder, imap_said(im, r));
		return (-1);
	}
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
static int
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

/* The Message-IDs of the messages of the selected folder filed for review
 * that a mail client answered and that have not left the queue yet. */
static int
answered_in(struct imap *im, char ***ids, size_t *n, char **cause)
{
	struct mailimap_search_key	*key;
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att		*att;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	struct mailimap_set		*set = NULL;
	clist				*res = NULL, *list = NULL;
	clistiter			*it, *jt;
	const char			*mid;
	int				 r;

	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key, mailimap_search_key_new(
	    MAILIMAP_SEARCH_KEY_ANSWERED, NULL, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
	    NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL));
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_keyword(xstrdup(KW_REVIEW)));
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_unkeyword(xstrdup(KW_CLOSED)));
	if (uid_search(im, key, "ANSWERED", &res, cause) != 0)
		return (-1);
	set = uid_set(res);
	if (set == NULL)
		return (0);
	ft = mailimap_fetch_type_new_fetch_att(mailimap_fetch_att_new_envelope());
	im->commands++;
	r = mailimap_uid_fetch(im->s, set, ft, &list);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID FETCH ENVELOPE: %s", imap_said(im, r));
		return (-1);
	}
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		att = clist_content(it);
		for (jt = clist_begin(att->att_list); jt != NULL;
		    jt = clist_next(jt)) {
			item = clist_content(jt);
			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
				continue;
			st = item->att_data.att_static;
			if (st->att_type != MAILIMAP_MSG_ATT_ENVELOPE ||
			    (mid = st->att_data.att_env->env_message_id) ==
			    NULL)
				continue;
			*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
			(*ids)[(*n)++] = xstrdup(mid);
		}
	}
	mailimap_fetch_list_free(list);
	return (0);
}

/* The messages filed for review that an operator answered from a mail
 * client (it set \Answered), in the folder watched and the review folder;
 * the folder watched is selected again after. */
static int
imap_answered(struct source *src, char ***ids, size_t *n, char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im = src->data;
	char			*why;

	*ids = NULL;
	*n = 0;
	if (answered_in(im, ids, n, cause) != 0)
		return (-1);
	if (*c->review_folder == '\0' ||
	    strcmp(c->review_folder, c->imap_folder) == 0)
		return (0);
	/* A review folder that cannot be opened has nothing answered. */
	if (imap_select(im, c->review_folder, &why) != 0)
		free(why);
	else if (answered_in(im, ids, n, cause) != 0)
		return (-1);
	return (imap_select(im, c->imap_folder, cause));
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
	char			*why;
	size_t			 i;
	int			 r;

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
	if (*c->review_drafts == '\0')
		r = 0;
	else
		r = unqueue_draft(im, c->review_drafts, msgid, cause);
	/* The folder watched, selected again for the next scan; the first
	 * error is the one said. */
	if (imap_select(im, c->imap_folder, r == 0 ? cause : &why) != 0) {
		if (r != 0)
			free(why);
		r = -1;
	}
	return (r);
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

	if (im == NULL)
		return;
	if (im->s != NULL) {
		if (im->s->imap_stream != NULL) {
			log_info("%s: %u commands after login, LOGOUT aside",
			    im->desc, im->commands);
			mailimap_logout(im->s);
		}
		mailimap_free(im->s);
	}
	batch_clear(im);
	free(im->uids);
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

/*
 * What the operators' mail client did to the messages waiting for review,
 * seen in the mailbox: a message answered from it is closed in the review
 * queue (process.c) and refused by "queue send" (cmd-queue.c).  A client
 * shows it three ways, all looked at:
 *
 *   - \Answered set on the message (where it is, and in review.folder);
 *   - a message in review.sent whose In-Reply-To is the message's
 *     Message-ID (what a client keeps of what it sent);
 *   - the draft the responder filed ($FlossDrafted on the message) gone
 *     from review.drafts: a client removes a draft once it is sent.
 */

#include <sys/types.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"
#include "imap.h"

enum envelope_field { ENV_MESSAGE_ID, ENV_IN_REPLY_TO };

/* Whether a message's flags hold \Answered. */
static int
answered_flag(struct mailimap_msg_att *att)
{
	struct mailimap_msg_att_item	*item;
	struct mailimap_flag_fetch	*ff;
	clistiter			*it, *jt;

	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_DYNAMIC ||
		    item->att_data.att_dyn == NULL)
			continue;
		for (jt = clist_begin(item->att_data.att_dyn->att_list);
		    jt != NULL; jt = clist_next(jt)) {
			ff = clist_content(jt);
			if (ff->fl_type == MAILIMAP_FLAG_FETCH_OTHER &&
			    ff->fl_flag != NULL &&
			    ff->fl_flag->fl_type == MAILIMAP_FLAG_ANSWERED)
				return (1);
		}
	}
	return (0);
}

/* Searches the selected folder (the key is freed) and adds to ids the
 * Message-ID or the In-Reply-To of each message found: two commands.
 * With other, a message that has no \Answered goes there instead. */
static int
envelope_ids(struct imap *im, struct mailimap_search_key *key,
    enum envelope_field field, char ***ids, size_t *n, char ***other,
    size_t *nother, char **cause)
{
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att		*att;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	struct mailimap_set		*set;
	clist				*res = NULL, *list = NULL;
	clistiter			*it, *jt;
	const char			*v;
	uint32_t			*u;
	size_t				 nu;
	int				 r;

	if (uid_search(im, key, "", &res, cause) != 0)
		return (-1);
	u = xcalloc((size_t)clist_count(res) + 1, sizeof *u);
	nu = 0;
	for (it = clist_begin(res); it != NULL; it = clist_next(it))
		u[nu++] = *(uint32_t *)clist_content(it);
	mailimap_search_result_free(res);
	if (nu == 0) {
		free(u);
		return (0);
	}
	set = uids_set(u, uids_unique(u, nu));
	free(u);
	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_envelope());
	if (other != NULL)
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_flags());
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
			if (st->att_type != MAILIMAP_MSG_ATT_ENVELOPE)
				continue;
			v = field == ENV_MESSAGE_ID ?
			    st->att_data.att_env->env_message_id :
			    st->att_data.att_env->env_in_reply_to;
			if (v == NULL)
				continue;
			if (other != NULL && !answered_flag(att)) {
				*other = xreallocarray(*other, *nother + 1,
				    sizeof **other);
				(*other)[(*nother)++] = xstrdup(v);
				continue;
			}
			*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
			(*ids)[(*n)++] = xstrdup(v);
		}
	}
	mailimap_fetch_list_free(list);
	return (0);
}

static struct mailimap_search_key *
key_flag(int which)
{
	return (mailimap_search_key_new(which, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL,
	    NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL));
}

/* The messages of the selected folder waiting for review (filed, not
 * closed) that also match also. */
static struct mailimap_search_key *
key_waiting(struct mailimap_search_key *also)
{
	struct mailimap_search_key	*key;

	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key, also);
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_keyword(xstrdup(KW_REVIEW)));
	mailimap_search_key_multiple_add(key,
	    mailimap_search_key_new_unkeyword(xstrdup(KW_CLOSED)));
	return (key);
}

/* The In-Reply-To of every message of the selected folder that has one
 * (not deleted; since that day, when given): one search, one fetch,
 * whatever the number of messages waiting. */
static int
replies_in(struct imap *im, time_t since, char ***found, size_t *nfound,
    char **cause)
{
	struct mailimap_search_key	*key;
	struct tm			 tm;

	key = mailimap_search_key_new_multiple_empty();
	mailimap_search_key_multiple_add(key, mailimap_search_key_new_header(
	    xstrdup("In-Reply-To"), xstrdup("")));
	mailimap_search_key_multiple_add(key,
	    key_flag(MAILIMAP_SEARCH_KEY_UNDELETED));
	if (since != 0 && gmtime_r(&since, &tm) != NULL)
		mailimap_search_key_multiple_add(key,
		    mailimap_search_key_new_since(mailimap_date_new(tm.tm_mday,
		    tm.tm_mon + 1, tm.tm_year + 1900)));
	return (envelope_ids(im, key, ENV_IN_REPLY_TO, found, nfound, NULL,
	    NULL, cause));
}

static int
has_id(char *const *ids, size_t n, const char *id)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(ids[i], id) == 0)
			return (1);
	return (0);
}

/* Selects a folder that may not be there: 1 when selected, 0 when it
 * cannot be (it has nothing to say then). */
static int
select_maybe(struct imap *im, const char *folder)
{
	char	*why = NULL;

	if (*folder == '\0' || imap_select(im, folder, &why) != 0) {
		free(why);
		return (0);
	}
	return (1);
}

/* Of the messages with a draft (drafted), those whose draft is gone. */
static int
drafts_gone(struct source *src, struct imap *im, char **drafted,
    size_t ndrafted, char ***ids, size_t *n, char **cause)
{
	char	**left = NULL;
	size_t	  nleft = 0, i;

	if (ndrafted == 0 || !select_maybe(im, src->conf->review_drafts))
		return (0);
	if (replies_in(im, 0, &left, &nleft, cause) != 0) {
		strv_free(left, nleft);
		return (-1);
	}
	for (i = 0; i < ndrafted; i++) {
		if (has_id(left, nleft, drafted[i]) ||
		    has_id(*ids, *n, drafted[i]))
			continue;
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = xstrdup(drafted[i]);
	}
	strv_free(left, nleft);
	return (0);
}

int
imap_answered(struct source *src, char *const *open, size_t nopen,
    time_t since, char ***ids, size_t *n, char **cause)
{
	const struct config	*c = src->conf;
	struct imap		*im = src->data;
	struct mailimap_search_key *key;
	const char		*folders[2];
	char			**drafted = NULL, **sent = NULL;
	size_t			 ndrafted = 0, nsent = 0, i;
	int			 r = 0;

	*ids = NULL;
	*n = 0;
	if (pending_flush(src, im, cause) != 0)
		return (-1);
	/* \Answered, and which have a draft, where the messages are: one
	 * search a folder. */
	folders[0] = c->imap_folder;
	folders[1] = c->review_folder;
	for (i = 0; i < 2 && r == 0; i++) {
		if (i == 1 && (strcmp(folders[0], folders[1]) == 0 ||
		    !select_maybe(im, folders[1])))
			break;
		key = key_flag(MAILIMAP_SEARCH_KEY_ANSWERED);
		if (*c->review_drafts != '\0')
			key = mailimap_search_key_new_or(key,
			    mailimap_search_key_new_keyword(
			    xstrdup(KW_DRAFTED)));
		r = envelope_ids(im, key_waiting(key), ENV_MESSAGE_ID, ids, n,
		    &drafted, &ndrafted, cause);
	}
	/* A reply kept in the Sent folder. */
	if (r == 0 && !im->nosent && !(im->nosent = !select_maybe(im,
	    c->review_sent))) {
		r = replies_in(im, since != 0 ? since - 86400 : 0, &sent,
		    &nsent, cause);
		for (i = 0; i < nsent && r == 0; i++) {
			if (!has_id(open, nopen, sent[i]) ||
			    has_id(*ids, *n, sent[i]))
				continue;
			*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
			(*ids)[(*n)++] = xstrdup(sent[i]);
		}
	}
	/* A draft gone. */
	if (r == 0)
		r = drafts_gone(src, im, drafted, ndrafted, ids, n, cause);
	strv_free(drafted, ndrafted);
	strv_free(sent, nsent);
	/* The folder watched is selected again when it is next used. */
	return (r);
}

/*
 * The IMAP source's batches: what is fetched of the messages found, the
 * claim that makes them this responder's, and what a batch writes back to
 * the folder -- outcomes, filings for review, drafts -- in one command
 * each, before the folder is left.
 *
 * A claim is the keyword KW_CLAIM and the journal's name.  With CONDSTORE
 * it is stored with UNCHANGEDSINCE the folder's HIGHESTMODSEQ read just
 * before the flags were: a message that another responder (or anybody)
 * changed since is reported MODIFIED, read again, and claimed again if it
 * is still nobody's.  Without CONDSTORE the claim is stored and the flags read
 * again.  Either way, when two claims are found on one message the smaller
 * name keeps it.
 */

#include <sys/types.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "floss-responder.h"
#include "imap.h"

#define DRAFT_BYTES	(8 * 1024 * 1024)	/* drafts in one APPEND */

const char *outcome_kw[OUT_COUNT] = { KW_REPLIED, KW_REVIEW, KW_IGNORED };

/* UIDs, ascending, as IMAP writes a set: "1:3,7". */
static void
uids_text(struct buf *b, const uint32_t *u, size_t n)
{
	size_t	i, j;

	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && u[j] == u[j - 1] + 1; j++)
			;
		if (i > 0)
			buf_addc(b, ',');
		if (j - i == 1)
			buf_printf(b, "%u", u[i]);
		else
			buf_printf(b, "%u:%u", u[i], u[j - 1]);
	}
}

struct mailimap_set *
uids_set(const uint32_t *u, size_t n)
{
	struct mailimap_set	*set;
	size_t			 i, j;

	set = mailimap_set_new_empty();
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && u[j] == u[j - 1] + 1; j++)
			;
		mailimap_set_add_interval(set, u[i], u[j - 1]);
	}
	return (set);
}

/* Sorts UIDs and drops the repeated ones; returns how many are left. */
size_t
uids_unique(uint32_t *u, size_t n)
{
	size_t	i, k = 0;

	qsort(u, n, sizeof *u, by_uid);
	for (i = 0; i < n; i++)
		if (k == 0 || u[i] != u[k - 1])
			u[k++] = u[i];
	return (k);
}

static int
set_has(struct mailimap_set *set, uint32_t uid)
{
	struct mailimap_set_item	*it;
	clistiter			*c;

	for (c = clist_begin(set->set_list); c != NULL; c = clist_next(c)) {
		it = clist_content(c);
		if (uid >= it->set_first && (it->set_last == 0 ||
		    uid <= it->set_last))
			return (1);
	}
	return (0);
}

/*
 * Sends a command that libetpan cannot write itself (the UNCHANGEDSINCE
 * modifier, an APPEND of several messages): the tag, the bytes, CRLF.  The
 * answer's codes are left in the session's response info.  0 on OK, -1
 * with the server's words.
 */
static int
imap_raw(struct imap *im, const struct buf *cmd, const char *what,
    char **cause)
{
	struct mailimap_response	*rsp = NULL;
	mailstream			*st = im->s->imap_stream;
	int				 r;

	im->commands++;
	if ((r = mailimap_send_current_tag(im->s)) != MAILIMAP_NO_ERROR ||
	    mailstream_write(st, cmd->data, cmd->len) == -1 ||
	    mailstream_write(st, "\r\n", 2) == -1 ||
	    mailstream_flush(st) == -1 || mailimap_read_line(im->s) == NULL) {
		*cause = xasprintf("%s: the connection was lost", what);
		return (-1);
	}
	if ((r = mailimap_parse_response(im->s, &rsp)) != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("%s: %s", what, imap_said(im, r));
		return (-1);
	}
	r = rsp->rsp_resp_done->rsp_data.rsp_tagged->rsp_cond_state->rsp_type;
	mailimap_response_free(rsp);
	if (r != MAILIMAP_RESP_COND_STATE_OK) {
		*cause = xasprintf("%s: %s", what, imap_said(im,
		    MAILIMAP_ERROR_CUSTOM_COMMAND));
		return (-1);
	}
	return (0);
}

/* What a message's keywords say: an outcome, or whose claim it is (the
 * smaller name when there are two). */
static enum hold
hold_of(struct imap *im, clist *flags, int *outcomes, int *mine,
    char **other)
{
	struct mailimap_flag_fetch	*ff;
	const char			*kw, *first = NULL;
	clistiter			*c;
	size_t				 i, n = strlen(KW_CLAIM);

	*outcomes = *mine = 0;
	for (c = flags != NULL ? clist_begin(flags) : NULL; c != NULL; c = clist_next(c)) {
		ff = clist_content(c);
		if (ff->fl_type != MAILIMAP_FLAG_FETCH_OTHER ||
		    ff->fl_flag == NULL ||
		    ff->fl_flag->fl_type != MAILIMAP_FLAG_KEYWORD)
			continue;
		kw = ff->fl_flag->fl_data.fl_keyword;
		for (i = 0; i < OUT_COUNT; i++)
			if (strcasecmp(kw, outcome_kw[i]) == 0)
				*outcomes |= 1 << i;
		if (strncasecmp(kw, KW_CLAIM, n) != 0)
			continue;
		if (im->claim != NULL && strcasecmp(kw, im->claim) == 0)
			*mine = 1;
		if (first == NULL || strcasecmp(kw, first) < 0)
			first = kw;
	}
	free(*other);
	*other = NULL;
	if (*outcomes != 0)
		return (HOLD_DONE);
	if (first == NULL)
		return (HOLD_FREE);
	if (im->claim != NULL && strcasecmp(first, im->claim) == 0)
		return (HOLD_OURS);
	*other = xstrdup(first);
	return (HOLD_OTHER);
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

/* One UID FETCH: with body, the bodies of messages of the batch; without,
 * the size, flags and mod-sequence of each, added to the batch or read
 * again. */
static int
fetch(struct imap *im, struct mailimap_set *set, int body, char **cause)
{
	struct mailimap_fetch_type	*ft;
	struct mailimap_msg_att		*att;
	struct mailimap_msg_att_item	*item;
	struct mailimap_msg_att_static	*st;
	struct fetched			*f, got;
	clist				*list = NULL, *flags;
	clistiter			*it, *jt;
	const char			*data;
	size_t				 len;
	int				 r, hasflags;

	ft = mailimap_fetch_type_new_fetch_att_list_empty();
	mailimap_fetch_type_new_fetch_att_list_add(ft,
	    mailimap_fetch_att_new_uid());
	if (body)
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_body_peek_section(
		    mailimap_section_new(NULL)));
	else {
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_rfc822_size());
		mailimap_fetch_type_new_fetch_att_list_add(ft,
		    mailimap_fetch_att_new_flags());
	}
	/* What changes from now on has a greater mod-sequence than this. */
	if (!body && im->condstore &&
	    imap_highest(im, &im->highest, cause) != 0) {
		mailimap_fetch_type_free(ft);
		return (-1);
	}
	im->commands++;
	r = mailimap_uid_fetch(im->s, set, ft, &list);
	mailimap_fetch_type_free(ft);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID FETCH: %s", imap_said(im, r));
		return (-1);
	}
	for (it = clist_begin(list); it != NULL; it = clist_next(it)) {
		att = clist_content(it);
		memset(&got, 0, sizeof got);
		got.size = SIZE_MAX;	/* not in this response */
		flags = NULL;
		hasflags = 0;
		data = NULL;
		len = 0;
		for (jt = clist_begin(att->att_list); jt != NULL;
		    jt = clist_next(jt)) {
			item = clist_content(jt);
			switch (item->att_type) {
			case MAILIMAP_MSG_ATT_ITEM_DYNAMIC:
				/* FLAGS (), none, may come without a list. */
				hasflags = 1;
				if (item->att_data.att_dyn != NULL)
					flags = item->att_data.att_dyn->
					    att_list;
				continue;
			case MAILIMAP_MSG_ATT_ITEM_EXTENSION:
				continue;
			}
			st = item->att_data.att_static;
			switch (st->att_type) {
			case MAILIMAP_MSG_ATT_UID:
				got.uid = st->att_data.att_uid;
				break;
			case MAILIMAP_MSG_ATT_RFC822_SIZE:
				got.size = st->att_data.att_rfc822_size;
				break;
			case MAILIMAP_MSG_ATT_BODY_SECTION:
				data = st->att_data.att_body_section->
				    sec_body_part;
				len = st->att_data.att_body_section->sec_length;
				break;
			}
		}
		/* Only what was asked: the server may tell of other
		 * messages, changed meanwhile (unsolicited FETCH). */
		if (got.uid == 0 || !set_has(set, got.uid))
			continue;
		f = batch_find(im, got.uid);
		if (body) {
			if (f != NULL && data != NULL && f->data == NULL) {
				f->data = xmalloc(len + 1);
				memcpy(f->data, data, len);
				f->data[len] = '\0';
				f->len = len;
			}
			continue;
		}
		if (f == NULL) {
			if (im->nbatch == im->bcap || !hasflags ||
			    got.size == SIZE_MAX)
				continue;
			f = &im->batch[im->nbatch++];
			f->uid = got.uid;
		}
		/* What this response holds, and only that: the server may
		 * send more than one for a message. */
		if (got.size != SIZE_MAX)
			f->size = got.size;
		if (hasflags)
			f->hold = hold_of(im, flags, &f->outcomes, &f->mine,
			    &f->other);
	}
	mailimap_fetch_list_free(list);
	return (0);
}

/* The UIDs of the batch held so, ascending; NULL when there is none. */
static uint32_t *
held(struct imap *im, enum hold hold, size_t *n)
{
	uint32_t	*u = NULL;
	size_t		 i;

	*n = 0;
	for (i = 0; i < im->nbatch; i++) {
		if (im->batch[i].hold != hold)
			continue;
		u = xreallocarray(u, *n + 1, sizeof *u);
		u[(*n)++] = im->batch[i].uid;
	}
	return (u);
}

/* The UIDs the last conditional STORE reported MODIFIED, or NULL. */
static struct mailimap_set *
modified(struct imap *im)
{
	struct mailimap_response_info		*ri = im->s->imap_response_info;
	struct mailimap_extension_data		*ext;
	struct mailimap_condstore_resptextcode	*code;
	clistiter				*c;

	if (ri == NULL || ri->rsp_extension_list == NULL)
		return (NULL);
	for (c = clist_begin(ri->rsp_extension_list); c != NULL;
	    c = clist_next(c)) {
		ext = clist_content(c);
		if (ext->ext_extension != &mailimap_extension_condstore ||
		    ext->ext_type != MAILIMAP_CONDSTORE_TYPE_RESP_TEXT_CODE)
			continue;
		code = ext->ext_data;
		if (code->cs_type == MAILIMAP_CONDSTORE_RESPTEXTCODE_MODIFIED)
			return (code->cs_data.cs_modified_set);
	}
	return (NULL);
}

/* Stores our claim on what is nobody's and reads again what changed: one
 * round; how many are still nobody's is left in *left. */
static int
claim_round(struct imap *im, size_t *left, char **cause)
{
	struct mailimap_set	*set, *mod;
	struct fetched		*f;
	struct buf		 cmd;
	uint32_t		*u;
	size_t			 n, i, k;
	int			 r;

	if ((u = held(im, HOLD_FREE, &n)) == NULL) {
		*left = 0;
		return (0);
	}
	buf_init(&cmd);
	buf_adds(&cmd, "UID STORE ");
	uids_text(&cmd, u, n);
	if (im->condstore)
		buf_printf(&cmd, " (UNCHANGEDSINCE %llu)",
		    (unsigned long long)im->highest);
	buf_printf(&cmd, " +FLAGS.SILENT (%s)", im->claim);
	r = imap_raw(im, &cmd, "UID STORE (the claim)", cause);
	buf_free(&cmd);
	if (r != 0) {
		free(u);
		return (-1);
	}
	/* What changed, or without CONDSTORE all of it, is read again: the
	 * claims there are then.  (The server's set goes with its next
	 * answer: what it holds is kept in u.) */
	mod = im->condstore ? modified(im) : NULL;
	for (i = k = 0; i < n; i++) {
		f = batch_find(im, u[i]);
		f->claimed = 1;		/* stored, unless reported changed */
		if (!im->condstore || (mod != NULL && set_has(mod, u[i]))) {
			u[k++] = u[i];
			if (im->condstore)
				f->claimed = 0;
		} else
			f->hold = HOLD_OURS;
	}
	log_debug("%s: %zu claimed, %zu %s", im->desc, n - k, k,
	    im->condstore ? "changed meanwhile" : "to read again");
	if (k > 0) {
		set = uids_set(u, k);
		r = fetch(im, set, 0, cause);
		mailimap_set_free(set);
		if (r != 0) {
			free(u);
			return (-1);
		}
	}
	free(u);
	free(held(im, HOLD_FREE, left));
	return (0);
}

/* Claims the batch: what is still nobody's after CLAIM_ROUNDS rounds is
 * left for the next pass. */
static int
claim(struct source *src, struct imap *im, char **cause)
{
	size_t	i, left = 0;
	int	round;

	for (round = 0; round < CLAIM_ROUNDS; round++) {
		if (claim_round(im, &left, cause) != 0)
			return (-1);
		if (left == 0)
			break;
	}
	for (i = 0; i < im->nbatch; i++) {
		switch (im->batch[i].hold) {
		case HOLD_FREE:
			log_info("%s: UID %u changes while it is claimed: left"
			    " for the next pass", im->desc, im->batch[i].uid);
			im->batch[i].hold = HOLD_OTHER;
			break;
		case HOLD_OTHER:
			log_info("%s: UID %u is another responder's: left to"
			    " it", im->desc, im->batch[i].uid);
			break;
		default:
			break;
		}
	}
	return (0);
}

/* A message of ours whose outcome was stored but not all that follows
 * it (the filing, the end of the claim: a run stopped between the two)
 * is finished with the batch's. */
static void
recover(struct source *src, struct imap *im, struct fetched *f)
{
	const struct config	*c = src->conf;
	enum outcome		 o;

	if (f->outcomes & (1 << OUT_REVIEW))
		o = OUT_REVIEW;
	else
		for (o = 0; o < OUT_COUNT - 1; o++)
			if (f->outcomes & (1 << o))
				break;
	log_info("%s: UID %u shows its outcome, not all that follows it:"
	    " finished now", im->desc, f->uid);
	pending_outcome(im, f->uid, o, o == OUT_REVIEW &&
	    *c->review_folder != '\0' &&
	    strcmp(c->review_folder, c->imap_folder) != 0);
}

void
batch_clear(struct imap *im)
{
	size_t	i;

	for (i = 0; i < im->nbatch; i++) {
		free(im->batch[i].data);
		free(im->batch[i].other);
	}
	free(im->batch);
	im->batch = NULL;
	im->nbatch = im->bnext = im->bcap = 0;
}

int
batch_fetch(struct source *src, struct imap *im, char **cause)
{
	struct mailimap_set	*set;
	size_t			 n, i;
	int			 r;

	batch_clear(im);
	n = im->nuids - im->next;
	if (n > (size_t)src->conf->imap_batch)
		n = (size_t)src->conf->imap_batch;
	if (n == 0)
		return (0);
	im->batch = xcalloc(n, sizeof *im->batch);
	im->bcap = n;
	set = uids_set(im->uids + im->next, n);
	im->next += n;
	r = fetch(im, set, 0, cause);
	mailimap_set_free(set);
	if (r != 0)
		return (-1);
	qsort(im->batch, im->nbatch, sizeof *im->batch, by_uid);
	if (src->readonly || im->claim == NULL)
		return (0);
	for (i = 0; i < im->nbatch; i++)
		if (im->batch[i].hold == HOLD_DONE && im->batch[i].mine)
			recover(src, im, &im->batch[i]);
	return (claim(src, im, cause));
}

int
batch_bodies(struct source *src, struct imap *im, size_t i, char **cause)
{
	struct mailimap_set	*set = NULL;
	struct fetched		*f;
	size_t			 bytes = 0, first;
	int			 r;

	for (first = i; i < im->nbatch; i++) {
		f = &im->batch[i];
		/* Another's, only when asked for (a claim left behind). */
		if (f->asked || (f->hold == HOLD_OTHER && i != first) ||
		    f->hold == HOLD_DONE ||
		    (double)f->size > src->conf->max_size)
			continue;
		if (set != NULL && bytes + f->size > BATCH_BYTES)
			break;
		if (set == NULL)
			set = mailimap_set_new_empty();
		mailimap_set_add_single(set, f->uid);
		f->asked = 1;
		bytes += f->size;
	}
	if (set == NULL)
		return (0);
	r = fetch(im, set, 1, cause);
	mailimap_set_free(set);
	return (r);
}

void
pending_outcome(struct imap *im, uint32_t uid, enum outcome o, int file)
{
	struct pending	*p = &im->pend;

	p->uids[o] = xreallocarray(p->uids[o], p->n[o] + 1, sizeof *p->uids[o]);
	p->uids[o][p->n[o]++] = uid;
	if (file) {
		p->file = xreallocarray(p->file, p->nfile + 1, sizeof *p->file);
		p->file[p->nfile++] = uid;
	}
}

void
pending_draft(struct imap *im, uint32_t uid, const char *draft, size_t len)
{
	struct pending	*p = &im->pend;

	p->drafts = xreallocarray(p->drafts, p->ndrafts + 1,
	    sizeof *p->drafts);
	p->dlen = xreallocarray(p->dlen, p->ndrafts + 1, sizeof *p->dlen);
	p->duid = xreallocarray(p->duid, p->ndrafts + 1, sizeof *p->duid);
	p->duid[p->ndrafts] = uid;
	p->drafts[p->ndrafts] = xmalloc(len);
	memcpy(p->drafts[p->ndrafts], draft, len);
	p->dlen[p->ndrafts++] = len;
}

void
pending_clear(struct pending *p)
{
	size_t	i;

	for (i = 0; i < OUT_COUNT; i++)
		free(p->uids[i]);
	free(p->file);
	for (i = 0; i < p->ndrafts; i++)
		free(p->drafts[i]);
	free(p->drafts);
	free(p->dlen);
	free(p->duid);
	memset(p, 0, sizeof *p);
}

/* Adds (1) or removes (0) a keyword, or two, on UIDs: one command. */
static int
store_keyword(struct imap *im, uint32_t *u, size_t n, const char *kw,
    const char *also, int add, char **cause)
{
	struct mailimap_flag_list	*fl;
	struct mailimap_store_att_flags	*sa;
	struct mailimap_set		*set;
	int				 r;

	set = uids_set(u, n);
	fl = mailimap_flag_list_new_empty();
	mailimap_flag_list_add(fl, mailimap_flag_new_flag_keyword(xstrdup(kw)));
	if (also != NULL)
		mailimap_flag_list_add(fl,
		    mailimap_flag_new_flag_keyword(xstrdup(also)));
	sa = add ? mailimap_store_att_flags_new_add_flags_silent(fl) :
	    mailimap_store_att_flags_new_remove_flags_silent(fl);
	im->commands++;
	r = mailimap_uid_store(im->s, set, sa);
	mailimap_store_att_flags_free(sa);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID STORE %s%s: %s", add ? "+" : "-", kw,
		    imap_said(im, r));
		return (-1);
	}
	return (0);
}

/* A folder name as an IMAP quoted string, allocated; NULL when it is not
 * UTF-8. */
static char *
quoted_folder(const char *folder)
{
	struct buf	 b;
	char		*wire, *p;

	if ((wire = mutf7_encode(folder)) == NULL)
		return (NULL);
	buf_init(&b);
	buf_addc(&b, '"');
	for (p = wire; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	buf_addc(&b, '"');
	free(wire);
	return (buf_steal(&b));
}

/* The drafts, several to an APPEND where the server takes it (MULTIAPPEND
 * and LITERAL+), else one by one; returns the UIDs of the messages whose
 * draft was appended (allocated, ascending), which get $FlossDrafted with
 * their outcome, so that a draft gone tells that a client sent it.  A
 * draft that cannot be appended is said in the log: the message waits in
 * the queue all the same. */
static uint32_t *
flush_drafts(struct source *src, struct imap *im, size_t *n)
{
	const char	*folder = src->conf->review_drafts;
	struct pending	*p = &im->pend;
	struct mailimap_flag_list *fl;
	struct buf	 cmd;
	uint32_t	*done;
	char		*q, *wire, *why = NULL;
	size_t		 i = 0, j, ndone = 0;
	int		 multi, r;

	*n = 0;
	if (p->ndrafts == 0)
		return (NULL);
	done = xcalloc(p->ndrafts, sizeof *done);
	multi = mailimap_has_extension(im->s, "MULTIAPPEND") &&
	    mailimap_has_extension(im->s, "LITERAL+");
	if (multi && (q = quoted_folder(folder)) != NULL) {
		buf_init(&cmd);
		while (i < p->ndrafts) {
			buf_reset(&cmd);
			buf_printf(&cmd, "APPEND %s", q);
			for (j = i; j < p->ndrafts && (j == i || cmd.len +
			    p->dlen[j] <= DRAFT_BYTES); j++) {
				buf_printf(&cmd, " (\\Draft \\Seen) {%zu+}\r\n",
				    p->dlen[j]);
				buf_add(&cmd, p->drafts[j], p->dlen[j]);
			}
			if (imap_raw(im, &cmd, "APPEND", &why) != 0) {
				log_warnx("%s: %zu drafts not appended to %s:"
				    " %s", im->desc, j - i, folder, why);
				free(why);
				why = NULL;
			} else
				for (; i < j; i++)
					done[ndone++] = p->duid[i];
			i = j;
		}
		buf_free(&cmd);
		free(q);
	} else if ((wire = mutf7_encode(folder)) != NULL) {
		for (i = 0; i < p->ndrafts; i++) {
			fl = mailimap_flag_list_new_empty();
			mailimap_flag_list_add(fl, mailimap_flag_new_draft());
			mailimap_flag_list_add(fl, mailimap_flag_new_seen());
			im->commands++;
			if ((r = mailimap_append(im->s, wire, fl, NULL,
			    p->drafts[i], p->dlen[i])) != MAILIMAP_NO_ERROR)
				log_warnx("%s: APPEND to %s: %s", im->desc,
				    folder, imap_said(im, r));
			else
				done[ndone++] = p->duid[i];
			mailimap_flag_list_free(fl);
		}
		free(wire);
	} else
		log_warnx("%s: %zu drafts not appended: review.drafts '%s' is"
		    " not UTF-8", im->desc, p->ndrafts, folder);
	*n = uids_unique(done, ndone);
	return (done);
}

/* The messages to go to review.folder, copied (or moved): one command.
 * The copies carry the keywords the messages have then -- the outcome,
 * $FlossDrafted, and the claim, which goes from the original only after
 * (a stop between the two is finished by the next pass's recover(), which
 * may then file the message a second time: filing is at least once). */
static int
flush_filings(struct source *src, struct imap *im, char **cause)
{
	const struct config	*c = src->conf;
	struct pending		*p = &im->pend;
	struct mailimap_set	*set;
	char			*wire;
	int			 move, r;

	if (p->nfile == 0)
		return (0);
	if ((wire = mutf7_encode(c->review_folder)) == NULL) {
		*cause = xasprintf("review.folder '%s' is not UTF-8",
		    c->review_folder);
		return (-1);
	}
	p->nfile = uids_unique(p->file, p->nfile);
	set = uids_set(p->file, p->nfile);
	move = c->review_move && mailimap_has_extension(im->s, "MOVE");
	im->commands++;
	r = move ? mailimap_uid_move(im->s, set, wire) :
	    mailimap_uid_copy(im->s, set, wire);
	mailimap_set_free(set);
	free(wire);
	if (r != MAILIMAP_NO_ERROR) {
		*cause = xasprintf("UID %s to %s: %s", move ? "MOVE" : "COPY",
		    c->review_folder, imap_said(im, r));
		return (-1);
	}
	return (0);
}

/* Whether a message of the batch is let go of our claim without an
 * outcome: claimed by this pass and never handed out (a pass stopped
 * short), or handed out and to be tried again (nothing was sent).  A claim
 * found from an earlier pass, or a message handed out and left without an
 * outcome (a send whose end is unknown, a journal that failed), keeps it. */
static int
let_go(const struct fetched *f)
{
	return (f->hold == HOLD_OURS && ((f->claimed && !f->given) ||
	    f->release));
}

/* Puts first the UIDs of u (ascending) that are among those of in
 * (ascending), each part kept ascending; returns how many they are. */
static size_t
split(uint32_t *u, size_t n, const uint32_t *in, size_t nin)
{
	uint32_t	*rest;
	size_t		 i, j = 0, k = 0, m = 0;

	rest = xcalloc(n + 1, sizeof *rest);
	for (i = 0; i < n; i++) {
		while (j < nin && in[j] < u[i])
			j++;
		if (j < nin && in[j] == u[i])
			u[k++] = u[i];
		else
			rest[m++] = u[i];
	}
	memcpy(u + k, rest, m * sizeof *u);
	free(rest);
	return (k);
}

/* The UIDs of all that are not among those of file; returns how many. */
static size_t
unfiled(uint32_t *all, size_t n, const uint32_t *file, size_t nfile)
{
	size_t	i, j, k = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nfile && file[j] != all[i]; j++)
			;
		if (j == nfile)
			all[k++] = all[i];
	}
	return (k);
}

int
pending_flush(struct source *src, struct imap *im, char **cause)
{
	const struct config	*c = src->conf;
	struct pending		*p = &im->pend;
	uint32_t		*all = NULL, *drafted;
	char			*why = NULL;
	size_t			 i, k, n = 0, ndrafted;
	int			 r = 0;

	if (src->readonly) {
		pending_clear(p);
		return (0);
	}
	for (i = 0; i < OUT_COUNT; i++)
		n += p->n[i];
	for (i = 0; i < im->nbatch; i++)
		if (let_go(&im->batch[i]))
			n++;
	if (n == 0 && p->ndrafts == 0)
		return (0);
	/* The UIDs are the folder watched's. */
	if (imap_select(im, c->imap_folder, cause) != 0) {
		pending_clear(p);
		for (i = 0; i < im->nbatch; i++)
			im->batch[i].hold = HOLD_DONE;
		return (-1);
	}
	if (!im->created) {
		imap_create(im, c->review_folder);
		imap_create(im, c->review_drafts);
		im->created = 1;
	}
	drafted = flush_drafts(src, im, &ndrafted);
	/* The outcomes first: a filing copies them along.  Those with a
	 * draft get $FlossDrafted in the same command. */
	all = xcalloc(n + im->nbatch + 1, sizeof *all);
	n = 0;
	for (i = 0; i < OUT_COUNT && r == 0; i++) {
		if (p->n[i] == 0)
			continue;
		p->n[i] = uids_unique(p->uids[i], p->n[i]);
		memcpy(all + n, p->uids[i], p->n[i] * sizeof *all);
		n += p->n[i];
		k = i == OUT_REVIEW ? split(p->uids[i], p->n[i], drafted,
		    ndrafted) : 0;
		if (k > 0)
			r = store_keyword(im, p->uids[i], k, outcome_kw[i],
			    KW_DRAFTED, 1, cause);
		if (r == 0 && k < p->n[i])
			r = store_keyword(im, p->uids[i] + k, p->n[i] - k,
			    outcome_kw[i], NULL, 1, cause);
	}
	free(drafted);
	/* Then the claims go: a message that still has one with its outcome
	 * was not all written (recover()).  Those let go too (let_go()), for
	 * whichever responder comes next; any other keeps its claim: what
	 * was done to it is in the journal, and only this responder reads
	 * it. */
	for (i = 0; i < im->nbatch; i++) {
		if (let_go(&im->batch[i]))
			all[n++] = im->batch[i].uid;
		im->batch[i].hold = HOLD_DONE;	/* settled, or left */
	}
	/* A filing that fails is said, and tried again by the next pass:
	 * those messages keep their claim. */
	if (r == 0 && flush_filings(src, im, &why) != 0) {
		log_warnx("%s: filing for review: %s", im->desc, why);
		free(why);
		n = unfiled(all, n, p->file, p->nfile);
	}
	if (r == 0 && n > 0 && im->claim != NULL) {
		n = uids_unique(all, n);
		r = store_keyword(im, all, n, im->claim, NULL, 0, cause);
	}
	free(all);
	pending_clear(p);
	return (r);
}

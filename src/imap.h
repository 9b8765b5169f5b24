/*
 * The IMAP source's own parts (source-imap.c: the connection, the folder
 * and the operations; imap-batch.c: batches, claims and what a batch
 * writes back), shared by those two files only.
 */

#ifndef IMAP_H
#define IMAP_H

#include <libetpan/libetpan.h>

#define KW_REPLIED	"$AutoReplied"
#define KW_REVIEW	"$FlossReview"
#define KW_IGNORED	"$FlossIgnored"
#define KW_DISMISSED	"$FlossDismissed"
#define KW_CLOSED	"$FlossClosed"	/* left the review queue */
#define KW_CLAIM	"$FlossClaim."	/* and the responder's name */
#define KW_DRAFTED	"$FlossDrafted"	/* its draft is in review.drafts */

#define BATCH_BYTES	(16 * 1024 * 1024)	/* bodies held at once */
#define CLAIM_ROUNDS	3	/* tries at claiming what changed meanwhile */

/* The outcomes a folder records, in the order they are written. */
enum outcome { OUT_REPLIED, OUT_REVIEW, OUT_IGNORED, OUT_COUNT };
extern const char *outcome_kw[OUT_COUNT];

/* What a message's flags say of it. */
enum hold {
	HOLD_FREE,		/* nobody's yet */
	HOLD_OURS,		/* claimed by this responder */
	HOLD_OTHER,		/* claimed by another one */
	HOLD_DONE		/* it shows an outcome */
};

struct fetched {
	uint32_t	 uid;
	size_t		 size;
	enum hold	 hold;
	int		 outcomes;	/* 1 << enum outcome, those it shows */
	int		 mine;		/* it shows our claim */
	char		*other;		/* owned: the claim that holds it,
					   another responder's, or NULL */
	int		 claimed;	/* we stored that claim, this pass */
	int		 given;		/* handed out by next() */
	int		 release;	/* to be tried again: let it go */
	int		 asked;		/* its body was asked for */
	char		*data;		/* owned; NULL: not fetched */
	size_t		 len;
};

/* What the batch decided and the folder is to show, written at once. */
struct pending {
	uint32_t	*uids[OUT_COUNT];	/* outcomes to store */
	size_t		 n[OUT_COUNT];
	uint32_t	*file;		/* to copy to review.folder */
	size_t		 nfile;
	char		**drafts;	/* owned, to append to review.drafts */
	size_t		*dlen;
	uint32_t	*duid;		/* the message each answers */
	size_t		 ndrafts;
};

struct imap {
	mailimap	*s;
	uint32_t	 uidvalidity;
	uint32_t	*uids;		/* to handle, ascending */
	size_t		 nuids, next;
	struct fetched	*batch;		/* the one in hand */
	size_t		 nbatch, bnext, bcap;
	struct pending	 pend;
	char		*claim;		/* our claim keyword, once known */
	int		 condstore;
	uint64_t	 highest;	/* HIGHESTMODSEQ before the last
					   FETCH of flags */
	char		*desc;
	unsigned int	 commands;	/* sent after LOGIN, for the log */
	int		 created;	/* review folders CREATEd (tried) */
	char		*selected;	/* the folder selected, or NULL */
	int		 nosent;	/* review.sent cannot be selected */
};

/* source-imap.c */
/* Why a command failed: the server's words when it answered NO or BAD,
 * what libetpan's code r means otherwise. */
const char *imap_said(struct imap *, int r);
int	 imap_select(struct imap *, const char *folder, char **cause);
/* The selected folder's HIGHESTMODSEQ now (STATUS, CONDSTORE). */
int	 imap_highest(struct imap *, uint64_t *, char **cause);
int	 uid_search(struct imap *, struct mailimap_search_key *,
	     const char *what, clist **res, char **cause);
int	 imap_flag(struct imap *, struct mailimap_set *,
	     struct mailimap_flag *, struct mailimap_flag *, char **cause);
void	 imap_create(struct imap *, const char *folder);
int	 by_uid(const void *, const void *);

/* imap-answered.c */
int	 imap_answered(struct source *, char *const *, size_t, time_t,
	     char ***, size_t *, char **);

/* imap-batch.c */
/* A set of UIDs, ascending, written as intervals ("1:3,7"). */
struct mailimap_set *uids_set(const uint32_t *, size_t);
size_t	 uids_unique(uint32_t *, size_t);
/* The next batch of the UIDs found: sizes, flags, then the claim; those
 * another responder holds or that show an outcome are left out. */
int	 batch_fetch(struct source *, struct imap *, char **cause);
/* The bodies of the batch from entry i on, BATCH_BYTES at most. */
int	 batch_bodies(struct source *, struct imap *, size_t i,
	     char **cause);
void	 batch_clear(struct imap *);
/* Notes an outcome, a filing or a draft, written by pending_flush(). */
void	 pending_outcome(struct imap *, uint32_t, enum outcome, int file);
void	 pending_draft(struct imap *, uint32_t, const char *, size_t);
/* Writes what is pending to the folder selected (which must be the one
 * watched): drafts, outcomes, filings, then the claims go. */
int	 pending_flush(struct source *, struct imap *, char **cause);
void	 pending_clear(struct pending *);

#endif

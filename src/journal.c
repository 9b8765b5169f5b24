/*
 * The journal: every message's outcome and every reply sent, in SQLite
 * (WAL, one transaction per step).  Commits survive a crash of the
 * responder; the one that says "sending" is also synced to the disk before
 * it returns (synchronous=FULL for it alone), so that not even a power cut
 * can make a reply go twice.  It is what makes
 * answers exactly-once: the entry "sending" is written and committed
 * before a reply is handed over, and settled after; at start-up an entry
 * still "sending" is never sent again blindly -- it goes to a person.
 * The reply history behind the per-sender and hourly limits lives here too.
 * The file is its owner's only (0600), and what is older than
 * journal.keep_days is forgotten (journal_purge()).
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "floss-responder.h"

struct journal {
	sqlite3		*db;
	char		*path;
	sqlite3_stmt	*get, *put, *hist, *count_sender, *count_all, *mid;
	char		*instance;	/* this journal's responder */
	int		 fresh;		/* created by this open */
};

static const char *schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA secure_delete=ON;"		/* what is purged is overwritten */
    "CREATE TABLE IF NOT EXISTS messages ("
    " mailbox TEXT NOT NULL,"		/* the source, e.g. maildir:/path */
    " msgkey TEXT NOT NULL,"		/* uidvalidity:uid, or a file name */
    " state TEXT NOT NULL,"		/* see jstate_name() */
    " tries INTEGER NOT NULL DEFAULT 0,"
    " message_id TEXT, sender TEXT, topics TEXT, action TEXT, lang TEXT,"
    " reply_id TEXT, reason TEXT, verdict TEXT,"
    " created INTEGER NOT NULL, updated INTEGER NOT NULL,"
    " PRIMARY KEY (mailbox, msgkey));"
    /* The reply history, one row a topic of a reply: operator is who
     * sent it from the review queue, NULL for an automatic reply. */
    "CREATE TABLE IF NOT EXISTS replies ("
    " sender TEXT NOT NULL, topic TEXT NOT NULL, sent INTEGER NOT NULL,"
    " reply_id TEXT, operator TEXT);"
    "CREATE INDEX IF NOT EXISTS replies_sender ON replies (sender, topic,"
    " sent);"
    "CREATE INDEX IF NOT EXISTS replies_sent ON replies (sent);"
    "CREATE INDEX IF NOT EXISTS messages_mid ON messages (message_id);"
    /* The review queue: what a person answers, with the message itself
     * so that an operator can read and answer it from the command line. */
    "CREATE TABLE IF NOT EXISTS queue ("
    " id INTEGER PRIMARY KEY,"
    " mailbox TEXT NOT NULL, msgkey TEXT NOT NULL,"
    " raw BLOB, why TEXT, topics TEXT, lang TEXT,"
    " state TEXT NOT NULL,"	/* open sending sent dismissed answered */
    " created INTEGER NOT NULL, handled_by TEXT, handled_at INTEGER,"
    " reply_id TEXT, verdict TEXT,"
    " suggested TEXT,"		/* when sent: the topics first suggested */
    " UNIQUE (mailbox, msgkey));"
    /* Facts about the journal itself: "instance", the random name of the
     * responder that keeps it, which its claims in a mailbox carry. */
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);"
    /* Messages of a shared mailbox another responder claimed without
     * settling them: since when this one has seen that claim. */
    "CREATE TABLE IF NOT EXISTS held (mailbox TEXT NOT NULL, msgkey TEXT"
    " NOT NULL, claim TEXT NOT NULL, since INTEGER NOT NULL,"
    " PRIMARY KEY (mailbox, msgkey, claim));";

static const char *states[] = { "new", "trying", "sending", "replied",
    "review", "ignored", "retry" };

const char *
jstate_name(enum jstate s)
{
	return ((size_t)s < sizeof states / sizeof states[0] ? states[s] : "?");
}

static enum jstate
jstate_parse(const char *s)
{
	size_t	i;

	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(states[i], s) == 0)
			return ((enum jstate)i);
	return (J_NEW);
}

static int
fail(struct journal *j, const char *what, char **cause)
{
	*cause = xasprintf("%s: %s: %s", j->path, what, sqlite3_errmsg(j->db));
	return (-1);
}

/* Names the responder that keeps this journal, once and for good: eight
 * random hex digits.  A journal whose name was made now, and that has no
 * message yet, is a fresh one. */
static int
journal_meta(struct journal *j, char **cause)
{
	sqlite3_stmt	*st = NULL;
	int		 made, r;

	if (sqlite3_exec(j->db, "INSERT OR IGNORE INTO meta (key, value)"
	    " VALUES ('instance', lower(hex(randomblob(4))))", NULL, NULL,
	    NULL) != SQLITE_OK)
		return (fail(j, "name", cause));
	made = sqlite3_changes(j->db) == 1;
	if (sqlite3_prepare_v2(j->db, "SELECT (SELECT value FROM meta WHERE"
	    " key = 'instance'), (SELECT count(*) FROM messages)", -1, &st,
	    NULL) != SQLITE_OK)
		return (fail(j, "name", cause));
	if ((r = sqlite3_step(st)) == SQLITE_ROW) {
		j->instance = xstrdup((const char *)sqlite3_column_text(st, 0));
		j->fresh = made && sqlite3_column_int(st, 1) == 0;
	}
	sqlite3_finalize(st);
	if (r != SQLITE_ROW)
		return (fail(j, "name", cause));
	return (0);
}

const char *
journal_instance(struct journal *j)
{
	return (j->instance);
}

int
journal_fresh(struct journal *j)
{
	int	fresh = j->fresh;

	j->fresh = 0;
	return (fresh);
}

/* Makes a journal file readable by its owner only, creating it when asked
 * (SQLite gives its -wal and -shm files the main file's mode): 0, or -1
 * with *cause.  A wider mode found is narrowed, and said. */
static int
journal_private(const char *path, int create, char **cause)
{
	struct stat	sb;
	int		fd;

	/* Never through a link: the journal's files are files. */
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | (create ? O_CREAT :
	    0), 0600);
	if (fd == -1) {
		if (!create && errno == ENOENT)
			return (0);
		*cause = xasprintf("%s: %s", path, errno == ELOOP ?
		    "a symbolic link, which the journal is never" :
		    strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077) != 0) {
		if (fchmod(fd, sb.st_mode & 0600) != 0) {
			*cause = xasprintf("%s: mode %03o, cannot be made"
			    " private: %s", path, (unsigned)sb.st_mode & 0777,
			    strerror(errno));
			close(fd);
			return (-1);
		}
		log_warnx("%s: mode %03o narrowed to %03o: the journal holds"
		    " personal data", path, (unsigned)sb.st_mode & 0777,
		    (unsigned)sb.st_mode & 0600);
	}
	close(fd);
	return (0);
}

int
journal_dir_owner(const char *path, uid_t *uid)
{
	struct stat	 sb;
	char		*dir;
	int		 r;

	dir = path_dir(path);
	r = stat(dir, &sb);
	free(dir);
	if (r != 0)
		return (-1);
	*uid = sb.st_uid;
	return (0);
}

/* Says that what is at path belongs to uid. */
static char *
owner_cause(const char *path, uid_t uid)
{
	struct passwd	*pw;

	if ((pw = getpwuid(uid)) != NULL)
		return (xasprintf("%s belongs to %s: run floss-responder as"
		    " that user (runuser -u %s -- floss-responder ...), so that"
		    " what it writes stays that user's", path, pw->pw_name,
		    pw->pw_name));
	return (xasprintf("%s belongs to user %lu: run floss-responder as"
	    " that user, so that what it writes stays that user's", path,
	    (unsigned long)uid));
}

/*
 * Root works in its own journals only: in another user's (the service's,
 * in /var/lib/floss-responder) the files it would create -- the journal's
 * -wal and -shm, the lock, a reply in an outbox -- would be root's, and
 * the service could no longer write them; and that user could point a
 * link there at a file of root's.  So the directory and the journal, if
 * there, must be root's, and the journal a file, not a link.  0, or -1
 * with *cause.
 */
int
journal_owner(const char *path, char **cause)
{
	struct stat	 sb;
	char		*dir;
	uid_t		 uid;

	if (geteuid() != 0)
		return (0);
	if (journal_dir_owner(path, &uid) == 0 && uid != 0) {
		dir = path_dir(path);
		*cause = owner_cause(dir, uid);
		free(dir);
		return (-1);
	}
	if (lstat(path, &sb) != 0)
		return (0);
	if (S_ISLNK(sb.st_mode)) {
		*cause = xasprintf("%s: a symbolic link, which the journal is"
		    " never", path);
		return (-1);
	}
	if (sb.st_uid != 0) {
		*cause = owner_cause(path, sb.st_uid);
		return (-1);
	}
	return (0);
}

/* A journal made by an older version gets the columns it lacks. */
static int
journal_column(struct journal *j, const char *table, const char *column,
    char **cause)
{
	sqlite3_stmt	*q = NULL;
	char		*sql;
	int		 r, i;

	/* Asked twice: another process may add it meanwhile. */
	for (i = 0; i < 2; i++) {
		sql = xasprintf("SELECT %s FROM %s", column, table);
		r = sqlite3_prepare_v2(j->db, sql, -1, &q, NULL);
		sqlite3_finalize(q);
		q = NULL;
		free(sql);
		if (r == SQLITE_OK)
			return (0);
		if (i == 0) {
			sql = xasprintf("ALTER TABLE %s ADD COLUMN %s TEXT",
			    table, column);
			r = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
			free(sql);
			if (r == SQLITE_OK)
				return (0);
		}
	}
	return (fail(j, "upgrade", cause));
}

static int
journal_upgrade(struct journal *j, char **cause)
{
	if (journal_column(j, "replies", "operator", cause) != 0 ||
	    journal_column(j, "messages", "verdict", cause) != 0 ||
	    journal_column(j, "queue", "verdict", cause) != 0 ||
	    journal_column(j, "queue", "suggested", cause) != 0)
		return (-1);
	return (0);
}

struct journal *
journal_open(const char *path, char **cause)
{
	struct journal	*j;
	char		*err = NULL, *side;
	size_t		 i;
	int		 r;

	if (journal_owner(path, cause) != 0)
		return (NULL);
	for (i = 0; i < 3; i++) {
		side = xasprintf("%s%s", path, i == 0 ? "" : i == 1 ? "-wal" :
		    "-shm");
		r = journal_private(side, i == 0, cause);
		free(side);
		if (r != 0)
			return (NULL);
	}
	j = xcalloc(1, sizeof *j);
	j->path = xstrdup(path);
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		fail(j, "open", cause);
		journal_close(j);
		return (NULL);
	}
	/* Before anything else: another process may hold the journal (two
	 * operators at once, the daemon), even while WAL is being set. */
	sqlite3_busy_timeout(j->db, 10000);
	if (sqlite3_exec(j->db, schema, NULL, NULL, &err) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", path, err != NULL ? err : "?");
		sqlite3_free(err);
		journal_close(j);
		return (NULL);
	}
	if (journal_meta(j, cause) != 0 || journal_upgrade(j, cause) != 0) {
		journal_close(j);
		return (NULL);
	}
	if (sqlite3_prepare_v2(j->db, "SELECT state, tries FROM messages"
	    " WHERE mailbox = ?1 AND msgkey = ?2", -1, &j->get, NULL) ||
	    sqlite3_prepare_v2(j->db, "INSERT INTO messages (mailbox, msgkey,"
	    " state, tries, message_id, sender, topics, action, lang, reply_id,"
	    " reason, created, updated, verdict) VALUES (?1, ?2, ?3, ?4, ?5,"
	    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13) ON CONFLICT (mailbox,"
	    " msgkey) DO UPDATE SET state = ?3, tries = ?4, message_id ="
	    " coalesce(?5, message_id), sender = coalesce(?6, sender), topics ="
	    " coalesce(?7, topics), action = coalesce(?8, action), lang ="
	    " coalesce(?9, lang), reply_id = coalesce(?10, reply_id), reason ="
	    " coalesce(?11, reason), updated = ?12, verdict = coalesce(?13,"
	    " verdict)", -1, &j->put, NULL) ||
	    sqlite3_prepare_v2(j->db, "INSERT INTO replies (sender, topic,"
	    " sent, reply_id, operator) VALUES (?1, ?2, ?3, ?4, ?5)", -1,
	    &j->hist, NULL) ||
	    sqlite3_prepare_v2(j->db, "SELECT count(*) FROM replies WHERE"
	    " sender = ?1 AND topic = ?2 AND sent >= ?3", -1,
	    &j->count_sender, NULL) ||
	    sqlite3_prepare_v2(j->db, "SELECT count(DISTINCT coalesce(reply_id,"
	    " rowid)) FROM replies WHERE sent >= ?1 AND operator IS NULL", -1,
	    &j->count_all, NULL) ||
	    sqlite3_prepare_v2(j->db, "SELECT msgkey, state FROM messages WHERE"
	    " message_id = ?1 AND mailbox = ?2 AND msgkey != ?3 AND reply_id"
	    " IS NOT NULL AND state NOT IN ('retry', 'trying') LIMIT 1", -1,
	    &j->mid, NULL)) {
		fail(j, "prepare", cause);
		journal_close(j);
		return (NULL);
	}
	return (j);
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	sqlite3_finalize(j->get);
	sqlite3_finalize(j->put);
	sqlite3_finalize(j->hist);
	sqlite3_finalize(j->count_sender);
	sqlite3_finalize(j->count_all);
	sqlite3_finalize(j->mid);
	sqlite3_close(j->db);
	free(j->instance);
	free(j->path);
	free(j);
}

int
journal_get(struct journal *j, const char *mailbox, const char *key,
    enum jstate *state, int *tries, char **cause)
{
	int	r;

	*state = J_NEW;
	*tries = 0;
	sqlite3_reset(j->get);
	sqlite3_bind_text(j->get, 1, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(j->get, 2, key, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(j->get);
	if (r == SQLITE_ROW) {
		*state = jstate_parse((const char *)sqlite3_column_text(j->get,
		    0));
		*tries = sqlite3_column_int(j->get, 1);
		r = SQLITE_DONE;
	}
	sqlite3_reset(j->get);
	if (r != SQLITE_DONE)
		return (fail(j, "read", cause));
	return (0);
}

int
journal_held(struct journal *j, const char *mailbox, const char *key,
    const char *claim, time_t now, time_t *since, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	*since = now;
	if (sqlite3_prepare_v2(j->db, "INSERT INTO held (mailbox, msgkey,"
	    " claim, since) VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET"
	    " since = since RETURNING since", -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "prepare", cause));
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, claim, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, (sqlite3_int64)now);
	if ((r = sqlite3_step(q)) == SQLITE_ROW) {
		*since = (time_t)sqlite3_column_int64(q, 0);
		r = sqlite3_step(q);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (fail(j, "write", cause));
	return (0);
}

static void
bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s != NULL)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Files a message in the queue, inside journal_put()'s transaction. */
static int
queue_add(struct journal *j, const struct jentry *e)
{
	sqlite3_stmt	*q;
	int		 r;

	if (sqlite3_prepare_v2(j->db, "INSERT OR IGNORE INTO queue (mailbox,"
	    " msgkey, raw, why, topics, lang, state, created, verdict) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, 'open', ?7, ?8)", -1, &q, NULL) !=
	    SQLITE_OK)
		return (-1);
	sqlite3_bind_text(q, 1, e->mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 2, e->key, -1, SQLITE_TRANSIENT);
	if (e->raw != NULL)
		sqlite3_bind_blob(q, 3, e->raw, (int)e->rawlen, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 3);
	bind_opt(q, 4, e->reason);
	bind_opt(q, 5, e->topics);
	bind_opt(q, 6, e->lang);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)e->when);
	bind_opt(q, 8, e->verdict);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	return (r == SQLITE_DONE ? 0 : -1);
}

/* One reply-history row a topic (comma-separated) of a reply, inside the
 * caller's transaction; operator NULL for an automatic reply. */
static int
history_add(struct journal *j, const char *sender, const char *topics,
    time_t when, const char *reply_id, const char *operator)
{
	char	*copy, *topic, *save;
	int	 r = SQLITE_DONE;

	copy = xstrdup(topics);
	for (topic = strtok_r(copy, ",", &save); topic != NULL &&
	    r == SQLITE_DONE; topic = strtok_r(NULL, ",", &save)) {
		sqlite3_reset(j->hist);
		sqlite3_bind_text(j->hist, 1, sender, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(j->hist, 2, topic, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(j->hist, 3, (sqlite3_int64)when);
		bind_opt(j->hist, 4, reply_id);
		bind_opt(j->hist, 5, operator);
		r = sqlite3_step(j->hist);
		sqlite3_reset(j->hist);
	}
	free(copy);
	return (r == SQLITE_DONE ? 0 : -1);
}

int
journal_put(struct journal *j, const struct jentry *e, char **cause)
{
	int	 r;

	if (e->state == J_SENDING && sqlite3_exec(j->db,
	    "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return (fail(j, "pragma", cause));
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return (fail(j, "begin", cause));
	sqlite3_reset(j->put);
	sqlite3_bind_text(j->put, 1, e->mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(j->put, 2, e->key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(j->put, 3, jstate_name(e->state), -1,
	    SQLITE_STATIC);
	sqlite3_bind_int(j->put, 4, e->tries);
	bind_opt(j->put, 5, e->message_id);
	bind_opt(j->put, 6, e->sender);
	bind_opt(j->put, 7, e->topics);
	bind_opt(j->put, 8, e->action);
	bind_opt(j->put, 9, e->lang);
	bind_opt(j->put, 10, e->reply_id);
	bind_opt(j->put, 11, e->reason);
	sqlite3_bind_int64(j->put, 12, (sqlite3_int64)e->when);
	bind_opt(j->put, 13, e->verdict);
	r = sqlite3_step(j->put);
	sqlite3_reset(j->put);
	if (r != SQLITE_DONE)
		goto bad;
	/* A reply accepted: one history row a topic, in the same step. */
	if (e->state == J_REPLIED && e->topics != NULL && e->sender != NULL &&
	    history_add(j, e->sender, e->topics, e->when, e->reply_id,
	    NULL) != 0)
		goto bad;
	if (e->state == J_REVIEW && queue_add(j, e) != 0)
		goto bad;
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto bad;
	if (e->state == J_SENDING)
		sqlite3_exec(j->db, "PRAGMA synchronous=NORMAL", NULL, NULL,
		    NULL);
	return (0);

bad:
	fail(j, "write", cause);
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(j->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	return (-1);
}

int
journal_count(struct journal *j, const char *sender, const char *topic,
    time_t since, int *n, char **cause)
{
	sqlite3_stmt	*st;
	int		 r;

	if (sender != NULL) {
		st = j->count_sender;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, sender, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, topic, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)since);
	} else {
		st = j->count_all;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)since);
	}
	r = sqlite3_step(st);
	*n = r == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (r != SQLITE_ROW)
		return (fail(j, "count", cause));
	return (0);
}

int
journal_answered(struct journal *j, const char *mailbox,
    const char *message_id, const char *self, char **key,
    enum jstate *state, char **cause)
{
	int	r;

	*key = NULL;
	sqlite3_reset(j->mid);
	sqlite3_bind_text(j->mid, 1, message_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(j->mid, 2, mailbox, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(j->mid, 3, self, -1, SQLITE_TRANSIENT);
	r = sqlite3_step(j->mid);
	if (r == SQLITE_ROW) {
		*key = xstrdup((const char *)sqlite3_column_text(j->mid, 0));
		*state = jstate_parse((const char *)sqlite3_column_text(j->mid,
		    1));
		r = SQLITE_DONE;
	}
	sqlite3_reset(j->mid);
	if (r != SQLITE_DONE)
		return (fail(j, "read", cause));
	return (0);
}

/* The rows of a query giving a key and four counts (messages, replied,
 * review, ignored) since a time. */
static int
stat_rows(struct journal *j, const char *sql, time_t since,
    struct jstat_row **rows, size_t *n, char **cause)
{
	sqlite3_stmt		*q;
	struct jstat_row	*p;
	int			 r;

	if (sqlite3_prepare_v2(j->db, sql, -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "stats", cause));
	sqlite3_bind_int64(q, 1, (sqlite3_int64)since);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
		p = &(*rows)[(*n)++];
		snprintf(p->key, sizeof p->key, "%s",
		    (const char *)sqlite3_column_text(q, 0));
		p->messages = sqlite3_column_int(q, 1);
		p->replied = sqlite3_column_int(q, 2);
		p->review = sqlite3_column_int(q, 3);
		p->ignored = sqlite3_column_int(q, 4);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (fail(j, "stats", cause));
	return (0);
}

/*
 * The summary behind "stats": messages per period and outcome, per main
 * topic and outcome, and the review queue.  Periods are UTC days
 * ("2025-03-04") or ISO-like weeks ("2025-W10").
 */
int
journal_stats(struct journal *j, time_t since, int weekly,
    struct jstats *st, char **cause)
{
	sqlite3_stmt	*q = NULL;
	const char	*fmt = weekly ? "%Y-W%W" : "%Y-%m-%d";
	char		*sql;
	int		 r;

	memset(st, 0, sizeof *st);
	sql = xasprintf("SELECT strftime('%s', created, 'unixepoch'),"
	    " count(*), sum(state = 'replied'), sum(state = 'review'),"
	    " sum(state = 'ignored') FROM messages WHERE created >= ?1"
	    " GROUP BY 1 ORDER BY 1", fmt);
	r = stat_rows(j, sql, since, &st->periods, &st->nperiods, cause);
	free(sql);
	if (r != 0)
		return (-1);
	if (stat_rows(j, "SELECT CASE WHEN topics IS NULL OR"
	    " topics = '' THEN '(none)' ELSE substr(topics, 1,"
	    " instr(topics || ',', ',') - 1) END, count(*),"
	    " sum(state = 'replied'), sum(state = 'review'),"
	    " sum(state = 'ignored') FROM messages WHERE created >= ?1"
	    " GROUP BY 1 ORDER BY 2 DESC, 1", since, &st->topics, &st->ntopics,
	    cause) != 0)
		return (-1);

	/* The replies operators sent from the queue, and how many of them
	 * on other topics than suggested (entries sent before the
	 * suggestion was kept are not counted). */
	if (sqlite3_prepare_v2(j->db, "SELECT count(*), coalesce(sum(topics"
	    " IS NOT suggested), 0) FROM queue WHERE state = 'sent' AND"
	    " suggested IS NOT NULL AND handled_at >= ?1", -1, &q, NULL) !=
	    SQLITE_OK)
		return (fail(j, "stats", cause));
	sqlite3_bind_int64(q, 1, (sqlite3_int64)since);
	if (sqlite3_step(q) == SQLITE_ROW) {
		st->sent = sqlite3_column_int(q, 0);
		st->sent_other = sqlite3_column_int(q, 1);
	}
	sqlite3_finalize(q);

	/* The review queue, whenever its entries came: those still open,
	 * as queue list shows them (a message a person answered stays in
	 * review among the messages); and the end of the last pass that
	 * looked at every message. */
	if (sqlite3_prepare_v2(j->db, "SELECT count(*), coalesce(min(created),"
	    " 0), (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM meta"
	    " WHERE key = 'last_pass') FROM queue WHERE state = 'open'", -1,
	    &q, NULL) != SQLITE_OK)
		return (fail(j, "stats", cause));
	if ((r = sqlite3_step(q)) == SQLITE_ROW) {
		st->open = sqlite3_column_int(q, 0);
		st->open_oldest = (time_t)sqlite3_column_int64(q, 1);
		st->last_pass = (time_t)sqlite3_column_int64(q, 2);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_ROW)
		return (fail(j, "stats", cause));
	return (0);
}

int
journal_pass(struct journal *j, time_t when, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	if (sqlite3_prepare_v2(j->db, "INSERT INTO meta (key, value) VALUES"
	    " ('last_pass', ?1) ON CONFLICT (key) DO UPDATE SET value ="
	    " excluded.value", -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "pass", cause));
	sqlite3_bind_int64(q, 1, (sqlite3_int64)when);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (fail(j, "pass", cause));
	return (0);
}

void
jstats_free(struct jstats *st)
{
	free(st->periods);
	free(st->topics);
	memset(st, 0, sizeof *st);
}

static char *
col_dup(sqlite3_stmt *q, int i)
{
	const char	*s = (const char *)sqlite3_column_text(q, i);

	return (s != NULL ? xstrdup(s) : NULL);
}

static void
qentry_read(sqlite3_stmt *q, struct qentry *e, int with_raw)
{
	const void	*raw;

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(q, 0);
	e->created = (time_t)sqlite3_column_int64(q, 1);
	e->state = col_dup(q, 2);
	e->why = col_dup(q, 3);
	e->topics = col_dup(q, 4);
	e->lang = col_dup(q, 5);
	e->handled_by = col_dup(q, 6);
	e->handled_at = (time_t)sqlite3_column_int64(q, 7);
	e->verdict = col_dup(q, 9);
	if (with_raw && (raw = sqlite3_column_blob(q, 8)) != NULL) {
		e->rawlen = (size_t)sqlite3_column_bytes(q, 8);
		e->raw = xmalloc(e->rawlen + 1);
		memcpy(e->raw, raw, e->rawlen);
		e->raw[e->rawlen] = '\0';
	}
}

void
qentry_clear(struct qentry *e)
{
	free(e->state);
	free(e->why);
	free(e->topics);
	free(e->lang);
	free(e->handled_by);
	free(e->raw);
	free(e->verdict);
	memset(e, 0, sizeof *e);
}

int
journal_queue_list(struct journal *j, int all, struct qentry **list,
    size_t *n, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	*list = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(j->db, all ? "SELECT id, created, state, why,"
	    " topics, lang, handled_by, handled_at, raw, verdict FROM queue"
	    " ORDER BY id" : "SELECT id, created, state, why, topics, lang,"
	    " handled_by, handled_at, raw, verdict FROM queue WHERE state ="
	    " 'open' ORDER BY id", -1,
	    &q, NULL) != SQLITE_OK)
		return (fail(j, "queue", cause));
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		*list = xreallocarray(*list, *n + 1, sizeof **list);
		qentry_read(q, &(*list)[(*n)++], 1);
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (fail(j, "queue", cause));
	return (0);
}

int
journal_queue_get(struct journal *j, long long id, struct qentry *e,
    char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	memset(e, 0, sizeof *e);	/* cleared safely whatever happens */
	if (sqlite3_prepare_v2(j->db, "SELECT id, created, state, why,"
	    " topics, lang, handled_by, handled_at, raw, verdict FROM queue"
	    " WHERE id = ?1", -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "queue", cause));
	sqlite3_bind_int64(q, 1, id);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		qentry_read(q, e, 1);
	sqlite3_finalize(q);
	if (r == SQLITE_DONE) {
		*cause = xasprintf("no message %lld in the review queue", id);
		return (-1);
	}
	if (r != SQLITE_ROW)
		return (fail(j, "queue", cause));
	return (0);
}

int
journal_queue_move(struct journal *j, long long id, const char *from,
    const char *to, const char *by, const char *reply_id, time_t when,
    char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	if (strcmp(to, "sending") == 0 && sqlite3_exec(j->db,
	    "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return (fail(j, "pragma", cause));
	if (sqlite3_prepare_v2(j->db, "UPDATE queue SET state = ?3,"
	    " handled_by = coalesce(?4, handled_by), handled_at = ?5,"
	    " reply_id = coalesce(?6, reply_id) WHERE id = ?1 AND state = ?2",
	    -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "queue", cause));
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_text(q, 2, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 3, to, -1, SQLITE_TRANSIENT);
	bind_opt(q, 4, by);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)when);
	bind_opt(q, 6, reply_id);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	sqlite3_exec(j->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	if (r != SQLITE_DONE)
		return (fail(j, "queue", cause));
	if (sqlite3_changes(j->db) != 1) {
		*cause = xasprintf("message %lld of the review queue is not %s"
		    " (handled already?)", id, from);
		return (1);
	}
	return (0);
}

int
journal_queue_ids(struct journal *j, const char *mailbox, char ***ids,
    size_t *n, time_t *oldest, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	*ids = NULL;
	*n = 0;
	*oldest = 0;
	if (sqlite3_prepare_v2(j->db, "SELECT m.message_id, min(q.created)"
	    " FROM queue q JOIN messages m ON m.mailbox = q.mailbox AND"
	    " m.msgkey = q.msgkey WHERE q.state = 'open' AND q.mailbox = ?1"
	    " AND m.message_id IS NOT NULL GROUP BY m.message_id ORDER BY"
	    " min(q.id)", -1, &q, NULL) != SQLITE_OK)
		return (fail(j, "queue", cause));
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(q)) == SQLITE_ROW) {
		if (*oldest == 0 || sqlite3_column_int64(q, 1) < *oldest)
			*oldest = (time_t)sqlite3_column_int64(q, 1);
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = xstrdup((const char *)sqlite3_column_text(q,
		    0));
	}
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (fail(j, "queue", cause));
	return (0);
}

int
journal_queue_sent(struct journal *j, long long id, const char *reply_id,
    const char *topics, const char *lang, const char *sender,
    const char *by, time_t when, char **cause)
{
	sqlite3_stmt	*q = NULL;
	int		 r;

	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return (fail(j, "begin", cause));
	/* The suggestion stays beside what was sent (stats compares). */
	if (sqlite3_prepare_v2(j->db, "UPDATE queue SET state = 'sent',"
	    " handled_at = ?2, reply_id = ?3, suggested = coalesce(suggested,"
	    " topics, ''), topics = ?4, lang = ?5 WHERE id = ?1 AND state ="
	    " 'sending'", -1, &q, NULL) != SQLITE_OK)
		goto bad;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)when);
	bind_opt(q, 3, reply_id);
	bind_opt(q, 4, topics);
	bind_opt(q, 5, lang);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		goto bad;
	if (sqlite3_changes(j->db) != 1) {
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
		*cause = xasprintf("message %lld of the review queue is not"
		    " sending", id);
		return (-1);
	}
	/* The message's row says what was sent, as for an automatic reply;
	 * its state stays review: a person answered it. */
	if (sqlite3_prepare_v2(j->db, "UPDATE messages SET topics = ?2,"
	    " lang = coalesce(?3, lang), reply_id = ?4, updated = ?5 WHERE"
	    " (mailbox, msgkey) IN (SELECT mailbox, msgkey FROM queue WHERE"
	    " id = ?1)", -1, &q, NULL) != SQLITE_OK)
		goto bad;
	sqlite3_bind_int64(q, 1, id);
	bind_opt(q, 2, topics);
	bind_opt(q, 3, lang);
	bind_opt(q, 4, reply_id);
	sqlite3_bind_int64(q, 5, (sqlite3_int64)when);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		goto bad;
	if (topics != NULL && sender != NULL && history_add(j, sender, topics,
	    when, reply_id, by) != 0)
		goto bad;
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		goto bad;
	return (0);

bad:
	fail(j, "queue", cause);
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

int
journal_queue_open(struct journal *j, const char *mailbox, const char *msgid,
    long long *id, char **cause)
{
	sqlite3_stmt	*q;
	int		 r;

	*id = 0;
	if (sqlite3_prepare_v2(j->db, msgid == NULL ?
	    "SELECT count(*) FROM queue WHERE state = 'open' AND mailbox = ?1" :
	    "SELECT q.id FROM queue q JOIN messages m ON m.mailbox = q.mailbox"
	    " AND m.msgkey = q.msgkey WHERE q.state = 'open' AND q.mailbox ="
	    " ?1 AND m.message_id = ?2 ORDER BY q.id LIMIT 1", -1, &q, NULL) !=
	    SQLITE_OK)
		return (fail(j, "queue", cause));
	sqlite3_bind_text(q, 1, mailbox, -1, SQLITE_STATIC);
	if (msgid != NULL)
		sqlite3_bind_text(q, 2, msgid, -1, SQLITE_STATIC);
	r = sqlite3_step(q);
	if (r == SQLITE_ROW)
		*id = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return (fail(j, "queue", cause));
	return (0);
}

/* Runs a statement of journal_purge() with its numbered parameters -- ?1
 * the cutoff, ?2 the mailbox -- and adds the rows it changed to *n. */
static int
purge_step(struct journal *j, const char *sql, time_t cutoff,
    const char *mailbox, int *n)
{
	sqlite3_stmt	*q;
	int		 r;

	if (sqlite3_prepare_v2(j->db, sql, -1, &q, NULL) != SQLITE_OK)
		return (-1);
	if (sqlite3_bind_parameter_count(q) >= 1)
		sqlite3_bind_int64(q, 1, (sqlite3_int64)cutoff);
	if (sqlite3_bind_parameter_count(q) >= 2)
		bind_opt(q, 2, mailbox);
	r = sqlite3_step(q);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return (-1);
	if (n != NULL)
		*n += sqlite3_changes(j->db);
	return (0);
}

int
journal_purge(struct journal *j, time_t now, int keep_days,
    int per_sender_days, const char *mailbox, char *const *keys,
    size_t nkeys, int dry_run, struct jpurge *p, char **cause)
{
	sqlite3_stmt	*q = NULL;
	time_t		 cutoff = now - (time_t)keep_days * 86400;
	size_t		 i;
	int		 r, days;

	memset(p, 0, sizeof *p);
	if (keep_days <= 0)
		return (0);
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return (fail(j, "begin", cause));
	/* The messages the mailbox offers: their rows stay. */
	if (sqlite3_exec(j->db, "CREATE TEMP TABLE IF NOT EXISTS offered"
	    " (msgkey TEXT PRIMARY KEY); DELETE FROM offered", NULL, NULL,
	    NULL) != SQLITE_OK || sqlite3_prepare_v2(j->db, "INSERT OR IGNORE"
	    " INTO offered VALUES (?1)", -1, &q, NULL) != SQLITE_OK)
		goto bad;
	for (i = 0; i < nkeys; i++) {
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, keys[i], -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			goto bad;
	}
	sqlite3_finalize(q);
	q = NULL;

	if (purge_step(j, "UPDATE queue SET raw = NULL WHERE raw IS NOT NULL"
	    " AND state IN ('sent', 'dismissed', 'answered') AND"
	    " coalesce(handled_at, created) < ?1", cutoff, NULL, &p->raw) != 0)
		goto bad;
	if (mailbox != NULL && purge_step(j, "DELETE FROM messages WHERE"
	    " updated < ?1 AND mailbox = ?2 AND state IN ('replied', 'review',"
	    " 'ignored') AND msgkey NOT IN (SELECT msgkey FROM offered) AND"
	    " NOT EXISTS (SELECT 1 FROM queue q WHERE q.mailbox ="
	    " messages.mailbox AND q.msgkey = messages.msgkey AND q.state NOT"
	    " IN ('sent', 'dismissed', 'answered'))", cutoff, mailbox,
	    &p->messages) != 0)
		goto bad;
	if (purge_step(j, "DELETE FROM queue WHERE state IN ('sent',"
	    " 'dismissed', 'answered') AND coalesce(handled_at, created) < ?1"
	    " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.mailbox ="
	    " queue.mailbox AND m.msgkey = queue.msgkey)", cutoff, NULL,
	    &p->queue) != 0)
		goto bad;
	/* The per-sender limit looks that far back. */
	days = per_sender_days > keep_days ? per_sender_days : keep_days;
	if (purge_step(j, "DELETE FROM replies WHERE sent < ?1",
	    now - (time_t)days * 86400, NULL, &p->replies) != 0)
		goto bad;
	if (purge_step(j, "DELETE FROM held WHERE since < ?1", cutoff, NULL,
	    NULL) != 0)
		goto bad;
	if (purge_step(j, "DELETE FROM offered", 0, NULL, NULL) != 0)
		goto bad;
	r = sqlite3_exec(j->db, dry_run ? "ROLLBACK" : "COMMIT", NULL, NULL,
	    NULL);
	if (r != SQLITE_OK)
		goto bad;
	/* The pages written over reach the file, and the log is emptied. */
	if (!dry_run && p->raw + p->queue + p->messages + p->replies > 0)
		sqlite3_exec(j->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL,
		    NULL, NULL);
	return (0);

bad:
	fail(j, "purge", cause);
	sqlite3_finalize(q);
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	return (-1);
}

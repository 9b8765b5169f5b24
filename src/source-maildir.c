/*
 * A local Maildir as the mailbox: the messages of new/ and cur/, each keyed
 * by the unique part of its file name (what stays when a mail client moves
 * it from new/ to cur/ and changes its flags).
 *
 * The Maildir itself is the shared record, written the way Dovecot writes
 * IMAP keywords: dovecot-keywords maps the letters a..z of the file names'
 * info part (":2,<flags>") to keyword names, so that an operator's client
 * over Dovecot sees them.  Before a message is handled it is claimed, by
 * renaming the exact file listed to cur/ with the letter of
 * "$FlossClaim.<instance>" added: of two responders, one rename succeeds,
 * the other finds the file gone and looks at it again.  Its outcome
 * ($AutoReplied, $FlossReview, $FlossIgnored) then replaces the claim, in
 * one rename.  A message that shows an outcome, or another responder's
 * claim, is never given; one that shows ours (we stopped between the claim
 * and the outcome) is given again, and the journal knows what was done.
 *
 * dovecot-keywords is replaced, never written in place, under Dovecot's
 * lock of the Maildir (the dotlock dovecot-uidlist.lock).  When Dovecot
 * keeps the Maildir (dovecot-uidlist is there), the renames take the lock
 * too, so that Dovecot never lists a directory while a file of it is being
 * renamed (it would lose the file for a while, and give it a new UID).
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "floss-responder.h"

#define KW_FILE		"dovecot-keywords"
#define KW_MAX		26		/* the letters a..z */
#define CLAIM_PREFIX	"$FlossClaim."
#define LOCK_FILE	"dovecot-uidlist.lock"
#define LOCK_WAIT	30		/* seconds before giving up */
#define LOCK_STALE	120		/* seconds before a lock is old */
#define MOVES		8		/* looks at a moving file */

struct maildir {
	char		**paths;	/* every message file, sorted */
	size_t		  n;
	size_t		  next;
	char		 *desc;
	char		 *dir;		/* the Maildir */
	char		 *kw[KW_MAX];	/* keyword of each letter, or NULL */
	struct stat	  kwsb;		/* dovecot-keywords when read */
	char		 *claim;	/* "$FlossClaim.<instance>" */
	int		  locked;
	int		  dovecot;	/* Dovecot keeps it: dovecot-uidlist */
	size_t		  shown;	/* last scan: showing an outcome */
	size_t		  others;	/* this pass: others' claims */
	int		  said;		/* those were told */
};

/* What a message's flags show, in the order that decides. */
enum shows { SHOWS_NOTHING, SHOWS_OURS, SHOWS_OTHERS, SHOWS_OUTCOME };

static const char *
outcome_keyword(enum jstate state)
{
	switch (state) {
	case J_REPLIED:
		return ("$AutoReplied");
	case J_REVIEW:
		return ("$FlossReview");
	case J_IGNORED:
		return ("$FlossIgnored");
	default:
		return (NULL);
	}
}

static int
is_outcome(const char *kw)
{
	return (strcasecmp(kw, outcome_keyword(J_REPLIED)) == 0 ||
	    strcasecmp(kw, outcome_keyword(J_REVIEW)) == 0 ||
	    strcasecmp(kw, outcome_keyword(J_IGNORED)) == 0);
}

static char *
md_path(struct maildir *md, const char *name)
{
	return (xasprintf("%s/%s", md->dir, name));
}

/* Files the responder creates in the Maildir take the owner and the
 * permissions of the Maildir's directory, as Dovecot's do (best effort:
 * only root may give a file away). */
static void
md_own(struct maildir *md, int fd)
{
	struct stat	sb;

	if (stat(md->dir, &sb) != 0)
		return;
	/* The directory's owner and group; failing that (another user's
	 * directory), its group; failing that, the file stays ours. */
	if (fchown(fd, sb.st_uid, sb.st_gid) != 0 &&
	    fchown(fd, (uid_t)-1, sb.st_gid) != 0)
		log_debug("%s: cannot give a file its group", md->dir);
	(void)fchmod(fd, sb.st_mode & 0666);
}

/*
 * Dovecot's lock of the Maildir: dovecot-uidlist.lock created with O_EXCL,
 * holding "pid:host", as Dovecot makes it.  A lock whose process is gone,
 * one left empty (its maker died before writing) for two seconds, or any
 * older than two minutes, is stale and taken over.
 */
static int
lock_stale(const char *path)
{
	struct stat	 sb;
	char		 buf[256], host[HOST_NAME_MAX + 1], *colon, *end;
	ssize_t		 len;
	long		 pid;
	int		 fd;

	if (stat(path, &sb) != 0)
		return (0);
	if (sb.st_mtime < time(NULL) - LOCK_STALE)
		return (1);
	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
		return (0);
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len <= 0)
		return (len == 0 && sb.st_mtime < time(NULL) - 2);
	buf[len] = '\0';
	if ((colon = strchr(buf, ':')) == NULL)
		return (0);
	*colon++ = '\0';
	colon[strcspn(colon, "\n")] = '\0';
	errno = 0;
	pid = strtol(buf, &end, 10);
	if (*end != '\0' || errno != 0 || pid <= 0 || pid > INT_MAX)
		return (0);
	if (gethostname(host, sizeof host) != 0)
		return (0);
	host[sizeof host - 1] = '\0';
	if (strcmp(colon, host) != 0)
		return (0);
	return (kill((pid_t)pid, 0) == -1 && errno == ESRCH);
}

static int
md_lock(struct maildir *md, char **cause)
{
	char		*path, *line, host[HOST_NAME_MAX + 1];
	int		 fd = -1, i;

	path = md_path(md, LOCK_FILE);
	for (i = 0; i < LOCK_WAIT * 100; i++) {
		fd = open(path, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600);
		if (fd != -1)
			break;
		if (errno != EEXIST) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(path);
			return (-1);
		}
		if (lock_stale(path)) {
			log_debug("%s: stale lock taken over", path);
			(void)unlink(path);
			continue;
		}
		poll(NULL, 0, 10);
	}
	free(path);
	if (fd == -1) {
		*cause = xasprintf("%s/%s: the Maildir stayed locked %d"
		    " seconds", md->dir, LOCK_FILE, LOCK_WAIT);
		return (-1);
	}
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	line = xasprintf("%ld:%s", (long)getpid(), host);
	(void)write_all(fd, line, strlen(line));
	free(line);
	md_own(md, fd);
	close(fd);
	md->locked = 1;
	return (0);
}

static void
md_unlock(struct maildir *md)
{
	char	*path;

	if (!md->locked)
		return;
	path = md_path(md, LOCK_FILE);
	if (unlink(path) != 0)
		log_warn("%s", path);
	free(path);
	md->locked = 0;
}

static void
kw_clear(struct maildir *md)
{
	int	i;

	for (i = 0; i < KW_MAX; i++) {
		free(md->kw[i]);
		md->kw[i] = NULL;
	}
}

/* Reads dovecot-keywords ("N name" lines) again when it changed. */
static int
kw_sync(struct maildir *md, char **cause)
{
	struct stat	 sb;
	char		*path, *data, *line, *end, *next, *name;
	size_t		 len;
	long		 n;

	path = md_path(md, KW_FILE);
	if (stat(path, &sb) != 0) {
		free(path);
		if (errno != ENOENT) {
			*cause = xasprintf("%s/%s: %s", md->dir, KW_FILE,
			    strerror(errno));
			return (-1);
		}
		kw_clear(md);
		memset(&md->kwsb, 0, sizeof md->kwsb);
		return (0);
	}
	if (sb.st_ino == md->kwsb.st_ino && sb.st_dev == md->kwsb.st_dev &&
	    sb.st_size == md->kwsb.st_size &&
	    sb.st_mtim.tv_sec == md->kwsb.st_mtim.tv_sec &&
	    sb.st_mtim.tv_nsec == md->kwsb.st_mtim.tv_nsec) {
		free(path);
		return (0);
	}
	data = read_message(path, &len, cause);
	free(path);
	if (data == NULL)
		return (-1);
	kw_clear(md);
	md->kwsb = sb;
	for (line = data; line < data + len; line = next) {
		if ((next = memchr(line, '\n', (size_t)(data + len - line))) ==
		    NULL)
			next = data + len;
		else
			*next++ = '\0';
		errno = 0;
		n = strtol(line, &end, 10);
		if (end == line || *end != ' ' || errno != 0 || n < 0 ||
		    n >= KW_MAX)
			continue;
		name = end + 1;
		name[strcspn(name, "\r")] = '\0';
		if (*name == '\0')
			continue;
		free(md->kw[n]);
		md->kw[n] = xstrdup(name);
	}
	free(data);
	return (0);
}

/* The letter of a keyword, or 0. */
static int
kw_letter(struct maildir *md, const char *name)
{
	int	i;

	for (i = 0; i < KW_MAX; i++)
		if (md->kw[i] != NULL && strcasecmp(md->kw[i], name) == 0)
			return ('a' + i);
	return (0);
}

/* The keyword of a letter, read again if it is not known yet; NULL when
 * none. */
static const char *
kw_name(struct maildir *md, int c)
{
	char	*cause = NULL;

	if (c < 'a' || c > 'z')
		return (NULL);
	if (md->kw[c - 'a'] == NULL && kw_sync(md, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
	}
	return (md->kw[c - 'a']);
}

/* Writes dovecot-keywords anew, as Dovecot does: into the dotlock
 * dovecot-keywords.lock, then renamed over it.  The Maildir is locked. */
static int
kw_write(struct maildir *md, char **cause)
{
	struct buf	 b;
	char		*path, *tmp;
	int		 fd, i, r = -1;

	path = md_path(md, KW_FILE);
	tmp = xasprintf("%s.lock", path);
	/* Under the Maildir's lock: one left behind is a dead writer's. */
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600)) == -1) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	buf_init(&b);
	for (i = 0; i < KW_MAX; i++)
		if (md->kw[i] != NULL)
			buf_printf(&b, "%d %s\n", i, md->kw[i]);
	md_own(md, fd);
	if (write_all(fd, b.data, b.len) != 0 || fsync(fd) != 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		close(fd);
		(void)unlink(tmp);
		buf_free(&b);
		goto out;
	}
	buf_free(&b);
	close(fd);
	if (rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		(void)unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(tmp);
	free(path);
	return (r);
}

/* The letter of a keyword, given one in dovecot-keywords if it has none:
 * the letter, or 0 with *cause. */
static int
kw_need(struct maildir *md, const char *name, char **cause)
{
	int	c, i;

	if ((c = kw_letter(md, name)) != 0)
		return (c);
	if (md_lock(md, cause) != 0)
		return (0);
	if (kw_sync(md, cause) != 0)
		goto fail;
	if ((c = kw_letter(md, name)) != 0)
		goto done;
	for (i = 0; i < KW_MAX && md->kw[i] != NULL; i++)
		;
	if (i == KW_MAX) {
		*cause = xasprintf("%s/%s: no letter left for %s (all 26 are"
		    " taken)", md->dir, KW_FILE, name);
		goto fail;
	}
	md->kw[i] = xstrdup(name);
	if (kw_write(md, cause) != 0) {
		free(md->kw[i]);
		md->kw[i] = NULL;
		goto fail;
	}
	/* Read back: a writer that took over a lock it thought stale at
	 * the same time would show here. */
	if (kw_sync(md, cause) != 0)
		goto fail;
	if ((c = kw_letter(md, name)) != 'a' + i) {
		*cause = xasprintf("%s/%s: changed while %s was added", md->dir,
		    KW_FILE, name);
		goto fail;
	}
done:
	md_unlock(md);
	return (c);
fail:
	md_unlock(md);
	return (0);
}

/*
 * A message file's name taken apart: "<unique>:2,<flags>[,<more>]".  The
 * flags are a set of bytes (the standard ones in capitals, the keywords'
 * letters); what follows a comma in the info is kept as it is.
 */
struct mdname {
	char		*unique;
	unsigned char	 flags[256];
	char		*more;		/* ",..." or "" */
	int		 in_new;
};

static void
mdname_parse(struct mdname *nm, const char *path)
{
	const char	*base, *colon, *f;
	size_t		 len;

	memset(nm, 0, sizeof *nm);
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	nm->in_new = base - path >= 4 && strncmp(base - 4, "new/", 4) == 0;
	if ((colon = strchr(base, ':')) == NULL) {
		nm->unique = xstrdup(base);
		nm->more = xstrdup("");
		return;
	}
	nm->unique = xstrndup(base, (size_t)(colon - base));
	if (strncmp(colon + 1, "2,", 2) != 0) {
		nm->more = xstrdup("");
		return;
	}
	f = colon + 3;
	len = strcspn(f, ",");
	nm->more = xstrdup(f + len);
	for (; len > 0; len--, f++)
		nm->flags[(unsigned char)*f] = 1;
}

static void
mdname_clear(struct mdname *nm)
{
	free(nm->unique);
	free(nm->more);
}

/* The path of the message in cur/ with these flags. */
static char *
mdname_path(struct maildir *md, const struct mdname *nm)
{
	char	flags[257];
	size_t	i, n = 0;

	for (i = 1; i < 256; i++)
		if (nm->flags[i])
			flags[n++] = (char)i;
	flags[n] = '\0';
	return (xasprintf("%s/cur/%s:2,%s%s", md->dir, nm->unique, flags,
	    nm->more));
}

static enum shows
shows(struct source *src, const struct mdname *nm)
{
	struct maildir	*md = src->data;
	enum shows	 s = SHOWS_NOTHING;
	const char	*kw;
	int		 c;

	for (c = 'a'; c <= 'z'; c++) {
		if (!nm->flags[c] || (kw = kw_name(md, c)) == NULL)
			continue;
		if (is_outcome(kw))
			return (SHOWS_OUTCOME);
		if (strncasecmp(kw, CLAIM_PREFIX, strlen(CLAIM_PREFIX)) != 0)
			continue;
		if (md->claim != NULL && strcasecmp(kw, md->claim) == 0) {
			if (s == SHOWS_NOTHING)
				s = SHOWS_OURS;
		} else
			s = SHOWS_OTHERS;
	}
	return (s);
}

/* Finds a message again by the unique part of its name, in new/ then
 * cur/: 1 (*path replaced), or 0 when it is gone. */
static int
find_again(struct maildir *md, char **path)
{
	static const char *const subdirs[] = { "new", "cur" };
	struct mdname	 nm;
	struct dirent	*de;
	DIR		*d;
	char		*dir, *found = NULL;
	size_t		 len, i;

	mdname_parse(&nm, *path);
	len = strlen(nm.unique);
	for (i = 0; i < 2 && found == NULL; i++) {
		dir = xasprintf("%s/%s", md->dir, subdirs[i]);
		if ((d = opendir(dir)) != NULL) {
			while ((de = readdir(d)) != NULL) {
				if (strncmp(de->d_name, nm.unique, len) == 0 &&
				    (de->d_name[len] == '\0' ||
				    de->d_name[len] == ':')) {
					found = xasprintf("%s/%s", dir,
					    de->d_name);
					break;
				}
			}
			closedir(d);
		}
		free(dir);
	}
	mdname_clear(&nm);
	if (found == NULL)
		return (0);
	free(*path);
	*path = found;
	return (1);
}

/* Renames a message, under the Maildir's lock when Dovecot keeps it: 0,
 * -1 with errno, or -2 with *cause (the lock). */
static int
md_rename(struct maildir *md, const char *from, const char *to,
    char **cause)
{
	int	r, e;

	if (!md->dovecot)
		return (rename(from, to));
	if (md_lock(md, cause) != 0)
		return (-2);
	r = rename(from, to);
	e = errno;
	md_unlock(md);
	errno = e;
	return (r);
}

/* Renames the message at *path to to (taken): 1 when done (*path is to
 * then), 0 when the file was not there any more, -1 with *cause. */
static int
rename_to(struct maildir *md, char **path, char *to, char **cause)
{
	int	r;

	if ((r = md_rename(md, *path, to, cause)) == 0) {
		free(*path);
		*path = to;
		return (1);
	}
	if (r != -2 && errno == ENOENT) {
		free(to);
		return (0);
	}
	if (r != -2)
		*cause = xasprintf("%s: %s", *path, strerror(errno));
	free(to);
	return (-1);
}

static int
by_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/* Lists a directory's messages, but those that show an outcome. */
static int
list_dir(struct source *src, const char *dir, char **cause)
{
	struct maildir	*md = src->data;
	struct mdname	 nm;
	DIR		*d;
	struct dirent	*de;
	enum shows	 s;

	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		mdname_parse(&nm, de->d_name);
		s = shows(src, &nm);
		mdname_clear(&nm);
		if (s == SHOWS_OUTCOME) {
			md->shown++;
			continue;
		}
		md->paths = xreallocarray(md->paths, md->n + 1,
		    sizeof *md->paths);
		md->paths[md->n++] = xasprintf("%s/%s", dir, de->d_name);
	}
	closedir(d);
	return (0);
}

static void
maildir_forget(struct maildir *md)
{
	size_t	i;

	for (i = 0; i < md->n; i++)
		free(md->paths[i]);
	free(md->paths);
	md->paths = NULL;
	md->n = md->next = 0;
}

static int
maildir_open(struct source *src, char **cause)
{
	struct maildir	*md;

	md = xcalloc(1, sizeof *md);
	src->data = md;
	md->dir = xstrdup(src->conf->mailbox_path);
	md->desc = xasprintf("maildir %s", src->conf->mailbox_path);
	src->id = xasprintf("maildir:%s", src->conf->mailbox_path);
	return (0);
}

static int
maildir_scan(struct source *src, char **cause)
{
	struct maildir	*md = src->data;
	char		*dir;
	int		 r;

	maildir_forget(md);
	free(md->claim);
	md->claim = src->instance != NULL ?
	    xasprintf("%s%s", CLAIM_PREFIX, src->instance) : NULL;
	if (kw_sync(md, cause) != 0)
		return (-1);
	dir = md_path(md, "dovecot-uidlist");
	md->dovecot = access(dir, F_OK) == 0;
	free(dir);
	/* A lock left by a responder that died would hold Dovecot back. */
	dir = md_path(md, LOCK_FILE);
	if (lock_stale(dir) && unlink(dir) == 0)
		log_debug("%s: stale lock removed", dir);
	free(dir);
	md->shown = md->others = 0;
	dir = xasprintf("%s/new", md->dir);
	r = list_dir(src, dir, cause);
	free(dir);
	if (r != 0)
		return (-1);
	dir = xasprintf("%s/cur", md->dir);
	r = list_dir(src, dir, cause);
	free(dir);
	if (r != 0)
		return (-1);
	/* Maildir names start with the delivery time: oldest first. */
	if (md->n > 0)
		qsort(md->paths, md->n, sizeof *md->paths, by_name);
	/* Outcomes, and this responder's journal never claimed a message
	 * here: the journal is new (the old one was lost), or they are
	 * another responder's.  Said once: the claim's keyword is written
	 * now. */
	if (md->shown > 0 && !md->said && (md->claim == NULL ||
	    kw_letter(md, md->claim) == 0)) {
		log_warnx("%s: %zu messages already show an outcome: not"
		    " handled again", md->desc, md->shown);
		md->said = 1;
		if (!src->readonly && md->claim != NULL &&
		    kw_need(md, md->claim, cause) == 0)
			return (-1);
	} else if (md->shown > 0)
		log_debug("%s: %zu messages already show an outcome",
		    md->desc, md->shown);
	return (0);
}

/* Claims the message at *path for this responder (unless the source is
 * readonly): 1 when it is ours to handle (*path is where it is now), 0
 * when it is not (gone, finished, another responder's), -1 on error. */
static int
claim(struct source *src, char **path, char **cause)
{
	struct maildir	*md = src->data;
	struct mdname	 nm;
	enum shows	 s;
	char		*to;
	int		 c, i, r;

	for (i = 0; i < MOVES; i++) {
		mdname_parse(&nm, *path);
		s = shows(src, &nm);
		if (s == SHOWS_OUTCOME || s == SHOWS_OTHERS) {
			log_debug("%s: %s: not handled here", nm.unique,
			    s == SHOWS_OUTCOME ? "it shows an outcome" :
			    "another responder claimed it");
			if (s == SHOWS_OTHERS)
				md->others++;
			mdname_clear(&nm);
			return (0);
		}
		if (s == SHOWS_OURS || src->readonly || md->claim == NULL) {
			mdname_clear(&nm);
			return (1);
		}
		if ((c = kw_need(md, md->claim, cause)) == 0) {
			mdname_clear(&nm);
			return (-1);
		}
		nm.flags[c] = 1;
		to = mdname_path(md, &nm);
		mdname_clear(&nm);
		if ((r = rename_to(md, path, to, cause)) != 0)
			return (r);
		/* Claimed by another responder, or moved by a client. */
		if (!find_again(md, path))
			return (0);
	}
	log_warnx("%s: the file keeps moving: left for the next pass", *path);
	return (0);
}

static int
maildir_next(struct source *src, struct source_msg *m, char **cause)
{
	struct maildir	*md = src->data;
	struct stat	 sb;
	struct mdname	 nm;
	char		**slot;
	int		 r;

	while (md->next < md->n) {
		slot = &md->paths[md->next++];
		if ((r = claim(src, slot, cause)) == -1)
			return (-1);
		if (r == 0)
			continue;
		if (stat(*slot, &sb) != 0 && (!find_again(md, slot) ||
		    stat(*slot, &sb) != 0))
			continue;	/* removed meanwhile */
		if (!S_ISREG(sb.st_mode))
			continue;
		memset(m, 0, sizeof *m);
		mdname_parse(&nm, *slot);
		m->key = nm.unique;		/* taken */
		nm.unique = NULL;
		mdname_clear(&nm);
		m->size = (size_t)sb.st_size;
		m->priv = slot;
		return (1);
	}
	if (md->others > 0) {
		log_info("%s: %zu messages claimed by another responder: left"
		    " to it", md->desc, md->others);
		md->others = 0;
	}
	return (0);
}

static int
maildir_read(struct source *src, struct source_msg *m, char **cause)
{
	struct maildir	*md = src->data;
	char		**slot = m->priv;

	if (m->data != NULL)
		return (0);
	m->data = read_message(*slot, &m->len, cause);
	if (m->data == NULL && find_again(md, slot)) {
		/* A mail client changed its flags meanwhile. */
		free(*cause);
		*cause = NULL;
		m->data = read_message(*slot, &m->len, cause);
	}
	return (m->data != NULL ? 0 : -1);
}

/* The outcome's letter in place of the claim's, in one rename. */
static int
maildir_mark(struct source *src, const struct source_msg *m,
    enum jstate state, char **cause)
{
	struct maildir	*md = src->data;
	char		**slot = m->priv, *to;
	struct mdname	 nm;
	const char	*kw;
	int		 c, l, i, r, changed;

	if (src->readonly || (kw = outcome_keyword(state)) == NULL)
		return (0);
	if ((c = kw_need(md, kw, cause)) == 0)
		return (-1);
	for (i = 0; i < MOVES; i++) {
		mdname_parse(&nm, *slot);
		changed = nm.in_new || !nm.flags[c];
		nm.flags[c] = 1;
		for (l = 'a'; l <= 'z'; l++) {
			if (l == c || !nm.flags[l] || (kw = kw_name(md, l)) ==
			    NULL)
				continue;
			if (is_outcome(kw) || (md->claim != NULL &&
			    strcasecmp(kw, md->claim) == 0)) {
				nm.flags[l] = 0;
				changed = 1;
			}
		}
		to = mdname_path(md, &nm);
		mdname_clear(&nm);
		if (!changed) {
			free(to);
			return (0);
		}
		if ((r = rename_to(md, slot, to, cause)) != 0)
			return (r == 1 ? 0 : -1);
		if (!find_again(md, slot)) {
			log_warnx("%s: gone from the Maildir before its outcome"
			    " was shown", m->key);
			return (0);
		}
	}
	*cause = xasprintf("%s: the file keeps moving", *slot);
	return (-1);
}

static void
maildir_close(struct source *src)
{
	struct maildir	*md = src->data;

	if (md == NULL)
		return;
	maildir_forget(md);
	kw_clear(md);
	free(md->claim);
	free(md->dir);
	free(md->desc);
	free(md);
	src->data = NULL;
	free(src->id);
	src->id = NULL;
}

static const char *
maildir_desc(struct source *src)
{
	struct maildir	*md = src->data;

	return (md != NULL ? md->desc : "maildir");
}

/* A local Maildir is looked at again every poll interval. */
static int
maildir_wait(struct source *src, volatile sig_atomic_t *stop, char **cause)
{
	return (nap(src->conf->poll_interval, stop));
}

const struct source_ops source_maildir = {
	"maildir", maildir_open, maildir_scan, maildir_next, maildir_read,
	maildir_mark, maildir_wait, maildir_close, maildir_desc, NULL, NULL, NULL
};

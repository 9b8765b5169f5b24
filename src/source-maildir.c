/*
 * A local Maildir as the mailbox: the messages of new/ and cur/, each keyed
 * by the unique part of its file name (what stays when a mail client moves
 * it from new/ to cur/ and adds flags).  The responder changes nothing in
 * the Maildir -- no flag, no move: its outcomes are in the journal.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <poll.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

struct maildir {
	char	**paths;	/* every message file, sorted */
	size_t	  n;
	size_t	  next;
	char	 *desc;
};

static int
by_name(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static int
list_dir(struct maildir *md, const char *dir, char **cause)
{
	DIR		*d;
	struct dirent	*de;

	if ((d = opendir(dir)) == NULL) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
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
	dir = xasprintf("%s/new", src->conf->mailbox_path);
	r = list_dir(md, dir, cause);
	free(dir);
	if (r != 0)
		return (-1);
	dir = xasprintf("%s/cur", src->conf->mailbox_path);
	r = list_dir(md, dir, cause);
	free(dir);
	if (r != 0)
		return (-1);
	/* Maildir names start with the delivery time: oldest first. */
	qsort(md->paths, md->n, sizeof *md->paths, by_name);
	return (0);
}

/* "1700000000.M1P2.host:2,S" -> "1700000000.M1P2.host" */
static char *
unique_part(const char *path)
{
	const char	*base = strrchr(path, '/'), *colon;

	base = base != NULL ? base + 1 : path;
	colon = strchr(base, ':');
	return (colon != NULL ? xstrndup(base, (size_t)(colon - base)) :
	    xstrdup(base));
}

static int
maildir_next(struct source *src, struct source_msg *m, char **cause)
{
	struct maildir	*md = src->data;
	struct stat	 sb;
	const char	*path;

	while (md->next < md->n) {
		path = md->paths[md->next++];
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;	/* moved or removed meanwhile */
		memset(m, 0, sizeof *m);
		m->key = unique_part(path);
		m->size = (size_t)sb.st_size;
		m->priv = (void *)path;
		return (1);
	}
	return (0);
}

static int
maildir_read(struct source *src, struct source_msg *m, char **cause)
{
	if (m->data != NULL)
		return (0);
	if ((m->data = read_message(m->priv, &m->len, cause)) == NULL)
		return (-1);
	return (0);
}

static int
maildir_mark(struct source *src, const struct source_msg *m,
    enum jstate state, char **cause)
{
	return (0);
}

static void
maildir_close(struct source *src)
{
	struct maildir	*md = src->data;

	if (md == NULL)
		return;
	maildir_forget(md);
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

int
nap(int seconds, volatile sig_atomic_t *stop)
{
	int	i;

	for (i = 0; i < seconds * 10; i++) {
		if (stop != NULL && *stop)
			return (0);
		poll(NULL, 0, 100);
	}
	return (stop != NULL && *stop ? 0 : 1);
}

void
source_msg_clear(struct source_msg *m)
{
	free(m->key);
	free(m->data);
	memset(m, 0, sizeof *m);
}

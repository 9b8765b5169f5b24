/*
 * "purge [--dry-run]": forgets what the journal keeps no longer --
 * journal.keep_days after: the messages of closed review entries, the rows
 * of messages the mailbox no longer offers, the reply history past
 * limits.per_sender_days -- as each pass of once and run does.  The
 * mailbox is asked which messages it still offers to handle: their rows
 * stay, or they would be answered again; when it cannot be read, no row of
 * a message goes (and the exit status says try again).
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "floss-responder.h"
#include "cmd.h"

/* The keys of the messages the mailbox offers (allocated): 0, or -1 with
 * *cause. */
static int
offered(struct source *src, char ***keys, size_t *n, char **cause)
{
	struct source_msg	m;
	int			r;

	if (src->ops->open(src, cause) != 0 || src->ops->scan(src, cause) != 0)
		return (-1);
	for (;;) {
		memset(&m, 0, sizeof m);
		if ((r = src->ops->next(src, &m, cause)) <= 0)
			break;
		*keys = xreallocarray(*keys, *n + 1, sizeof **keys);
		(*keys)[(*n)++] = m.key;
		m.key = NULL;
		source_msg_clear(&m);
	}
	return (r);
}

static int
cmd_purge_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct core		*core;
	struct journal		*j;
	struct source		 src;
	struct jpurge		 p;
	char			*cause = NULL, **keys = NULL;
	const char		*mailbox;
	size_t			 n = 0;
	int			 ch, dry_run = 0, status = 0;

	while ((ch = getopt_long(argc, argv, "n", longopts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			dry_run = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: floss-responder purge [--dry-run]\n");
		return (EX_USAGE);
	}
	core = cmd_load_core(config);
	if (core->conf->keep_days == 0) {
		printf("journal.keep_days is 0: the journal keeps everything\n");
		core_free(core);
		return (0);
	}
	if (access(core->conf->state_path, R_OK) != 0) {
		fprintf(stderr, "floss-responder: %s: %s (no run yet?)\n",
		    core->conf->state_path, strerror(errno));
		core_free(core);
		return (EX_NOINPUT);
	}
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		core_free(core);
		return (EX_IOERR);
	}
	source_init(&src, core->conf);
	mailbox = NULL;
	if (offered(&src, &keys, &n, &cause) == 0)
		mailbox = src.id;
	else {
		fprintf(stderr, "floss-responder: %s: %s: the rows of messages"
		    " are kept\n", src.ops->name, cause);
		free(cause);
		cause = NULL;
		status = EX_TEMPFAIL;
	}
	if (journal_purge(j, time(NULL), core->conf->keep_days,
	    core->conf->per_sender_days, mailbox, keys, n, dry_run, &p,
	    &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		status = EX_IOERR;
	} else
		printf("%s after %d days: %d messages of closed review"
		    " entries, %d closed entries, %d message rows, %d"
		    " reply-history rows\n", dry_run ? "would be forgotten" :
		    "forgotten", core->conf->keep_days, p.raw, p.queue,
		    p.messages, p.replies);
	while (n > 0)
		free(keys[--n]);
	free(keys);
	if (src.ops->close != NULL)
		src.ops->close(&src);
	journal_close(j);
	core_free(core);
	if (fflush(stdout) != 0 && status == 0)
		status = EX_IOERR;
	return (status);
}

const struct cmd_entry cmd_purge_entry = {
	"purge", "[--dry-run]",
	"forget what is older than journal.keep_days: closed entries'"
	" messages, rows of messages gone, old reply history",
	cmd_purge_exec
};

/*
 * "once [-f] [--dry-run]": for cron.  Handles every new message of the
 * mailbox and exits.  It logs where someone reads: to stderr on a terminal
 * or into the file stderr is sent to, to syslog otherwise (cron's pipe, a
 * systemd unit's socket, /dev/null) or with -s; -f keeps stderr.  An
 * exclusive lock beside the journal keeps two runs apart; the exit status
 * tells success (0), a temporary failure to retry later
 * (EX_TEMPFAIL: the mailbox or the delivery failed, or another run holds
 * the lock), a login refused (EX_NOPERM) and a configuration error
 * (EX_CONFIG: the file, a certificate refused, the wrong TLS mode): the
 * last two will not mend by themselves.
 */

#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "floss-responder.h"
#include "cmd.h"

/* Takes the run lock, or says who holds it; -1 when another run does. */
static int
run_lock(const char *state_path, int *fdp)
{
	char	*path, *cause;
	int	 fd;

	/* Nothing made as root in another user's directory, the lock
	 * included. */
	if (journal_owner(state_path, &cause) != 0) {
		log_warnx("%s", cause);
		free(cause);
		return (-2);
	}
	path = xasprintf("%s.lock", state_path);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		log_warn("%s", path);
		free(path);
		return (-2);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK)
			log_warnx("%s: another run is in progress", path);
		else
			log_warn("%s", path);
		close(fd);
		free(path);
		return (-1);
	}
	free(path);
	*fdp = fd;
	return (0);
}

/* Whether stderr is read as it is written: a terminal, or a file it was
 * sent to on purpose. */
static int
stderr_read(void)
{
	struct stat	sb;

	if (isatty(STDERR_FILENO))
		return (1);
	return (fstat(STDERR_FILENO, &sb) == 0 && S_ISREG(sb.st_mode));
}

static int
cmd_once_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct core		*core;
	struct journal		*j = NULL;
	struct source		 src;
	struct delivery		 dlv;
	struct run_opts		 opts;
	struct run_stats	 stats;
	char			*cause = NULL;
	int			 ch, lockfd = -1, status = 0, foreground = 0;

	memset(&opts, 0, sizeof opts);
	while ((ch = getopt_long(argc, argv, "fn", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			foreground = 1;
			break;
		case 'n':
			opts.dry_run = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: floss-responder once [-f]"
		    " [--dry-run]\n");
		return (EX_USAGE);
	}
	core = cmd_load_core(config);
	if (foreground)
		log_init(1, LOG_MAIL);
	else if (!log_getforeground() || !stderr_read()) {
		/* As the daemon: each message's line is for the log. */
		log_init(0, LOG_MAIL);
		if (log_getverbose() == 0)
			log_setverbose(1);
	}
	source_init(&src, core->conf);
	delivery_init(&dlv, core->conf);
	switch (run_lock(core->conf->state_path, &lockfd)) {
	case -1:
		core_free(core);
		return (EX_TEMPFAIL);
	case -2:
		core_free(core);
		return (EX_CANTCREAT);
	}
	memset(&stats, 0, sizeof stats);
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL) {
		log_warnx("%s", cause);
		status = EX_CANTCREAT;
		goto out;
	}
	if (src.ops->open(&src, &cause) != 0) {
		log_warnx("%s: %s", src.ops->name, cause);
		status = failkind_exit(src.fail);
		goto out;
	}
	if (process_run(core, j, &src, &dlv, &opts, &stats, &cause) != 0) {
		log_warnx("%s", cause);
		status = failkind_exit(dlv.fail != FAIL_TEMP ? dlv.fail :
		    src.fail);
	}
	log_info("%s%s: %zu messages: %zu replied, %zu for review, %zu"
	    " ignored, %zu to retry, %zu unsettled", opts.dry_run ?
	    "dry run, " : "", src.ops->desc(&src), stats.seen, stats.replied,
	    stats.review, stats.ignored, stats.retry, stats.failed);
	if (stats.answered > 0)
		log_info("%s: %zu answered from a mail client left the review"
		    " queue", src.ops->desc(&src), stats.answered);
	if (stats.retry > 0 && status == 0)
		status = EX_TEMPFAIL;

out:
	free(cause);
	delivery_end(&dlv);
	if (src.ops->close != NULL)
		src.ops->close(&src);
	journal_close(j);
	if (lockfd != -1)
		close(lockfd);
	core_free(core);
	return (status);
}

const struct cmd_entry cmd_once_entry = {
	"once", "[-f] [--dry-run]",
	"handle every new message of the mailbox, then exit (for cron); logs"
	" to stderr when it is a terminal or a file, or with -f, to syslog"
	" otherwise",
	cmd_once_exec
};

/*
 * "run [-f]": the daemon.  It handles what is new, then waits -- IDLE when
 * the IMAP server has it, the poll interval otherwise -- and again.  Any
 * network or server error closes the connections and retries after an
 * exponential backoff with jitter; one that will not mend by itself (the
 * login refused, a certificate refused, the wrong TLS mode) stops it with
 * the exit status "once" would give.  SIGTERM and SIGINT finish the message
 * in hand and exit; SIGHUP reloads the configuration, the rules and the
 * replies (a broken reload keeps the old ones and says why).  Logs to
 * stderr with -f, to syslog otherwise.  It stays in the foreground, as
 * service managers expect.
 */

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "floss-responder.h"
#include "cmd.h"

#define BACKOFF_MAX	300	/* seconds */

static volatile sig_atomic_t	stop, reload;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		stop = 1;
}

/* SIGHUP as stop too, for the waits: reload is checked after them. */
static volatile sig_atomic_t	wake;

static void
on_signal_wake(int sig)
{
	on_signal(sig);
	wake = 1;
}

static void
signals(void)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal_wake;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a wait is interrupted. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The next delay after a failure: doubled, capped, with jitter. */
static int
backoff(int *cur)
{
	int	d = *cur;

	*cur = *cur * 2 > BACKOFF_MAX ? BACKOFF_MAX : *cur * 2;
	return (d / 2 + (int)(random() % (d / 2 + 1)));
}

/* After a failure: says why, closes the mailbox, waits a while. */
static void
pass_failed(struct source *src, int *open_, char **cause, int *delay)
{
	log_warnx("%s", *cause);
	free(*cause);
	*cause = NULL;
	src->ops->close(src);
	*open_ = 0;
	nap(backoff(delay), &stop);
}

static struct core *
reload_core(const char *config, struct core *old)
{
	struct errors	 e = { NULL, 0 };
	struct core	*core;
	size_t		 i;

	if ((core = core_load(config, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			log_warnx("%s", e.v[i]);
		log_warnx("reload failed: the old configuration stays");
		errors_free(&e);
		return (old);
	}
	log_info("reloaded %s", config);
	core_free(old);
	return (core);
}

static int
cmd_run_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct core		*core;
	struct journal		*j;
	struct source		 src;
	struct delivery		 dlv;
	struct run_opts		 opts;
	struct run_stats	 stats;
	char			*cause = NULL, *lockpath;
	int			 ch, foreground = 0, delay = 1, r, lockfd, open_ = 0;
	int			 status = 0;

	while ((ch = getopt_long(argc, argv, "f", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			foreground = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: floss-responder run [-f]\n");
		return (EX_USAGE);
	}
	core = cmd_load_core(config);
	log_init(foreground, LOG_MAIL);
	if (!foreground && log_getverbose() == 0)
		log_setverbose(1);
	signals();
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL) {
		log_warnx("%s", cause);
		free(cause);
		core_free(core);
		return (EX_CANTCREAT);
	}
	lockpath = xasprintf("%s.lock", core->conf->state_path);
	if ((lockfd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1) {
		log_warn("%s", lockpath);
		free(lockpath);
		journal_close(j);
		core_free(core);
		return (EX_CANTCREAT);
	}
	log_info("floss-responder %s started: %s", PACKAGE_VERSION,
	    config);
	memset(&opts, 0, sizeof opts);
	memset(&dlv, 0, sizeof dlv);
	opts.stop = &stop;
	source_init(&src, core->conf);
	while (!stop) {
		if (reload) {
			reload = 0;
			if (open_) {
				src.ops->close(&src);
				open_ = 0;
			}
			core = reload_core(config, core);
			source_init(&src, core->conf);
		}
		if (!open_) {
			if (src.ops->open(&src, &cause) != 0) {
				log_warnx("%s: %s", src.ops->name, cause);
				free(cause);
				cause = NULL;
				src.ops->close(&src);
				if (src.fail != FAIL_TEMP) {
					status = failkind_exit(src.fail);
					break;
				}
				nap(backoff(&delay), &stop);
				continue;
			}
			open_ = 1;
		}
		/* One pass: what is new, one delivery batch, the run lock
		 * held against a "once" from cron meanwhile. */
		delivery_init(&dlv, core->conf);
		memset(&stats, 0, sizeof stats);
		flock(lockfd, LOCK_EX);
		r = process_run(core, j, &src, &dlv, &opts, &stats, &cause);
		flock(lockfd, LOCK_UN);
		delivery_end(&dlv);
		if (stats.seen > 0)
			log_info("%s: %zu new: %zu replied, %zu for review, %zu"
			    " ignored, %zu to retry", src.ops->desc(&src),
			    stats.seen, stats.replied, stats.review,
			    stats.ignored, stats.retry);
		if (r != 0 && (dlv.fail != FAIL_TEMP || src.fail != FAIL_TEMP)) {
			log_warnx("%s", cause);
			status = failkind_exit(dlv.fail != FAIL_TEMP ? dlv.fail :
			    src.fail);
			break;
		}
		if (r != 0) {
			pass_failed(&src, &open_, &cause, &delay);
			continue;
		}
		if (stats.retry > 0) {
			/* Something to send later: come back soon. */
			nap(backoff(&delay), &stop);
			continue;
		}
		delay = 1;
		if (stop || reload)
			continue;
		r = src.ops->wait(&src, &wake, &cause);
		wake = 0;
		if (r < 0)
			pass_failed(&src, &open_, &cause, &delay);
	}
	if (open_)
		src.ops->close(&src);
	free(cause);
	if (status != 0)
		log_warnx("stopped: waiting will not mend this %s failure",
		    failkind_names[dlv.fail != FAIL_TEMP ? dlv.fail : src.fail]);
	else
		log_info("stopped");
	close(lockfd);
	free(lockpath);
	journal_close(j);
	core_free(core);
	return (status);
}

const struct cmd_entry cmd_run_entry = {
	"run", "[-f]",
	"the daemon: answer new mail as it comes (IDLE or polling); -f logs"
	" to stderr",
	cmd_run_exec
};

/*
 * "stats [--since YYYY-MM-DD] [--week] [--json]": the journal summarised
 * -- messages per day (or week) and outcome, the share answered
 * automatically, the main topics, and the review queue's size and age.
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

/* The automatic share: replied among the messages a person could have had
 * to answer (all but the machines'). */
static double
rate(const struct jstat_row *r)
{
	int	n = r->messages - r->ignored;

	return (n > 0 ? (double)r->replied / n : 0);
}

static void
json_rows(struct buf *b, const char *name, const struct jstat_row *rows,
    size_t n, const char *keyname)
{
	size_t	i;

	buf_printf(b, "\"%s\": [", name);
	for (i = 0; i < n; i++) {
		buf_adds(b, i > 0 ? ", {" : "{");
		buf_printf(b, "\"%s\": ", keyname);
		json_string(b, rows[i].key);
		buf_printf(b, ", \"messages\": %d, \"replied\": %d,"
		    " \"review\": %d, \"ignored\": %d, \"auto_rate\": %.3f}",
		    rows[i].messages, rows[i].replied, rows[i].review,
		    rows[i].ignored, rate(&rows[i]));
	}
	buf_adds(b, "]");
}

static int
cmd_stats_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "week", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct core		*core;
	struct journal		*j;
	struct jstats		 st;
	struct jstat_row	 all;
	struct tm		 tm;
	struct buf		 b;
	char			*cause = NULL, day[16];
	const char		*since_s = NULL;
	time_t			 since = 0, now = time(NULL);
	size_t			 i;
	int			 ch, weekly = 0, json = 0;

	while ((ch = getopt_long(argc, argv, "s:wj", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			since_s = optarg;
			break;
		case 'w':
			weekly = 1;
			break;
		case 'j':
			json = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: floss-responder stats [--since"
		    " YYYY-MM-DD] [--week] [--json]\n");
		return (EX_USAGE);
	}
	if (since_s != NULL) {
		memset(&tm, 0, sizeof tm);
		if (strptime(since_s, "%Y-%m-%d", &tm) == NULL) {
			fprintf(stderr, "floss-responder: --since %s: a date"
			    " YYYY-MM-DD is expected\n", since_s);
			return (EX_USAGE);
		}
		since = timegm(&tm);
	}
	core = cmd_load_core(config);
	if (access(core->conf->state_path, R_OK) != 0) {
		fprintf(stderr, "floss-responder: %s: %s (no run yet?)\n",
		    core->conf->state_path, strerror(errno));
		core_free(core);
		return (EX_NOINPUT);
	}
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL ||
	    journal_stats(j, since, weekly, &st, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		journal_close(j);
		core_free(core);
		return (EX_IOERR);
	}
	memset(&all, 0, sizeof all);
	for (i = 0; i < st.nperiods; i++) {
		all.messages += st.periods[i].messages;
		all.replied += st.periods[i].replied;
		all.review += st.periods[i].review;
		all.ignored += st.periods[i].ignored;
	}
	buf_init(&b);
	if (st.queue > 0) {
		gmtime_r(&st.oldest, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	} else
		day[0] = '\0';
	if (json) {
		buf_printf(&b, "{\"since\": ");
		json_string(&b, since_s != NULL ? since_s : "");
		buf_printf(&b, ", \"by\": \"%s\", \"messages\": %d,"
		    " \"replied\": %d, \"review\": %d, \"ignored\": %d,"
		    " \"auto_rate\": %.3f, ", weekly ? "week" : "day",
		    all.messages, all.replied, all.review, all.ignored,
		    rate(&all));
		json_rows(&b, "periods", st.periods, st.nperiods, "period");
		buf_adds(&b, ", ");
		json_rows(&b, "topics", st.topics, st.ntopics, "topic");
		buf_printf(&b, ", \"queue\": {\"size\": %d, \"oldest\": ",
		    st.queue);
		json_string(&b, day);
		buf_printf(&b, ", \"age_days\": %lld}, \"operators\":"
		    " {\"sent\": %d, \"other_topics\": %d}}\n", st.queue > 0 ?
		    (long long)((now - st.oldest) / 86400) : 0LL, st.sent,
		    st.sent_other);
	} else {
		buf_printf(&b, "%-12s %8s %8s %8s %8s %10s\n", weekly ?
		    "week" : "day", "messages", "replied", "review", "ignored",
		    "automatic");
		for (i = 0; i < st.nperiods; i++)
			buf_printf(&b, "%-12s %8d %8d %8d %8d %9.0f%%\n",
			    st.periods[i].key, st.periods[i].messages,
			    st.periods[i].replied, st.periods[i].review,
			    st.periods[i].ignored, 100 * rate(&st.periods[i]));
		buf_printf(&b, "%-12s %8d %8d %8d %8d %9.0f%%\n\n", "all",
		    all.messages, all.replied, all.review, all.ignored,
		    100 * rate(&all));
		buf_printf(&b, "%-24s %8s %8s %8s %8s\n", "main topic",
		    "messages", "replied", "review", "ignored");
		for (i = 0; i < st.ntopics; i++)
			buf_printf(&b, "%-24s %8d %8d %8d %8d\n",
			    st.topics[i].key, st.topics[i].messages,
			    st.topics[i].replied, st.topics[i].review,
			    st.topics[i].ignored);
		if (st.queue > 0)
			buf_printf(&b, "\nreview queue: %d message%s, the"
			    " oldest from %s (%lld days)\n", st.queue,
			    st.queue == 1 ? "" : "s", day,
			    (long long)((now - st.oldest) / 86400));
		else
			buf_adds(&b, "\nreview queue: empty\n");
		if (st.sent > 0)
			buf_printf(&b, "operators sent %d repl%s from the queue,"
			    " %d on other topics than suggested (%.0f%%)\n",
			    st.sent, st.sent == 1 ? "y" : "ies", st.sent_other,
			    100.0 * st.sent_other / st.sent);
	}
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	jstats_free(&st);
	journal_close(j);
	core_free(core);
	return (fflush(stdout) != 0 ? EX_IOERR : 0);
}

const struct cmd_entry cmd_stats_entry = {
	"stats", "[--since YYYY-MM-DD] [--week] [--json]",
	"the journal summarised: messages per day or week and outcome, topics,"
	" the review queue",
	cmd_stats_exec
};

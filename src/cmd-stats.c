/*
 * "stats [--since YYYY-MM-DD] [--week] [--json]": the journal summarised
 * -- messages per day (or week) and outcome, the share answered
 * automatically, the main topics, and the review queue's size and age.
 * "stats --prometheus": the same for monitoring, with the end of the last
 * pass.
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

/* A label's value in the Prometheus text format: backslash, double quote
 * and newline escaped. */
static void
prom_value(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			buf_addc(b, '\\');
		if (*s == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

static void
prom_head(struct buf *b, const char *name, const char *help)
{
	buf_printf(b, "# HELP floss_responder_%s %s\n", name, help);
	buf_printf(b, "# TYPE floss_responder_%s gauge\n", name);
}

/*
 * The journal as node_exporter's textfile collector reads it (the
 * Prometheus text format, gauges without timestamps): the messages the
 * journal keeps by outcome and main topic, the review queue's size and
 * oldest age, and when the last whole pass of once or run ended.
 */
static void
prometheus(struct buf *b, const struct jstats *st, time_t now)
{
	static const char	*outcomes[] = { "replied", "review", "ignored",
	    "pending" };
	const struct jstat_row	*r;
	size_t			 i, k;
	int			 v[4];

	prom_head(b, "messages", "Messages the journal keeps"
	    " (journal.keep_days), by outcome and main topic; pending: not"
	    " settled yet.");
	for (i = 0; i < st->ntopics; i++) {
		r = &st->topics[i];
		v[0] = r->replied;
		v[1] = r->review;
		v[2] = r->ignored;
		v[3] = r->messages - r->replied - r->review - r->ignored;
		for (k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++) {
			buf_printf(b, "floss_responder_messages{outcome=\"%s\","
			    "topic=", outcomes[k]);
			prom_value(b, r->key);
			buf_printf(b, "} %d\n", v[k]);
		}
	}
	prom_head(b, "queue_messages", "Messages waiting for a person in the"
	    " review queue.");
	buf_printf(b, "floss_responder_queue_messages %d\n", st->open);
	prom_head(b, "queue_oldest_age_seconds", "How long the oldest message"
	    " of the review queue has waited; 0 when it is empty.");
	buf_printf(b, "floss_responder_queue_oldest_age_seconds %lld\n",
	    st->open > 0 && st->open_oldest < now ?
	    (long long)(now - st->open_oldest) : 0LL);
	prom_head(b, "last_pass_timestamp_seconds", "When the last pass of once"
	    " or run that looked at every message ended, in seconds since the"
	    " epoch; 0: never.");
	buf_printf(b, "floss_responder_last_pass_timestamp_seconds %lld\n",
	    (long long)st->last_pass);
}

static int
cmd_stats_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "week", no_argument, NULL, 'w' },
		{ "json", no_argument, NULL, 'j' },
		{ "prometheus", no_argument, NULL, 'p' },
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
	int			 ch, weekly = 0, json = 0, prom = 0;

	while ((ch = getopt_long(argc, argv, "s:wjp", longopts, NULL)) != -1) {
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
		case 'p':
			prom = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc || (prom && (json || weekly || since_s != NULL))) {
		fprintf(stderr, "usage: floss-responder stats [--since"
		    " YYYY-MM-DD] [--week] [--json] | --prometheus\n");
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
	if (st.open > 0) {
		gmtime_r(&st.open_oldest, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
	} else
		day[0] = '\0';
	if (prom)
		prometheus(&b, &st, now);
	else if (json) {
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
		    st.open);
		json_string(&b, day);
		buf_printf(&b, ", \"age_days\": %lld}, \"operators\":"
		    " {\"sent\": %d, \"other_topics\": %d}}\n", st.open > 0 ?
		    (long long)((now - st.open_oldest) / 86400) : 0LL, st.sent,
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
		if (st.open > 0)
			buf_printf(&b, "\nreview queue: %d message%s, the"
			    " oldest from %s (%lld days)\n", st.open,
			    st.open == 1 ? "" : "s", day,
			    (long long)((now - st.open_oldest) / 86400));
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
	"stats", "[--since YYYY-MM-DD] [--week] [--json] | --prometheus",
	"the journal summarised: messages per day or week and outcome, topics,"
	" the review queue; --prometheus: for node_exporter's textfile"
	" collector",
	cmd_stats_exec
};

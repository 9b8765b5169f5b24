/*
 * The core's speed: a batch of messages (the files given, repeated up to
 * -n messages) through the whole core -- parse, screen, match, decide --
 * then the matcher alone over the folded text of the same messages, with
 * peak memory.  A benchmark, not a test: it reports, it asserts nothing.
 *
 * usage: bench-classify [-c config] [-n count] [-R rounds] [-k keywords.txt]
 *            [-f folded.txt] [-r raw.txt] FILE...
 * Each phase runs -R times (3 by default): a shared machine's speed varies
 * from one second to the next, so the best and the median are reported.
 * -k, -f and -r write the keywords, the folded text and the raw bytes
 * for the comparison with grep -F (bench/run.sh).
 */

#include <sys/resource.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "floss-responder.h"

static double
clock_read(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static double
now(void)
{
	return (clock_read(CLOCK_MONOTONIC));
}

/* The process's CPU time: the wall time less the time other programs of
 * a shared machine took the processor. */
static double
cpu_now(void)
{
	return (clock_read(CLOCK_PROCESS_CPUTIME_ID));
}

static long
peak_kb(void)
{
	struct rusage	ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_maxrss);
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static void
count_hit(uint32_t id, size_t end, void *arg)
{
	(*(size_t *)arg)++;
}

int
main(int argc, char **argv)
{
	struct errors	 e = { NULL, 0 };
	struct core	*core;
	struct message	*msg;
	struct decision	 d;
	struct buf	 folded, all;
	const char	*config = "conf/floss-responder.yaml", *kwfile = NULL,
			*foldfile = NULL, *rawfile = NULL;
	char		**raw, *cause = NULL;
	size_t		*len, nfiles, i, n = 100000, bytes = 0, hits = 0,
			 actions[3] = { 0, 0, 0 }, fbytes = 0;
	double		 t0, t1, c0, c1;
	long		 rss0, rss_tenth = 0;
	int		 ch, rounds = 3, r;
	double		 best[16], fbest[16], cbest[16];
	FILE		*f;

	while ((ch = getopt(argc, argv, "c:f:k:n:r:R:")) != -1) {
		switch (ch) {
		case 'R':
			rounds = (int)strtol(optarg, NULL, 10);
			break;
		case 'c':
			config = optarg;
			break;
		case 'f':
			foldfile = optarg;
			break;
		case 'k':
			kwfile = optarg;
			break;
		case 'n':
			n = strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rawfile = optarg;
			break;
		default:
			fprintf(stderr, "usage: bench-classify [-c config] [-n count]"
			    " [-k kw] [-f folded] [-r raw] FILE...\n");
			return (64);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || n == 0) {
		fprintf(stderr, "bench-classify: no message files\n");
		return (64);
	}
	if ((core = core_load(config, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		return (78);
	}
	nfiles = (size_t)argc;
	raw = xcalloc(nfiles, sizeof *raw);
	len = xcalloc(nfiles, sizeof *len);
	for (i = 0; i < nfiles; i++) {
		if ((raw[i] = read_message(argv[i], &len[i], &cause)) == NULL) {
			fprintf(stderr, "bench-classify: %s\n", cause);
			return (66);
		}
	}

	if (rounds < 1 || rounds > 16)
		rounds = 3;
	/* The whole core, message after message, as the daemon runs it. */
	rss0 = peak_kb();
	for (r = 0; r < rounds; r++) {
	bytes = 0;
	actions[0] = actions[1] = actions[2] = 0;
	t0 = now();
	c0 = cpu_now();
	for (i = 0; i < n; i++) {
		decision_init(&d);
		msg = NULL;
		decide_raw(core, raw[i % nfiles], len[i % nfiles], &msg, &d);
		actions[d.action]++;
		bytes += len[i % nfiles];
		decision_clear(&d);
		message_free(msg);
		if (i == n / 10 && r == 0)
			rss_tenth = peak_kb();
	}
	t1 = now();
	c1 = cpu_now();
	best[r] = t1 - t0;
	cbest[r] = c1 - c0;
	printf("core:    %zu messages, %.1f MB in %.3f s (%.3f s of CPU):"
	    " %.0f messages/s, %.1f MB/s (reply %zu, review %zu, ignore"
	    " %zu)\n", n, (double)bytes / 1e6, t1 - t0, c1 - c0,
	    (double)n / (t1 - t0), (double)bytes / 1e6 / (t1 - t0),
	    actions[ACT_REPLY], actions[ACT_REVIEW], actions[ACT_IGNORE]);
	}
	qsort(best, (size_t)rounds, sizeof best[0], cmp_double);
	qsort(cbest, (size_t)rounds, sizeof cbest[0], cmp_double);
	printf("core:    best %.0f messages/s (%.1f MB/s), median %.0f"
	    " messages/s over %d rounds; %.0f messages a second of CPU at"
	    " best\n", (double)n / best[0], (double)bytes / 1e6 / best[0],
	    (double)n / best[rounds / 2], rounds, (double)n / cbest[0]);
	printf("memory:  peak RSS %ld kB before, %ld kB after 10%%, %ld kB at"
	    " the end\n", rss0, rss_tenth, peak_kb());

	/* The matcher alone: fold and scan the same messages' words. */
	buf_init(&folded);
	buf_init(&all);
	for (r = 0; r < rounds; r++) {
	fbytes = 0;
	hits = 0;
	t0 = now();
	for (i = 0; i < n; i++) {
		const char *m = raw[i % nfiles];
		size_t l = len[i % nfiles];

		buf_reset(&folded);
		fold_sentences(&folded, m, l);
		matcher_scan(core->rules->matcher[LANG_FR], folded.data, folded.len,
		    count_hit, &hits);
		fbytes += folded.len;
	}
	t1 = now();
	printf("matcher: %.1f MB of folded text (from %.1f MB) in %.3f s:"
	    " %.1f MB/s folded, %.1f MB/s raw, %zu hits, %zu patterns,"
	    " %zu states\n", (double)fbytes / 1e6, (double)bytes / 1e6,
	    t1 - t0, (double)fbytes / 1e6 / (t1 - t0),
	    (double)bytes / 1e6 / (t1 - t0), hits,
	    core->rules->npatterns, matcher_nstates(core->rules->matcher[LANG_FR]));
	fbest[r] = t1 - t0;
	}
	qsort(fbest, (size_t)rounds, sizeof fbest[0], cmp_double);
	printf("matcher: best %.1f MB/s folded, median %.1f MB/s over %d"
	    " rounds\n", (double)fbytes / 1e6 / fbest[0],
	    (double)fbytes / 1e6 / fbest[rounds / 2], rounds);

	if (kwfile != NULL && (f = fopen(kwfile, "w")) != NULL) {
		/* The keywords as grep -F takes them, folded, one a line. */
		for (i = 0; i < core->rules->npatterns; i++)
			if (core->rules->patterns[i].kind == PAT_KEYWORD)
				fprintf(f, "%s\n", core->rules->patterns[i].folded +
				    1);
		fclose(f);
	}
	if (foldfile != NULL && (f = fopen(foldfile, "w")) != NULL) {
		for (i = 0; i < n; i++) {
			buf_reset(&folded);
			fold_text(&folded, raw[i % nfiles], len[i % nfiles]);
			fwrite(folded.data, 1, folded.len, f);
			fputc('\n', f);
		}
		fclose(f);
	}
	if (rawfile != NULL && (f = fopen(rawfile, "w")) != NULL) {
		for (i = 0; i < n; i++)
			fwrite(raw[i % nfiles], 1, len[i % nfiles], f);
		fclose(f);
	}
	buf_free(&folded);
	buf_free(&all);
	for (i = 0; i < nfiles; i++)
		free(raw[i]);
	free(raw);
	free(len);
	core_free(core);
	return (0);
}

/*
 * floss-responder: main, the global options and the command table.  Each
 * command lives in its own cmd-*.c file and is listed here once; the table
 * drives dispatch and --help.
 */

#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "config.h"
#include "floss-responder.h"
#include "cmd.h"

extern const struct cmd_entry cmd_classify_entry, cmd_reply_entry,
    cmd_check_entry, cmd_once_entry, cmd_run_entry, cmd_stats_entry,
    cmd_queue_entry, cmd_purge_entry, cmd_learn_entry;

/* help, handled by main() before the table is searched (no exec): its line
 * in the help, the man page and the completion. */
static const struct cmd_entry help_entry = {
	"help", "[commands | config | topics | screening | completion]"
	" [--roff]",
	"this help, the commands, every configuration key with its default,"
	" the topics with their action and reply, the screening rules, or"
	" the bash completion script; --roff: the commands or the keys as"
	" the man pages give them",
	NULL
};

/* The commands, as the help, the man page and the completion list them. */
static const struct cmd_entry *cmd_table[] = {
	&cmd_classify_entry,
	&cmd_reply_entry,
	&cmd_check_entry,
	&cmd_once_entry,
	&cmd_run_entry,
	&cmd_stats_entry,
	&cmd_queue_entry,
	&cmd_purge_entry,
	&cmd_learn_entry,
	&help_entry,
	NULL
};

/* The program's options, before the command. */
static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "syslog", no_argument, NULL, 's' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 }
};

/*
 * A command's synopsis in roff, in the quotes of a macro's argument: what
 * is typed in bold (its options and words), what stands for a value in
 * italics (FILE, ID).
 */
static void
roff_usage(FILE *f, const char *s)
{
	char	 word[128];
	size_t	 n;

	while (*s != '\0') {
		if ((n = strspn(s, " \n")) > 0) {
			fputc(' ', f);
			s += n;
			continue;
		}
		n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");
		if (*s == '"') {
			fputs("\\(dq", f);
			s++;
			continue;
		}
		if (n == 0 || n >= sizeof word) {
			n = n == 0 ? 1 : n;
			memcpy(word, s, n);
			word[n] = '\0';
			roff_text(f, word);
		} else {
			memcpy(word, s, n);
			word[n] = '\0';
			fputs(strpbrk(word, "abcdefghijklmnopqrstuvwxyz") != NULL ||
			    *word == '-' ? "\\fB" : "\\fI", f);
			roff_text(f, word);
			fputs("\\fR", f);
		}
		s += n;
	}
}

/*
 * The commands, as the help lists them, or in roff for
 * floss-responder(8): each between marks, so that the page's own text
 * around them is kept when they are written again.
 */
static void
commands_describe(FILE *f, int roff)
{
	const struct cmd_entry	**c, *e;

	for (c = cmd_table; (e = *c) != NULL; c++) {
		if (!roff)
			fprintf(f, "  %-8s %s\n           %s\n", e->name,
			    e->usage, e->help);
		else {
			fprintf(f, ".\\\" BEGIN generated: help commands"
			    " --roff: %s\n.TP\n", e->name);
			fprintf(f, ".B%s %s", *e->usage != '\0' ? "R" : "",
			    e->name);
			if (*e->usage != '\0') {
				fputs(" \" ", f);
				roff_usage(f, e->usage);
				fputc('"', f);
			}
			fputc('\n', f);
			roff_sentence(f, e->help);
			fprintf(f, ".\\\" END generated\n");
		}
	}
}

/* An error of usage: one line, and where the rest is. */
static __attribute__((noreturn)) void
usage_error(void)
{
	fprintf(stderr, "usage: floss-responder [-sv] [-c file] command [args]"
	    " (see floss-responder --help)\n");
	exit(EX_USAGE);
}

static __attribute__((noreturn)) void
usage(void)
{
	printf("usage: floss-responder [-sv] [-c file] command [args]\n"
	    "       floss-responder --help | --version\n\n"
	    "Answers the questions that reach the free software mission's"
	    " inbox with the\nmatching FAQ, files what a person must answer,"
	    " and leaves machine mail alone.\n\n"
	    "options:\n"
	    "  -c, --config FILE  configuration (default %s)\n"
	    "  -s, --syslog       log to syslog (the mail facility), not"
	    " stderr\n"
	    "  -v, --verbose      log more (twice: debug)\n"
	    "  -h, --help         this help; 'help config' lists the"
	    " configuration keys\n"
	    "  -V, --version      the version and the libraries'\n\n"
	    "commands:\n", DEFAULT_CONFIG);
	commands_describe(stdout, 0);
	printf("\nan operator's day with the review queue:\n"
	    "  floss-responder queue list        what waits for a person, and"
	    " why\n"
	    "  floss-responder queue show 12     the question and the"
	    " suggested reply\n"
	    "  floss-responder queue send 12     send the suggestion as it"
	    " is\n"
	    "  floss-responder queue send 13 --topic sill-reference --lang"
	    " en\n"
	    "                                    send the reply for the topic"
	    " chosen\n"
	    "  floss-responder queue edit 14     write the reply in $EDITOR,"
	    " then send it\n"
	    "  floss-responder queue dismiss 15  no reply: recorded as such\n"
	    "  floss-responder stats --week      how much was answered"
	    " alone\n");
	printf("\nexit status: 0 done, %d usage, %d bad input, %d bad"
	    " configuration,\n%d temporary failure (try again)\n", EX_USAGE,
	    EX_DATAERR, EX_CONFIG, EX_TEMPFAIL);
	exit(0);
}

/* The rules' topics: the ids that --topic, approval.topics and the
 * replies' files name, with their action and the title of their reply. */
static void
topics_describe(FILE *f, const char *config)
{
	struct core		*core;
	const struct reply_doc	*d;
	const struct topic	*t;
	size_t			 i;

	core = cmd_load_core(config);
	for (i = 0; i < core->rules->ntopics; i++) {
		t = &core->rules->topics[i];
		if (t->signal)
			continue;
		d = replies_get(core->replies, (int)i, LANG_FR);
		fprintf(f, "%-24s %-7s %s\n", t->id, action_name(t->action),
		    d != NULL ? d->title : "(a person answers)");
	}
	core_free(core);
}

/* Whether what was written to stdout reached it: 0, or EX_IOERR said. */
static int
stdout_status(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "floss-responder: standard output: %s\n",
		    strerror(errno));
		return (EX_IOERR);
	}
	return (0);
}

/* help [commands | config | topics | screening | completion] [--roff] */
static int
help(const char *config, int argc, char **argv)
{
	int	roff = argc == 3 && strcmp(argv[2], "--roff") == 0;

	if (argc == 1)
		usage();
	if (argc == 2 || roff) {
		if (strcmp(argv[1], "commands") == 0) {
			commands_describe(stdout, roff);
			return (stdout_status());
		}
		if (strcmp(argv[1], "config") == 0) {
			if (roff)
				config_describe_roff(stdout);
			else
				config_describe(stdout);
			return (stdout_status());
		}
		if (strcmp(argv[1], "topics") == 0 && !roff) {
			topics_describe(stdout, config);
			return (stdout_status());
		}
		if (strcmp(argv[1], "completion") == 0 && !roff) {
			completion_write(stdout, cmd_table, longopts);
			return (stdout_status());
		}
		if (strcmp(argv[1], "screening") == 0 && !roff) {
			screen_describe(stdout);
			return (stdout_status());
		}
	}
	fprintf(stderr, "floss-responder: help: no such subject\n");
	usage_error();
}

static void
version(void)
{
	printf("floss-responder %s\nlibetpan %d.%d, libyaml %s, cmark %s\n",
	    PACKAGE_VERSION, libetpan_get_version_major(),
	    libetpan_get_version_minor(), yaml_get_version_string(),
	    cmark_version_string());
}

struct core *
cmd_load_core(const char *path)
{
	return (cmd_load_core_flags(path, 0));
}

struct core *
cmd_load_core_flags(const char *path, int flags)
{
	struct errors	 e = { NULL, 0 };
	struct core	*core;
	size_t		 i;

	if ((core = core_load_flags(path, flags, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		if (e.n == 0)
			fprintf(stderr, "%s: cannot load\n", path);
		errors_free(&e);
		exit(EX_CONFIG);
	}
	return (core);
}

/* libetpan draws MIME boundaries from random(): seed it. */
static void
seed_random(void)
{
	unsigned int	seed;

	if (getrandom(&seed, sizeof seed, 0) != sizeof seed)
		seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
	srandom(seed);
}

int
main(int argc, char **argv)
{
	const struct cmd_entry	**c;
	const char		 *config = DEFAULT_CONFIG, *env;
	int			  ch, verbose = 0, tosyslog = 0, status;

	/* The journal, its lock and the edited replies hold personal data:
	 * nothing the program creates is for other users. */
	umask(077);
	signal(SIGPIPE, SIG_IGN);
	seed_random();
	if ((env = getenv("FLOSS_RESPONDER_CONFIG")) != NULL && *env != '\0')
		config = env;
	while ((ch = getopt_long(argc, argv, "+c:hsVv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			config = optarg;
			break;
		case 'h':
			usage();
		case 's':
			tosyslog = 1;
			break;
		case 'V':
			version();
			return (0);
		case 'v':
			verbose++;
			break;
		default:
			usage_error();
		}
	}
	argc -= optind;
	argv += optind;
	log_init(!tosyslog, LOG_MAIL);
	log_setverbose(verbose);
	if (argc == 0)
		usage_error();
	if (strcmp(argv[0], "help") == 0)
		return (help(config, argc, argv));
	for (c = cmd_table; *c != NULL; c++) {
		if ((*c)->exec != NULL && strcmp((*c)->name, argv[0]) == 0) {
			optind = 0;	/* glibc: start afresh, options anywhere */
			status = (*c)->exec(config, argc, argv);
			secrets_clear();
			return (status);
		}
	}
	fprintf(stderr, "floss-responder: unknown command '%s'\n", argv[0]);
	usage_error();
}

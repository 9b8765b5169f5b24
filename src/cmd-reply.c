/*
 * "reply [--suggest] [--markdown] FILE": prints the complete reply message
 * that would be sent, or says why there is none.  --suggest prints the
 * reply a person would be offered for a message filed for review, as a
 * person sends it; --markdown prints its Markdown (with --suggest, what
 * "queue edit" gives an operator).
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "floss-responder.h"
#include "cmd.h"

static int
cmd_reply_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "suggest", no_argument, NULL, 's' },
		{ "markdown", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct core	*core;
	struct message	*msg = NULL;
	struct decision	 d;
	struct compose_opts co;
	struct buf	 out;
	char		*raw, *cause = NULL, *md;
	size_t		 len, i;
	int		 ch, suggest = 0, markdown = 0, status = 0;

	while ((ch = getopt_long(argc, argv, "sm", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			suggest = 1;
			break;
		case 'm':
			markdown = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: floss-responder reply [--suggest]"
		    " [--markdown] FILE\n");
		return (EX_USAGE);
	}
	/* A suggestion is for a person to send: no notice that it is
	 * automatic, no Auto-Submitted. */
	memset(&co, 0, sizeof co);
	co.draft = suggest;
	core = cmd_load_core(config);
	if ((raw = read_message(argv[optind], &len, &cause)) == NULL) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		core_free(core);
		return (EX_NOINPUT);
	}
	decision_init(&d);
	d.detail = 1;
	decide_raw(core, raw, len, &msg, &d);
	buf_init(&out);
	if (msg == NULL || d.action == ACT_IGNORE ||
	    (d.action == ACT_REVIEW && !suggest)) {
		printf("no reply: %s\n", action_name(d.action));
		for (i = 0; i < d.nreasons; i++)
			printf("    %s\n", d.reasons[i]);
		status = 1;
	} else if (markdown) {
		md = reply_markdown(core, msg, &d, &co);
		fputs(md, stdout);
		free(md);
	} else if (compose_reply(core, msg, &d, &co, &out, &cause) != 0) {
		printf("no reply: %s\n", cause);
		free(cause);
		status = 1;
	} else
		fwrite(out.data, 1, out.len, stdout);
	buf_free(&out);
	decision_clear(&d);
	message_free(msg);
	free(raw);
	core_free(core);
	if (fflush(stdout) != 0)
		return (EX_IOERR);
	return (status);
}

const struct cmd_entry cmd_reply_entry = {
	"reply", "[--suggest] [--markdown] FILE",
	"print the reply that would be sent (exit 1 and why, if none)",
	cmd_reply_exec
};

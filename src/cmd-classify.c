/*
 * "classify [--json] FILE...": one decision per message, the same that the
 * daemon would take.  The JSON form, one object per line, is what the
 * evaluation reads.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "floss-responder.h"
#include "cmd.h"

static int
cmd_classify_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "text", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct core	*core;
	struct message	*msg;
	struct decision	 d;
	struct buf	 out;
	char		*raw, *cause = NULL, *topics;
	size_t		 len, i;
	int		 ch, json = 0, text = 0, status = 0;

	while ((ch = getopt_long(argc, argv, "jt", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		case 't':
			text = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: floss-responder classify [--json]"
		    " FILE...\n");
		return (EX_USAGE);
	}
	core = cmd_load_core(config);
	buf_init(&out);
	for (; optind < argc; optind++) {
		if ((raw = read_message(argv[optind], &len, &cause)) == NULL) {
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			status = EX_NOINPUT;
			continue;
		}
		decision_init(&d);
		d.detail = 1;
		d.explain = json;
		msg = NULL;
		decide_raw(core, raw, len, &msg, &d);
		buf_reset(&out);
		if (json)
			json_decision(&out, core, argv[optind], &d);
		else {
			topics = decision_topics(core, &d);
			buf_printf(&out, "%s: %s%s%s [%s]\n", argv[optind],
			    action_name(d.action), *topics != '\0' ? " " : "",
			    topics, lang_name(d.lang));
			free(topics);
			for (i = 0; i < d.nreasons; i++)
				buf_printf(&out, "    %s\n", d.reasons[i]);
		}
		if (text && msg != NULL) {
			buf_printf(&out, "  subject: %s\n  own words:\n%s\n",
			    msg->subject, msg->own);
			if (msg->fwdlen != 0)
				buf_printf(&out, "  forwarded:\n%s\n", msg->fwd);
		}
		fwrite(out.data, 1, out.len, stdout);
		decision_clear(&d);
		message_free(msg);
		free(raw);
	}
	buf_free(&out);
	core_free(core);
	if (fflush(stdout) != 0)
		return (EX_IOERR);
	return (status);
}

const struct cmd_entry cmd_classify_entry = {
	"classify", "[--json] [--text] FILE...",
	"decide each message: reply, review or ignore, with topics and"
	" reasons",
	cmd_classify_exec
};

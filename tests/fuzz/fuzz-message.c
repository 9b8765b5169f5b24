/*
 * A raw message the whole way: read, screened, decided (decide_raw()),
 * then the reply composed -- the automatic one for a reply, the suggestion
 * offered to a person for a reply or a review -- with a fixed date and
 * Message-ID.  Every reply composed must be mail an SMTP server takes and
 * nothing of the message can bend: one To, only the header fields the
 * responder writes, CRLF line ends only, lines of 998 octets at most, no
 * NUL byte.  The configuration, rules, replies and entities are the
 * shipped ones (conf/floss-responder.yaml), loaded once.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"
#include "fuzz.h"

const char	fuzz_name[] = "message";

static struct core	*core;

/* The header fields compose.c writes, and libetpan for the MIME body. */
static const char *known[] = { "From", "To", "Subject", "Date",
    "Message-ID", "In-Reply-To", "References", "Auto-Submitted",
    "X-Auto-Response-Suppress", "Content-Language", "MIME-Version",
    "Content-Type", NULL };

static void
fuzz_message_done(void)
{
	core_free(core);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct errors	 e = { NULL, 0 };
	const char	*s;
	char		*path;
	size_t		 i;

	if ((s = getenv("FLOSS_FUZZ_CONFIG")) != NULL && *s != '\0')
		path = xstrdup(s);
	else
		path = xasprintf("%s/conf/floss-responder.yaml",
		    fuzz_srcdir());
	if ((core = core_load(path, &e)) == NULL) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		exit(1);
	}
	free(path);
	atexit(fuzz_message_done);
	return (0);
}

/* The reply, with what was wrong in it, on stderr; then abort. */
static void __attribute__((noreturn))
bad_reply(const struct buf *out, const char *what, size_t at)
{
	fprintf(stderr, "--- the reply (%zu bytes)\n", out->len);
	fwrite(out->data, 1, out->len, stderr);
	fprintf(stderr, "\n---\n");
	fuzz_fail("%s, at byte %zu of the reply", what, at);
}

static void
check_reply(const struct buf *out)
{
	const char	*p = out->data, *end = out->data + out->len, *eol, *c;
	size_t		 n, i, to = 0;
	int		 header = 1;

	if (out->len == 0)
		bad_reply(out, "an empty reply", 0);
	if (memchr(p, '\0', out->len) != NULL)
		bad_reply(out, "a NUL byte", (size_t)((const char *)memchr(p,
		    '\0', out->len) - out->data));
	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			bad_reply(out, "a last line without CRLF",
			    (size_t)(p - out->data));
		if (eol == p || eol[-1] != '\r')
			bad_reply(out, "a bare LF", (size_t)(eol - out->data));
		n = (size_t)(eol - 1 - p);
		if (memchr(p, '\r', n) != NULL)
			bad_reply(out, "a bare CR", (size_t)(p - out->data));
		if (n > 998)
			bad_reply(out, "a line over 998 octets",
			    (size_t)(p - out->data));
		if (header && n == 0)
			header = 0;
		else if (header && (*p == ' ' || *p == '\t')) {
			if (p == out->data)
				bad_reply(out, "a continuation first", 0);
		} else if (header) {
			if ((c = memchr(p, ':', n)) == NULL)
				bad_reply(out, "a header line without a name",
				    (size_t)(p - out->data));
			for (i = 0; known[i] != NULL; i++)
				if (strlen(known[i]) == (size_t)(c - p) &&
				    strncasecmp(known[i], p, (size_t)(c - p)) ==
				    0)
					break;
			if (known[i] == NULL)
				bad_reply(out, "a header field the responder"
				    " does not write", (size_t)(p - out->data));
			if (c - p == 2 && strncasecmp(p, "To", 2) == 0)
				to++;
		}
		p = eol + 1;
	}
	if (header)
		bad_reply(out, "no body", out->len);
	if (to != 1)
		bad_reply(out, "not exactly one To", 0);
}

static void
compose(const struct message *msg, const struct decision *d, int draft)
{
	struct compose_opts	 co;
	struct buf		 out;
	char			*cause = NULL;

	memset(&co, 0, sizeof co);
	co.now = 1767225600;	/* 2026-01-01 */
	co.message_id = "<floss-responder.fuzz@numerique.gouv.fr>";
	co.draft = draft;
	buf_init(&out);
	if (compose_reply(core, msg, d, &co, &out, &cause) == 0)
		check_reply(&out);
	else if (cause == NULL || *cause == '\0')
		fuzz_fail("no reply and no reason");
	free(cause);
	buf_free(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message	*msg = NULL;
	struct decision	 d;

	decision_init(&d);
	decide_raw(core, (const char *)data, size, &msg, &d);
	if (msg != NULL && d.action == ACT_REPLY)
		compose(msg, &d, 0);
	if (msg != NULL && d.action != ACT_IGNORE)
		compose(msg, &d, 1);
	decision_clear(&d);
	message_free(msg);
	return (0);
}

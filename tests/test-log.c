/* The log, one line a call: what a server's answer brings (CRLF, lines
 * of its own) folded, so that no empty line reaches stderr or syslog. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*in;
	const char	*out;
} cases[] = {
	{ "plain", "floss-responder: plain\n" },
	{ "550 5.1.1 no such user\r\n",
	  "floss-responder: 550 5.1.1 no such user\n" },
	{ "250-first\r\n250 second\r\n",
	  "floss-responder: 250-first 250 second\n" },
	{ "NO [ALERT] down\n\n\r\n", "floss-responder: NO [ALERT] down\n" },
	{ "a \r\nb", "floss-responder: a b\n" },
	{ "\r\n", "floss-responder: \n" },
	{ "tab\tkept", "floss-responder: tab\tkept\n" },
};

/* What log_warnx(fmt, s) writes to stderr. */
static char *
logged(const char *s)
{
	FILE	*f;
	char	*out;
	long	 n;
	int	 saved;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	f = tmpfile();
	dup2(fileno(f), STDERR_FILENO);
	log_warnx("%s", s);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	n = lseek(fileno(f), 0, SEEK_END);
	out = xcalloc(1, (size_t)n + 1);
	if (pread(fileno(f), out, (size_t)n, 0) != n)
		out[0] = '\0';
	fclose(f);
	return (out);
}

int
main(void)
{
	char	*out;
	size_t	 i;

	log_init(1, LOG_MAIL);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		out = logged(cases[i].in);
		STR_EQ(out, cases[i].out, "one line for case %zu", i);
		free(out);
	}
	return (tap_done());
}

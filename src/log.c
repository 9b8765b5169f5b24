/*
 * Logging: to stderr in the foreground, to syslog as a daemon.  log_warn()
 * appends strerror(errno); fatal() and fatalx() log and exit.  Nothing that
 * reaches these functions may carry a password.  A call is one line: the
 * line ends a server's answer brings (CRLF, or several lines of it) are
 * folded into spaces, the trailing ones dropped, so that no empty line
 * and no line without the program's name reaches the log.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sysexits.h>

#include "floss-responder.h"

static int	log_foreground = 1;
static int	log_verbose;

void
log_init(int foreground, int facility)
{
	log_foreground = foreground;
	if (!foreground)
		openlog("floss-responder", LOG_PID | LOG_NDELAY, facility);
	tzset();
}

void
log_setverbose(int v)
{
	log_verbose = v;
}

int
log_getverbose(void)
{
	return (log_verbose);
}

int
log_getforeground(void)
{
	return (log_foreground);
}

/* s made one line, in place: each run of CR and LF a space, none at the
 * end (nor the spaces before them). */
static void
log_oneline(char *s)
{
	char	*in, *out;

	for (in = out = s; *in != '\0'; in++) {
		if (*in != '\r' && *in != '\n') {
			*out++ = *in;
			continue;
		}
		if (out > s && out[-1] != ' ')
			*out++ = ' ';
	}
	while (out > s && (out[-1] == ' ' || out[-1] == '\t'))
		out--;
	*out = '\0';
}

static void
log_line(int pri, char *s)
{
	log_oneline(s);
	if (log_foreground) {
		fprintf(stderr, "floss-responder: %s\n", s);
		fflush(stderr);
	} else
		syslog(pri, "%s", s);
}

static void __attribute__((format(printf, 2, 0)))
vlog(int pri, const char *fmt, va_list ap)
{
	char	*s;

	s = xvasprintf(fmt, ap);
	log_line(pri, s);
	free(s);
}

static void __attribute__((format(printf, 2, 0)))
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char	*s, *t;
	int	 saved = errno;

	s = xvasprintf(fmt, ap);
	t = xasprintf("%s: %s", s, strerror(saved));
	log_line(pri, t);
	free(t);
	free(s);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 1)
		return;
	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose < 2)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog_errno(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(EX_SOFTWARE);
}

void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(EX_SOFTWARE);
}

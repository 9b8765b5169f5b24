/*
 * Logging: to stderr in the foreground, to syslog as a daemon.  log_warn()
 * appends strerror(errno); fatal() and fatalx() log and exit.  Nothing that
 * reaches these functions may carry a password.
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

static void __attribute__((format(printf, 2, 0)))
vlog(int pri, const char *fmt, va_list ap)
{
	if (log_foreground) {
		fputs("floss-responder: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		fflush(stderr);
	} else
		vsyslog(pri, fmt, ap);
}

static void __attribute__((format(printf, 2, 0)))
vlog_errno(int pri, const char *fmt, va_list ap)
{
	char	*s;
	int	 saved = errno;

	s = xvasprintf(fmt, ap);
	if (log_foreground)
		fprintf(stderr, "floss-responder: %s: %s\n", s,
		    strerror(saved));
	else
		syslog(pri, "%s: %s", s, strerror(saved));
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

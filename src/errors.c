/*
 * Error lists: a check collects every problem of a run, each as
 * "file:line:column: problem" (1-based), before it reports them.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <sysexits.h>

#include "floss-responder.h"

void
errors_add(struct errors *e, const char *file, size_t line, size_t col,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	e->v = xreallocarray(e->v, e->n + 1, sizeof *e->v);
	if (line != 0)
		e->v[e->n++] = xasprintf("%s:%zu:%zu: %s", file, line, col,
		    msg);
	else
		e->v[e->n++] = xasprintf("%s: %s", file, msg);
	free(msg);
}

/* Takes back the last error added; with none left, e is as new. */
void
errors_drop_last(struct errors *e)
{
	if (e->n == 0)
		return;
	free(e->v[--e->n]);
	if (e->n == 0) {
		free(e->v);
		e->v = NULL;
	}
}

void
errors_free(struct errors *e)
{
	size_t	i;

	for (i = 0; i < e->n; i++)
		free(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

const char *failkind_names[] = { "temporary", "authentication",
    "configuration" };

int
failkind_exit(enum failkind k)
{
	switch (k) {
	case FAIL_AUTH:
		return (EX_NOPERM);
	case FAIL_CONFIG:
		return (EX_CONFIG);
	default:
		return (EX_TEMPFAIL);
	}
}

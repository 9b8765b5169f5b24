/*
 * A small TAP harness for the unit tests: each check prints "ok N" or
 * "not ok N" with what was expected and what came, and tap_done() prints
 * the plan and returns the exit status.
 */

#ifndef TAP_H
#define TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	tap_n;
static int	tap_failed;

static void __attribute__((format(printf, 4, 5)))
tap_ok(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	tap_n++;
	printf("%sok %d - ", ok ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!ok) {
		tap_failed++;
		printf("#   at %s:%d\n", file, line);
	}
}

/* Prints a string with its control characters visible. */
static __attribute__((unused)) void
tap_show(const char *what, const char *s)
{
	printf("#   %s: ", what);
	if (s == NULL) {
		printf("(null)\n");
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '\n')
			printf("\\n");
		else if (*s == '\r')
			printf("\\r");
		else if ((unsigned char)*s < 0x20)
			printf("\\x%02x", (unsigned char)*s);
		else
			putchar(*s);
	}
	printf("\"\n");
}

#define OK(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define STR_EQ(got, want, ...) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int ok_ = g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0;	\
	tap_ok(ok_, __FILE__, __LINE__, __VA_ARGS__);			\
	if (!ok_) {							\
		tap_show("got", g_);					\
		tap_show("want", w_);					\
	}								\
} while (0)

#define HAS(hay, needle, ...) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	int ok_ = h_ != NULL && strstr(h_, n_) != NULL;			\
	tap_ok(ok_, __FILE__, __LINE__, __VA_ARGS__);			\
	if (!ok_) {							\
		tap_show("in", h_);					\
		tap_show("missing", n_);				\
	}								\
} while (0)

#define HASNT(hay, needle, ...) do {					\
	const char *h_ = (hay), *n_ = (needle);				\
	int ok_ = h_ != NULL && strstr(h_, n_) == NULL;			\
	tap_ok(ok_, __FILE__, __LINE__, __VA_ARGS__);			\
	if (!ok_) {							\
		tap_show("in", h_);					\
		tap_show("unwanted", n_);				\
	}								\
} while (0)

#define INT_EQ(got, want, ...) do {					\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	tap_ok(g_ == w_, __FILE__, __LINE__, __VA_ARGS__);		\
	if (g_ != w_)							\
		printf("#   got %lld, want %lld\n", g_, w_);		\
} while (0)

static __attribute__((unused)) int
tap_done(void)
{
	printf("1..%d\n", tap_n);
	return (tap_failed == 0 ? 0 : 1);
}

/* The directory of the sources, for data files (make distcheck builds
 * elsewhere). */
static __attribute__((unused)) const char *
srcdir(void)
{
	const char	*s = getenv("top_srcdir");

	return (s != NULL && *s != '\0' ? s : ".");
}

#ifdef FLOSS_RESPONDER_H
/* Loads a configuration of the source tree (relative path), or prints its
 * errors as TAP comments and fails a check. */
static __attribute__((unused)) struct core *
tap_core(const char *relpath)
{
	struct errors	 e = { NULL, 0 };
	struct core	*core;
	char		*path;
	size_t		 i;

	path = xasprintf("%s/%s", srcdir(), relpath);
	core = core_load(path, &e);
	free(path);
	if (core == NULL) {
		for (i = 0; i < e.n; i++)
			printf("# %s\n", e.v[i]);
		tap_ok(0, __FILE__, __LINE__, "%s loads", relpath);
	}
	errors_free(&e);
	return (core);
}
#endif

#endif

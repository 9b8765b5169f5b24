/*
 * The fuzz targets of floss-responder.  Each target file defines the
 * libFuzzer entry points and its name; the same file is linked either with
 * libFuzzer (./configure --enable-fuzzing: tests/fuzz/fuzz-NAME) or with
 * replay.c (every build: tests/fuzz/replay-NAME, which feeds the target its
 * seeds and the inputs that once made it fail, as a TAP test).
 *
 * A target aborts on anything wrong: libFuzzer then keeps the input.
 */

#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The source tree, for the shipped configuration and the seeds; the
 * environment variable FLOSS_FUZZ_SRCDIR, when set, overrides it. */
#ifndef FUZZ_SRCDIR
#define FUZZ_SRCDIR "."
#endif

int	 LLVMFuzzerInitialize(int *, char ***);
int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The target's name: its seeds are in tests/fuzz/seeds/NAME, its
 * regressions in tests/fuzz/regressions/NAME. */
extern const char	 fuzz_name[];

/* fuzz-file.c */
/* The source tree (FLOSS_FUZZ_SRCDIR or FUZZ_SRCDIR). */
const char	*fuzz_srcdir(void);
/* Writes the input to a file of a private temporary directory, removed at
 * exit, and returns its path (the same each time). */
const char	*fuzz_file(const uint8_t *, size_t, const char *name);
/* Says what is wrong, on stderr, and aborts. */
__attribute__((noreturn, format(printf, 1, 2)))
void		 fuzz_fail(const char *, ...);
/* A loader's errors: with no result there must be one at least, and each
 * must name the file loaded. */
struct errors;
void		 fuzz_check_errors(const void *result, const struct errors *,
		     const char *path);

#endif

/*
 * A fuzz target without libFuzzer: feeds it files, one call each, as a TAP
 * test.  Without arguments, the target's seeds and regressions of the
 * source tree (tests/fuzz/seeds/NAME, tests/fuzz/regressions/NAME); with
 * arguments, those files, or the files of those directories.  Each input
 * is copied to a buffer of its exact size, as libFuzzer does, so that a
 * sanitizer or valgrind sees a read past its end.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"
#include "fuzz.h"

static int	n;

static void
replay_file(const char *path)
{
	FILE	*f;
	char	*data;
	long	 len;

	if ((f = fopen(path, "rb")) == NULL || fseek(f, 0, SEEK_END) != 0 ||
	    (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		printf("not ok %d - %s: %s\n", ++n, path, strerror(errno));
		exit(1);
	}
	data = xmalloc(len > 0 ? (size_t)len : 1);
	if (fread(data, 1, (size_t)len, f) != (size_t)len) {
		printf("not ok %d - %s: short read\n", ++n, path);
		exit(1);
	}
	fclose(f);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)data, (size_t)len);
	free(data);
	/* Inputs of the source tree are named from it. */
	if (strncmp(path, fuzz_srcdir(), strlen(fuzz_srcdir())) == 0 &&
	    path[strlen(fuzz_srcdir())] == '/')
		path += strlen(fuzz_srcdir()) + 1;
	printf("ok %d - %s\n", ++n, path);
}

static void
replay(const char *path, int must)
{
	struct dirent	**ents;
	struct stat	  sb;
	char		 *sub;
	int		  i, nents;

	if (stat(path, &sb) != 0) {
		if (!must && errno == ENOENT)
			return;
		printf("not ok %d - %s: %s\n", ++n, path, strerror(errno));
		exit(1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		replay_file(path);
		return;
	}
	if ((nents = scandir(path, &ents, NULL, alphasort)) == -1) {
		printf("not ok %d - %s: %s\n", ++n, path, strerror(errno));
		exit(1);
	}
	for (i = 0; i < nents; i++) {
		if (ents[i]->d_name[0] != '.') {
			sub = xasprintf("%s/%s", path, ents[i]->d_name);
			replay(sub, 1);
			free(sub);
		}
		free(ents[i]);
	}
	free(ents);
}

int
main(int argc, char **argv)
{
	char	*path;
	int	 i;

	LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (i = 1; i < argc; i++)
			replay(argv[i], 1);
	} else {
		path = xasprintf("%s/tests/fuzz/seeds/%s", fuzz_srcdir(),
		    fuzz_name);
		replay(path, 1);
		free(path);
		path = xasprintf("%s/tests/fuzz/regressions/%s",
		    fuzz_srcdir(), fuzz_name);
		replay(path, 0);
		free(path);
	}
	printf("1..%d\n", n);
	return (0);
}

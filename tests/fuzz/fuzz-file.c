/*
 * What the fuzz targets share: the source tree, a private file for the
 * loaders (which read files), and failing loudly.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floss-responder.h"
#include "fuzz.h"

static char	*fuzz_dir;
static char	*fuzz_path;

const char *
fuzz_srcdir(void)
{
	const char	*s;

	if ((s = getenv("FLOSS_FUZZ_SRCDIR")) != NULL && *s != '\0')
		return (s);
	return (FUZZ_SRCDIR);
}

void
fuzz_fail(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "fuzz-%s: ", fuzz_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void
fuzz_cleanup(void)
{
	if (fuzz_path != NULL)
		unlink(fuzz_path);
	if (fuzz_dir != NULL)
		rmdir(fuzz_dir);
	free(fuzz_path);
	free(fuzz_dir);
	fuzz_path = fuzz_dir = NULL;
}

const char *
fuzz_file(const uint8_t *data, size_t size, const char *name)
{
	const char	*tmp;
	size_t		 off;
	ssize_t		 n;
	int		 fd;

	if (fuzz_dir == NULL) {
		if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
			tmp = "/tmp";
		fuzz_dir = xasprintf("%s/floss-fuzz.XXXXXX", tmp);
		if (mkdtemp(fuzz_dir) == NULL)
			fuzz_fail("mkdtemp %s: %s", fuzz_dir, strerror(errno));
		fuzz_path = xasprintf("%s/%s", fuzz_dir, name);
		atexit(fuzz_cleanup);
	}
	fd = open(fuzz_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1)
		fuzz_fail("%s: %s", fuzz_path, strerror(errno));
	for (off = 0; off < size; off += (size_t)n)
		if ((n = write(fd, data + off, size - off)) <= 0)
			fuzz_fail("%s: %s", fuzz_path, strerror(errno));
	close(fd);
	return (fuzz_path);
}

void
fuzz_check_errors(const void *result, const struct errors *e,
    const char *path)
{
	size_t	i, n = strlen(path);

	if (result == NULL && e->n == 0)
		fuzz_fail("nothing loaded and no error said");
	if (result != NULL && e->n != 0)
		fuzz_fail("loaded despite %zu errors: %s", e->n, e->v[0]);
	for (i = 0; i < e->n; i++)
		if (strncmp(e->v[i], path, n) != 0 || e->v[i][n] != ':')
			fuzz_fail("an error without its file: %s", e->v[i]);
}

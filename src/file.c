/*
 * Reading a message file (or standard input) whole, for the commands and
 * the tests; the directory of a path.
 */

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floss-responder.h"

char *
read_message(const char *path, size_t *len, char **cause)
{
	FILE	*f;
	char	*data = NULL;
	size_t	 size = 0, n;

	*len = 0;
	if (strcmp(path, "-") == 0)
		f = stdin;
	else if ((f = fopen(path, "rb")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return (NULL);
	}
	/* Grown when full, and cut to size at the end: a batch of messages
	 * held at once costs what they weigh. */
	for (;;) {
		if (size - *len < 2) {
			size = size == 0 ? 16384 : size * 2;
			data = xreallocarray(data, 1, size);
		}
		n = fread(data + *len, 1, size - *len - 1, f);
		*len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		*cause = xasprintf("%s: read error", path);
		free(data);
		if (f != stdin)
			fclose(f);
		return (NULL);
	}
	if (f != stdin)
		fclose(f);
	data = xreallocarray(data, 1, *len + 1);
	data[*len] = '\0';
	return (data);
}


int
write_all(int fd, const char *data, size_t len)
{
	ssize_t	n;
	size_t	off = 0;

	while (off < len) {
		if ((n = write(fd, data + off, len - off)) == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		off += (size_t)n;
	}
	return (0);
}

char *
path_dir(const char *path)
{
	char	*copy, *dir;

	copy = xstrdup(path);
	dir = xstrdup(dirname(copy));
	free(copy);
	return (dir);
}

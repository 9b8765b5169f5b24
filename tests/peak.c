/*
 * peak FILE command [arg...]: runs the command and writes to FILE the peak
 * resident set size of the child, in kilobytes (getrusage's ru_maxrss);
 * exits with the command's status.  For tests/memory.sh.
 */

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage	 ru;
	pid_t		 pid;
	int		 status;
	FILE		*f;

	if (argc < 3) {
		fprintf(stderr, "usage: peak FILE command [arg...]\n");
		return (64);
	}
	switch (pid = fork()) {
	case -1:
		perror("peak: fork");
		return (71);
	case 0:
		execvp(argv[2], argv + 2);
		fprintf(stderr, "peak: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR) {
			perror("peak: wait4");
			return (71);
		}
	if ((f = fopen(argv[1], "w")) == NULL ||
	    fprintf(f, "%ld\n", ru.ru_maxrss) < 0 || fclose(f) != 0) {
		perror(argv[1]);
		return (73);
	}
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
	    WTERMSIG(status));
}

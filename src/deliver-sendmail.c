/*
 * Delivery through sendmail(8): the program of delivery.path, run without
 * a shell as "sendmail -i -f SENDER -- RECIPIENT", the reply on its
 * standard input.  Its exit status says the outcome: 0 accepted,
 * EX_TEMPFAIL try again later, anything else refused.
 */

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "floss-responder.h"

static int
sendmail_begin(struct delivery *dv, char **cause)
{
	if (access(dv->conf->delivery_path, X_OK) != 0) {
		*cause = xasprintf("%s: %s", dv->conf->delivery_path,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

static enum dstatus
sendmail_send(struct delivery *dv, const char *from, const char *rcpt,
    const char *data, size_t len, char **cause)
{
	const char	*prog = dv->conf->delivery_path;
	int		 fds[2], status, written;
	pid_t		 pid;

	/* Whether sendmail would relay it with SMTPUTF8 cannot be told. */
	if (str_8bit(from) || str_8bit(rcpt)) {
		*cause = xasprintf("%s is not ASCII: it needs SMTPUTF8, which"
		    " floss-responder does not ask for", str_8bit(rcpt) ? rcpt :
		    from);
		return (DLV_PERM);
	}
	if (pipe(fds) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return (DLV_TEMP);
	}
	switch (pid = fork()) {
	case -1:
		*cause = xasprintf("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (DLV_TEMP);
	case 0:
		if (dup2(fds[0], STDIN_FILENO) == -1)
			_exit(EX_OSERR);
		close(fds[0]);
		close(fds[1]);
		execl(prog, prog, "-i", "-f", *from != '\0' ? from : "<>", "--",
		    rcpt, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	written = write_all(fds[1], data, len) == 0;
	close(fds[1]);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			*cause = xasprintf("waitpid: %s", strerror(errno));
			return (DLV_UNKNOWN);
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && written)
		return (DLV_OK);
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 127 ||
	    WEXITSTATUS(status) == EX_TEMPFAIL || !written)) {
		*cause = xasprintf("%s exited with %d: try again later", prog,
		    WEXITSTATUS(status));
		return (DLV_TEMP);
	}
	if (WIFEXITED(status)) {
		*cause = xasprintf("%s refused the reply (exit %d)", prog,
		    WEXITSTATUS(status));
		return (DLV_PERM);
	}
	*cause = xasprintf("%s was killed by signal %d", prog,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return (DLV_UNKNOWN);
}

static void
sendmail_end(struct delivery *dv)
{
}

static const char *
sendmail_desc(struct delivery *dv)
{
	return (dv->conf->delivery_path);
}

const struct delivery_ops deliver_sendmail = {
	"sendmail", sendmail_begin, sendmail_send, sendmail_end, sendmail_desc
};

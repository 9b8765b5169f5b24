/*
 * Delivery to an outbox Maildir: each reply written to tmp/, synced, then
 * renamed into new/, where another program (or a person) takes it.  For
 * the demo and for installs that hand mail on by other means.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "floss-responder.h"

struct outbox {
	unsigned int	 seq;
	char		*desc;
};

static int
mkdirs(const char *base, char **cause)
{
	static const char	*subs[] = { "", "/tmp", "/new", "/cur" };
	char			*d;
	size_t			 i;

	for (i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		d = xasprintf("%s%s", base, subs[i]);
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			*cause = xasprintf("%s: %s", d, strerror(errno));
			free(d);
			return (-1);
		}
		free(d);
	}
	return (0);
}

static int
outbox_begin(struct delivery *dv, char **cause)
{
	struct outbox	*ob;

	if (mkdirs(dv->conf->delivery_path, cause) != 0)
		return (-1);
	ob = xcalloc(1, sizeof *ob);
	ob->desc = xasprintf("outbox %s", dv->conf->delivery_path);
	dv->data = ob;
	return (0);
}

static enum dstatus
outbox_send(struct delivery *dv, const char *from, const char *rcpt,
    const char *data, size_t len, char **cause)
{
	struct outbox	*ob = dv->data;
	char		 host[256], *name, *tmp, *dst;
	int		 fd;

	/* What relays the outbox may not carry it (SMTPUTF8). */
	if (str_8bit(from) || str_8bit(rcpt)) {
		*cause = xasprintf("%s is not ASCII: it needs SMTPUTF8, which"
		    " floss-responder does not ask for", str_8bit(rcpt) ? rcpt :
		    from);
		return (DLV_PERM);
	}
	if (gethostname(host, sizeof host) != 0)
		strcpy(host, "localhost");
	host[sizeof host - 1] = '\0';
	name = xasprintf("%lld.P%ldQ%u.%s", (long long)time(NULL),
	    (long)getpid(), ob->seq++, host);
	tmp = xasprintf("%s/tmp/%s", dv->conf->delivery_path, name);
	dst = xasprintf("%s/new/%s", dv->conf->delivery_path, name);
	free(name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		goto bad;
	if (write_all(fd, data, len) != 0) {
		close(fd);
		unlink(tmp);
		goto bad;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, dst) != 0) {
		unlink(tmp);
		goto bad;
	}
	free(tmp);
	free(dst);
	return (DLV_OK);

bad:
	*cause = xasprintf("%s: %s", tmp, strerror(errno));
	free(tmp);
	free(dst);
	return (DLV_TEMP);
}

static void
outbox_end(struct delivery *dv)
{
	struct outbox	*ob = dv->data;

	if (ob != NULL) {
		free(ob->desc);
		free(ob);
	}
	dv->data = NULL;
}

static const char *
outbox_desc(struct delivery *dv)
{
	struct outbox	*ob = dv->data;

	return (ob != NULL ? ob->desc : "outbox");
}

const struct delivery_ops deliver_outbox = {
	"outbox", outbox_begin, outbox_send, outbox_end, outbox_desc
};

/*
 * The mailbox the configuration names: its operations (source-maildir.c,
 * source-imap.c) chosen once.
 */

#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

void
source_init(struct source *src, const struct config *c)
{
	memset(src, 0, sizeof *src);
	src->conf = c;
	src->ops = c->mailbox_type == MAILBOX_IMAP ? &source_imap :
	    &source_maildir;
}

void
source_msg_clear(struct source_msg *m)
{
	free(m->key);
	free(m->data);
	memset(m, 0, sizeof *m);
}

int
nap(int seconds, volatile sig_atomic_t *stop)
{
	int	i;

	for (i = 0; i < seconds * 10; i++) {
		if (stop != NULL && *stop)
			return (0);
		poll(NULL, 0, 100);
	}
	return (stop != NULL && *stop ? 0 : 1);
}

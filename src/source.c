/*
 * The mailbox the configuration names: its operations (source-maildir.c,
 * source-imap.c) chosen once.
 */

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

/*
 * How replies leave, as the configuration says (deliver-outbox.c,
 * deliver-sendmail.c, deliver-smtp.c), and the batch around them: begun
 * on first use, so that no connection is opened when there is nothing to
 * send, and ended once.
 */

#include <string.h>

#include "floss-responder.h"

void
delivery_init(struct delivery *dv, const struct config *c)
{
	memset(dv, 0, sizeof *dv);
	dv->conf = c;
	switch (c->delivery_type) {
	case DELIVERY_OUTBOX:
		dv->ops = &deliver_outbox;
		break;
	case DELIVERY_SENDMAIL:
		dv->ops = &deliver_sendmail;
		break;
	default:
		dv->ops = &deliver_smtp;
		break;
	}
}

int
delivery_begin(struct delivery *dv, char **cause)
{
	if (dv->begun) {
		if (dv->failed)
			*cause = xstrdup("the delivery could not start");
		return (dv->failed ? -1 : 0);
	}
	dv->begun = 1;
	dv->failed = dv->ops->begin(dv, cause) != 0;
	return (dv->failed ? -1 : 0);
}

void
delivery_end(struct delivery *dv)
{
	if (dv->begun)
		dv->ops->end(dv);
	dv->begun = dv->failed = 0;
}

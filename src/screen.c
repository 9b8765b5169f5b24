/*
 * Screening, before classification: mail that a machine sent (RFC 3834,
 * and what Sieve vacation implementations check) is ignored; mail that asks
 * for no automatic answer, carries a spam verdict or comes from a sender
 * that cannot be trusted goes to a person.  Each rule lives in a table
 * entry that can describe itself; the first rule that fires decides.
 */

#include <stdlib.h>

#include <stdio.h>

#include "floss-responder.h"

extern const struct screen_rule screen_auto_submitted, screen_autoreply,
    screen_precedence, screen_list, screen_report, screen_calendar,
    screen_sender, screen_own, screen_vacation, screen_suppress,
    screen_spam, screen_from, screen_untrusted, screen_unreadable,
    screen_address, screen_follow_up, screen_colleague, screen_phishing,
    screen_lure;

/* Ignore rules first: a machine's mail is never a person's question. */
const struct screen_rule *screen_rules[] = {
	&screen_own,
	&screen_auto_submitted,
	&screen_autoreply,
	&screen_precedence,
	&screen_list,
	&screen_report,
	&screen_calendar,
	&screen_sender,
	&screen_vacation,
	&screen_phishing,
	&screen_lure,
	&screen_suppress,
	&screen_spam,
	&screen_from,
	&screen_untrusted,
	&screen_unreadable,
	&screen_address,
	&screen_follow_up,
	&screen_colleague,
	NULL
};

/* What screen_read() was given, while it runs. */
static const struct reading	*reading;

const struct reading *
screen_reading(const struct message *msg)
{
	return (reading != NULL && reading->msg == msg ? reading : NULL);
}

const struct screen_rule *
screen_read(const struct core *core, const struct message *msg,
    const struct reading *rd, char **why)
{
	const struct screen_rule	*rule;

	reading = rd;
	rule = screen(core, msg, why);
	reading = NULL;
	return (rule);
}

const struct screen_rule *
screen(const struct core *core, const struct message *msg, char **why)
{
	const struct screen_rule	**r;

	*why = NULL;
	for (r = screen_rules; *r != NULL; r++) {
		if ((*r)->match(core, msg, why))
			return (*r);
	}
	return (NULL);
}

void
screen_describe(FILE *f)
{
	const struct screen_rule	**r;

	fprintf(f, "Screening, before the topics: the first rule that fires"
	    " decides.\n\n");
	for (r = screen_rules; *r != NULL; r++)
		fprintf(f, "  %-7s %-20s %s\n", action_name((*r)->action),
		    (*r)->name, (*r)->desc());
}

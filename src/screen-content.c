/*
 * Screening rules read from the content: delivery and read reports
 * (multipart/report), calendar invitations, out-of-office notices in
 * French, English and German (Outlook client rules send them with no
 * header to say so), and messages too complex to read safely.
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

static int
report_match(const struct core *core, const struct message *msg,
    char **why)
{
	if (!(msg->flags & MSG_REPORT))
		return (0);
	*why = xstrdup("multipart/report: a delivery or read report");
	return (1);
}

static const char *
report_desc(void)
{
	return ("multipart/report (bounces, delivery and read receipts)");
}

const struct screen_rule screen_report = { "report", ACT_IGNORE,
    report_match, report_desc };

static int
calendar_match(const struct core *core, const struct message *msg,
    char **why)
{
	if (!(msg->flags & MSG_CALENDAR))
		return (0);
	*why = xstrdup("text/calendar: an invitation or its answer");
	return (1);
}

static const char *
calendar_desc(void)
{
	return ("a text/calendar part (invitations and their answers)");
}

const struct screen_rule screen_calendar = { "calendar", ACT_IGNORE,
    calendar_match, calendar_desc };

/* Folded phrases of out-of-office subjects. */
static const char *vacation_subjects[] = {
	" reponse automatique ", " reponse automatique", " message automatique ",
	" absence du bureau", " absent du bureau", " absente du bureau",
	" message d absence", " notification d absence",
	" automatic reply ", " auto reply ", " autoreply ",
	" out of office", " out of the office", " away from the office",
	" on vacation ", " vacation reply ", " ooo ",
	" abwesenheitsnotiz", " automatische antwort", " abwesend ",
	" nicht im buro ", " respuesta automatica ", " risposta automatica ",
};

/* Folded phrases that open an out-of-office body. */
static const char *vacation_bodies[] = {
	" je suis absent", " je suis actuellement absent",
	" je serai absent", " je suis en conge", " je suis en conges",
	" je suis actuellement en conge", " je serai en conge",
	" je ne suis pas disponible jusqu", " je n ai pas acces a ma messagerie",
	" i am out of the office", " i m out of the office",
	" i am currently out of", " i will be out of the office",
	" i am on leave", " i am away", " i m away", " i am on vacation",
	" i have limited access to email", " i am out of office",
	" ich bin abwesend", " ich bin derzeit nicht", " ich bin bis ",
	" bin ich nicht im buro", " vielen dank fur ihre nachricht ich bin",
};

static int
has_any(const char *folded, const char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strstr(folded, list[i]) != NULL)
			return ((int)i + 1);
	return (0);
}

static int
vacation_match(const struct core *core, const struct message *msg,
    char **why)
{
	struct buf	f;
	int		hit;

	buf_init(&f);
	fold_text(&f, msg->subject, strlen(msg->subject));
	hit = has_any(f.data, vacation_subjects, sizeof vacation_subjects /
	    sizeof vacation_subjects[0]);
	if (hit) {
		*why = xasprintf("out-of-office subject (\"%s\")",
		    vacation_subjects[hit - 1] + 1);
		buf_free(&f);
		return (1);
	}
	/* The notice comes first: the start of the body is enough. */
	buf_reset(&f);
	fold_text(&f, msg->own, msg->ownlen > 400 ? 400 : msg->ownlen);
	hit = has_any(f.data, vacation_bodies, sizeof vacation_bodies /
	    sizeof vacation_bodies[0]);
	buf_free(&f);
	if (hit) {
		*why = xasprintf("out-of-office text (\"%s\")",
		    vacation_bodies[hit - 1] + 1);
		return (1);
	}
	return (0);
}

static const char *
vacation_desc(void)
{
	return ("an out-of-office subject or opening sentence (French,"
	    " English, German)");
}

const struct screen_rule screen_vacation = { "out-of-office", ACT_IGNORE,
    vacation_match, vacation_desc };

static int
unreadable_match(const struct core *core, const struct message *msg,
    char **why)
{
	if (msg->flags & MSG_TOODEEP) {
		*why = xasprintf("MIME structure past the limits (%d levels,"
		    " %d parts)", MSG_MAX_DEPTH, MSG_MAX_PARTS);
		return (1);
	}
	return (0);
}

static const char *
unreadable_desc(void)
{
	return ("a MIME structure nested or split past the reader's limits");
}

const struct screen_rule screen_unreadable = { "unreadable", ACT_REVIEW,
    unreadable_match, unreadable_desc };

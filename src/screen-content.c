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
	" reponse automatique", " message automatique ",
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

/* Each list as one automaton, built on first use, for the words that
 * classify's scan did not read; the pairs of the openings' words. */
static struct matcher		*vacation_subject, *vacation_body;
static struct phrase_pairs	 body_pairs;

#define NSUBJECTS	(sizeof vacation_subjects / sizeof vacation_subjects[0])
#define NBODIES		(sizeof vacation_bodies / sizeof vacation_bodies[0])

const char *
vacation_phrase(enum phrase_list k, size_t i)
{
	if (k == PL_VACATION_SUBJECT)
		return (i < NSUBJECTS ? vacation_subjects[i] : NULL);
	return (i < NBODIES ? vacation_bodies[i] : NULL);
}

/* The first phrase of list k that classify's scan found in the subject, or
 * in own ending by lim: its index in the list, or -1. */
static int
first_read(const struct reading *rd, enum phrase_list k, int body,
    size_t lim)
{
	size_t	i, from = screen_phrases_from(k), n;

	n = k == PL_VACATION_SUBJECT ? NSUBJECTS : NBODIES;
	for (i = 0; i < rd->nphrases; i++)
		if (rd->phrases[i].body == body && rd->phrases[i].id >= from &&
		    rd->phrases[i].id - from < n && rd->phrases[i].end <= lim)
			return ((int)(rd->phrases[i].id - from));
	return (-1);
}

/*
 * Where the first READ_HEAD bytes of his words end in own (folded with
 * marks) for what classify's scan found: own_head, or one further when the
 * head ends a word (the space that unmarked() adds is own's); 0 when the
 * head ends inside a word, or a phrase may go across one of its marks.
 */
static size_t
head_end(const struct reading *rd)
{
	const char	*o = rd->own.data;
	size_t		 lim = rd->own_head;

	if (lim == 0)
		return (0);
	if (o[lim - 1] != ' ') {
		if (o[lim] != ' ')
			return (0);
		lim++;
	}
	return (phrase_pairs_across(&body_pairs, o, lim) ? 0 : lim);
}

static struct matcher *
phrases(const char **list, size_t n)
{
	struct matcher	*m = matcher_new();
	size_t		 i;

	for (i = 0; i < n; i++)
		matcher_add(m, list[i]);
	matcher_build(m);
	return (m);
}

/*
 * The first n bytes of words folded with their sentence marks (a string
 * that ends at n or further), as fold_to() folds them without (each mark is written between two spaces: the mark
 * and the space after it left out), a space at the end, in dst; returns
 * its length.
 */
static size_t
unmarked(char *dst, const char *s, size_t n)
{
	const char	*end = s + n, *m;
	size_t		 len = 0;

	while (s < end) {
		if ((m = strpbrk(s, "?.;:")) == NULL || m > end)
			m = end;
		memcpy(dst + len, s, (size_t)(m - s));
		len += (size_t)(m - s);
		s = m + 2;
	}
	if (len == 0 || dst[len - 1] != ' ')
		dst[len++] = ' ';
	return (len);
}

static int
vacation_match(const struct core *core, const struct message *msg,
    char **why)
{
	const struct reading	*rd;
	char			 buf[3 * READ_HEAD + 3];
	size_t			 n, lim;
	int			 id;

	if (vacation_subject == NULL) {
		vacation_subject = phrases(vacation_subjects, NSUBJECTS);
		vacation_body = phrases(vacation_bodies, NBODIES);
		for (n = 0; n < NBODIES; n++)
			phrase_pairs_add(&body_pairs, vacation_bodies[n]);
		phrase_pairs_build(&body_pairs);
	}
	n = strlen(msg->subject);
	if ((rd = screen_reading(msg)) != NULL && n <= READ_HEAD &&
	    rd->phrases_read)
		id = first_read(rd, PL_VACATION_SUBJECT, 0, SIZE_MAX);
	else if (rd != NULL && n <= READ_HEAD)
		id = matcher_first(vacation_subject, rd->subject.data,
		    rd->subject.len);
	else
		id = matcher_first(vacation_subject, buf, fold_to(buf,
		    msg->subject, n > READ_HEAD ? READ_HEAD : n));
	if (id != -1) {
		*why = xasprintf("out-of-office subject (\"%s\")",
		    vacation_subjects[id] + 1);
		return (1);
	}
	/* The notice comes first: the start of the body is enough (of what
	 * decide() folded, unless a character crosses the cut). */
	if (rd != NULL && rd->own.len != 0 && (msg->ownlen <= READ_HEAD ||
	    ((unsigned char)msg->own[READ_HEAD] & 0xc0) != 0x80)) {
		if (rd->phrases_read && (lim = head_end(rd)) != 0)
			id = first_read(rd, PL_VACATION_BODY, 1, lim);
		else
			id = matcher_first(vacation_body, buf,
			    unmarked(buf, rd->own.data, rd->own_head));
	} else
		id = matcher_first(vacation_body, buf, fold_to(buf,
		    msg->own, msg->ownlen > READ_HEAD ? READ_HEAD :
		    msg->ownlen));
	if (id != -1) {
		*why = xasprintf("out-of-office text (\"%s\")",
		    vacation_bodies[id] + 1);
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
	if (msg->flags & MSG_TEXTCUT) {
		*why = xstrdup("text past the limits: decoded, it grew to"
		    " twice the message's size and was cut");
		return (1);
	}
	return (0);
}

static const char *
unreadable_desc(void)
{
	return ("a MIME structure nested or split past the reader's limits,"
	    " or a text that decodes to more than twice the message");
}

const struct screen_rule screen_unreadable = { "unreadable", ACT_REVIEW,
    unreadable_match, unreadable_desc };

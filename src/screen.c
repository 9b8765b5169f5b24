/*
 * Screening, before classification: mail that a machine sent (RFC 3834,
 * and what Sieve vacation implementations check) is ignored; mail that asks
 * for no automatic answer, carries a spam verdict or comes from a sender
 * that cannot be trusted goes to a person.  Each rule lives in a table
 * entry that can describe itself; the first rule that fires decides.
 */

#include <stdlib.h>

#include <stdio.h>
#include <string.h>

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

/* The screens' phrases: each list's phrase i. */
static const char *
list_phrase(enum phrase_list k, size_t i)
{
	return (k == PL_LURE ? lure_phrase(i) : vacation_phrase(k, i));
}

size_t
screen_phrases_from(enum phrase_list k)
{
	static size_t	from[PL_COUNT + 1];
	size_t		i;
	int		l;

	if (from[PL_COUNT] == 0)
		for (l = 0; l < PL_COUNT; l++) {
			for (i = 0; list_phrase((enum phrase_list)l, i) !=
			    NULL; i++)
				;
			from[l + 1] = from[l] + i;
		}
	return (from[k]);
}

const char *
screen_phrase(size_t i)
{
	int	k;

	for (k = PL_COUNT; k-- > 0;)
		if (i >= screen_phrases_from((enum phrase_list)k))
			return (list_phrase((enum phrase_list)k, i -
			    screen_phrases_from((enum phrase_list)k)));
	return (NULL);
}

/* A word's bit in phrase_pairs' firsts. */
static size_t
word_bit(const char *w, size_t n)
{
	uint32_t	h = 2166136261U;

	while (n-- > 0)
		h = (h ^ (unsigned char)*w++) * 16777619U;
	return (h >> 20);		/* 12 bits: 64 words of 64 */
}

#define IS_MARK(c)	((c) == '?' || (c) == '.' || (c) == ';' || (c) == ':')

void
phrase_pairs_add(struct phrase_pairs *pp, const char *f)
{
	const char	*a, *b, *e;
	char		*pair;
	size_t		 k;

	if (pp->m == NULL)
		pp->m = matcher_new();
	/* " a b c": " a b " and " b c". */
	for (a = f; (b = strchr(a + 1, ' ')) != NULL; a = b) {
		e = strchr(b + 1, ' ');
		if (e == NULL)
			e = b + strlen(b);
		else
			e++;
		if (e - b <= 1)
			break;
		pair = xstrndup(a, (size_t)(e - a));
		matcher_add(pp->m, pair);
		free(pair);
		k = word_bit(a + 1, (size_t)(b - a - 1));
		pp->firsts[k / 64] |= (uint64_t)1 << (k % 64);
	}
}

void
phrase_pairs_build(struct phrase_pairs *pp)
{
	if (pp->m == NULL)
		pp->m = matcher_new();
	matcher_build(pp->m);
}

int
phrase_pairs_across(const struct phrase_pairs *pp, const char *text,
    size_t len)
{
	const char	*p = text, *m, *w1, *w2, *e, *end = text + len;
	char		 two[2 * 64 + 4];
	size_t		 n1, n2, k;

	while ((m = strpbrk(p, "?.;:")) != NULL && m < end) {
		/* The run of marks and spaces, and the words around it. */
		for (w1 = m; w1 > text && (w1[-1] == ' ' ||
		    IS_MARK(w1[-1])); w1--)
			;
		n1 = 0;
		while (w1 > text && w1[-1] != ' ' && n1 <= 64) {
			w1--;
			n1++;
		}
		for (w2 = m; *w2 == ' ' || IS_MARK(*w2); w2++)
			;
		for (e = w2; *e != ' ' && *e != '\0'; e++)
			;
		p = e;
		/* A word longer than the phrases' is in none of them as a
		 * whole: the first is; the second may start one. */
		n2 = (size_t)(e - w2);
		if (n2 > 64)
			n2 = 64;
		if (n1 == 0 || n1 > 64 || n2 == 0 || w2 >= end)
			continue;
		k = word_bit(w1, n1);
		if (!(pp->firsts[k / 64] & (uint64_t)1 << (k % 64)))
			continue;
		two[0] = ' ';
		memcpy(two + 1, w1, n1);
		two[n1 + 1] = ' ';
		memcpy(two + n1 + 2, w2, n2);
		two[n1 + n2 + 2] = ' ';
		if (matcher_first(pp->m, two, n1 + n2 + 3) != -1)
			return (1);
	}
	return (0);
}

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

/*
 * Classification: the subject and the sender's own words are folded and
 * scanned once each by the matcher, which finds every keyword of every
 * topic and the stopwords of both languages together.  Each keyword counts
 * once per field, the subject's weighted more.  Then the decision: reply
 * when the main topic clears the threshold and leads the best topic left
 * out by the margin, and every topic to answer is one the responder may
 * answer alone; review otherwise.
 *
 * decide() is the one route from a message to a decision, for every
 * command and mode: what "classify" shows is what the daemon does.
 */

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

#define MAX_HITS 4096
#define MAX_EHITS 64
#define MAX_PHITS 256
#define MAX_REPS 8	/* occurrences of a keyword kept, in all */
#define NEG_SPAN 32	/* bytes of folded text a negation denies (some four
			   words), up to the sentence's end */
#define STRONG	4	/* a keyword of this weight names a topic alone */
#define CONTEXT	0.5	/* what a sentence that does not ask weighs, when
			   another one does */
#define MAX_UNITS 8
/* The marks that end a sentence in folded text (fold_sentences()). */
#define MARKS	"?.;:"	/* sentences kept a topic, where it is asked */
/* The same marks as a table, for the walks that test every byte. */
static const unsigned char is_mark[256] = { ['?'] = 1, ['.'] = 1,
    [';'] = 1, [':'] = 1 };
#define IS_MARK(c)	(is_mark[(unsigned char)(c)])
/* A field is folded and scanned in pieces of this many bytes: a message of
 * any size is read in that much memory. */
#define PIECE	65536

enum field { F_SUBJECT, F_BODY, F_FORWARD };
static const char *field_names[] = { "subject", "body", "forward" };

struct hit {
	uint32_t	id;		/* the pattern; for a pair, the topic */
	enum field	field;
	size_t		end;
	size_t		unit;		/* where its sentence ends (the mark),
					   SIZE_MAX: at the field's end */
	char		mark;		/* the first mark after it: '?' (a
					   question), '.', ';' (a list item
					   follows), ':' (a list follows), 0
					   at the field's end */
	char		then;		/* a mark right after that one ("?
					   ;": an item follows), or 0 */
	int		next;		/* its sentence comes right after the
					   sentence of the hit before, of the
					   same field */
	int		asks;		/* its sentence asks */
	int		pair;		/* a pair hit: the topic's pair */
	int		denied;		/* in the scope of a negation */
	double		points;		/* 0: not counted (inside a longer
					   keyword, found again) */
	double		x;		/* points per unit of weight (its
					   place, the field's multiplier,
					   asked or not); 0: not counted */
};

/* Sentences, each a field and where it ends. */
struct units {
	size_t		n;
	uint64_t	key[MAX_UNITS];
};

struct scan {
	const struct rules	*r;
	struct reading		*rd;		/* the screens' phrases found go
						   there, or NULL */
	const double		*w;		/* classify.weights' points of
						   every feature, or NULL: the
						   rules' weights */
	double			*score;
	unsigned char		*seen;		/* [pattern]: one bit a field */
	size_t			*first;		/* [topic]: where the body first
						   names it with a strong keyword,
						   questions before statements */
	unsigned char		*strong;	/* [topic]: named by a strong
						   keyword somewhere */
	unsigned char		*asked;		/* [topic]: named so in a
						   sentence that asks */
	struct units		*units;		/* [topic]: those sentences */
	unsigned char		*counted;	/* [pattern]: scored, a bit a
						   field */
	size_t			*lastend;	/* [pattern]: where it was last
						   kept */
	unsigned char		*reps;		/* [pattern]: times kept */
	uint32_t		*touched;	/* the patterns seen, each once */
	size_t			 ntouched;
	const char		*piece;		/* the piece scanned, folded */
	size_t			 base;		/* where it starts */
	int			 anyask;	/* a sentence of the body asks */
	size_t			 len;		/* of the folded field */
	size_t			 pending;	/* the first hit whose sentence
						   has not ended yet */
	const char		*raw;		/* the field as written */
	size_t			 rawlen;
	enum field		 field;
	int			 lang[LANG_COUNT];	/* stopwords */
	int			 sw[3][LANG_COUNT];	/* those the scan of
							   each field found */
	unsigned char		 scanned;	/* fields whose scan counted
						   them, a bit each */
	enum lang		 stemlang;	/* the words are stemmed in it */
	struct decision		*explain;	/* sentences noted there, or
						   NULL */
	size_t			 noted;		/* where the last one ends */
	size_t			 lastat;	/* where the last sentence with a
						   hit ended, SIZE_MAX: none yet
						   in this field or piece */
	size_t			 firstnote;	/* the field's first one */
	size_t			 nehits;
	size_t			 nphits;
	size_t			 nhits;
	/* The hits, after the counts: only what the counts say is read, and
	 * a scan clears the structure up to here. */
	struct hit		 ehits[MAX_EHITS];	/* names of entities */
	struct hit		 phits[MAX_PHITS];	/* pairs found */
	struct hit		 hits[MAX_HITS];	/* in field order */
};

const char *verdict_names[VD_COUNT] = { "reply", "screened", "signal",
    "no-keyword", "context", "threshold", "unasked", "margin", "person",
    "no-reply-text", "approval", "limit", "held", "again" };

static void
reason_add(struct decision *d, const char *fmt, va_list ap)
{
	if (d->nreasons < MAX_REASONS)
		d->reasons[d->nreasons++] = xvasprintf(fmt, ap);
}

/* A reason for a person: the first one found is the verdict. */
static void
decision_why(struct decision *d, enum verdict v, const char *fmt, ...)
{
	va_list	ap;

	d->action = ACT_REVIEW;
	if (d->verdict == VD_REPLY) {
		d->verdict = v;
		d->vreason = d->nreasons;
	}
	va_start(ap, fmt);
	reason_add(d, fmt, ap);
	va_end(ap);
}

void
decision_init(struct decision *d)
{
	memset(d, 0, sizeof *d);
	d->action = ACT_REVIEW;
	d->lang = LANG_FR;
}

void
decision_clear(struct decision *d)
{
	size_t	i;

	for (i = 0; i < d->nreasons; i++)
		free(d->reasons[i]);
	for (i = 0; i < d->nsentences; i++)
		free(d->sentences[i].text);
	free(d->sentences);
	for (i = 0; d->evidence != NULL && i < d->nscores; i++)
		free(d->evidence[i]);
	free(d->evidence);
	free(d->features);
	free(d->scores);
	free(d->unlisted);
	decision_init(d);
}

void
decision_reason(struct decision *d, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	reason_add(d, fmt, ap);
	va_end(ap);
}

/* Whether a sentence ends between two places of the field (a place
 * before the piece in hand is taken to be another sentence's). */
static int
mark_between(const struct scan *s, size_t from, size_t to)
{
	const char	*p;

	if (from < s->base)
		return (1);
	for (p = s->piece + (from - s->base); p < s->piece + (to - s->base);
	    p++)
		if (IS_MARK(*p))
			return (1);
	return (0);
}

static void
scan_hit(uint32_t id, size_t end, void *arg)
{
	struct scan		*s = arg;
	const struct pattern	*p = &s->r->patterns[id];
	unsigned char		 bit = (unsigned char)(1 << s->field);
	struct phrase_hit	*ph;

	/* A keyword again in another sentence: kept (that one may ask where
	 * the first did not), a few times at most; an entity's name, once. */
	if (p->kind == PAT_STOPWORD) {
		s->sw[s->field][p->lang]++;
		return;
	}
	if (p->kind == PAT_SCREEN) {
		/* For the screens: in the subject and his own words, each
		 * phrase once a field. */
		if (s->rd != NULL && s->field != F_FORWARD &&
		    !(s->rd->phrase_seen[p->topic] & bit)) {
			s->rd->phrase_seen[p->topic] |= bit;
			ph = &s->rd->phrases[s->rd->nphrases++];
			ph->id = (uint16_t)p->topic;
			ph->body = s->field == F_BODY;
			ph->end = end;
		}
		return;
	}
	if ((s->seen[id] & bit) && (s->reps[id] == MAX_REPS ||
	    (p->kind != PAT_KEYWORD && p->kind != PAT_OBJECT &&
	    p->kind != PAT_INTENT && p->kind != PAT_ASK &&
	    p->kind != PAT_NEG && p->kind != PAT_NOTNEG &&
	    p->kind != PAT_NEGEND) ||
	    !mark_between(s, s->lastend[id], end)))
		return;
	if (s->seen[id] == 0)
		s->touched[s->ntouched++] = id;
	s->seen[id] |= bit;
	s->lastend[id] = end;
	s->reps[id]++;
	if (p->kind == PAT_ORG || p->kind == PAT_SOFTWARE) {
		/* "Git", "R", "ANS": only as written, not "git" or "ans". */
		if ((p->exact && !exact_in(s->raw, s->rawlen, p->text)) ||
		    s->nehits == MAX_EHITS)
			return;
		s->ehits[s->nehits].id = id;
		s->ehits[s->nehits].field = s->field;
		s->ehits[s->nehits].end = end;
		s->nehits++;
		return;
	}
	if (s->nhits == MAX_HITS)
		return;
	s->hits[s->nhits].id = id;
	s->hits[s->nhits].field = s->field;
	s->hits[s->nhits].end = end;
	s->hits[s->nhits].unit = SIZE_MAX;
	s->hits[s->nhits].mark = 0;
	s->hits[s->nhits].then = 0;
	s->hits[s->nhits].next = 0;
	s->hits[s->nhits].asks = 0;
	s->hits[s->nhits].pair = -1;
	s->hits[s->nhits].denied = 0;
	s->hits[s->nhits].points = 0;
	s->nhits++;
}

/*
 * Negation in a sentence (hits i to j, in text order): a word that denies
 * ("pas", "not", "sans") denies the words that begin within NEG_SPAN bytes
 * after it, unless a word that ends negation comes first ("mais", "but");
 * a phrase that holds a negation but denies nothing ("je ne sais pas",
 * "not yet", "could not find") takes its negation back.  An intent or a
 * keyword denied counts for nothing: "nous ne cherchons pas de
 * prestataire" asks for none.
 */
static void
deny(struct scan *s, size_t i, size_t j)
{
	const struct pattern	*p;
	size_t			 k, start, until = 0, neg = 0, lo = 0, hi = 0;

	for (k = i; k < j; k++) {
		p = &s->r->patterns[s->hits[k].id];
		start = s->hits[k].end - p->flen;
		switch (p->kind) {
		case PAT_NEG:
			if (s->hits[k].end > lo && s->hits[k].end <= hi)
				break;		/* inside "not yet" */
			neg = s->hits[k].end;
			until = neg + NEG_SPAN;
			break;
		case PAT_NOTNEG:
			lo = start;
			hi = s->hits[k].end;
			if (neg > lo && neg <= hi)
				until = 0;
			break;
		case PAT_NEGEND:
			until = 0;
			break;
		case PAT_INTENT:
		case PAT_KEYWORD:
			/* What is wanted is denied, not what is named: "nous
			 * n'avons pas de prestataire, où en trouver ?" still
			 * asks for one. */
			if (start >= neg && start < until)
				s->hits[k].denied = 1;
			break;
		default:
			break;
		}
	}
}

/* Whether object or intent hit h lies inside a longer object found in the
 * same place (hits i to e, a sentence): "marché" in "un marché" names a
 * tender, not the markets; "open" in "open source" asks for nothing. */
static int
covered(const struct scan *s, size_t i, size_t e, size_t h)
{
	const struct pattern	*p = &s->r->patterns[s->hits[h].id], *q;
	size_t			 k, c, hstart;

	if (p->ncontainers == 0)
		return (0);
	hstart = s->hits[h].end - p->flen;
	for (k = i; k < e; k++) {
		q = &s->r->patterns[s->hits[k].id];
		if (k == h || q->kind != PAT_OBJECT || s->hits[k].end <
		    s->hits[h].end || s->hits[k].end - q->flen > hstart)
			continue;
		for (c = 0; c < p->ncontainers; c++)
			if (p->containers[c] == s->hits[k].id)
				return (1);
	}
	return (0);
}

/* The first pair of tp from k on with an object of objs and an
 * intent of ints, or npairs. */
static size_t
next_pair(const struct topic *tp, size_t k, uint64_t objs, uint64_t ints)
{
	/* Most topics have no pair of a sentence. */
	if (!(objs & tp->pair_objects) || !(ints & tp->pair_intents))
		return (tp->npairs);
	for (; k < tp->npairs; k++)
		if ((objs & ((uint64_t)1 << tp->pairs[k].object)) &&
		    (ints & ((uint64_t)1 << tp->pairs[k].intent)))
			break;
	return (k);
}

/* Whether some topic answered automatically has a pair of one of objs and
 * one of ints. */
static int
pairs_with(const struct rules *r, uint64_t objs, uint64_t ints)
{
	size_t	t;

	for (t = 0; t < r->ntopics; t++)
		if (r->topics[t].action == ACT_REPLY &&
		    next_pair(&r->topics[t], 0, objs, ints) <
		    r->topics[t].npairs)
			return (1);
	return (0);
}

/*
 * The pairs of a sentence whose last hit is last: each topic's object and
 * intent found in it; a topic a person answers takes its object from the
 * sentence before too (carried).
 */
static void
unit_pairs(struct scan *s, uint64_t objs, uint64_t carried, uint64_t ints,
    const struct hit *last)
{
	const struct topic	*tp;
	struct hit		*ph;
	uint64_t		 o;
	size_t			 t, k;

	for (t = 0; t < s->r->ntopics; t++) {
		tp = &s->r->topics[t];
		o = tp->action == ACT_REVIEW ? objs | carried : objs;
		for (k = next_pair(tp, 0, o, ints); k < tp->npairs &&
		    s->nphits < MAX_PHITS; k = next_pair(tp, k + 1, o, ints)) {
			ph = &s->phits[s->nphits++];
			*ph = *last;
			ph->id = (uint32_t)t;
			ph->pair = (int)k;
			ph->points = 0;
		}
	}
}

/*
 * The sentences of a field, once it is scanned: one asks when it ends with
 * '?' or holds a form that asks ("comment", "pouvez-vous", "how can");
 * the subject always does (it says what the message is about).  The items
 * of a list that a sentence which asks introduces ("We would like: 1) ...;
 * 2) ...") each ask, one sentence each.  The objects and intents of each
 * sentence make its pairs.
 */
static void
units_field(struct scan *s, size_t from)
{
	const struct rules	*r = s->r;
	const struct pattern	*p;
	uint64_t		 objs, ints, carried, before = 0;
	size_t			 i, j, k, e, start = 0, note = s->firstnote;
	size_t			 prev = from, prevph = 0, ph0;
	int			 asks, listed = 0, inherits, names;
	int			 prevasks = 1;	/* no sentence before */

	for (i = from; i < s->nhits; start = s->hits[i].unit, prev = i,
	    prevph = ph0, prevasks = asks, i = j, before = objs) {
		ph0 = s->nphits;
		/* An item of a list that asks, right after the sentence
		 * before (its intro or the item before). */
		inherits = listed && s->hits[i].next;
		asks = s->field == F_SUBJECT || s->hits[i].mark == '?' ||
		    inherits;
		objs = ints = 0;
		names = 0;
		for (e = i; e < s->nhits && s->hits[e].unit ==
		    s->hits[i].unit; e++)
			;
		deny(s, i, e);
		for (j = i; j < e; j++) {
			p = &r->patterns[s->hits[j].id];
			if (p->kind == PAT_KEYWORD || p->kind == PAT_OBJECT)
				names = 1;
			if (s->hits[j].denied)
				continue;
			if (p->kind == PAT_ASK)
				asks = 1;
			else if (p->kind == PAT_OBJECT && !covered(s, i, e, j))
				objs |= (uint64_t)1 << p->topic;
			else if (p->kind == PAT_INTENT && !covered(s, i, e, j))
				ints |= (uint64_t)1 << p->topic;
		}
		for (k = i; k < e; k++)
			s->hits[k].asks = asks;
		/* The sentences were noted in the same order, one a unit. */
		if (s->explain != NULL && note < s->explain->nsentences)
			s->explain->sentences[note++].asks = asks;
		/* The next sentence is an item of a list this one asks
		 * for, or of the same list. */
		listed = ((s->hits[i].mark == ':' || s->hits[i].then == ':') &&
		    asks) || ((s->hits[i].mark == ';' || s->hits[i].then ==
		    ';') && inherits);
		if (asks && s->field != F_SUBJECT)
			s->anyask = 1;
		/* A software of the lists named in the sentence is the object
		 * "software" ("is Proxmox covered?"). */
		for (k = 0; r->software >= 0 && k < s->nehits; k++)
			if (s->ehits[k].field == s->field &&
			    r->patterns[s->ehits[k].id].kind == PAT_SOFTWARE &&
			    (i == from || s->ehits[k].end > start) &&
			    s->ehits[k].end <= s->hits[i].unit)
				objs |= (uint64_t)1 << r->software;
		/* A request that names no object refers to the sentence
		 * before ("The list shows X. Could you correct it?", "We go
		 * through our coordinator. What is their address?"): for the
		 * topics a person answers and the signals (a request to act),
		 * which are answered by a person too. */
		carried = asks && objs == 0 && s->field != F_SUBJECT ?
		    before : 0;
		if ((objs | carried) != 0 && ints != 0)
			unit_pairs(s, objs, carried, ints, &s->hits[e - 1]);
		/* A question that names nothing and makes no pair asks about
		 * what the sentence right before it says, when it wants
		 * nothing else of it ("We would be listed in the catalogue as
		 * users. How do we go about it?", "... so that it is
		 * listed?"): that sentence asks too. */
		if (asks && !names && s->hits[i].mark == '?' &&
		    s->field != F_SUBJECT && s->hits[i].next && !prevasks &&
		    s->nphits == ph0 &&
		    (ints == 0 || pairs_with(r, before, ints))) {
			for (k = prev; k < i; k++)
				s->hits[k].asks = 1;
			for (k = prevph; k < ph0; k++)
				s->phits[k].asks = 1;
			if (s->explain != NULL && note >= s->firstnote + 2)
				s->explain->sentences[note - 2].asks = 1;
		}
	}
}

/* What a hit in sentence h weighs: all of it when its sentence asks, or
 * when none of the body's does, or for a signal (what the message is --
 * an invitation, an application -- shows in any sentence) and a topic
 * only a person answers (a request for a coordinator's contact may ask
 * without a form that asks: named, it sends the message to a person). */
static double
factor(const struct scan *s, const struct hit *h, int topic)
{
	if (h->asks || !s->anyask || s->r->topics[topic].action != ACT_REPLY)
		return (1);
	return (CONTEXT);
}

static uint64_t
unit_key(const struct hit *h)
{
	return (((uint64_t)h->field << 60) |
	    ((uint64_t)h->unit & (((uint64_t)1 << 60) - 1)));
}

static int
units_has(const struct units *u, uint64_t key)
{
	size_t	i;

	for (i = 0; i < u->n; i++)
		if (u->key[i] == key)
			return (1);
	return (0);
}

static void
units_add(struct units *u, const struct hit *h)
{
	if (u->n < MAX_UNITS && !units_has(u, unit_key(h)))
		u->key[u->n++] = unit_key(h);
}

/* Whether topic t is asked in a sentence of the text where topic m is
 * not: a second question, not a word of the first one's (nor only a word
 * of the Subject, which names the message's matter as a whole). */
static int
asked_apart(const struct scan *s, int t, int m)
{
	size_t	i;

	for (i = 0; i < s->units[t].n; i++)
		if ((s->units[t].key[i] >> 60) != F_SUBJECT &&
		    !units_has(&s->units[m], s->units[t].key[i]))
			return (1);
	return (0);
}

/* Whether topic t is asked (or, nothing asking, named strongly) in the
 * text, not only in the Subject. */
static int
in_body(const struct scan *s, int t)
{
	size_t	i;

	for (i = 0; i < s->units[t].n; i++)
		if ((s->units[t].key[i] >> 60) != F_SUBJECT)
			return (1);
	return (0);
}

/* Whether the sentence of hit h names one of the topics of d by any of its
 * keywords (counted or not: a keyword is counted once a field). */
static int
unit_names(const struct scan *s, const struct hit *h,
    const struct decision *d)
{
	const struct pattern	*q;
	size_t			 i, k;

	for (i = 0; i < s->nhits; i++) {
		q = &s->r->patterns[s->hits[i].id];
		if (s->hits[i].field != h->field ||
		    s->hits[i].unit != h->unit || q->kind != PAT_KEYWORD)
			continue;
		for (k = 0; k < d->ntopics; k++)
			if (q->topic == d->topics[k])
				return (1);
	}
	return (0);
}

/* Whether topic t is asked in the body by a question of its own, beside
 * the topics of d, the main one asked in the body too: one of t's keywords
 * that reaches the threshold alone, in a sentence that asks and names none
 * of them.  A pair, or words that add up, may be the first question's
 * vocabulary; a phrase that strong in a question apart is a question of
 * its own. */
static int
own_question(const struct scan *s, int t, const struct decision *d,
    double threshold)
{
	const struct pattern	*p;
	const struct hit	*h;
	size_t			 i;

	if (!in_body(s, d->topics[0]))
		return (0);
	for (i = 0; i < s->nhits; i++) {
		h = &s->hits[i];
		p = &s->r->patterns[h->id];
		if (h->field != F_BODY || !h->asks || h->denied ||
		    p->kind != PAT_KEYWORD || p->topic != t ||
		    h->points < threshold)
			continue;
		if (!unit_names(s, h, d))
			return (1);
	}
	return (0);
}

/* A topic's evidence: points, strong, asked, and where the body first
 * names it (a statement ranks after every question).  The points are
 * worth weight each (the fitted one, with classify.weights); strong is
 * told by hand, the weight the rules give. */
static void
evidence(struct scan *s, int topic, struct hit *h, double hand, double weight,
    double mult)
{
	size_t	end;

	if (mult == 0) {	/* a field that does not count */
		h->points = h->x = 0;
		return;
	}
	h->x = mult * factor(s, h, topic);
	h->points = weight * h->x;
	s->score[topic] += h->points;
	if (hand < STRONG)
		return;
	s->strong[topic] = 1;
	if (factor(s, h, topic) == 1) {
		s->asked[topic] = 1;
		units_add(&s->units[topic], h);
	}
	if (h->field == F_BODY) {
		end = h->end;
		if (h->mark != '?')
			end += s->len;
		if (end < s->first[topic])
			s->first[topic] = end;
	}
}

/* Whether a longer keyword of p's topic that holds p was found in the
 * field too: p then counts no more. */
static int
in_longer(const struct scan *s, const struct pattern *p, unsigned char bit)
{
	size_t	i;

	for (i = 0; i < p->ncontainers; i++)
		if (s->seen[p->containers[i]] & bit)
			return (1);
	return (0);
}

/*
 * Scores what the fields found: each keyword once a field -- where a
 * sentence asks, if one of its occurrences is there -- those inside a longer
 * keyword of the same topic that was found too left out; each pair once a
 * field, the same way.
 */
static void
score_all(struct scan *s, const double *mult)
{
	const struct pattern	*p;
	const struct pair	*pair;
	struct hit		*h, *o;
	unsigned char		 bit;
	size_t			 i, k;

	memset(s->score, 0, s->r->ntopics * sizeof *s->score);
	memset(s->strong, 0, s->r->ntopics);
	memset(s->asked, 0, s->r->ntopics);
	memset(s->units, 0, s->r->ntopics * sizeof *s->units);
	for (i = 0; i < s->r->ntopics; i++)
		s->first[i] = SIZE_MAX;
	/* counted is read and written at the hits' patterns only. */
	for (i = 0; i < s->nhits; i++) {
		s->hits[i].points = s->hits[i].x = 0;
		s->counted[s->hits[i].id] = 0;
	}
	/* The occurrences that ask first, then the others. */
	for (k = 0; k < 2; k++) {
		for (i = 0; i < s->nhits; i++) {
			h = &s->hits[i];
			/* The hit's own marks before its pattern's kind. */
			if (h->denied || (k == 0 && !h->asks))
				continue;
			p = &s->r->patterns[h->id];
			bit = (unsigned char)(1 << h->field);
			if (p->kind != PAT_KEYWORD || (s->counted[h->id] & bit))
				continue;
			s->counted[h->id] |= bit;
			if (!in_longer(s, p, bit))
				evidence(s, p->topic, h, p->weight,
				    s->w != NULL ? s->w[h->id] : p->weight,
				    mult[h->field]);
		}
	}
	for (i = 0; i < s->nphits; i++) {
		h = &s->phits[i];
		pair = &s->r->topics[h->id].pairs[h->pair];
		h->points = h->x = 0;
		for (k = 0; k < s->nphits; k++) {
			o = &s->phits[k];
			if (k != i && o->id == h->id && o->pair == h->pair &&
			    o->field == h->field && (o->asks > h->asks ||
			    (o->asks == h->asks && k < i)))
				break;
		}
		if (k < s->nphits)
			continue;
		evidence(s, (int)h->id, h, pair->weight, s->w != NULL ?
		    s->w[rules_pair_id(s->r, (int)h->id, h->pair)] :
		    pair->weight, mult[h->field]);
	}
}

/* For classify --json: the sentence of the field that ends at m in the
 * piece f (its mark, or the piece's end), folded, unless it was noted
 * already. */
static void
sentence_note(struct scan *s, const char *f, const char *m, size_t at)
{
	struct decision	*d = s->explain;
	struct unitview	*n;
	const char	*b;
	size_t		 len;

	if (d == NULL || (d->nsentences > 0 && s->noted == at &&
	    d->sentences[d->nsentences - 1].field == field_names[s->field]))
		return;
	for (b = m; b > f && !IS_MARK(b[-1]); b--)
		;
	while (*b == ' ')
		b++;
	len = (size_t)(m - b);
	while (len > 0 && b[len - 1] == ' ')
		len--;
	d->sentences = xreallocarray(d->sentences, d->nsentences + 1,
	    sizeof *d->sentences);
	n = &d->sentences[d->nsentences++];
	n->field = field_names[s->field];
	n->asks = 0;
	n->mark = *m == ' ' || *m == '\0' ? 0 : *m;
	if (len > 160) {
		/* Cut between characters (other scripts stay UTF-8). */
		for (len = 160; len > 0 && (b[len] & 0xc0) == 0x80; len--)
			;
		n->text = xasprintf("%.*s...", (int)len, b);
	} else
		n->text = xasprintf("%.*s", (int)len, b);
	s->noted = at;
}

/* Whether the sentence that ends at m (a mark in the piece f that starts
 * at base, or the piece's end) comes right after the last sentence with a
 * hit: nothing but marks and spaces between that one's mark and the
 * words of this one.  Not known across pieces: no. */
static int
follows_last(const struct scan *s, const char *f, size_t base, const char *m)
{
	const char	*p, *q;

	if (s->lastat == SIZE_MAX || s->lastat < base)
		return (0);
	for (p = f + (s->lastat - base) + 1; *p != '\0' &&
	    (*p == ' ' || IS_MARK(*p)); p++)
		;
	/* No mark from there to m (the piece is NUL-terminated, m a mark
	 * or its end: the search stops at m at the latest). */
	return (p >= m || (q = strpbrk(p, MARKS)) == NULL || q >= m);
}

/* The hits waiting for the end of their sentence, told by the first mark
 * after them in a piece of the folded field that starts at base: '?' a
 * question, '.' a statement, ';' or ':' a line before a list item. */
static void
sentence_ends(struct scan *s, const char *f, size_t len, size_t base)
{
	const char	*m, *n;
	size_t		 from, at;
	int		 next;
	char		 then;

	while (s->pending < s->nhits) {
		from = s->hits[s->pending].end > base ?
		    s->hits[s->pending].end - base : 0;
		/* The piece is NUL-terminated, and holds no other NUL. */
		if (from >= len || (m = strpbrk(f + from, MARKS)) == NULL)
			return;
		at = base + (size_t)(m - f);
		sentence_note(s, f, m, at);
		next = follows_last(s, f, base, m);
		for (n = m + 1; *n == ' '; n++)
			;
		then = IS_MARK(*n) ? *n : 0;
		while (s->pending < s->nhits && s->hits[s->pending].end <= at) {
			s->hits[s->pending].unit = at;
			s->hits[s->pending].mark = *m;
			s->hits[s->pending].then = then;
			s->hits[s->pending++].next = next;
		}
		s->lastat = at;
	}
}

static void
stopword_hit(uint32_t id, size_t end, void *arg)
{
	struct scan	*s = arg;

	s->lang[s->r->patterns[id].lang]++;
}

/* The stopwords of the first PIECE bytes of a text, counted. */
static void
count_stopwords(struct scan *s, struct buf *f, const char *text, size_t len)
{
	struct fold_state	st;

	memset(&st, 0, sizeof st);
	if (fold_piece(f, text, len, PIECE, 0, &st))
		matcher_scan(s->r->stopwords, f->data, f->len, stopword_hit, s);
}

/* The stopwords of a field: those its scan found, or else read now. */
static void
field_stopwords(struct scan *s, struct buf *f, enum field field,
    const char *text, size_t len)
{
	int	l;

	if (s->scanned & (1 << field))
		for (l = 0; l < LANG_COUNT; l++)
			s->lang[l] += s->sw[field][l];
	else
		count_stopwords(s, f, text, len);
}

/* The sender's language, told by the stopwords of his own words (of the
 * words he forwards, then of the Subject, when his own are too few);
 * French if unsure. */
static enum lang
language(struct scan *s, struct buf *f, const struct message *msg)
{
	field_stopwords(s, f, F_BODY, msg->own, msg->ownlen);
	if (s->lang[LANG_FR] + s->lang[LANG_EN] < 3 && msg->fwdlen != 0)
		field_stopwords(s, f, F_FORWARD, msg->fwd, msg->fwdlen);
	/* A question asked in the Subject alone. */
	if (s->lang[LANG_FR] + s->lang[LANG_EN] < 3)
		field_stopwords(s, f, F_SUBJECT, msg->subject,
		    strlen(msg->subject));
	return (s->lang[LANG_EN] >= 3 && s->lang[LANG_EN] >
	    s->lang[LANG_FR] * 3 / 2 ? LANG_EN : LANG_FR);
}

/*
 * One field: folded piece by piece -- with stemming, each word stemmed in
 * the sender's language (a word cut by the end of a piece waits for the
 * next) -- and scanned once for every pattern.  pre, when not NULL, is the
 * field folded already, whole: its one piece.
 */
static void
scan_field(struct scan *s, struct buf *f, struct buf *w, struct buf *st,
    const char *text, size_t len, enum field field, const struct buf *pre)
{
	struct fold_state	fs;
	const struct buf	*t, *piece;
	size_t			from = s->nhits, base = 0, done, k;
	uint32_t		state = 0;
	int			next;

	memset(&fs, 0, sizeof fs);
	s->raw = text;
	s->rawlen = len;
	s->field = field;
	s->pending = from;
	if (s->explain != NULL)
		s->firstnote = s->explain->nsentences;
	s->lastat = SIZE_MAX;
	t = NULL;
	buf_reset(w);
	while (pre != NULL ? !fs.done : fold_piece(f, text, len, PIECE,
	    field != F_SUBJECT, &fs)) {
		piece = f;
		if (pre != NULL) {
			piece = pre;
			fs.done = 1;
		}
		if (s->r->stemming) {
			buf_add(w, piece->data, piece->len);
			buf_reset(st);
			done = stem_text(st, w->data, w->len, s->stemlang);
			memmove(w->data, w->data + done, w->len - done);
			w->len -= done;
			buf_reserve(st, 1);
			st->data[st->len] = '\0';
			t = st;
		} else
			t = piece;
		s->piece = t->data;
		s->base = base;
		state = matcher_scan_piece(s->r->matcher[s->stemlang], state,
		    t->data, t->len, base, scan_hit, s);
		if (field != F_SUBJECT)
			sentence_ends(s, t->data, t->len, base);
		/* A question the text asks, whatever it names. */
		if (field == F_BODY && memchr(t->data, '?', t->len) != NULL)
			s->anyask = 1;
		base += t->len;
	}
	if (field == F_BODY)
		s->len = base;
	if (!s->r->stemming)
		s->scanned |= 1 << field;
	/* The sentence the field's end closes. */
	if (t != NULL && s->pending < s->nhits) {
		sentence_note(s, t->data, t->data + t->len, SIZE_MAX);
		next = follows_last(s, t->data, base - t->len,
		    t->data + t->len);
		for (k = s->pending; k < s->nhits; k++)
			s->hits[k].next = next;
	}
	units_field(s, from);
}

/*
 * A number for a reason line, without printf's floating point (a reason is
 * written for every message): "%.1f" when fixed, else "%+g" for the
 * multiples of 1/100 that weights and multipliers make.
 */
static void
add_num(struct buf *b, double v, int fixed)
{
	long long	c, ip;
	int		frac;
	char		s[32], *p = s + sizeof s;

	c = (long long)(v * 100 + (v < 0 ? -0.5 : 0.5));
	if (v > 1e12 || v < -1e12 || (double)c / 100 - v > 1e-9 ||
	    v - (double)c / 100 > 1e-9) {
		buf_printf(b, fixed ? "%.1f" : "%+g", v);
		return;
	}
	if (fixed)
		c = (c + (c < 0 ? -5 : 5)) / 10 * 10;
	ip = (c < 0 ? -c : c) / 100;
	frac = (int)((c < 0 ? -c : c) % 100);
	*--p = '\0';
	if (fixed) {
		*--p = (char)('0' + frac / 10);
		*--p = '.';
	} else if (frac != 0) {
		if (frac % 10 != 0)
			*--p = (char)('0' + frac % 10);
		*--p = (char)('0' + frac / 10);
		*--p = '.';
	}
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	if (c < 0)
		*--p = '-';
	else if (!fixed)
		*--p = '+';
	buf_adds(b, p);
}

/* What one topic found: which keywords and pairs, where, for how much. */
static char *
topic_text(const struct scan *s, int topic)
{
	struct buf		 b;
	const struct pattern	*p;
	size_t			 i;

	buf_init(&b);
	buf_reserve(&b, 256);
	buf_adds(&b, s->r->topics[topic].id);
	buf_addc(&b, ' ');
	add_num(&b, s->score[topic], 1);
	buf_addc(&b, ':');
	for (i = 0; i < s->nhits; i++) {
		/* The points first: only counted keywords have any, and the
		 * hit is at hand where its pattern may not be. */
		if (s->hits[i].points == 0)
			continue;
		p = &s->r->patterns[s->hits[i].id];
		if (p->kind != PAT_KEYWORD || p->topic != topic)
			continue;
		buf_adds(&b, " \"");
		buf_adds(&b, p->text);
		buf_adds(&b, "\" (");
		buf_adds(&b, field_names[s->hits[i].field]);
		buf_addc(&b, ' ');
		add_num(&b, s->hits[i].points, 0);
		buf_addc(&b, ')');
	}
	for (i = 0; i < s->nphits; i++) {
		if ((int)s->phits[i].id != topic || s->phits[i].points == 0)
			continue;
		buf_adds(&b, " [");
		buf_adds(&b, s->r->topics[topic].pairs[s->phits[i].pair].text);
		buf_adds(&b, "] (");
		buf_adds(&b, field_names[s->phits[i].field]);
		buf_addc(&b, ' ');
		add_num(&b, s->phits[i].points, 0);
		buf_addc(&b, ')');
	}
	return (buf_steal(&b));
}

/* One feature's worth added to the decision's list (kept by id). */
static void
feature_add(struct decision *d, uint32_t id, int topic, double x)
{
	size_t	i;

	for (i = 0; i < d->nfeatures; i++)
		if (d->features[i].id == id) {
			d->features[i].x += x;
			return;
		}
	d->features = xreallocarray(d->features, d->nfeatures + 1,
	    sizeof *d->features);
	d->features[d->nfeatures].id = id;
	d->features[d->nfeatures].topic = topic;
	d->features[d->nfeatures++].x = x;
}

/* What the counted keywords and pairs were worth per unit of their
 * weights, for the fitting of weights (learn). */
static void
features(struct decision *d, const struct scan *s)
{
	const struct rules	*r = s->r;
	size_t			 i;

	for (i = 0; i < s->nhits; i++)
		if (r->patterns[s->hits[i].id].kind == PAT_KEYWORD &&
		    s->hits[i].x != 0)
			feature_add(d, s->hits[i].id,
			    r->patterns[s->hits[i].id].topic, s->hits[i].x);
	for (i = 0; i < s->nphits; i++)
		if (s->phits[i].x != 0)
			feature_add(d, rules_pair_id(r, (int)s->phits[i].id,
			    s->phits[i].pair), (int)s->phits[i].id,
			    s->phits[i].x);
}

/* The reason line of one topic, for a person who asked for them. */
static void
topic_reason(struct decision *d, const struct scan *s, int topic)
{
	if (d->detail && d->nreasons < MAX_REASONS)
		d->reasons[d->nreasons++] = topic_text(s, topic);
}

/* Is hit h inside a longer name found in the same field ("Apache" in
 * "Apache Kafka", "Canopé" in "Réseau Canopé")? */
static int
inside(const struct scan *s, const struct hit *h)
{
	const struct hit	*o;
	size_t			 i, hl, ol;

	hl = s->r->patterns[h->id].flen;
	for (i = 0; i < s->nehits; i++) {
		o = &s->ehits[i];
		ol = s->r->patterns[o->id].flen;
		if (o != h && o->field == h->field && ol > hl &&
		    o->end >= h->end && o->end - ol <= h->end - hl)
			return (1);
	}
	return (0);
}

static const char *
org_short(const struct org *o)
{
	return (o->acronym != NULL ? o->acronym : o->name);
}

static int
recognised_add(struct decision *d, enum pattern_kind kind, int index,
    int sender)
{
	size_t	i;

	for (i = 0; i < d->nents; i++)
		if (d->ents[i].kind == kind && d->ents[i].index == index)
			return (0);
	if (d->nents == MAX_ENTITIES)
		return (0);
	d->ents[d->nents].kind = kind;
	d->ents[d->nents].index = index;
	d->ents[d->nents].sender = sender;
	d->nents++;
	return (1);
}

/*
 * What the message names: the organisations and software of its text, in
 * text order, then the sender's own organisation, found by the domain of
 * his address -- or, for an organisation's domain that none of the lists
 * has, that domain.  Both are answered: "is the CNRS a beneficiary? we are
 * a university" gets the CNRS and "your organisation is not on the lists".
 */
static void
recognise(const struct core *core, const struct message *msg,
    const struct scan *s, struct decision *d)
{
	const struct entities	*en = core->entities;
	const struct pattern	*p;
	const struct hit	*h;
	const char		*domain;
	struct buf		 b;
	size_t			 i;
	int			 o;

	if (en == NULL)
		return;
	buf_init(&b);
	for (i = 0; i < s->nehits; i++) {
		h = &s->ehits[i];
		if (inside(s, h))
			continue;
		p = &s->r->patterns[h->id];
		if (!recognised_add(d, p->kind, p->topic, 0))
			continue;
		/* Without printf: a line for every message that names one. */
		buf_adds(&b, b.len == 0 ? "entities: " : ", ");
		buf_adds(&b, p->kind == PAT_ORG ? "organisation " :
		    "software ");
		buf_adds(&b, p->kind == PAT_ORG ?
		    org_short(&en->orgs[p->topic]) : en->sw[p->topic].name);
		buf_adds(&b, " (\"");
		buf_adds(&b, p->text);
		buf_adds(&b, "\" ");
		buf_adds(&b, field_names[h->field]);
		buf_addc(&b, ')');
	}
	domain = msg->from.addr != NULL ? address_domain(msg->from.addr) : "";
	if (*domain != '\0') {
		if ((o = entities_lookup(en, domain)) >= 0) {
			if (recognised_add(d, PAT_ORG, o, 1)) {
				buf_adds(&b, b.len == 0 ? "entities: " : ", ");
				buf_adds(&b, "organisation ");
				buf_adds(&b, org_short(&en->orgs[o]));
				buf_adds(&b, " (sender's domain ");
				buf_adds(&b, domain);
				buf_addc(&b, ')');
			}
		} else if (o == -1) {
			d->unlisted = xstrdup(domain);
			buf_adds(&b, b.len == 0 ? "entities: " : ", ");
			buf_adds(&b, "sender's domain ");
			buf_adds(&b, domain);
			buf_adds(&b, ": no organisation of the lists");
		}
	}
	if (b.len != 0 && d->nreasons < MAX_REASONS)
		d->reasons[d->nreasons++] = buf_steal(&b);
	else
		buf_free(&b);
}

/* Re:, RE :, AW:, Réf. : the subject of an answer. */
static int
is_reply(const char *subject)
{
	static const char	*prefixes[] = { "re", "aw", "sv", "ref", "réf",
	    "antw", "rif" };
	size_t			 i, n;
	const char		*p;

	while (*subject == ' ')
		subject++;
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i]);
		if (strncasecmp(subject, prefixes[i], n) != 0)
			continue;
		p = subject + n;
		while (*p == ' ' || *p == '.')
			p++;
		if (*p == ':')
			return (1);
	}
	return (0);
}

/* Topic indices in descending score order (few topics: insertion). */
static void
rank(const double *score, int *order, size_t n)
{
	size_t	i, j;
	int	t;

	for (i = 0; i < n; i++)
		order[i] = (int)i;
	for (i = 1; i < n; i++) {
		t = order[i];
		for (j = i; j > 0 && score[order[j - 1]] < score[t]; j--)
			order[j] = order[j - 1];
		order[j] = t;
	}
}

/* Sorts the topics to answer by where the body first asks them (stable:
 * topics the body does not name keep their score order, after). */
static void
order_asked(struct decision *d, const size_t *first)
{
	size_t	i, j;
	int	t;
	double	sc;

	for (i = 1; i < d->ntopics; i++) {
		t = d->topics[i];
		sc = d->tscore[i];
		for (j = i; j > 0 && first[d->topics[j - 1]] > first[t]; j--) {
			d->topics[j] = d->topics[j - 1];
			d->tscore[j] = d->tscore[j - 1];
		}
		d->topics[j] = t;
		d->tscore[j] = sc;
	}
}

static int
best_reply_score_ok(const struct rules *r, const double *score,
    double threshold)
{
	size_t	t;

	for (t = 0; t < r->ntopics; t++)
		if (!r->topics[t].signal && score[t] >= threshold)
			return (1);
	return (0);
}

/* classify() with what decide() read of the message (rd may be NULL): the
 * screens' phrases its scan finds are written there. */
static void
classify_read(const struct core *core, const struct message *msg,
    struct reading *rd, struct decision *d)
{
	const struct rules	*r = core->rules;
	const struct config	*c = core->conf;
	struct scan		*s;
	struct buf		 f, w, st;
	int			*order, t, main_t = -1, runner = -1, anyasked;
	int			 followup;
	unsigned char		*thread = NULL;
	char			*how = NULL;
	size_t			 i;
	double			 lead, mult[3];

	/* The scan and its arrays in one block, the widest first: the
	 * topics' (cleared), then the patterns'.  The hits need no
	 * clearing: the counts say how many are set. */
	s = xmalloc(sizeof *s + r->ntopics * (sizeof *s->first +
	    sizeof *s->units + sizeof *order + 2) + r->npatterns *
	    (sizeof *s->lastend + sizeof *s->touched + 1));
	memset(s, 0, offsetof(struct scan, ehits));
	s->r = r;
	s->w = core->weights != NULL ? core->weights->w : NULL;
	s->explain = d->explain ? d : NULL;
	/* Without stemming the screens' phrases are in the matcher. */
	s->rd = rd != NULL && !r->stemming ? rd : NULL;
	if (s->rd != NULL)
		s->rd->phrases_read = 1;
	s->score = xcalloc(r->ntopics, sizeof *s->score);
	s->first = (size_t *)(s + 1);
	s->units = (struct units *)(s->first + r->ntopics);
	s->lastend = (size_t *)(s->units + r->ntopics);
	s->touched = (uint32_t *)(s->lastend + r->npatterns);
	order = (int *)(s->touched + r->npatterns);
	s->strong = (unsigned char *)(order + r->ntopics);
	s->asked = s->strong + r->ntopics;
	s->counted = s->asked + r->ntopics;
	memset(s->first, 0, r->ntopics * (sizeof *s->first +
	    sizeof *s->units));
	memset(s->strong, 0, 2 * r->ntopics);
	/* The marks of the patterns: lastend is read only where seen says
	 * it was written, counted is cleared by each score_all() at the
	 * hits' patterns.  seen and reps are the core's, zero between
	 * messages: cleared at the end at the patterns touched only, not
	 * written whole for each message. */
	s->seen = core->marks;
	s->reps = s->seen + r->npatterns;
	buf_init(&f);
	buf_init(&w);
	buf_init(&st);
	/* With stemming, the language first: the words are stemmed in it;
	 * else the scans find the stopwords with the rest. */
	if (r->stemming)
		s->stemlang = language(s, &f, msg);
	/* The subject of a reply names the earlier exchange: it weighs half
	 * as much as the body then.  A follow-up to one of the mission's
	 * answers, answered on what it asks anew, names in its Subject what
	 * the thread was about: the topics it names strongly were answered,
	 * and it is no evidence. */
	followup = c->follow_ups == FOLLOWUP_NEW &&
	    follows_answer(core, msg, &how);
	mult[F_SUBJECT] = followup ? 0 : is_reply(msg->subject) ? 0.5 :
	    c->subject_weight;
	mult[F_BODY] = mult[F_FORWARD] = 1;
	scan_field(s, &f, &w, &st, msg->subject, strlen(msg->subject),
	    F_SUBJECT, rd != NULL && strlen(msg->subject) <= PIECE ?
	    &rd->subject : NULL);
	scan_field(s, &f, &w, &st, msg->own, msg->ownlen, F_BODY,
	    rd != NULL && rd->own.len != 0 ? &rd->own : NULL);
	if (followup) {
		score_all(s, (const double[3]){ 1, 0, 0 });
		thread = xmalloc(r->ntopics);
		memcpy(thread, s->strong, r->ntopics);
		decision_reason(d, "a follow-up to an answer of the mission"
		    " (%s): what it asks anew is answered", how);
	}
	score_all(s, mult);
	if (msg->fwdlen != 0 && !best_reply_score_ok(r, s->score,
	    c->threshold)) {
		scan_field(s, &f, &w, &st, msg->fwd, msg->fwdlen, F_FORWARD,
		    NULL);
		score_all(s, mult);
		decision_reason(d, "the forwarder asks nothing recognised:"
		    " the forwarded message is read");
	}
	d->lang = r->stemming ? s->stemlang : language(s, &f, msg);
	d->lang_fr = s->lang[LANG_FR];
	d->lang_en = s->lang[LANG_EN];
	buf_free(&f);
	buf_free(&w);
	buf_free(&st);
	recognise(core, msg, s, d);

	rank(s->score, order, r->ntopics);
	/* When a sentence asks about a topic, the topics named only in
	 * sentences that do not ask are context: neither answered nor in
	 * the way of those asked. */
	anyasked = 0;
	for (i = 0; i < r->ntopics; i++)
		if (!r->topics[i].signal && s->asked[i] &&
		    s->score[i] >= c->threshold)
			anyasked = 1;
	d->ntopics = 0;
	for (i = 0; i < r->ntopics; i++) {
		t = order[i];
		if (r->topics[t].signal || s->score[t] <= 0 || !s->strong[t] ||
		    (anyasked && !s->asked[t] &&
		    r->topics[t].action == ACT_REPLY))
			continue;
		/* A topic only a person answers counts whenever it is asked:
		 * the whole message then goes to review. */
		/* Context words alone do not make a question: a topic is
		 * answered only if a strong keyword names it. */
		if (s->score[t] >= c->threshold && s->strong[t] &&
		    d->ntopics < (size_t)c->max_topics && (main_t == -1 ||
		    r->topics[t].action == ACT_REVIEW ||
		    (asked_apart(s, t, main_t) && (s->score[t] >=
		    c->second_ratio * s->score[main_t] ||
		    own_question(s, t, d, c->threshold))))) {
			d->topics[d->ntopics] = t;
			d->tscore[d->ntopics++] = s->score[t];
			if (main_t == -1)
				main_t = t;
		} else if (runner == -1 && (main_t == -1 ||
		    !in_body(s, main_t) || in_body(s, t)))
			/* The best left out stands in the way -- unless only
			 * the Subject names it while the text asks the main
			 * topic. */
			runner = t;
	}
	/* Questions come in order: the one asked first is the main one. */
	order_asked(d, s->first);
	if (d->ntopics > 0)
		main_t = d->topics[0];
	for (i = 0; i < d->ntopics; i++)
		topic_reason(d, s, d->topics[i]);

	d->action = ACT_REPLY;
	/* Signals: an interview, a sales pitch, an action to take -- asked
	 * in a sentence that asks, or weighing enough beside the main
	 * topic. */
	for (i = 0; i < r->ntopics; i++) {
		if (r->topics[i].signal && s->score[i] >= c->threshold &&
		    (main_t == -1 || (s->asked[i] && anyasked) ||
		    s->score[i] >= c->signal_ratio * s->score[main_t])) {
			decision_why(d, VD_SIGNAL, "signal %s: %s",
			    r->topics[i].id, r->topics[i].why);
			topic_reason(d, s, (int)i);
		}
	}
	if (main_t == -1) {
		d->action = ACT_REVIEW;
		if (runner != -1) {
			decision_why(d, VD_THRESHOLD, "no topic reaches the"
			    " threshold %g; best %s %.1f", c->threshold,
			    r->topics[runner].id, s->score[runner]);
			topic_reason(d, s, runner);
			/* A suggestion for the person who answers. */
			d->topics[0] = runner;
			d->tscore[0] = s->score[runner];
			d->ntopics = 1;
		} else {
			for (i = 0; i < r->ntopics; i++)
				if (!r->topics[i].signal && s->score[i] > 0)
					break;
			if (i < r->ntopics)
				decision_why(d, VD_CONTEXT, "context words only:"
				    " no topic is named by a strong keyword");
			else
				decision_why(d, VD_NO_KEYWORD, "no keyword of any"
				    " topic");
		}
	} else {
		if (s->anyask && !anyasked)
			/* The text asks, and what it asks names no topic: the
			 * topics are the context of another question. */
			decision_why(d, VD_UNASKED, "what the text asks names"
			    " no topic; %s only in sentences that do not ask",
			    r->topics[main_t].id);
		lead = s->score[main_t] - (runner != -1 ? s->score[runner] : 0);
		if (runner != -1 && lead < c->margin) {
			decision_why(d, VD_MARGIN, "%s leads %s by %.1f only"
			    " (margin %g)", r->topics[main_t].id,
			    r->topics[runner].id, lead, c->margin);
			topic_reason(d, s, runner);
		}
		/* A topic of the thread asked again, answered or not. */
		for (i = 0; thread != NULL && i < r->ntopics; i++)
			if (thread[i] && !r->topics[i].signal && s->asked[i] &&
			    s->strong[i] && s->score[i] >= c->threshold)
				decision_why(d, VD_AGAIN, "the follow-up asks"
				    " about %s again, which its Subject names:"
				    " a person answers", r->topics[i].id);
		for (i = 0; i < d->ntopics; i++) {
			t = d->topics[i];
			if (r->topics[t].action != ACT_REPLY)
				decision_why(d, VD_PERSON, "%s is answered by a"
				    " person", r->topics[t].id);
			else if (replies_get(core->replies, t, d->lang) ==
			    NULL)
				decision_why(d, VD_NO_REPLY, "no %s reply for %s",
				    lang_name(d->lang), r->topics[t].id);
		}
	}
	if (d->detail)
		decision_reason(d, "language %s (stopwords fr %d, en %d)",
		    lang_name(d->lang), d->lang_fr, d->lang_en);
	if (d->features_on)
		features(d, s);
	if (d->explain && d->evidence == NULL) {
		d->evidence = xcalloc(r->ntopics, sizeof *d->evidence);
		for (i = 0; i < r->ntopics; i++)
			if (s->score[i] > 0)
				d->evidence[i] = topic_text(s, (int)i);
	}
	free(d->scores);
	d->scores = s->score;
	d->nscores = r->ntopics;
	free(thread);
	free(how);
	for (i = 0; i < s->ntouched; i++)
		s->seen[s->touched[i]] = s->reps[s->touched[i]] = 0;
	free(s);	/* and its arrays */
}

void
classify(const struct core *core, const struct message *msg,
    struct decision *d)
{
	classify_read(core, msg, NULL, d);
}

void
reading_init(struct reading *rd, const struct message *msg)
{
	rd->msg = msg;
	buf_init(&rd->subject);
	buf_init(&rd->own);
	fold_text(&rd->subject, msg->subject, strlen(msg->subject));
	rd->own_head = 0;
	rd->phrases_read = 0;
	rd->nphrases = 0;
	memset(rd->phrase_seen, 0, sizeof rd->phrase_seen);
	/* His words as classify scans them: in one piece. */
	if (msg->ownlen <= PIECE)
		fold_sentences_head(&rd->own, msg->own, msg->ownlen,
		    READ_HEAD, &rd->own_head);
}

void
reading_free(struct reading *rd)
{
	buf_free(&rd->subject);
	buf_free(&rd->own);
}

/* Approval mode: a would-be automatic reply waits for a person. */
static void
approval(const struct core *core, struct decision *d)
{
	const struct config	*c = core->conf;
	size_t			 i, k;

	if (d->action != ACT_REPLY)
		return;
	if (c->approval_all) {
		decision_why(d, VD_APPROVAL, "approval: every automatic reply"
		    " waits for a person");
		return;
	}
	for (i = 0; i < d->ntopics; i++)
		for (k = 0; k < c->napproval; k++)
			if (strcmp(core->rules->topics[d->topics[i]].id,
			    c->approval[k]) == 0) {
				decision_why(d, VD_APPROVAL, "approval: replies on"
				    " %s wait for a person", c->approval[k]);
				return;
			}
}

void
decide(const struct core *core, const struct message *msg,
    struct decision *d)
{
	const struct screen_rule	*rule;
	struct reading			 rd;
	char				*why = NULL;

	/* The subject and his own words folded once, for the screens that
	 * read them and for classify. */
	reading_init(&rd, msg);
	classify_read(core, msg, &rd, d);
	/* The screens read what the scan found of their phrases. */
	rule = screen_read(core, msg, &rd, &why);
	reading_free(&rd);
	if (rule == NULL) {
		approval(core, d);
		return;
	}
	d->rule = rule->name;
	d->verdict = VD_SCREENED;
	d->vreason = 0;
	if (rule->action == ACT_IGNORE) {
		d->action = ACT_IGNORE;
		d->ntopics = 0;
	} else
		d->action = ACT_REVIEW;
	/* The screening reason first: it decided. */
	if (d->nreasons == MAX_REASONS)
		free(d->reasons[--d->nreasons]);
	memmove(d->reasons + 1, d->reasons, d->nreasons * sizeof *d->reasons);
	d->reasons[0] = xasprintf("%s: %s", rule->name, why);
	d->nreasons++;
	free(why);
}

char *
decision_topics(const struct core *core, const struct decision *d)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < d->ntopics; i++) {
		if (i > 0)
			buf_addc(&b, ',');
		buf_adds(&b, core->rules->topics[d->topics[i]].id);
	}
	return (buf_steal(&b));
}

const char *
decision_verdict(const struct decision *d)
{
	if (d->verdict == VD_REPLY || d->vreason >= d->nreasons)
		return (NULL);
	return (d->reasons[d->vreason]);
}

int
decide_raw(const struct core *core, const char *raw, size_t len,
    struct message **msgp, struct decision *d)
{
	char	*cause = NULL;

	if (message_parse(raw, len, msgp, &cause) != 0) {
		d->rule = "unreadable";
		decision_why(d, VD_SCREENED, "unreadable: %s", cause);
		free(cause);
		return (-1);
	}
	decide(core, *msgp, d);
	return (0);
}

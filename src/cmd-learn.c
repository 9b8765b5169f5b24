/*
 * "learn": the weights of the rules' keywords and pairs fitted on labelled
 * mail -- the directories given (each with its labels.yaml) and the
 * operators' decisions in the review queue (labels_queue()) -- and the
 * figures that say whether they decide better than the rules' own.
 *
 * Every message is decided once by the rules' weights, which gives the
 * features each topic found (decision.features_on: what each keyword and
 * pair was worth per unit of its weight).  The topics' weights are then
 * fitted together by logistic regression (learn.c, fit_all()), pulled
 * toward the rules' weights, and turned into points: a topic whose
 * probability reaches the threshold p scores classify.threshold, so that
 * everything else of the decision -- strong keywords, questions, margins,
 * second topics, signals, screens -- works on the fitted points as on the
 * rules'.
 *
 * How hard the weights are pulled (the penalty; the rules' weights
 * themselves are one of the choices) and the threshold p are chosen by
 * cross-validation: K times, the weights are fitted without one K-th of
 * the messages, and that K-th is decided again, by the whole classifier,
 * with them; the choice is the one that answers the most messages rightly
 * while the replies stay precise enough (--precision, 99 % by default).
 * The figures are honest: the K-th scored is left out of the choice too
 * (a cross-validation inside each fold chooses for it).  Then:
 *   learn --cv K DIR...	the figures alone, beside the rules' weights';
 *   learn --dry-run DIR...	the figures, and the decisions that weights
 *				fitted on everything would change;
 *   learn DIR...		the same, and the weights written to
 *				classify.weights (or -o FILE), the file
 *				they replace kept as FILE.prev.
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "floss-responder.h"
#include "cmd.h"

#define LEARN_SCALE	0.5	/* a rules' weight, as a fitted one */
#define LEARN_FOLDS	10
#define LEARN_SWEEPS	50	/* over the topics, at most */
#define LEARN_TOL	1e-6	/* a sweep that moves no weight more ends */
/*
 * The thresholds tried: 0.50, 0.55 ... 0.95.  Never below 1/2, where the
 * rules put theirs: the labelled mail is what the rules were written
 * against, so its out-of-fold figures below that measure how well the
 * lexicons fit it, not new mail -- and on mail the rules never saw, lower
 * thresholds answered more wrongly.
 */
#define NTAU		10
#define TAU(k)		(0.5 + 0.05 * (k))
/*
 * The penalties toward the prior tried, the strongest first; 0 stands for
 * an infinite one: the rules' weights, not fitted.  With it among them,
 * the fit is used only where it decides better than the rules' weights
 * on messages it was not fitted on.
 */
#define NPEN		4
static const double penalties[NPEN] = { 0, 30, 10, 3 };

/* A penalty and a threshold (their numbers), and the cross-validated
 * figures that chose them. */
struct choice {
	int		 pen, tau;
	int		 ok;		/* precise enough */
	struct wfigures	 fg;
};

struct sample {
	const struct label	*label;
	char			*raw;		/* the message (owned) */
	size_t			 len;
	struct message		*msg;		/* parsed, once (owned) */
	struct feature		*f;		/* the features found */
	size_t			 nf;
	struct outcome {
		enum action	 action;
		int		 topics[MAX_TOPICS];
		size_t		 ntopics;
	}			 hand,		/* by the rules' weights */
				 now,		/* by the weights in use */
				 cv,		/* out of fold */
				 fit;		/* by the weights fitted on all */
};

/* One topic's fit: the features it showed and their weights. */
struct tfit {
	uint32_t	*ids;
	double		*w;
	size_t		 d;
	double		 b;
	double		*x;		/* [nr * d]: the rows */
	size_t		*rows;		/* [nr]: the training messages (their
					   numbers) that show a feature */
	size_t		 nr;
};

struct learn {
	struct core	*core;
	struct sample	*s;
	size_t		 n;
	struct tfit	*fit;		/* [ntopics] */
	size_t		 nfeat;		/* patterns and pairs */
	double		*hand;		/* [nfeat]: the rules' weights */
	double		*st;		/* [ntopics]: to_points()'s scales */
	double		 precision;
};

static int
has_topic(const int *v, size_t n, int t)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (v[i] == t)
			return (1);
	return (0);
}

/* A reply is right when the label says reply and every topic answered is
 * one asked; a reply to what should be ignored is unsafe. */
static void
count(struct wfigures *fg, const struct label *l, const struct outcome *o)
{
	size_t	i;

	if (l->action == ACT_REPLY)
		fg->answerable++;
	if (o->action != ACT_REPLY)
		return;
	fg->replies++;
	if (l->action == ACT_IGNORE)
		fg->unsafe++;
	if (l->action != ACT_REPLY || o->ntopics == 0)
		return;
	for (i = 0; i < o->ntopics; i++)
		if (!has_topic(l->topics, l->ntopics, o->topics[i]))
			return;
	fg->right++;
	/* Of the topics a rightly answered message asks, those answered. */
	fg->asked += (int)l->ntopics;
	fg->answered += (int)o->ntopics;
}

/* The figures of every sample's outcome which: by the rules' weights, by
 * the weights in use, or out of fold. */
#define WHICH_HAND	0
#define WHICH_NOW	1
#define WHICH_CV	2
static void
tally(const struct learn *lr, int which, struct wfigures *fg)
{
	const struct sample	*s;
	size_t			 i;

	memset(fg, 0, sizeof *fg);
	for (i = 0; i < lr->n; i++) {
		s = &lr->s[i];
		count(fg, s->label, which == WHICH_HAND ? &s->hand :
		    which == WHICH_NOW ? &s->now : &s->cv);
	}
}

static void
figures_print(const char *name, const struct wfigures *fg)
{
	printf("%-26s %4d %5d %8.1f %% %6.1f %% %6.1f %% %6d\n", name,
	    fg->replies, fg->right, fg->replies ? 100.0 * fg->right /
	    fg->replies : 0, fg->answerable ? 100.0 * fg->right /
	    fg->answerable : 0, fg->asked ? 100.0 * fg->answered / fg->asked :
	    0, fg->unsafe);
}

/* Decides sample s with the weights w (NULL: the rules'), into o; the
 * features too, when f is set. */
static void
decide_with(struct learn *lr, struct weights *w, struct sample *s,
    struct outcome *o, int features)
{
	struct weights	*keep = lr->core->weights;
	struct decision	 d;

	lr->core->weights = w;
	decision_init(&d);
	d.features_on = features;
	if (s->msg != NULL)
		decide(lr->core, s->msg, &d);
	else
		decide_raw(lr->core, s->raw, s->len, &s->msg, &d);
	o->action = d.action;
	o->ntopics = d.ntopics;
	memcpy(o->topics, d.topics, d.ntopics * sizeof *d.topics);
	if (features) {
		s->f = d.features;
		s->nf = d.nfeatures;
		d.features = NULL;
		d.nfeatures = 0;
	}
	decision_clear(&d);
	lr->core->weights = keep;
}

/* Where feature id sits among the d ids, d when it is not there. */
static size_t
idx(const uint32_t *ids, size_t d, uint32_t id)
{
	size_t	m;

	for (m = 0; m < d && ids[m] != id; m++)
		;
	return (m);
}

/* Sample s's row of topic t's features ids[d], into row[d]. */
static void
row_fill(double *row, const uint32_t *ids, size_t d, const struct sample *s,
    int t)
{
	size_t	j;

	memset(row, 0, d * sizeof *row);
	for (j = 0; j < s->nf; j++)
		if (s->f[j].topic == t)
			row[idx(ids, d, s->f[j].id)] += s->f[j].x;
}

/* The odds, exp of the logistic score, of row number k of fit f; the
 * score is bounded, that they stay finite. */
static double
odds(const struct tfit *f, size_t k)
{
	double	z = lr_score(f->w, f->b, f->x + k * f->d, f->d);

	return (exp(z < 500 ? z : 500));
}

static void
tfit_clear(struct tfit *f)
{
	free(f->ids);
	free(f->w);
	free(f->x);
	free(f->rows);
	memset(f, 0, sizeof *f);
}

/* How many topics of the rules label l asks (none for spam). */
static size_t
nasked(const struct rules *r, const struct label *l)
{
	size_t	i, n = 0;

	if (l->action == ACT_IGNORE)
		return (0);
	for (i = 0; i < l->ntopics; i++)
		n += !r->topics[l->topics[i]].signal;
	return (n);
}

/* Topic t's features -- those any training message (train[i] set)
 * showed -- and their rows, one a training message that shows one, into
 * f.  The others score the intercept whatever the weights. */
static void
topic_rows(struct learn *lr, int t, const unsigned char *train,
    struct tfit *f)
{
	size_t	i, j, m;

	tfit_clear(f);
	for (i = 0; i < lr->n; i++) {
		if (!train[i])
			continue;
		for (j = 0; j < lr->s[i].nf; j++) {
			if (lr->s[i].f[j].topic != t ||
			    idx(f->ids, f->d, lr->s[i].f[j].id) != f->d)
				continue;
			f->ids = xreallocarray(f->ids, f->d + 1,
			    sizeof *f->ids);
			f->ids[f->d++] = lr->s[i].f[j].id;
		}
	}
	f->x = xcalloc(lr->n * (f->d + 1), sizeof *f->x);
	f->w = xcalloc(f->d + 1, sizeof *f->w);
	f->rows = xcalloc(lr->n + 1, sizeof *f->rows);
	for (i = 0, m = 0; i < lr->n; i++) {
		if (!train[i])
			continue;
		for (j = 0; j < lr->s[i].nf; j++)
			if (lr->s[i].f[j].topic == t && lr->s[i].f[j].x != 0)
				break;
		if (j < lr->s[i].nf) {
			row_fill(f->x + f->nr * f->d, f->ids, f->d, &lr->s[i],
			    t);
			f->rows[f->nr++] = m;
		}
		m++;
	}
}

/*
 * Fits every topic on the samples of train (train[i] set), together: the
 * classifier answers the topic that scores the most, so a message that
 * asks another topic, scored higher, is no evidence against this one's
 * keywords.  The model is the multinomial one -- a message asks topic t
 * with probability exp z_t / (1 + sum over the topics u of exp z_u), z_t
 * its logistic score, the 1 standing for "none" -- and a message that
 * asks n topics asks each with 1/n.  Its loss is minimised one topic at a
 * time (a logistic regression whose offset is what the other topics
 * score, -log(1 + sum exp z_u)), sweep after sweep, until the weights
 * stay.  The penalty l2 is 0 for no fit: the rules' weights.
 */
static int
fit_all(struct learn *lr, const unsigned char *train, double l2,
    char **cause)
{
	const struct rules	*r = lr->core->rules;
	const struct label	*l;
	struct tfit		*f;
	struct lr_problem	 pb;
	double			*e, *off, *soft, *ys, *prior, *old, big, sum;
	char			*why = NULL;
	size_t			 nt = r->ntopics, n, i, m, j, sweep;
	int			 t, u, rv = 0;

	if (l2 == 0) {
		for (t = 0; t < (int)nt; t++) {
			tfit_clear(&lr->fit[t]);
			lr->fit[t].b = -LEARN_SCALE *
			    lr->core->conf->threshold;
		}
		return (0);
	}
	for (i = 0, n = 0; i < lr->n; i++)
		n += train[i] != 0;
	e = xcalloc(n * nt + 1, sizeof *e);
	off = xcalloc(n + 1, sizeof *off);
	ys = xcalloc(n + 1, sizeof *ys);
	soft = xcalloc(n * nt + 1, sizeof *soft);
	for (i = 0, m = 0; i < lr->n; i++) {
		if (!train[i])
			continue;
		l = lr->s[i].label;
		for (j = 0; j < l->ntopics && nasked(r, l) > 0; j++)
			if (!r->topics[l->topics[j]].signal)
				soft[(size_t)l->topics[j] * n + m] =
				    1.0 / (double)nasked(r, l);
		m++;
	}
	/* Every topic starts at the prior: the rules' weights, scaled. */
	for (t = 0; t < (int)nt; t++) {
		if (r->topics[t].signal)
			continue;
		f = &lr->fit[t];
		topic_rows(lr, t, train, f);
		for (j = 0; j < f->d; j++)
			f->w[j] = LEARN_SCALE * lr->hand[f->ids[j]];
		/* The intercept stays where the rules put the threshold:
		 * with the prior's weights, probability 1/2 is
		 * classify.threshold. */
		f->b = -LEARN_SCALE * lr->core->conf->threshold;
		for (m = 0; m < n; m++)
			e[m * nt + (size_t)t] = exp(f->b);
		for (m = 0; m < f->nr; m++)
			e[f->rows[m] * nt + (size_t)t] = odds(f, m);
	}
	prior = old = NULL;
	for (sweep = 0; sweep < LEARN_SWEEPS; sweep++) {
		big = 0;
		for (t = 0; t < (int)nt; t++) {
			if (r->topics[t].signal)
				continue;
			f = &lr->fit[t];
			/* Only the messages that show a feature of the
			 * topic: with the intercept fixed, the others weigh
			 * on no weight. */
			for (m = 0; m < f->nr; m++) {
				sum = 0;
				for (u = 0; u < (int)nt; u++)
					if (u != t)
						sum += e[f->rows[m] * nt +
						    (size_t)u];
				off[m] = -log1p(sum);
				ys[m] = soft[(size_t)t * n + f->rows[m]];
			}
			prior = xreallocarray(prior, f->d + 1, sizeof *prior);
			old = xreallocarray(old, f->d + 1, sizeof *old);
			for (j = 0; j < f->d; j++) {
				prior[j] = LEARN_SCALE * lr->hand[f->ids[j]];
				old[j] = f->w[j];
			}
			memset(&pb, 0, sizeof pb);
			pb.n = f->nr;
			pb.d = f->d;
			pb.x = f->x;
			pb.prior = prior;
			pb.fixed_b = 1;
			pb.b0 = f->b;
			pb.l2 = l2;
			pb.offset = off;
			pb.soft = ys;
			pb.warm = 1;
			if (lr_fit(&pb, f->w, &f->b, &why) != 0) {
				*cause = xasprintf("%s: %s", r->topics[t].id,
				    why);
				free(why);
				rv = -1;
				goto out;
			}
			for (j = 0; j < f->d; j++)
				if (fabs(f->w[j] - old[j]) > big)
					big = fabs(f->w[j] - old[j]);
			for (m = 0; m < f->nr; m++)
				e[f->rows[m] * nt + (size_t)t] = odds(f, m);
		}
		if (big < LEARN_TOL)
			break;
	}
out:
	free(e);
	free(off);
	free(ys);
	free(soft);
	free(prior);
	free(old);
	return (rv);
}

/* The points of every topic's fit at the threshold tau: a topic whose
 * probability is tau scores classify.threshold.  scale[t] is the points
 * of a unit of a rules' weight the fit did not see. */
static void
to_points(struct learn *lr, double tau, struct weights *w, double *scale)
{
	const struct rules	*r = lr->core->rules;
	const struct pattern	*p;
	const struct tfit	*f;
	double			 z;
	size_t			 i, m;
	int			 t;

	memcpy(w->w, lr->hand, w->n * sizeof *w->w);
	for (t = 0; t < (int)r->ntopics; t++) {
		if (r->topics[t].signal)
			continue;
		f = &lr->fit[t];
		/* sum w x + b >= logit(tau)  <=>  points >= threshold */
		z = log(tau / (1 - tau)) - f->b;
		if (z < 0.5)
			z = 0.5;
		lr->st[t] = lr->core->conf->threshold / z;
		if (scale != NULL)
			scale[t] = lr->st[t] * LEARN_SCALE;
		for (i = 0; i < r->topics[t].npairs; i++)
			w->w[rules_pair_id(r, t, (int)i)] = lr->st[t] *
			    LEARN_SCALE * r->topics[t].pairs[i].weight;
	}
	/* The keywords in one pass, each by its topic's scale. */
	for (i = 0; i < r->npatterns; i++) {
		p = &r->patterns[i];
		if (p->kind == PAT_KEYWORD && p->topic >= 0 &&
		    !r->topics[p->topic].signal)
			w->w[i] = lr->st[p->topic] * LEARN_SCALE * p->weight;
	}
	/* Then what the fit saw: each topic fits its own features only. */
	for (t = 0; t < (int)r->ntopics; t++) {
		if (r->topics[t].signal)
			continue;
		f = &lr->fit[t];
		for (m = 0; m < f->d; m++)
			w->w[f->ids[m]] = lr->st[t] * f->w[m];
	}
}

/* Whether figures a are better than b: precise enough, then right the
 * most often, then with the fewest replies; when neither is precise
 * enough, the more precise. */
/* Whether figures are precise enough: replies, and right at least at the
 * precision asked. */
static int
precise(const struct learn *lr, const struct wfigures *fg)
{
	return (fg->replies > 0 && fg->right >= lr->precision * fg->replies);
}

static int
better(const struct learn *lr, const struct wfigures *a,
    const struct wfigures *b)
{
	int	aok, bok;

	aok = precise(lr, a);
	bok = precise(lr, b);
	if (aok != bok)
		return (aok);
	if (!aok)
		return ((double)a->right * b->replies > (double)b->right *
		    a->replies);
	return (a->right > b->right || (a->right == b->right &&
	    a->replies < b->replies));
}

/*
 * The penalty and the threshold for the samples of within, by K-fold
 * cross-validation on them alone: every one of them decided, for every
 * penalty and threshold, by weights fitted on the others.  The choice is
 * the one whose replies are precise enough and right the most often; of
 * equals, the fewest replies, then the strongest penalty (the rules'
 * weights first) and the highest threshold.  c->ok is 0 when no choice
 * is precise enough.
 */
static int
choose(struct learn *lr, int k, const unsigned char *within,
    struct choice *c, char **cause)
{
	struct wfigures	 fg[NPEN][NTAU];
	struct weights	 w;
	struct outcome	 o;
	unsigned char	*train;
	size_t		*pos, i, m;
	int		 g, pn, tk, rv = 0;

	memset(fg, 0, sizeof fg);
	memset(&w, 0, sizeof w);
	w.n = lr->nfeat;
	w.w = xcalloc(w.n + 1, sizeof *w.w);
	train = xcalloc(lr->n + 1, 1);
	pos = xcalloc(lr->n + 1, sizeof *pos);
	for (i = 0, m = 0; i < lr->n; i++)
		if (within[i])
			pos[i] = m++;
	for (g = 0; g < k && (size_t)g < m; g++) {
		for (i = 0; i < lr->n; i++)
			train[i] = within[i] && pos[i] % (size_t)k !=
			    (size_t)g;
		for (pn = 0; pn < NPEN; pn++) {
			if (fit_all(lr, train, penalties[pn], cause) != 0) {
				rv = -1;
				goto out;
			}
			for (tk = 0; tk < NTAU; tk++) {
				to_points(lr, TAU(tk), &w, NULL);
				for (i = 0; i < lr->n; i++) {
					if (!within[i] || train[i])
						continue;
					decide_with(lr, &w, &lr->s[i], &o, 0);
					count(&fg[pn][tk], lr->s[i].label, &o);
				}
			}
		}
	}
	c->pen = 0;
	c->tau = NTAU - 1;
	for (pn = 0; pn < NPEN; pn++)
		for (tk = NTAU - 1; tk >= 0; tk--)
			if (better(lr, &fg[pn][tk], &fg[c->pen][c->tau])) {
				c->pen = pn;
				c->tau = tk;
			}
	c->fg = fg[c->pen][c->tau];
	c->ok = precise(lr, &c->fg);
out:
	free(w.w);
	free(train);
	free(pos);
	return (rv);
}

/*
 * K folds: every sample decided by weights fitted without its fold, with
 * the penalty and the threshold chosen without it too (by a K-fold
 * cross-validation on the other folds), into s->cv; the choices into
 * c[k].
 */
static int
cross_validate(struct learn *lr, int k, struct choice *c, char **cause)
{
	struct weights	 w;
	unsigned char	*within;
	size_t		 i;
	int		 fold, rv = 0;

	memset(&w, 0, sizeof w);
	w.n = lr->nfeat;
	w.w = xcalloc(w.n + 1, sizeof *w.w);
	within = xcalloc(lr->n + 1, 1);
	for (fold = 0; fold < k; fold++) {
		for (i = 0; i < lr->n; i++)
			within[i] = (int)(i % (size_t)k) != fold;
		if (choose(lr, k, within, &c[fold], cause) != 0 ||
		    fit_all(lr, within, penalties[c[fold].pen], cause) != 0) {
			rv = -1;
			break;
		}
		to_points(lr, TAU(c[fold].tau), &w, NULL);
		for (i = (size_t)fold; i < lr->n; i += (size_t)k)
			decide_with(lr, &w, &lr->s[i], &lr->s[i].cv, 0);
	}
	free(w.w);
	free(within);
	return (rv);
}

/* What was chosen in the folds: "probability 0.50 (10 folds); the rules'
 * weights (3), penalty 10 (7)". */
static void
choices_print(const struct choice *c, int k)
{
	int	n, i, v, any;

	printf("  in each fold, chosen without it: probability");
	for (v = 0, any = 0; v < NTAU; v++) {
		for (i = n = 0; i < k; i++)
			n += c[i].tau == v;
		if (n == 0)
			continue;
		printf("%s %.2f (%d%s)", any ? "," : "", TAU(v), n,
		    any ? "" : n == 1 ? " fold" : " folds");
		any = 1;
	}
	printf(";");
	for (v = 0, any = 0; v < NPEN; v++) {
		for (i = n = 0; i < k; i++)
			n += c[i].pen == v;
		if (n == 0)
			continue;
		printf("%s ", any++ ? "," : "");
		if (penalties[v] == 0)
			printf("the rules' weights (%d)", n);
		else
			printf("penalty %g (%d)", penalties[v], n);
	}
	printf("\n");
}

/* Per topic: replies naming it, right, and the messages that ask it. */
static void
topics_print(struct learn *lr)
{
	const struct rules	*r = lr->core->rules;
	const struct label	*l;
	const struct outcome	*h, *c;
	size_t			 i;
	int			 t, asked, hr, hok, cr, cok;

	printf("per topic: right / replies, rules' weights and fitted, of the"
	    " messages that ask it\n");
	for (t = 0; t < (int)r->ntopics; t++) {
		if (r->topics[t].signal)
			continue;
		asked = hr = hok = cr = cok = 0;
		for (i = 0; i < lr->n; i++) {
			l = lr->s[i].label;
			h = &lr->s[i].hand;
			c = &lr->s[i].cv;
			if (l->action == ACT_REPLY &&
			    has_topic(l->topics, l->ntopics, t))
				asked++;
			if (h->action == ACT_REPLY &&
			    has_topic(h->topics, h->ntopics, t)) {
				hr++;
				hok += l->action == ACT_REPLY &&
				    has_topic(l->topics, l->ntopics, t);
			}
			if (c->action == ACT_REPLY &&
			    has_topic(c->topics, c->ntopics, t)) {
				cr++;
				cok += l->action == ACT_REPLY &&
				    has_topic(l->topics, l->ntopics, t);
			}
		}
		printf("  %-24s %4d / %-3d %-3s %4d / %-3d of %d\n",
		    r->topics[t].id, hok, hr, "", cok, cr, asked);
	}
}

static void
outcome_print(const struct rules *r, const struct outcome *o)
{
	size_t	i;

	printf("%s", action_name(o->action));
	for (i = 0; i < o->ntopics; i++)
		printf("%c%s", i == 0 ? ' ' : ',', r->topics[o->topics[i]].id);
}

static int
outcome_same(const struct outcome *a, const struct outcome *b)
{
	return (a->action == b->action && a->ntopics == b->ntopics &&
	    memcmp(a->topics, b->topics, a->ntopics * sizeof *a->topics) ==
	    0);
}

/* The decisions the new weights change, against those of the weights in
 * use, with what the label says. */
static void
changes_print(struct learn *lr)
{
	const struct rules	*r = lr->core->rules;
	struct sample		*s;
	struct outcome		 want;
	struct wfigures		 before, after;
	size_t			 i, changed = 0, better = 0, worse = 0;

	printf("decisions the new weights change (%s -> new):\n",
	    lr->core->weights != NULL ? lr->core->weights->path :
	    "the rules' weights");
	for (i = 0; i < lr->n; i++) {
		s = &lr->s[i];
		if (outcome_same(&s->now, &s->fit))
			continue;
		changed++;
		memset(&before, 0, sizeof before);
		memset(&after, 0, sizeof after);
		count(&before, s->label, &s->now);
		count(&after, s->label, &s->fit);
		if (after.right > before.right || (after.right ==
		    before.right && after.replies < before.replies))
			better++;
		else if (after.right < before.right || after.replies >
		    before.replies)
			worse++;
		printf("  %s: ", s->label->file);
		outcome_print(r, &s->now);
		printf(" -> ");
		outcome_print(r, &s->fit);
		memset(&want, 0, sizeof want);
		want.action = s->label->action;
		want.ntopics = s->label->ntopics;
		memcpy(want.topics, s->label->topics,
		    want.ntopics * sizeof *want.topics);
		printf(" (labelled ");
		outcome_print(r, &want);
		printf(")\n");
	}
	printf("%zu decision%s change: %zu for the better, %zu for the worse,"
	    " as the labels say\n", changed, changed == 1 ? "" : "s", better,
	    worse);
}

/* The date the file says it was fitted: SOURCE_DATE_EPOCH's, or today,
 * in UTC. */
static void
fit_date(char *date, size_t size)
{
	const char	*e = getenv("SOURCE_DATE_EPOCH");
	time_t		 t = e != NULL ? (time_t)strtoll(e, NULL, 10) :
			    time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(date, size, "%Y-%m-%d", &tm);
}

/* Writes the weights to path, through path.tmp; the file it replaces is
 * kept as path.prev. */
static int
weights_save(const char *path, const struct buf *b, char **cause)
{
	char	*tmp, *prev;
	FILE	*f;
	int	 rv = -1;

	tmp = xasprintf("%s.tmp", path);
	prev = xasprintf("%s.prev", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (fwrite(b->data, 1, b->len, f) != b->len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		*cause = xasprintf("%s: %s", tmp, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	fclose(f);
	if ((unlink(prev) != 0 && errno != ENOENT) ||
	    (link(path, prev) != 0 && errno != ENOENT) ||
	    rename(tmp, path) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rv = 0;
out:
	free(tmp);
	free(prev);
	return (rv);
}

/* The operators' decisions of the journal, when there is one. */
static int
journal_labels(const struct core *core, struct labels *labels, size_t *n)
{
	struct journal	*j;
	struct qentry	*q;
	char		*cause = NULL;
	size_t		 nq, i;

	*n = 0;
	if (access(core->conf->state_path, F_OK) != 0)
		return (0);
	if ((j = journal_open(core->conf->state_path, &cause)) == NULL ||
	    journal_queue_list(j, 1, &q, &nq, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		journal_close(j);
		return (-1);
	}
	*n = labels_queue(labels, core->rules, q, nq);
	for (i = 0; i < nq; i++)
		qentry_clear(&q[i]);
	free(q);
	journal_close(j);
	return (0);
}

/* The weights fitted on everything with the penalty and the threshold c,
 * written or not. */
static int
learn_write(struct learn *lr, const struct choice *c, int k,
    const struct wfigures *cv, const struct winput *in, size_t nin,
    const char *out, int dry_run)
{
	const struct rules	*r = lr->core->rules;
	struct weights		 w;
	struct wfile		 wf;
	struct buf		 b;
	double			*scale;
	unsigned char		*seen;
	char			 date[16], *cause = NULL;
	size_t			 i, m;
	int			 t, rv = 0;

	seen = xmalloc(lr->n + 1);
	memset(seen, 1, lr->n + 1);
	if (fit_all(lr, seen, penalties[c->pen], &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		free(seen);
		return (EX_SOFTWARE);
	}
	free(seen);
	memset(&w, 0, sizeof w);
	w.n = lr->nfeat;
	w.w = xcalloc(w.n + 1, sizeof *w.w);
	w.path = (char *)"(new)";
	w.threshold = lr->core->conf->threshold;
	scale = xcalloc(r->ntopics + 1, sizeof *scale);
	seen = xcalloc(w.n + 1, 1);
	to_points(lr, TAU(c->tau), &w, scale);
	for (t = 0; t < (int)r->ntopics; t++)
		for (m = 0; !r->topics[t].signal && m < lr->fit[t].d; m++)
			seen[lr->fit[t].ids[m]] = 1;
	for (i = 0; i < lr->n; i++)
		decide_with(lr, &w, &lr->s[i], &lr->s[i].fit, 0);
	if (dry_run)
		changes_print(lr);
	else if (out != NULL) {
		fit_date(date, sizeof date);
		memset(&wf, 0, sizeof wf);
		wf.date = date;
		wf.threshold = lr->core->conf->threshold;
		wf.precision = lr->precision;
		wf.probability = TAU(c->tau);
		wf.inputs = (struct winput *)in;
		wf.ninputs = nin;
		wf.folds = k;
		wf.cv = *cv;
		wf.scale = scale;
		wf.w = w.w;
		wf.seen = seen;
		buf_init(&b);
		weights_write(&b, r, &wf);
		if (weights_save(out, &b, &cause) != 0) {
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			rv = EX_CANTCREAT;
		} else
			printf("weights written to %s (the previous ones, if"
			    " any, in %s.prev)\n", out, out);
		buf_free(&b);
	}
	free(w.w);
	free(scale);
	free(seen);
	return (rv);
}

static int
cmd_learn_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cv", required_argument, NULL, 'k' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "no-journal", no_argument, NULL, 'J' },
		{ "output", required_argument, NULL, 'o' },
		{ "precision", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct learn		 lr;
	struct labels		 labels;
	struct errors		 e = { NULL, 0 };
	struct winput		*in = NULL;
	struct wfigures		 hand, now, best;
	struct choice		*folds = NULL, chosen;
	unsigned char		*all = NULL;
	const char		*out = NULL;
	char			*cause = NULL, *end;
	size_t			 i, nin = 0, before, nj;
	int			 ch, k = LEARN_FOLDS, cv_only = 0, dry_run = 0;
	int			 journal = 1, status = 0;

	memset(&lr, 0, sizeof lr);
	lr.precision = 0.99;
	while ((ch = getopt_long(argc, argv, "k:no:p:", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'k':
			k = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || k < 2 || k > 100) {
				fprintf(stderr, "floss-responder: --cv: a"
				    " number of folds from 2 to 100\n");
				return (EX_USAGE);
			}
			cv_only = 1;
			break;
		case 'n':
			dry_run = 1;
			break;
		case 'J':
			journal = 0;
			break;
		case 'o':
			out = optarg;
			break;
		case 'p':
			lr.precision = strtod(optarg, &end);
			if (*end != '\0' || !(lr.precision > 0) ||
			    lr.precision > 1) {
				fprintf(stderr, "floss-responder: --precision:"
				    " a fraction above 0, at most 1\n");
				return (EX_USAGE);
			}
			break;
		default:
			return (EX_USAGE);
		}
	}
	lr.core = cmd_load_core_flags(config, CORE_NEW_WEIGHTS);
	if (out == NULL && !cv_only && !dry_run) {
		if (*lr.core->conf->weights_path == '\0') {
			fprintf(stderr, "floss-responder: learn: where to"
			    " write the weights? -o FILE, or classify.weights"
			    " in %s\n", config);
			core_free(lr.core);
			return (EX_USAGE);
		}
		out = lr.core->conf->weights_path;
	}
	memset(&labels, 0, sizeof labels);
	for (; optind < argc; optind++) {
		before = labels.n;
		labels_load(&labels, lr.core->rules, argv[optind], &e);
		in = xreallocarray(in, nin + 1, sizeof *in);
		in[nin].source = argv[optind];
		in[nin++].messages = labels.n - before;
	}
	if (e.n == 0 && journal) {
		if (journal_labels(lr.core, &labels, &nj) != 0)
			status = EX_IOERR;
		else if (nj > 0) {
			in = xreallocarray(in, nin + 1, sizeof *in);
			in[nin].source = "journal";
			in[nin++].messages = nj;
		}
	}
	if (e.n > 0) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		errors_free(&e);
		status = EX_DATAERR;
	} else if (status == 0 && labels.n < (size_t)k) {
		fprintf(stderr, "floss-responder: learn: %zu labelled"
		    " message%s, fewer than the %d folds\n", labels.n,
		    labels.n == 1 ? "" : "s", k);
		status = EX_DATAERR;
	}
	if (status != 0)
		goto out;

	lr.n = labels.n;
	lr.s = xcalloc(lr.n + 1, sizeof *lr.s);
	lr.fit = xcalloc(lr.core->rules->ntopics + 1, sizeof *lr.fit);
	lr.nfeat = rules_pair_id(lr.core->rules,
	    (int)lr.core->rules->ntopics, 0);
	lr.hand = xcalloc(lr.nfeat + 1, sizeof *lr.hand);
	for (i = 0; i < lr.nfeat; i++)
		lr.hand[i] = weights_hand(lr.core->rules, (uint32_t)i);
	lr.st = xcalloc(lr.core->rules->ntopics + 1, sizeof *lr.st);
	for (i = 0; i < lr.n; i++) {
		lr.s[i].label = &labels.v[i];
		if (labels.v[i].raw != NULL) {
			lr.s[i].raw = xmalloc(labels.v[i].rawlen + 1);
			memcpy(lr.s[i].raw, labels.v[i].raw,
			    labels.v[i].rawlen + 1);
			lr.s[i].len = labels.v[i].rawlen;
		} else if ((lr.s[i].raw = read_message(labels.v[i].file,
		    &lr.s[i].len, &cause)) == NULL) {
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			status = EX_NOINPUT;
			goto out;
		}
		/* The features as the rules weigh, whatever file is in use. */
		decide_with(&lr, NULL, &lr.s[i], &lr.s[i].hand, 1);
		decide_with(&lr, lr.core->weights, &lr.s[i], &lr.s[i].now, 0);
	}
	/* The figures out of fold, then the choice for the weights written:
	 * by a cross-validation on every message. */
	folds = xcalloc((size_t)k, sizeof *folds);
	all = xmalloc(lr.n + 1);
	memset(all, 1, lr.n + 1);
	if (cross_validate(&lr, k, folds, &cause) != 0 ||
	    choose(&lr, k, all, &chosen, &cause) != 0) {
		fprintf(stderr, "floss-responder: %s\n", cause);
		free(cause);
		status = EX_SOFTWARE;
		goto out;
	}
	tally(&lr, WHICH_HAND, &hand);
	tally(&lr, WHICH_CV, &best);
	printf("%zu labelled messages (", lr.n);
	for (i = 0; i < nin; i++)
		printf("%s%s %zu", i ? ", " : "", in[i].source,
		    in[i].messages);
	printf("), %d folds\n", k);
	printf("%-26s %4s %5s %10s %8s %8s %6s\n", "", "replies", "right",
	    "precision", "recall", "topics", "unsafe");
	figures_print("rules' weights", &hand);
	if (lr.core->weights != NULL) {
		tally(&lr, WHICH_NOW, &now);
		figures_print("weights in use (in sample)", &now);
	}
	figures_print("fitted, out of fold", &best);
	if (!chosen.ok) {
		printf("fitted weights: no threshold keeps a precision of"
		    " %.0f %% out of fold\n", lr.precision * 100);
		status = cv_only ? 0 : EX_DATAERR;
		goto out;
	}
	printf("threshold: probability %.2f, ", TAU(chosen.tau));
	if (penalties[chosen.pen] == 0)
		printf("with the rules' weights");
	else
		printf("penalty %g", penalties[chosen.pen]);
	printf(": the most right replies at a precision of %.0f %% or more\n",
	    lr.precision * 100);
	choices_print(folds, k);
	topics_print(&lr);
	if (!cv_only)
		status = learn_write(&lr, &chosen, k, &best, in, nin, out,
		    dry_run);

out:
	for (i = 0; lr.s != NULL && i < lr.n; i++) {
		free(lr.s[i].raw);
		free(lr.s[i].f);
		message_free(lr.s[i].msg);
	}
	for (i = 0; lr.fit != NULL && i < lr.core->rules->ntopics; i++)
		tfit_clear(&lr.fit[i]);
	free(lr.fit);
	free(lr.s);
	free(lr.hand);
	free(lr.st);
	free(in);
	free(folds);
	free(all);
	labels_free(&labels);
	core_free(lr.core);
	if (fflush(stdout) != 0 && status == 0)
		return (EX_IOERR);
	return (status);
}

const struct cmd_entry cmd_learn_entry = {
	"learn", "[--cv K | --dry-run] [-o FILE] [--precision P] [--no-journal]"
	" [DIR...]",
	"fit the weights of the rules on labelled mail (each DIR and its"
	" labels.yaml) and the operators' decisions in the review queue;"
	" --cv K: the cross-validated figures only, beside the rules'"
	" weights'; --dry-run: the decisions the new weights would change",
	cmd_learn_exec
};

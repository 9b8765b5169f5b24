/*
 * "learn --cv K DIR...": how weights fitted on labelled mail would decide,
 * measured honestly.  The messages of the directories (each with its
 * labels.yaml) are decided as the rules stand, with the features each
 * topic found (decision.features_on); then, K times, every topic's weights
 * are fitted on all but one K-th of them (learn.c, pulled toward the hand
 * weights) and the left-out K-th is decided by them.  A threshold on the
 * fitted probability is chosen from those out-of-fold decisions so that
 * reply precision stays at least 99 %, and the figures of the hand weights
 * and of the fitted ones are printed side by side.  The screens, the
 * signals and the language are the rules', whatever the weights.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "floss-responder.h"
#include "cmd.h"

#define LEARN_L2	1.0	/* the penalty toward the prior */
#define LEARN_SCALE	0.5	/* a hand weight, as a fitted one */
#define LEARN_PRECISION	0.99	/* the threshold keeps at least this */

struct sample {
	const struct label	*label;
	int			 fixed;		/* screened, ignored or a
						   signal: the rules' decision
						   whatever the weights */
	enum action		 action;	/* the hand weights' */
	int			 topics[MAX_TOPICS];
	size_t			 ntopics;
	struct feature		*f;		/* the features found */
	size_t			 nf;
	double			*p;		/* [ntopics of the rules]:
						   out-of-fold probability */
};

struct figures {
	int	replies, right, answerable;
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

/* A reply is right when the label says reply and every topic answered,
 * the main one first, is one asked. */
static void
count(struct figures *fg, const struct label *l, enum action a,
    const int *topics, size_t n)
{
	size_t	i;

	if (l->action == ACT_REPLY)
		fg->answerable++;
	if (a != ACT_REPLY)
		return;
	fg->replies++;
	if (l->action != ACT_REPLY || n == 0)
		return;
	for (i = 0; i < n; i++)
		if (!has_topic(l->topics, l->ntopics, topics[i]))
			return;
	fg->right++;
}

/* The fitted decision of sample s at threshold tau: the topics whose
 * probability reaches it, likeliest first; review when none does or one
 * of them only a person answers. */
static enum action
fitted(const struct rules *r, const struct config *c, const struct sample *s,
    double tau, int *topics, size_t *n)
{
	size_t		i, k, best;
	enum action	a = ACT_REPLY;

	*n = 0;
	if (s->fixed) {
		memcpy(topics, s->topics, s->ntopics * sizeof *topics);
		*n = s->ntopics;
		return (s->action);
	}
	for (k = 0; k < (size_t)c->max_topics && k < MAX_TOPICS; k++) {
		best = r->ntopics;
		for (i = 0; i < r->ntopics; i++)
			if (!r->topics[i].signal && s->p[i] >= tau &&
			    !has_topic(topics, *n, (int)i) &&
			    (best == r->ntopics || s->p[i] > s->p[best]))
				best = i;
		if (best == r->ntopics)
			break;
		topics[(*n)++] = (int)best;
		if (r->topics[best].action != ACT_REPLY)
			a = ACT_REVIEW;
	}
	return (*n == 0 ? ACT_REVIEW : a);
}

static void
figures_print(const char *name, const struct figures *fg)
{
	printf("%-16s replies %3d, right %3d: precision %5.1f %%, recall"
	    " %5.1f %% (of %d)\n", name, fg->replies, fg->right,
	    fg->replies ? 100.0 * fg->right / fg->replies : 0,
	    fg->answerable ? 100.0 * fg->right / fg->answerable : 0,
	    fg->answerable);
}

/* Where feature id sits among the topic's d features, d when it is not. */
static size_t
idx(const uint32_t *ids, size_t d, uint32_t id)
{
	size_t	m;

	for (m = 0; m < d && ids[m] != id; m++)
		;
	return (m);
}

/* Sample i's row of topic t's features, into row[d]. */
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

/* Out-of-fold probabilities of topic t for every sample, K folds. */
static int
cross_fit(const struct rules *r, struct sample *s, size_t n, int t, int k,
    char **cause)
{
	struct lr_problem	 pb;
	uint32_t		*ids = NULL;
	double			*x, *w, *prior, *row, b;
	unsigned char		*y;
	size_t			 d = 0, i, j, m, fold;
	int			 rv = -1;

	/* The topic's features: those any message showed. */
	for (i = 0; i < n; i++)
		for (j = 0; j < s[i].nf; j++) {
			if (s[i].f[j].topic != t ||
			    idx(ids, d, s[i].f[j].id) != d)
				continue;
			ids = xreallocarray(ids, d + 1, sizeof *ids);
			ids[d++] = s[i].f[j].id;
		}
	prior = xcalloc(d + 1, sizeof *prior);
	for (m = 0; m < d; m++)
		prior[m] = LEARN_SCALE * (ids[m] < r->npatterns ?
		    r->patterns[ids[m]].weight : r->topics[t].pairs[ids[m] -
		    rules_pair_id(r, t, 0)].weight);
	x = xcalloc(n * (d + 1), sizeof *x);
	y = xcalloc(n + 1, 1);
	w = xcalloc(d + 1, sizeof *w);
	row = xcalloc(d + 1, sizeof *row);
	for (fold = 0; fold < (size_t)k; fold++) {
		/* The training rows: every sample not in this fold. */
		m = 0;
		for (i = 0; i < n; i++) {
			if (i % (size_t)k == fold)
				continue;
			row_fill(x + m * d, ids, d, &s[i], t);
			y[m++] = has_topic(s[i].label->topics,
			    s[i].label->ntopics, t);
		}
		memset(&pb, 0, sizeof pb);
		pb.n = m;
		pb.d = d;
		pb.x = x;
		pb.y = y;
		pb.prior = prior;
		pb.l2 = LEARN_L2;
		if (lr_fit(&pb, w, &b, cause) != 0)
			goto out;
		for (i = fold; i < n; i += (size_t)k) {
			row_fill(row, ids, d, &s[i], t);
			s[i].p[t] = lr_predict(w, b, row, d);
		}
	}
	rv = 0;
out:
	free(ids);
	free(prior);
	free(x);
	free(y);
	free(w);
	free(row);
	return (rv);
}

static int
cmd_learn_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cv", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	struct core		*core;
	struct labels		 labels;
	struct errors		 e = { NULL, 0 };
	struct sample		*s;
	struct message		*msg;
	struct decision		 d;
	struct figures		 hand, fit, best, top;
	char			*raw, *cause = NULL, *end;
	size_t			 len, i, n, nt;
	double			 tau, best_tau = 1, top_tau = 1;
	int			 ch, k = 0, status = 0, t, step;
	int			 topics[MAX_TOPICS];
	enum action		 a;

	while ((ch = getopt_long(argc, argv, "k:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'k':
			k = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || k < 2 || k > 100) {
				fprintf(stderr, "floss-responder: --cv: a"
				    " number of folds from 2 to 100\n");
				return (EX_USAGE);
			}
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (k == 0 || optind >= argc) {
		fprintf(stderr, "usage: floss-responder learn --cv K DIR...\n");
		return (EX_USAGE);
	}
	core = cmd_load_core(config);
	memset(&labels, 0, sizeof labels);
	for (; optind < argc; optind++)
		labels_load(&labels, core->rules, argv[optind], &e);
	if (e.n > 0) {
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
		errors_free(&e);
		labels_free(&labels);
		core_free(core);
		return (EX_DATAERR);
	}
	n = labels.n;
	s = xcalloc(n + 1, sizeof *s);
	for (i = 0; i < n; i++) {
		s[i].label = &labels.v[i];
		s[i].p = xcalloc(core->rules->ntopics + 1, sizeof *s[i].p);
		if ((raw = read_message(labels.v[i].file, &len, &cause)) ==
		    NULL) {
			fprintf(stderr, "floss-responder: %s\n", cause);
			free(cause);
			status = EX_NOINPUT;
			s[i].fixed = 1;
			s[i].action = ACT_REVIEW;
			continue;
		}
		decision_init(&d);
		d.features_on = 1;
		msg = NULL;
		decide_raw(core, raw, len, &msg, &d);
		s[i].action = d.action;
		s[i].ntopics = d.ntopics;
		memcpy(s[i].topics, d.topics, d.ntopics * sizeof *d.topics);
		s[i].fixed = d.verdict == VD_SCREENED ||
		    d.verdict == VD_SIGNAL || d.action == ACT_IGNORE;
		s[i].f = d.features;
		s[i].nf = d.nfeatures;
		d.features = NULL;
		d.nfeatures = 0;
		decision_clear(&d);
		message_free(msg);
		free(raw);
	}
	for (t = 0; t < (int)core->rules->ntopics && status == 0; t++)
		if (!core->rules->topics[t].signal &&
		    cross_fit(core->rules, s, n, t, k, &cause) != 0) {
			fprintf(stderr, "floss-responder: %s: %s\n",
			    core->rules->topics[t].id, cause);
			free(cause);
			status = EX_SOFTWARE;
		}
	if (status == 0) {
		memset(&hand, 0, sizeof hand);
		for (i = 0; i < n; i++)
			count(&hand, s[i].label, s[i].action, s[i].topics,
			    s[i].ntopics);
		/* The threshold: the lowest that keeps the precision, of
		 * 0.50, 0.51, ... 0.99. */
		memset(&best, 0, sizeof best);
		memset(&top, 0, sizeof top);
		for (step = 50; step < 100; step++) {
			tau = step / 100.0;
			memset(&fit, 0, sizeof fit);
			for (i = 0; i < n; i++) {
				a = fitted(core->rules, core->conf, &s[i], tau,
				    topics, &nt);
				count(&fit, s[i].label, a, topics, nt);
			}
			if (fit.replies > 0 && fit.right >=
			    LEARN_PRECISION * fit.replies &&
			    fit.right > best.right) {
				best = fit;
				best_tau = tau;
			}
			/* The most precise, should none keep the aim. */
			if (fit.replies > 0 && (top.replies == 0 ||
			    (double)fit.right / fit.replies >
			    (double)top.right / top.replies)) {
				top = fit;
				top_tau = tau;
			}
		}
		printf("%zu labelled messages, %d folds\n", n, k);
		figures_print("hand weights", &hand);
		if (best.replies > 0) {
			printf("fitted weights, out of fold, at a threshold"
			    " of %.2f:\n", best_tau);
			figures_print("fitted weights", &best);
		} else if (top.replies > 0) {
			printf("fitted weights: no threshold keeps a precision"
			    " of %.0f %%; the most precise, at %.2f:\n",
			    LEARN_PRECISION * 100, top_tau);
			figures_print("fitted weights", &top);
		} else
			printf("fitted weights: no reply at any threshold\n");
	}
	for (i = 0; i < n; i++) {
		free(s[i].f);
		free(s[i].p);
	}
	free(s);
	labels_free(&labels);
	core_free(core);
	if (fflush(stdout) != 0)
		return (EX_IOERR);
	return (status);
}

const struct cmd_entry cmd_learn_entry = {
	"learn", "--cv K DIR...",
	"how weights fitted on labelled mail (each DIR and its labels.yaml)"
	" would decide: K-fold cross-validated figures beside the hand"
	" weights'",
	cmd_learn_exec
};

/*
 * Weights fitted on labelled mail: for one topic, an L2-regularised
 * logistic regression of "the topic was asked" on the features a message
 * showed (its keywords and pairs, each counted as the classifier weighs
 * its place), fitted by Newton's method.  The penalty pulls each weight
 * toward a prior -- the hand-set weight, scaled -- rather than toward 0:
 * a feature the labelled mail seldom shows keeps what the rules say of it.
 * A sample may carry an offset, added to its logit (what the other topics
 * score, when the topics are fitted together), and a soft label (the
 * probability that it asks, 1/n for one of n topics asked).
 *
 * Newton's method on this convex function takes a few steps (each halved
 * while it does not lower the loss), and with the same inputs it does the
 * same operations in the same order: the same weights, bit for bit.  The
 * system of each step is solved by Cholesky's factorisation (the penalty
 * makes it positive definite); there are as many unknowns as a topic has
 * features (some hundreds), so the dense matrix is small.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

#define LR_STEPS	50	/* Newton steps at most */
#define LR_TOL		1e-10	/* a step this small (max norm) ends it */

static double
sigmoid(double z)
{
	if (z >= 0)
		return (1 / (1 + exp(-z)));
	return (exp(z) / (1 + exp(z)));
}

double
lr_score(const double *w, double b, const double *x, size_t d)
{
	double	z = b;
	size_t	j;

	for (j = 0; j < d; j++)
		z += w[j] * x[j];
	return (z);
}

double
lr_predict(const double *w, double b, const double *x, size_t d)
{
	return (sigmoid(lr_score(w, b, x, d)));
}

/*
 * Solves a x = r in place (r becomes x) for the symmetric positive
 * definite matrix a of order m, which it overwrites with its Cholesky
 * factor.  -1 when a is not positive definite.
 */
static int
cholesky_solve(double *a, double *r, size_t m)
{
	size_t	i, j, k;
	double	s;

	for (j = 0; j < m; j++) {
		s = a[j * m + j];
		for (k = 0; k < j; k++)
			s -= a[j * m + k] * a[j * m + k];
		if (!(s > 0))
			return (-1);
		a[j * m + j] = sqrt(s);
		for (i = j + 1; i < m; i++) {
			s = a[i * m + j];
			for (k = 0; k < j; k++)
				s -= a[i * m + k] * a[j * m + k];
			a[i * m + j] = s / a[j * m + j];
		}
	}
	for (i = 0; i < m; i++) {		/* L y = r */
		s = r[i];
		for (k = 0; k < i; k++)
			s -= a[i * m + k] * r[k];
		r[i] = s / a[i * m + i];
	}
	for (i = m; i-- > 0;) {			/* L' x = y */
		s = r[i];
		for (k = i + 1; k < m; k++)
			s -= a[k * m + i] * r[k];
		r[i] = s / a[i * m + i];
	}
	return (0);
}

/* log(1 + exp(z)), without overflow. */
static double
softplus(double z)
{
	return (z > 0 ? z + log1p(exp(-z)) : log1p(exp(z)));
}

/* Sample i's logit. */
static double
logit(const struct lr_problem *p, const double *w, double b, size_t i)
{
	return (lr_score(w, b + (p->offset != NULL ? p->offset[i] : 0),
	    p->x + i * p->d, p->d));
}

/* The probability that sample i asks: its soft label, or its label. */
static double
target(const struct lr_problem *p, size_t i)
{
	if (p->soft != NULL)
		return (p->soft[i]);
	return (p->y[i] ? 1 : 0);
}

/* What the fit minimises: the log loss, the penalty toward the prior and
 * the intercept's small ridge. */
static double
loss(const struct lr_problem *p, const double *w, double b)
{
	double	f = 0, z, d, y;
	size_t	i, j;

	for (i = 0; i < p->n; i++) {
		z = logit(p, w, b, i);
		y = target(p, i);
		/* y log(1 + e^-z) + (1 - y) log(1 + e^z) */
		f += softplus(z) - y * z;
	}
	for (j = 0; j < p->d; j++) {
		d = w[j] - (p->prior != NULL ? p->prior[j] : 0);
		f += p->l2 / 2 * d * d;
	}
	return (f + 1e-6 / 2 * b * b);
}

int
lr_fit(const struct lr_problem *p, double *w, double *b, char **cause)
{
	size_t	 m = p->d + 1, i, j, k, step;
	double	*h, *g, *x, *nw, pr, s, v, big, f0, t, nb = 0;

	if (p->l2 <= 0) {
		*cause = xstrdup("the penalty must be positive");
		return (-1);
	}
	/* The unknowns: the d weights, then the intercept (not
	 * penalised, but for a small ridge that keeps the system definite
	 * when every label is the same). */
	for (j = 0; !p->warm && j < p->d; j++)
		w[j] = p->prior != NULL ? p->prior[j] : 0;
	if (p->fixed_b)
		*b = p->b0;
	else if (!p->warm)
		*b = 0;
	h = xcalloc(m * m, sizeof *h);
	g = xcalloc(m, sizeof *g);
	nw = xcalloc(m, sizeof *nw);
	for (step = 0; step < LR_STEPS; step++) {
		memset(h, 0, m * m * sizeof *h);
		memset(g, 0, m * sizeof *g);
		for (i = 0; i < p->n; i++) {
			x = (double *)p->x + i * p->d;
			pr = sigmoid(logit(p, w, *b, i));
			s = pr - target(p, i);
			v = pr * (1 - pr);
			for (j = 0; j < p->d; j++) {
				if (x[j] == 0)
					continue;
				g[j] += s * x[j];
				for (k = 0; k <= j; k++)
					h[j * m + k] += v * x[j] * x[k];
				h[p->d * m + j] += v * x[j];
			}
			g[p->d] += s;
			h[p->d * m + p->d] += v;
		}
		for (j = 0; j < p->d; j++) {
			g[j] += p->l2 * (w[j] - (p->prior != NULL ?
			    p->prior[j] : 0));
			h[j * m + j] += p->l2;
		}
		h[p->d * m + p->d] += 1e-6;
		if (p->fixed_b) {	/* the intercept stays */
			for (j = 0; j < p->d; j++)
				h[p->d * m + j] = 0;
			h[p->d * m + p->d] = 1;
			g[p->d] = 0;
		}
		/* The lower triangle was summed; the factorisation reads
		 * it, and the upper one is its mirror. */
		for (j = 0; j < m; j++)
			for (k = j + 1; k < m; k++)
				h[j * m + k] = h[k * m + j];
		if (cholesky_solve(h, g, m) != 0) {
			free(h);
			free(g);
			free(nw);
			*cause = xstrdup("the system of a Newton step is not"
			    " positive definite");
			return (-1);
		}
		/* The step, halved while it does not lower the loss: far
		 * from the optimum a whole Newton step can overshoot. */
		f0 = loss(p, w, *b);
		for (t = 1; t > 1e-9; t /= 2) {
			for (j = 0; j < p->d; j++)
				nw[j] = w[j] - t * g[j];
			nb = *b - t * g[p->d];
			if (loss(p, nw, nb) <= f0)
				break;
		}
		big = 0;
		for (j = 0; j < p->d; j++) {
			if (fabs(w[j] - nw[j]) > big)
				big = fabs(w[j] - nw[j]);
			w[j] = nw[j];
		}
		if (fabs(*b - nb) > big)
			big = fabs(*b - nb);
		*b = nb;
		if (big < LR_TOL)
			break;
	}
	free(h);
	free(g);
	free(nw);
	return (0);
}

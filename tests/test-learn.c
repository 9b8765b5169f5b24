/* The fitting of weights (learn.c): on a small synthetic labelled set,
 * the weights come out with the signs and the order of the features'
 * true effects, the penalty pulls toward the prior, and the same inputs
 * give the same weights bit for bit; a sample's offset (what the other
 * topics score) decides how much it counts, soft labels give their
 * probability, and a fit started from other weights ends at the same;
 * the weights file learn writes is read back as it was written. */

#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "floss-responder.h"
#include "tap.h"

#define N	400
#define D	4

/* A fixed pseudo-random sequence (no libc rand(): the same everywhere). */
static uint32_t
next(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return (*s);
}

/* Feature 0 asks the topic strongly, 1 weakly, 2 speaks against it, 3 is
 * noise; a message asks when the true score plus noise is positive. */
static void
make_set(double *x, unsigned char *y)
{
	static const double	 truth[D] = { 3, 1, -2, 0 };
	uint32_t		 s = 2463534242u;
	size_t			 i, j;
	double			 z;

	for (i = 0; i < N; i++) {
		z = -1;
		for (j = 0; j < D; j++) {
			x[i * D + j] = next(&s) % 3 == 0 ? 1 : 0;
			z += truth[j] * x[i * D + j];
		}
		z += ((double)(next(&s) % 1000) / 1000 - 0.5) * 2;
		y[i] = z > 0;
	}
}

/* What learn writes, read back: the points of the features fitted as
 * written, the others their topic's scale times their weight in the
 * rules. */
static void
weights_round_trip(void)
{
	struct core		*core;
	const struct rules	*r;
	struct weights		*back;
	struct errors		 e = { NULL, 0 };
	struct wfile		 wf;
	struct winput		 in = { "labelled", 12 };
	struct buf		 b;
	double			*w, *scale;
	unsigned char		*seen;
	char			 path[] = "/tmp/floss-weights.XXXXXX";
	size_t			 n, i, bad = 0, listed = 0;
	int			 fd, t;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL)
		return;
	r = core->rules;
	n = rules_pair_id(r, (int)r->ntopics, 0);
	w = xcalloc(n + 1, sizeof *w);
	seen = xcalloc(n + 1, 1);
	scale = xcalloc(r->ntopics + 1, sizeof *scale);
	for (t = 0; t < (int)r->ntopics; t++)
		scale[t] = 1.5;
	/* Every third feature fitted, to points of three decimals. */
	for (i = 0; i < n; i++) {
		if (i < r->npatterns && r->patterns[i].kind != PAT_KEYWORD)
			continue;
		if (i % 3 == 0) {
			seen[i] = 1;
			w[i] = (double)(long)(i % 97) / 8 - 3.125;
		}
	}
	memset(&wf, 0, sizeof wf);
	wf.date = "2026-01-01";
	wf.threshold = core->conf->threshold;
	wf.precision = 0.99;
	wf.probability = 0.5;
	wf.inputs = &in;
	wf.ninputs = 1;
	wf.folds = 10;
	wf.scale = scale;
	wf.w = w;
	wf.seen = seen;
	buf_init(&b);
	weights_write(&b, r, &wf);
	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, b.data, b.len) != (ssize_t)b.len) {
		OK(0, "a file for the weights");
		goto out;
	}
	close(fd);
	back = weights_load(path, r, &e);
	OK(back != NULL, "what learn writes is read back (%s)",
	    e.n > 0 ? e.v[0] : "no error");
	/* The topics' keywords and pairs (signals are not fitted). */
	for (i = 0; back != NULL && i < n; i++) {
		if (i < r->npatterns) {
			if (r->patterns[i].kind != PAT_KEYWORD)
				continue;
			t = r->patterns[i].topic;
		} else
			for (t = (int)r->ntopics - 1; t > 0 &&
			    i < rules_pair_id(r, t, 0); t--)
				;
		if (r->topics[t].signal)
			continue;
		if (seen[i])
			listed++;
		if (fabs(back->w[i] - (seen[i] ? w[i] :
		    1.5 * weights_hand(r, (uint32_t)i))) > 1e-9)
			bad++;
	}
	OK(back != NULL && listed > 100 && bad == 0, "the %zu features fitted"
	    " as written, the others scaled (%zu differ)", listed, bad);
	weights_free(back);
	errors_free(&e);
	unlink(path);
out:
	buf_free(&b);
	free(w);
	free(seen);
	free(scale);
	core_free(core);
}

int
main(void)
{
	static double		 x[N * D];
	static unsigned char	 y[N];
	struct lr_problem	 p;
	double			 w[D], w2[D], b, b2, prior[D] = { 0, 0, 0, 9 };
	char			*cause = NULL;

	make_set(x, y);
	memset(&p, 0, sizeof p);
	p.n = N;
	p.d = D;
	p.x = x;
	p.y = y;
	p.l2 = 0.1;
	if (lr_fit(&p, w, &b, &cause) != 0) {
		OK(0, "fit: %s", cause);
		free(cause);
		return (tap_done());
	}
	OK(w[0] > 0 && w[1] > 0, "the features that ask weigh for the topic"
	    " (%.2f, %.2f)", w[0], w[1]);
	OK(w[2] < 0, "the one that speaks against it weighs against (%.2f)",
	    w[2]);
	OK(w[0] > w[1], "the strong one more than the weak one");
	OK(fabs(w[3]) < fabs(w[1]) / 2, "noise weighs little (%.2f)", w[3]);
	OK(lr_predict(w, b, (const double[D]){ 1, 0, 0, 0 }, D) > 0.8,
	    "a message with the strong feature asks");
	OK(lr_predict(w, b, (const double[D]){ 0, 0, 1, 0 }, D) < 0.2,
	    "one with the feature against does not");

	/* The same inputs, the same weights, bit for bit. */
	lr_fit(&p, w2, &b2, &cause);
	OK(memcmp(w, w2, sizeof w) == 0 && b == b2, "deterministic");

	/* A strong penalty keeps the weights near the prior. */
	p.prior = prior;
	p.l2 = 1000;
	lr_fit(&p, w2, &b2, &cause);
	OK(fabs(w2[3] - 9) < 0.5 && fabs(w2[0]) < 0.5,
	    "a strong penalty holds the weights at the prior (%.2f, %.2f)",
	    w2[3], w2[0]);

	/* An intercept held where it is put: the weights alone fit. */
	p.prior = NULL;
	p.l2 = 0.1;
	p.fixed_b = 1;
	p.b0 = -6;
	b2 = 0;
	if (lr_fit(&p, w2, &b2, &cause) != 0) {
		OK(0, "fit: %s", cause);
		free(cause);
	}
	OK(b2 == -6, "a fixed intercept stays (%.2f)", b2);
	OK(w2[0] > w2[1] && w2[1] > 0 && w2[2] < 0,
	    "and the weights keep their signs and order (%.2f %.2f %.2f)",
	    w2[0], w2[1], w2[2]);
	OK(w2[0] > w[0] && b < -3, "raised to make up for an intercept below the free one (%.2f)",
	    b);
	p.fixed_b = 0;

	/* An offset the same for every sample moves the intercept only. */
	{
		static double	off[N];
		double		w3[D], b3;
		size_t		i;

		for (i = 0; i < N; i++)
			off[i] = 1.5;
		p.offset = off;
		if (lr_fit(&p, w3, &b3, &cause) != 0) {
			OK(0, "fit: %s", cause);
			free(cause);
		}
		OK(fabs(b3 - (b - 1.5)) < 1e-4 && fabs(w3[0] - w[0]) < 1e-4,
		    "an offset c: the intercept less c, the same weights"
		    " (%.4f, %.4f)", b3 - b, w3[0] - w[0]);

		/* A quarter of the messages that have feature 0 are said
		 * not to ask: another topic, which scores far more (their
		 * offset), is what they ask.  Then they are no evidence
		 * against feature 0. */
		for (i = 0; i < N; i++) {
			off[i] = 0;
			if (x[i * D] == 1 && i % 4 == 0) {
				y[i] = 0;
				off[i] = -12;
			}
		}
		p.offset = NULL;
		lr_fit(&p, w2, &b2, &cause);
		p.offset = off;
		lr_fit(&p, w3, &b3, &cause);
		OK(w2[0] < w[0] - 1, "said not to ask, they weigh against"
		    " feature 0 (%.2f, %.2f before)", w2[0], w[0]);
		OK(fabs(w3[0] - w[0]) < 1, "explained by another topic, they"
		    " do not (%.2f)", w3[0]);
		p.offset = NULL;
		make_set(x, y);
	}

	/* Soft labels: messages that ask the topic half the time. */
	{
		static double	half[N];
		double		w3[D], b3;
		size_t		i;

		for (i = 0; i < N; i++)
			half[i] = x[i * D + 3] == 1 ? 0.5 : 0;
		p.soft = half;
		p.prior = NULL;
		p.l2 = 0.01;
		lr_fit(&p, w3, &b3, &cause);
		OK(fabs(lr_predict(w3, b3, (const double[D]){ 0, 0, 0, 1 }, D)
		    - 0.5) < 0.05, "a feature whose messages ask half the"
		    " time: a probability of one half (%.3f)",
		    lr_predict(w3, b3, (const double[D]){ 0, 0, 0, 1 }, D));
		p.soft = NULL;
	}

	/* Started from elsewhere (warm), the fit ends at the same optimum. */
	{
		double	w3[D] = { -5, 5, 5, -5 }, b3 = 3;

		p.l2 = 0.1;
		p.warm = 1;
		lr_fit(&p, w3, &b3, &cause);
		p.warm = 0;
		OK(fabs(w3[0] - w[0]) < 1e-4 && fabs(w3[2] - w[2]) < 1e-4 &&
		    fabs(b3 - b) < 1e-4, "started elsewhere, the same weights"
		    " (%.6f, %.6f)", w3[0], w[0]);
	}

	/* Every label the same: the system stays definite. */
	memset(y, 0, sizeof y);
	p.prior = NULL;
	p.l2 = 1;
	OK(lr_fit(&p, w2, &b2, &cause) == 0 && b2 < 0,
	    "no message asks: a fit, and an intercept that says no");

	p.l2 = 0;
	OK(lr_fit(&p, w2, &b2, &cause) == -1, "no penalty: refused");
	free(cause);
	weights_round_trip();
	return (tap_done());
}

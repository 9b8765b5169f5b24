/* The one-pass matcher: overlaps, prefixes, accents, word boundaries. */

#include "floss-responder.h"
#include "tap.h"

struct hits {
	int	count[32];
	size_t	last_end[32];
};

static void
on_hit(uint32_t id, size_t end, void *arg)
{
	struct hits	*h = arg;

	h->count[id]++;
	h->last_end[id] = end;
}

static void
scan(struct matcher *m, const char *text, struct hits *h)
{
	struct buf	f;

	memset(h, 0, sizeof *h);
	buf_init(&f);
	fold_text(&f, text, strlen(text));
	matcher_scan(m, f.data, f.len, on_hit, h);
	buf_free(&f);
}

/* Whole words are " word ", prefixes " word". */
static uint32_t
add(struct matcher *m, const char *kw, int prefix)
{
	char		*f = fold_string(kw);
	uint32_t	 id;

	if (prefix)
		f[strlen(f) - 1] = '\0';
	id = matcher_add(m, f);
	free(f);
	return (id);
}

/* Every occurrence of every pattern, found by comparing at each place:
 * what the automaton must find, sorted by end then id. */
struct occ {
	size_t		end;
	uint32_t	id;
};

static int
occ_cmp(const void *a, const void *b)
{
	const struct occ	*x = a, *y = b;

	if (x->end != y->end)
		return (x->end < y->end ? -1 : 1);
	return (x->id < y->id ? -1 : x->id > y->id);
}

/* The first find of a scan. */
struct first_hit {
	int	id;
};

static void
first_hit(uint32_t id, size_t end, void *arg)
{
	struct first_hit	*f = arg;

	if (f->id == -1)
		f->id = (int)id;
}

struct occs {
	struct occ	v[32768];
	size_t		n;
};

static void
on_occ(uint32_t id, size_t end, void *arg)
{
	struct occs	*o = arg;

	if (o->n < sizeof o->v / sizeof o->v[0]) {
		o->v[o->n].end = end;
		o->v[o->n++].id = id;
	}
}

static void
naive(char **pats, size_t npats, const char *text, size_t len,
    struct occs *o)
{
	size_t	i, k, n;

	o->n = 0;
	for (i = 1; i <= len; i++)
		for (k = 0; k < npats; k++) {
			n = strlen(pats[k]);
			if (n <= i && memcmp(text + i - n, pats[k], n) == 0)
				on_occ((uint32_t)k, i, o);
		}
}

int
main(void)
{
	struct matcher	*m;
	struct hits	 h;
	uint32_t	 marche, marche_support, support, referen, ospo, ospofr,
			 sill, he, she, hers, equiv, libre, eqlibre;
	char		*big, *f, word[64];
	uint32_t	 target;
	int		 w;
	size_t		 i, n;

	m = matcher_new();
	marche = add(m, "marché", 0);
	marche_support = add(m, "marché de support", 0);
	support = add(m, "support", 0);
	referen = add(m, "référen", 1);
	ospo = add(m, "ospo", 0);
	ospofr = add(m, "OSPO-fr", 0);
	sill = add(m, "sill", 0);
	he = add(m, "he", 0);
	she = add(m, "she", 0);
	hers = add(m, "hers", 0);
	equiv = add(m, "équivalent", 0);
	libre = add(m, "libre", 0);
	eqlibre = add(m, "équivalent libre", 0);
	matcher_build(m);
	OK(matcher_npatterns(m) == 13, "13 patterns");

	scan(m, "Le MARCHE de support", &h);
	INT_EQ(h.count[marche], 1, "accents and case folded");
	INT_EQ(h.count[marche_support], 1, "a phrase over a word it contains");
	INT_EQ(h.count[support], 1, "and the words inside the phrase");

	scan(m, "marchés, supportés", &h);
	INT_EQ(h.count[marche], 0, "a whole word does not match a longer word");
	INT_EQ(h.count[support], 0, "nor its plural");

	scan(m, "référent référente RÉFÉRENCEMENT préférence", &h);
	INT_EQ(h.count[referen], 3, "a prefix matches at word starts only");

	scan(m, "liste OSPO-fr et ospo fr, l'ospo", &h);
	INT_EQ(h.count[ospofr], 2, "punctuation inside a keyword is a space");
	INT_EQ(h.count[ospo], 3, "ospo inside ospo-fr is a word too");

	scan(m, "sillon, missill, sill.", &h);
	INT_EQ(h.count[sill], 1, "word boundaries on both sides");

	scan(m, "she hers he", &h);
	INT_EQ(h.count[he], 1, "he only as a word");
	INT_EQ(h.count[she], 1, "she");
	INT_EQ(h.count[hers], 1, "hers");

	scan(m, "un équivalent libre, équivalent", &h);
	INT_EQ(h.count[eqlibre], 1, "overlapping patterns: the phrase");
	INT_EQ(h.count[equiv], 2, "overlapping patterns: the word, twice");
	INT_EQ(h.count[libre], 1, "overlapping patterns: the last word");

	scan(m, "", &h);
	INT_EQ(h.count[marche] + h.count[sill], 0, "empty text");

	/* Folded and scanned piece by piece, whatever the pieces' size
	 * (words and accented letters cut), the same hits at the same
	 * places. */
	{
		const char		*t = "Le MARCHÉ de support ?\n\n"
					    "un équivalent libre, référent. "
					    "OSPO-fr… sill œuvre";
		struct hits		 whole, pieces;
		struct fold_state	 st;
		struct buf		 piece, all;
		size_t			 max, base;
		uint32_t		 state;
		int			 same = 1;

		buf_init(&piece);
		buf_init(&all);
		fold_sentences(&all, t, strlen(t));
		memset(&whole, 0, sizeof whole);
		matcher_scan(m, all.data, all.len, on_hit, &whole);
		for (max = 1; max < 10; max++) {
			memset(&st, 0, sizeof st);
			memset(&pieces, 0, sizeof pieces);
			base = 0;
			state = 0;
			while (fold_piece(&piece, t, strlen(t), max, 1, &st)) {
				OK(strncmp(all.data + base, piece.data, piece.len) == 0,
				    "pieces of %zu: the same fold at %zu", max,
				    base);
				state = matcher_scan_piece(m, state, piece.data,
				    piece.len, base, on_hit, &pieces);
				base += piece.len;
			}
			if (base != all.len ||
			    memcmp(&whole, &pieces, sizeof whole) != 0)
				same = 0;
		}
		OK(same && whole.count[marche_support] == 1 &&
		    whole.count[eqlibre] == 1, "pieces of 1 to 9 bytes: the"
		    " same hits as the whole text");
		buf_free(&piece);
		buf_free(&all);
	}

	/* A long text: every occurrence, the last at the right place. */
	n = 100000;
	big = xmalloc(n * 5 + 1);
	for (i = 0; i < n; i++)
		memcpy(big + i * 5, "sill ", 5);
	big[n * 5] = '\0';
	scan(m, big, &h);
	INT_EQ(h.count[sill], (long long)n, "100,000 occurrences");
	INT_EQ(h.last_end[sill], (long long)n * 5 + 1,
	    "the last ends at the end of the text");
	free(big);
	matcher_free(m);

	/* Past 65,536 states the table is 32 bits wide: the same answers. */
	for (w = 0; w < 2; w++) {
		m = matcher_new();
		for (i = 0; i < (w == 0 ? 100 : 4000); i++) {
			snprintf(word, sizeof word, " w%05zuabcdefghijklmnopq ",
			    i);
			matcher_add(m, word);
		}
		target = (uint32_t)(w == 0 ? 42 : 3999);
		snprintf(word, sizeof word, "w%05uabcdefghijklmnopq", target);
		matcher_build(m);
		OK((w == 0) == (matcher_nstates(m) <= 65536), "%zu states:"
		    " %s table", matcher_nstates(m), w == 0 ? "16-bit" :
		    "32-bit");
		scan(m, "w00007abcdefghijklmnopq", &h);
		INT_EQ(h.count[7], 1, "%s table: pattern 7 found",
		    w == 0 ? "16-bit" : "32-bit");
		f = fold_string(word);
		INT_EQ(matcher_first(m, f, strlen(f)), (long long)target,
		    "%s table: matcher_first finds pattern %u", w == 0 ?
		    "16-bit" : "32-bit", target);
		free(f);
		matcher_free(m);
	}

	/* Random patterns over a few letters, a digit and a byte of another
	 * script, the short ones ending inside the long ones: the same
	 * occurrences as a comparison at every place, in text order, over
	 * short texts (one scan) and longer ones (two halves at once, the
	 * second one's finds kept, dozens at a time), whole or in pieces. */
	{
		static const char	 alpha[] = "ab 1\xc3";
		static struct occs	 want, got;
		static char		 text[3000];
		char			*pats[60];
		size_t			 k, t, len, tlen, cut, bad = 0;
		unsigned		 seed = 1;
		uint32_t		 state;

		for (t = 0; t < 50; t++) {
			tlen = t % 3 == 0 ? 60 : t % 3 == 1 ? 400 :
			    sizeof text;
			m = matcher_new();
			for (k = 0; k < 60; k++) {
				len = 1 + (seed = seed * 1103515245 + 12345) %
				    5;
				pats[k] = xmalloc(len + 1);
				for (i = 0; i < len; i++)
					pats[k][i] = alpha[(seed = seed *
					    1103515245 + 12345) / 65536 % 5];
				pats[k][len] = '\0';
				matcher_add(m, pats[k]);
			}
			matcher_build(m);
			for (i = 0; i < tlen; i++)
				text[i] = alpha[(seed = seed * 1103515245 +
				    12345) / 65536 % 5];
			naive(pats, 60, text, tlen, &want);
			qsort(want.v, want.n, sizeof want.v[0], occ_cmp);
			for (cut = 0; cut < tlen; cut += tlen / 3 + 1) {
				got.n = 0;
				state = matcher_scan_piece(m, 0, text, cut, 0,
				    on_occ, &got);
				matcher_scan_piece(m, state, text + cut,
				    tlen - cut, cut, on_occ, &got);
				for (k = 1; k < got.n; k++)
					if (got.v[k].end < got.v[k - 1].end)
						bad++;
				qsort(got.v, got.n, sizeof got.v[0], occ_cmp);
				if (got.n != want.n || memcmp(got.v, want.v,
				    got.n * sizeof got.v[0]) != 0)
					bad++;
			}
			for (k = 0; k < 60; k++)
				free(pats[k]);
			matcher_free(m);
		}
		INT_EQ(bad, 0, "50 random sets of 60 patterns over texts of"
		    " 60, 400 and 3000 bytes, whole and in pieces: every"
		    " occurrence, in text order");
	}

	/* matcher_first over texts long enough for two halves: one or two
	 * phrases at every place, the one that ends first found, as the
	 * scan's first find says, whichever half it ends in. */
	{
		static const char	*first_pats[] = { " alpha ",
		    " beta gamma ", " delta", " gamma delta epsilon " };
		char			 text[601];
		size_t			 at, at2, bad = 0, runs = 0;
		struct first_hit	 fh;

		m = matcher_new();
		for (i = 0; i < 4; i++)
			matcher_add(m, first_pats[i]);
		matcher_build(m);
		for (at = 0; at < 600; at += 7) {
			for (at2 = 0; at2 < 600; at2 += 61) {
				memset(text, ' ', 600);
				for (i = 1; i < 600; i += 2)
					text[i] = 'x';
				text[600] = '\0';
				if (at2 > 0 && at2 + 6 <= 600)
					memcpy(text + at2, " delta", 6);
				if (at + 21 <= 600)
					memcpy(text + at, at % 2 ?
					    " gamma delta epsilon " :
					    " beta gamma ", at % 2 ? 21 : 12);
				fh.id = -1;
				matcher_scan(m, text, 600, first_hit, &fh);
				if (matcher_first(m, text, 600) != fh.id)
					bad++;
				runs++;
			}
		}
		memset(text, ' ', 600);
		INT_EQ(matcher_first(m, text, 600), -1, "matcher_first: nothing"
		    " in 600 spaces");
		INT_EQ(bad, 0, "matcher_first: the first find of the scan in"
		    " %zu texts of 600 bytes, whichever half it ends in", runs);
		matcher_free(m);
	}

	/* An empty matcher scans without harm. */
	m = matcher_new();
	matcher_build(m);
	scan(m, "anything", &h);
	OK(1, "an empty matcher scans");
	matcher_free(m);
	return (tap_done());
}

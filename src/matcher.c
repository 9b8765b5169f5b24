/*
 * The matcher: every keyword of every topic, and the language stopwords,
 * found in one pass over folded text by an Aho-Corasick automaton turned
 * into a full transition table at start-up.  A scan costs one table load
 * per byte whatever the number of patterns; with fewer than 65,536 states
 * (the rules and the entities' names make about 19,000) its entries are 16
 * bits wide.
 *
 * The table is laid out by class: the transitions on one byte class of
 * every state in a row, next[class * nstates + state], so that the byte's
 * row (boff[byte], the class times nstates) plus the state is the entry:
 * no multiplication waits for the state.  The states are numbered in
 * breadth-first order, those that end no pattern first and those that do
 * after them (from nplain on): a state ends a pattern when its number says
 * so, without another load.  The root is state 0.  A long text is scanned
 * in two halves at once (see SCAN2).
 *
 * Folded text holds only spaces, a-z, 0-9 and bytes of other scripts, and
 * starts and ends with a space, so word boundaries are plain spaces: a
 * whole word is " word ", a prefix " word".
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

#define NCLASS	38
#define NONE	UINT32_MAX

/* What a state that ends patterns reports: the id of its one pattern
 * (most states end one), or where the ids of its n start in outs -- one
 * load for a hit, not three. */
struct outputs {
	uint32_t	n;
	uint32_t	at;		/* n == 1: the id itself */
};

struct matcher {
	/* Build time: the patterns, then the trie. */
	char		**pats;
	uint32_t	 *ext;		/* [pattern]: the id the scan gives */
	size_t		  npats;
	/* The automaton: the transitions in 16 bits while the states fit,
	 * so that the table stays in the cache as long as it can. */
	uint32_t	 *next;		/* [class * nstates + state], or NULL */
	uint16_t	 *next16;	/* the same, when nstates <= 65536 */
	size_t		  boff[256];	/* [byte]: its class * nstates */
	uint32_t	  nplain;	/* the states from here end patterns */
	struct outputs	 *out;		/* [state - nplain] */
	uint32_t	 *outs;
	size_t		  nstates;
	size_t		  depth;	/* the longest pattern's length */
	int		  built;
};

static unsigned char	cls[256];
static int		cls_ready;

static void
cls_init(void)
{
	int	c;

	for (c = 0; c < 256; c++) {
		if (c >= 'a' && c <= 'z')
			cls[c] = (unsigned char)(1 + c - 'a');
		else if (c >= '0' && c <= '9')
			cls[c] = (unsigned char)(27 + c - '0');
		else if (c >= 0x80)
			cls[c] = 37;
		else
			cls[c] = 0;
	}
	cls_ready = 1;
}

struct matcher *
matcher_new(void)
{
	if (!cls_ready)
		cls_init();
	return (xcalloc(1, sizeof (struct matcher)));
}

uint32_t
matcher_add(struct matcher *m, const char *folded)
{
	return (matcher_add_id(m, folded, (uint32_t)m->npats));
}

uint32_t
matcher_add_id(struct matcher *m, const char *folded, uint32_t id)
{
	if (m->built)
		fatalx("matcher_add after matcher_build");
	m->pats = xreallocarray(m->pats, m->npats + 1, sizeof *m->pats);
	m->ext = xreallocarray(m->ext, m->npats + 1, sizeof *m->ext);
	m->pats[m->npats] = xstrdup(folded);
	m->ext[m->npats] = id;
	m->npats++;
	return (id);
}

size_t
matcher_npatterns(const struct matcher *m)
{
	return (m->npats);
}

size_t
matcher_nstates(const struct matcher *m)
{
	return (m->nstates);
}

void
matcher_build(struct matcher *m)
{
	uint32_t	*fail, *queue, *own_first, *own_next, *ids;
	uint32_t	*out_off, *out_len, *perm, *table;
	size_t		 size = 1, i, j, total = 0, head = 0, tail = 0;
	uint32_t	 s, t, f, c, k, n, nouts;
	const unsigned char *p;

	for (i = 0; i < m->npats; i++)
		size += strlen(m->pats[i]);
	m->next = xreallocarray(NULL, size, NCLASS * sizeof *m->next);
	for (i = 0; i < size * NCLASS; i++)
		m->next[i] = NONE;
	own_first = xreallocarray(NULL, size, sizeof *own_first);
	for (i = 0; i < size; i++)
		own_first[i] = NONE;
	own_next = xreallocarray(NULL, m->npats + 1, sizeof *own_next);
	m->nstates = 1;

	/* The trie. */
	for (i = 0; i < m->npats; i++) {
		s = 0;
		if (strlen(m->pats[i]) > m->depth)
			m->depth = strlen(m->pats[i]);
		for (p = (const unsigned char *)m->pats[i]; *p != '\0'; p++) {
			c = cls[*p];
			if (m->next[s * NCLASS + c] == NONE)
				m->next[s * NCLASS + c] = (uint32_t)m->nstates++;
			s = m->next[s * NCLASS + c];
		}
		own_next[i] = own_first[s];
		own_first[s] = (uint32_t)i;
	}

	/* Failure links, breadth first, and the full transition table. */
	fail = xcalloc(m->nstates, sizeof *fail);
	queue = xreallocarray(NULL, m->nstates, sizeof *queue);
	for (c = 0; c < NCLASS; c++) {
		t = m->next[c];
		if (t == NONE)
			m->next[c] = 0;
		else {
			fail[t] = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		s = queue[head++];
		for (c = 0; c < NCLASS; c++) {
			t = m->next[s * NCLASS + c];
			f = m->next[fail[s] * NCLASS + c];
			if (t == NONE)
				m->next[s * NCLASS + c] = f;
			else {
				fail[t] = f;
				queue[tail++] = t;
			}
		}
	}

	/* Outputs: a state's own patterns, then those of its failure chain.
	 * The root has none; states come in breadth-first order, so a
	 * state's failure target is complete before the state. */
	out_off = xcalloc(m->nstates, sizeof *out_off);
	out_len = xcalloc(m->nstates, sizeof *out_len);
	ids = NULL;
	for (i = 0; i < tail; i++) {
		s = queue[i];
		nouts = 0;
		for (k = own_first[s]; k != NONE; k = own_next[k])
			nouts++;
		nouts += out_len[fail[s]];
		out_off[s] = (uint32_t)total;
		out_len[s] = nouts;
		if (nouts == 0)
			continue;
		ids = xreallocarray(ids, total + nouts, sizeof *ids);
		j = total;
		for (k = own_first[s]; k != NONE; k = own_next[k])
			ids[j++] = k;
		memcpy(ids + j, ids + out_off[fail[s]],
		    out_len[fail[s]] * sizeof *ids);
		total += nouts;
	}
	/* The ids the patterns were given. */
	for (i = 0; i < total; i++)
		ids[i] = m->ext[ids[i]];
	m->outs = ids;

	/* The states renumbered breadth first, those with outputs last. */
	perm = xreallocarray(NULL, m->nstates, sizeof *perm);
	perm[0] = 0;
	n = 1;
	for (i = 0; i < tail; i++)
		if (out_len[queue[i]] == 0)
			perm[queue[i]] = n++;
	m->nplain = n;
	for (i = 0; i < tail; i++)
		if (out_len[queue[i]] != 0)
			perm[queue[i]] = n++;
	m->out = xcalloc(m->nstates - m->nplain + 1, sizeof *m->out);
	for (s = 0; s < m->nstates; s++) {
		if (perm[s] < m->nplain)
			continue;
		m->out[perm[s] - m->nplain].n = out_len[s];
		m->out[perm[s] - m->nplain].at = out_len[s] == 1 ?
		    ids[out_off[s]] : out_off[s];
	}

	/* The table by class, 16 bits wide when the states allow (the
	 * trie's rows given back first: the peak is the trie's). */
	m->next = xreallocarray(m->next, m->nstates, NCLASS * sizeof *m->next);
	if (m->nstates <= 65536) {
		m->next16 = xreallocarray(NULL, m->nstates, NCLASS *
		    sizeof *m->next16);
		for (s = 0; s < m->nstates; s++)
			for (c = 0; c < NCLASS; c++)
				m->next16[c * m->nstates + perm[s]] =
				    (uint16_t)perm[m->next[s * NCLASS + c]];
		free(m->next);
		m->next = NULL;
	} else {
		table = xreallocarray(NULL, m->nstates, NCLASS *
		    sizeof *table);
		for (s = 0; s < m->nstates; s++)
			for (c = 0; c < NCLASS; c++)
				table[c * m->nstates + perm[s]] =
				    perm[m->next[s * NCLASS + c]];
		free(m->next);
		m->next = table;
	}
	for (i = 0; i < 256; i++)
		m->boff[i] = cls[i] * m->nstates;
	free(perm);
	free(out_off);
	free(out_len);
	free(fail);
	free(queue);
	free(own_first);
	free(own_next);
	m->built = 1;
}

/*
 * A scan waits for each load of the table before the next one: two halves
 * of a long text are scanned at once, so that the two waits overlap.  The
 * state after a byte is the longest end of the text read that is a prefix
 * of a pattern, never longer than the longest pattern (depth); so the
 * second half is read from the root depth bytes before its start, and from
 * there on its states are the ones a single scan would have.  What it
 * finds while the first half is read is reported after it, in text order:
 * LATER states at most are kept, then the second half waits.
 */
#define SPLIT_MIN	64	/* bytes of text, besides twice the depth */
#define LATER		64

struct later {
	uint32_t	state;
	size_t		end;
};

/* Out of the scan's loops, so that what they read stays in registers: a
 * call in a loop makes the compiler keep its values on the stack. */
static __attribute__((noinline)) void
report(const struct matcher *m, uint32_t s, size_t end, matcher_cb cb,
    void *arg)
{
	const struct outputs	*o = &m->out[s - m->nplain];
	uint32_t		 k;

	if (o->n == 1) {
		cb(o->at, end, arg);
		return;
	}
	for (k = 0; k < o->n; k++)
		cb(m->outs[o->at + k], end, arg);
}

/*
 * The states from s after the bytes from q on, until one that ends
 * patterns (then the byte's end is returned) or e.  Four bytes a round
 * while four are left: one test of the end for four bytes, which the
 * measure shows worth the unrolling.  WALK(name, type) defines the walk
 * of a table of type.
 */
#define WALK(name, type)						\
static inline const unsigned char *					\
name(const type *next, const size_t *boff, uint32_t nplain,		\
    const unsigned char *q, const unsigned char *e, uint32_t *sp)	\
{									\
	uint32_t	s = *sp;					\
									\
	for (; e - q >= 4; q += 4) {					\
		if ((s = next[boff[q[0]] + s]) >= nplain) {		\
			q += 1;						\
			goto out;					\
		}							\
		if ((s = next[boff[q[1]] + s]) >= nplain) {		\
			q += 2;						\
			goto out;					\
		}							\
		if ((s = next[boff[q[2]] + s]) >= nplain) {		\
			q += 3;						\
			goto out;					\
		}							\
		if ((s = next[boff[q[3]] + s]) >= nplain) {		\
			q += 4;						\
			goto out;					\
		}							\
	}								\
	while (q < e)							\
		if ((s = next[boff[*q++] + s]) >= nplain)		\
			break;						\
out:									\
	*sp = s;							\
	return (q);							\
}
WALK(walk16, uint16_t)
WALK(walk32, uint32_t)

/* The bytes from q to e, the finds reported as they come. */
#define SCAN(walk, next, s, q, e) do {					\
	while ((q) < (e)) {						\
		(q) = walk((next), boff, nplain, (q), (e), &(s));	\
		if ((s) >= nplain)					\
			report(m, (s), base + (size_t)((q) - p), cb, arg); \
	}								\
} while (0)

/* The two halves at once: qa to mid, qb on as far (the states it meets
 * from mid on kept in later), until later is full; then the first half
 * alone to mid.  The inner loop leaves only when either half meets a
 * state that ends patterns. */
#define SCAN2(walk, next) do {					\
	while (qa < ea) {						\
		s = (next)[boff[*qa++] + s];				\
		t = (next)[boff[*qb++] + t];				\
		if (s < nplain && t < nplain)				\
			continue;					\
		if (s >= nplain)					\
			report(m, s, base + (size_t)(qa - p), cb, arg);	\
		if (t >= nplain && qb > p + mid) {			\
			later[nlater].state = t;			\
			later[nlater++].end = base + (size_t)(qb - p);	\
			if (nlater == LATER)				\
				break;					\
		}							\
	}								\
	SCAN(walk, next, s, qa, ea);					\
} while (0)

uint32_t
matcher_scan_piece(const struct matcher *m, uint32_t s, const char *text,
    size_t len, size_t base, matcher_cb cb, void *arg)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*qa = p, *qb, *ea;
	const size_t		*boff = m->boff;
	const uint16_t		*next16 = m->next16;
	const uint32_t		*next = m->next;
	struct later		 later[LATER];
	uint32_t		 nplain = m->nplain, t = 0;
	size_t			 mid, k, nlater = 0;

	if (!m->built)
		fatalx("matcher_scan before matcher_build");
	if (len >= 2 * m->depth + SPLIT_MIN) {
		/* The second half is read from depth bytes before mid: the
		 * first reaches mid before it reaches the end. */
		mid = len / 2;
		qb = p + mid - m->depth;
		ea = p + mid;
		if (next16 != NULL)
			SCAN2(walk16, next16);
		else
			SCAN2(walk32, next);
		for (k = 0; k < nlater; k++)
			report(m, later[k].state, later[k].end, cb, arg);
		/* The second half goes on alone, from where it was. */
		qa = qb;
		s = t;
	}
	ea = p + len;
	if (next16 != NULL)
		SCAN(walk16, next16, s, qa, ea);
	else
		SCAN(walk32, next, s, qa, ea);
	return (s);
}

void
matcher_scan(const struct matcher *m, const char *text, size_t len,
    matcher_cb cb, void *arg)
{
	matcher_scan_piece(m, 0, text, len, 0, cb, arg);
}

/* The first of the patterns state s ends. */
static inline int
first_id(const struct matcher *m, uint32_t s)
{
	const struct outputs	*o = &m->out[s - m->nplain];

	return ((int)(o->n == 1 ? o->at : m->outs[o->at]));
}

/*
 * The first pattern found, the one that ends first (the first of those
 * that end there).  A long text in two halves at once, as a scan: the
 * second half's first find counts only when the first half has none.
 */
#define FIRST(walk, next) do {					\
	if (len >= 2 * m->depth + SPLIT_MIN) {				\
		mid = len / 2;						\
		qb = p + mid - m->depth;				\
		for (e = p + mid; qa < e;) {				\
			s = (next)[boff[*qa++] + s];			\
			t = (next)[boff[*qb++] + t];			\
			if (s < nplain && t < nplain)			\
				continue;				\
			if (s >= nplain)				\
				return (first_id(m, s));		\
			if (later == -1 && qb > p + mid)		\
				later = first_id(m, t);			\
		}							\
		if (later != -1)					\
			return (later);					\
		s = t;							\
		qa = qb;						\
	}								\
	qa = walk((next), boff, nplain, qa, p + len, &s);		\
	if (s >= nplain)						\
		return (first_id(m, s));				\
} while (0)

int
matcher_first(const struct matcher *m, const char *text, size_t len)
{
	const unsigned char	*p = (const unsigned char *)text;
	const unsigned char	*qa = p, *qb, *e;
	const size_t		*boff = m->boff;
	uint32_t		 s = 0, t = 0, nplain = m->nplain;
	size_t			 mid;
	int			 later = -1;

	if (m->next16 != NULL)
		FIRST(walk16, m->next16);
	else
		FIRST(walk32, m->next);
	return (-1);
}

void
matcher_free(struct matcher *m)
{
	size_t	i;

	if (m == NULL)
		return;
	for (i = 0; i < m->npats; i++)
		free(m->pats[i]);
	free(m->pats);
	free(m->ext);
	free(m->next);
	free(m->next16);
	free(m->out);
	free(m->outs);
	free(m);
}

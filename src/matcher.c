/*
 * The matcher: every keyword of every topic, and the language stopwords,
 * found in one pass over folded text by an Aho-Corasick automaton turned
 * into a full transition table at start-up.  A scan costs one table load
 * per byte whatever the number of patterns; with fewer than 65,536 states
 * (the rules and the entities' names make about 15,000) its entries are 16
 * bits wide.
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

struct matcher {
	/* Build time: the patterns, then the trie. */
	char		**pats;
	uint32_t	 *ext;		/* [pattern]: the id the scan gives */
	size_t		  npats;
	/* The automaton: the transitions in 16 bits while the states fit,
	 * so that the table stays in the cache as long as it can. */
	uint32_t	 *next;		/* [state * NCLASS + class], or NULL */
	uint16_t	 *next16;	/* the same, when nstates <= 65536 */
	uint32_t	 *out_off;	/* [state]: first output in outs */
	uint32_t	 *out_len;	/* [state] */
	uint32_t	 *outs;
	size_t		  nstates;
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
	size_t		 size = 1, i, j, total = 0, head = 0, tail = 0;
	uint32_t	 s, t, f, c, k, nouts;
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
	m->out_off = xcalloc(m->nstates, sizeof *m->out_off);
	m->out_len = xcalloc(m->nstates, sizeof *m->out_len);
	ids = NULL;
	for (i = 0; i < tail; i++) {
		s = queue[i];
		nouts = 0;
		for (k = own_first[s]; k != NONE; k = own_next[k])
			nouts++;
		nouts += m->out_len[fail[s]];
		m->out_off[s] = (uint32_t)total;
		m->out_len[s] = nouts;
		if (nouts == 0)
			continue;
		ids = xreallocarray(ids, total + nouts, sizeof *ids);
		j = total;
		for (k = own_first[s]; k != NONE; k = own_next[k])
			ids[j++] = k;
		memcpy(ids + j, ids + m->out_off[fail[s]],
		    m->out_len[fail[s]] * sizeof *ids);
		total += nouts;
	}
	/* The ids the patterns were given. */
	for (i = 0; i < total; i++)
		ids[i] = m->ext[ids[i]];
	m->outs = ids;
	m->next = xreallocarray(m->next, m->nstates, NCLASS * sizeof *m->next);
	if (m->nstates <= 65536) {
		m->next16 = xreallocarray(NULL, m->nstates, NCLASS *
		    sizeof *m->next16);
		for (i = 0; i < m->nstates * NCLASS; i++)
			m->next16[i] = (uint16_t)m->next[i];
		free(m->next);
		m->next = NULL;
	}
	free(fail);
	free(queue);
	free(own_first);
	free(own_next);
	m->built = 1;
}

/* The scan over one table width or the other: the same loop. */
#define SCAN(next) do {							\
	for (i = 0; i < len; i++) {					\
		s = (next)[s * NCLASS + cls[p[i]]];			\
		if ((n = m->out_len[s]) != 0) {				\
			for (k = 0; k < n; k++)				\
				cb(outs[m->out_off[s] + k], base + i + 1, \
				    arg);				\
		}							\
	}								\
} while (0)

uint32_t
matcher_scan_piece(const struct matcher *m, uint32_t s, const char *text,
    size_t len, size_t base, matcher_cb cb, void *arg)
{
	const unsigned char	*p = (const unsigned char *)text;
	const uint32_t		*outs = m->outs;
	uint32_t		 k, n;
	size_t			 i;

	if (!m->built)
		fatalx("matcher_scan before matcher_build");
	if (m->next16 != NULL)
		SCAN(m->next16);
	else
		SCAN(m->next);
	return (s);
}

void
matcher_scan(const struct matcher *m, const char *text, size_t len,
    matcher_cb cb, void *arg)
{
	matcher_scan_piece(m, 0, text, len, 0, cb, arg);
}

int
matcher_first(const struct matcher *m, const char *text, size_t len)
{
	const unsigned char	*p = (const unsigned char *)text;
	uint32_t		 s = 0;
	size_t			 i;

	for (i = 0; i < len; i++) {
		s = m->next16 != NULL ? m->next16[s * NCLASS + cls[p[i]]] :
		    m->next[s * NCLASS + cls[p[i]]];
		if (m->out_len[s] != 0)
			return ((int)m->outs[m->out_off[s]]);
	}
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
	free(m->out_off);
	free(m->out_len);
	free(m->outs);
	free(m);
}

/*
 * The sender's own words.  Mail carries much that is not the question:
 * the earlier message it answers ("> " lines, "Le ... a écrit :", an
 * Outlook "De : / Envoyé :" block), signatures, phone footers, legal
 * disclaimers, and the responder's own answers pasted without any mark.
 * Their words must not count.  A forwarded message is read by the same
 * rules into its own buffer: the classifier uses it only when the
 * forwarder's own words ask nothing it recognises.
 *
 * Every test is made on the folded line (see fold_text), so that case,
 * accents and punctuation do not matter.
 *
 * The responder's own texts (its replies, their frame) are known as
 * shingles: the hashes of every run of SHINGLE words, in one hash
 * set.  As the lines are split, their words stream through a ring of the
 * last RING words.  A phrase of a reply may well be the sender's own
 * ("les logiciels couverts par le marché de support"); a passage of
 * RUN_MIN known shingles in a row (twenty words) is not: it covers its
 * words, and a line whose words are mostly covered is the responder's,
 * not the sender's.  A line knows the index of its first word in the
 * text and how many it has; a passage found adds its words to the
 * covered words of the lines it spans, so that a word streamed costs no
 * more than its hash and its shingle's.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

/* Lines that close a message: the signature follows. */
static const char *closings[] = {
	" cordialement ", " bien cordialement ", " tres cordialement ",
	" bien a vous ", " bien a toi ", " salutations ",
	" meilleures salutations ", " sinceres salutations ",
	" salutations distinguees ", " bonne journee ",
	" bonne fin de journee ", " bonne soiree ", " amicalement ",
	" respectueusement ", " a bientot ", " merci ", " merci beaucoup ",
	" merci d avance ", " merci par avance ", " merci a vous ",
	" avec mes remerciements ", " en vous remerciant ",
	" best regards ", " kind regards ", " regards ", " best ",
	" cheers ", " thanks ", " many thanks ", " thank you ",
	" thanks in advance ", " sincerely ", " yours sincerely ",
	" all the best ", " best wishes ", " warm regards ",
	" mit freundlichen grussen ", " viele grusse ", " beste grusse ",
	" un saludo ", " saludos ", " cordiali saluti ",
	" met vriendelijke groet ", " vanliga halsningar ",
	" med vanlig halsning ",
};

/* The closings by the letter after their space: closing_first[c] is 1 +
 * the first one's index, 0 for none; closing_next[i] the next one's, the
 * same way; closing_len[i] its length. */
static unsigned char	closing_first[256];
static unsigned char	closing_next[sizeof closings / sizeof closings[0]];
static unsigned char	closing_len[sizeof closings / sizeof closings[0]];

/* Footers of phones and webmails: the rest is not the question. */
static const char *footers[] = {
	" envoye de mon ", " envoye depuis ", " sent from my ",
	" get outlook for ", " telecharger outlook ", " obtenir outlook ",
	" von meinem ", " enviado desde ",
};

/* Words of legal disclaimers. */
static const char *disclaimers[] = {
	" ce message et toutes les pieces jointes ",
	" ce message et les pieces jointes ", " ce courriel et ",
	" ce message electronique et ", " ce message est confidentiel",
	" ce courriel est confidentiel", " message et ses pieces jointes ",
	" si vous n etes pas le destinataire ",
	" si vous avez recu ce message par erreur ",
	" this e mail and any ", " this email and any ",
	" this message and any ", " intended solely for ",
	" intended only for ", " if you are not the intended recipient ",
	" avertissement ", " disclaimer ", " pensez a l environnement ",
	" please consider the environment ", " haftungsausschluss ",
	" diese e mail enthalt ", " this email is confidential ",
	" aviso legal ", " confidentiality notice ",
	" avis de confidentialite ", " mention legale ", " mentions legales ",
};

/* The start of a forwarded message. */
static const char *forwards[] = {
	" message transfere ", " forwarded message ",
	" message reexpedie ", " begin forwarded message ",
	" debut du message reexpedie ", " mail transfere ",
	" weitergeleitete nachricht ",
};

/* Words that announce a forward: the header block below is the message
 * forwarded, whatever its subject. */
static const char *announces[] = {
	" je vous transfere ", " je te transfere ", " je vous transmets ",
	" je te transmets ", " je vous fais suivre ", " je te fais suivre ",
	" i am forwarding ", " i m forwarding ", " forwarding you ",
	" i forward you ", " i have forwarded ",
};

/* The separators of an earlier message in a reply. */
static const char *originals[] = {
	" original message ", " message d origine ", " mail original ",
	" ursprungliche nachricht ", " reply message ",
};

/* Header names of an Outlook-style quoted or forwarded block. */
static const char *blockheads[] = {
	" de ", " from ", " envoye ", " sent ", " date ", " a ", " to ",
	" objet ", " subject ", " sujet ", " cc ", " pour ", " von ",
	" gesendet ", " an ", " betreff ",
};

/* Every test reads the start of a line: only so much of it is folded. */
#define FOLD_MAX	100

/* Words in a shingle. */
#define SHINGLE		8
#define RUN_MIN		13	/* shingles in a row: twenty words */
#define RING		32	/* words kept, >= SHINGLE + RUN_MIN - 1 */
/* Shingles of the answer's notice that tell it is quoted. */
#define NOTICE_MIN	6

/* The responder's own texts: an open-addressing set of shingle hashes,
 * 0 for an empty slot, the low bit set for the notice's.  A word of text
 * is looked up there, most often in vain: a filter small enough to stay in
 * the cache tells so first.  Each hash held sets two bits of one of its
 * FILTER_WORDS words (both chosen by the hash's top bits): a hash whose
 * two bits are not both set is not held (with the replies' few thousand
 * runs, one in twenty-five of those not held passes, against one in ten
 * with a bit each). */
#define FILTER_WORDS	512
#define FILTER_WORD(key) ((size_t)((key) >> 55))
#define FILTER_MASK(key) ((uint64_t)1 << ((key) >> 49 & 63) | \
			    (uint64_t)1 << ((key) >> 43 & 63))
struct known {
	uint64_t	*v;
	size_t		 size;		/* a power of two */
	size_t		 n;
	uint64_t	 filter[FILTER_WORDS];
	uint64_t	 vocab[FILTER_WORDS];	/* the same for the hashes of
						   the texts' words */
};

/* A word's hash as vocab's filter reads it: mixed, so that its top bits
 * depend on all of its bytes. */
#define VOCAB_KEY(h)	((h) * 0x9e3779b97f4a7c15ULL)
static const struct known	*known_texts;	/* foreign: the core's */

struct line {
	const char	*s;		/* the line, without CR LF */
	size_t		 len;
	int		 quoted;	/* a "> " line */
	struct buf	 f;		/* its start, folded when first needed
					   (points into fold) */
	int		 marker;	/* MARK_*, once folded */
	size_t		 first;		/* its first word's index in the text,
					   when known texts are read */
	size_t		 words;		/* its words */
	size_t		 covered;	/* of them, in a known passage so far */
	char		 fold[3 * FOLD_MAX + 3];
};

/*
 * The lines of the text, split as they are read: the tests look one line
 * back and a few ahead, so a window of the last lines split is all that is
 * kept, whatever the number of lines.
 */
#define WINDOW	16
struct lines {
	const char	*p;		/* the first line not split yet */
	const char	*end;
	size_t		 n;		/* lines split so far */
	struct line	 w[WINDOW];	/* line i is w[i % WINDOW] */
	struct buf	*inplace;	/* the text, when the own words are
					   written over it */
	/* The words streamed as lines are split (known texts only). */
	const struct known *known;
	uint64_t	 ring[RING];	/* the last words' hashes */
	size_t		 nwords;	/* streamed so far */
	size_t		 covered_to;	/* words before it covered or not for
					   good */
	size_t		 unheld;	/* to this count of words, a word of
					   no known text is in the shingle */
	size_t		 run;		/* known shingles in a row */
	size_t		 notice;	/* shingles of the notice met */
	int		 ended;		/* the last word was streamed */
};

/* The phrases searched inside lines, found together by one automaton. */
enum { MARK_NONE, MARK_FORWARD, MARK_ORIGINAL, MARK_DISCLAIMER,
    MARK_ANNOUNCE };
static struct matcher	*markers;
static int		*marker_kind;

static void
markers_init(void)
{
	static const struct {
		const char	**list;
		size_t		  n;
		int		  kind;
	} lists[] = {
		{ forwards, sizeof forwards / sizeof forwards[0],
		  MARK_FORWARD },
		{ originals, sizeof originals / sizeof originals[0],
		  MARK_ORIGINAL },
		{ disclaimers, sizeof disclaimers / sizeof disclaimers[0],
		  MARK_DISCLAIMER },
		{ announces, sizeof announces / sizeof announces[0],
		  MARK_ANNOUNCE },
	};
	size_t	i, j, n = 0;

	for (i = sizeof closings / sizeof closings[0]; i-- > 0;) {
		j = (unsigned char)closings[i][1];
		closing_next[i] = closing_first[j];
		closing_first[j] = (unsigned char)(i + 1);
		closing_len[i] = (unsigned char)strlen(closings[i]);
	}
	markers = matcher_new();
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		n += lists[i].n;
	marker_kind = xcalloc(n, sizeof *marker_kind);
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++)
		for (j = 0; j < lists[i].n; j++)
			marker_kind[matcher_add(markers, lists[i].list[j])] =
			    lists[i].kind;
	matcher_build(markers);
}

/* The key of a shingle's hash in the set: never 0, low bit clear. */
static uint64_t
known_key(uint64_t h)
{
	return ((h | 2) & ~(uint64_t)1);
}

static void
known_put(struct known *k, uint64_t key, int notice)
{
	uint64_t	*old = k->v;
	size_t		 i, osize = k->size;

	if (2 * (k->n + 1) > k->size) {
		k->size = k->size == 0 ? 1024 : 2 * k->size;
		k->v = xcalloc(k->size, sizeof *k->v);
		k->n = 0;
		for (i = 0; i < osize; i++)
			if (old[i] != 0)
				known_put(k, old[i] & ~(uint64_t)1, old[i] & 1);
		free(old);
	}
	for (i = key & (k->size - 1); k->v[i] != 0; i = (i + 1) & (k->size - 1))
		if ((k->v[i] & ~(uint64_t)1) == key) {
			k->v[i] |= (uint64_t)notice;
			return;
		}
	k->v[i] = key | (uint64_t)notice;
	k->n++;
	k->filter[FILTER_WORD(key)] |= FILTER_MASK(key);
}

/* -1 when the shingle is not known, 1 when it is the notice's, else 0. */
static int
known_get(const struct known *k, uint64_t key)
{
	size_t	i;

	if (k->size == 0 || (k->filter[FILTER_WORD(key)] & FILTER_MASK(key)) !=
	    FILTER_MASK(key))
		return (-1);
	for (i = key & (k->size - 1); k->v[i] != 0; i = (i + 1) & (k->size - 1))
		if ((k->v[i] & ~(uint64_t)1) == key)
			return ((int)(k->v[i] & 1));
	return (-1);
}

/*
 * A shingle's hash is a polynomial of its words' hashes:
 * h = w0 B^7 + w1 B^6 + ... + w7, then mixed.
 */
#define POLY	0x100000001b3ULL

/* The polynomial of the SHINGLE words that end before ring[end % RING]. */
static uint64_t
shingle_poly(const uint64_t *ring, size_t end)
{
	uint64_t	p = 0;
	size_t		k;

	for (k = end - SHINGLE; k < end; k++)
		p = p * POLY + ring[k % RING];
	return (p);
}

static uint64_t
shingle_key(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return (known_key(h));
}

/* A link: the reply's text/plain writes them out, its HTML does not. */
static int
link_token(const char *p, size_t n)
{
	const char	*c = p, *end = p + n;

	while ((c = memchr(c, ':', (size_t)(end - c))) != NULL) {
		if ((end - c >= 3 && c[1] == '/' && c[2] == '/') ||
		    (c - p >= 6 && memcmp(c - 6, "mailto", 6) == 0))
			return (1);
		c++;
	}
	while (p < end && (*p == '(' || *p == '<' || *p == '['))
		p++;
	return (end - p >= 4 && memcmp(p, "www.", 4) == 0);
}

/* The bytes of words: ASCII letters and digits lower-cased, WORD_HIGH for
 * every byte beyond ASCII; 0 for the other ASCII bytes. */
#define WORD_HIGH	0x80
static unsigned char	word_byte[256];
/* The same for ASCII only: 0 beyond it. */
static unsigned char	word_ascii[256];

/* The bytes that part the tokens of a line with a link: space, tab, CR and
 * LF. */
static unsigned char	token_space[256];

static void
words_init(void)
{
	int	c;

	for (c = '0'; c <= '9'; c++)
		word_byte[c] = (unsigned char)c;
	for (c = 'a'; c <= 'z'; c++)
		word_byte[c] = word_byte[c - 'a' + 'A'] = (unsigned char)c;
	memcpy(word_ascii, word_byte, sizeof word_ascii);
	for (c = 0x80; c < 0x100; c++)
		word_byte[c] = WORD_HIGH;
	token_space[' '] = token_space['\t'] = token_space['\n'] =
	    token_space['\r'] = 1;
}

/* Does the line hold a token that link_token() tells a link: one with a
 * ':' that "//" follows or "mailto" comes before, or one that starts with
 * "www." after its brackets?  Its colons and dots are few: they are looked
 * for. */
static int
has_link(const char *s, size_t len)
{
	const char	*c = s, *d = s, *b, *end = s + len;

	while ((c = memchr(c, ':', (size_t)(end - c))) != NULL) {
		if ((end - c >= 3 && c[1] == '/' && c[2] == '/') ||
		    (c - s >= 6 && memcmp(c - 6, "mailto", 6) == 0))
			return (1);
		c++;
	}
	while ((d = memchr(d, '.', (size_t)(end - d))) != NULL) {
		if (d - s >= 3 && memcmp(d - 3, "www", 3) == 0) {
			for (b = d - 3; b > s && (b[-1] == '(' || b[-1] == '<' ||
			    b[-1] == '['); b--)
				;
			if (b == s || token_space[(unsigned char)b[-1]])
				return (1);
		}
		d++;
	}
	return (0);
}

/* The length of the character beyond ASCII at q, before t (a byte that
 * starts none is one); *space when it is a space or a punctuation mark of
 * U+00A0-U+00BF or U+2000-U+207F. */
static size_t
high_char(const unsigned char *q, const unsigned char *t, int *space)
{
	unsigned char	c = *q;
	size_t		n;

	n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n > (size_t)(t - q))
		n = (size_t)(t - q);
	*space = n > 1 && ((c == 0xc2 && q[1] >= 0xa0) ||
	    (c == 0xe2 && q[1] <= 0x81));
	return (n);
}

/*
 * A word's hash, a byte more: rotated by seven bits, the byte added.  An
 * ASCII word of nine bytes or fewer is held whole, none like another;
 * longer words may share a hash, which matters little: a passage is known
 * by twenty words in a row.  The hashes are mixed where they are read
 * (VOCAB_KEY, shingle_key()).  Each
 * byte waits for the one before through two one-cycle instructions, where
 * a multiply would hold it three or four: this runs over every byte of
 * the words of a message.
 */
#define WORD_STEP(h, c) (((h) << 7 | (h) >> 57) ^ (c))

/* The words of a run of bytes with no link in it, each hashed (WORD_STEP()
 * of its bytes, ASCII lower-cased).  Like words(), inlined in its callers:
 * fn is then known where it is called, and the stream's (a word of every
 * line) is inlined in turn, without a call a word. */
static inline __attribute__((always_inline)) void
word_run(const unsigned char *q, const unsigned char *t,
    void (*fn)(uint64_t, void *), void *arg)
{
	uint64_t	h;
	size_t		n;
	int		space;
	unsigned char	c;

	for (;;) {
		/* To the next word. */
		c = 0;
		while (q < t && (c = word_byte[*q]) == 0)
			q++;
		if (q == t)
			break;
		if (c == WORD_HIGH) {
			n = high_char(q, t, &space);
			if (space) {
				q += n;
				continue;
			}
		}
		/* The word, to a byte that is not of words: its ASCII
		 * letters and digits in a loop that one test of a byte
		 * leaves (word_ascii[] is 0 beyond ASCII as for no byte of
		 * words). */
		h = 0;
		for (;;) {
			if (c != WORD_HIGH) {
				do {
					h = WORD_STEP(h, c);
					if (++q == t)
						goto end;
				} while ((c = word_ascii[*q]) != 0);
				if (*q < 0x80)
					break;
			}
			n = high_char(q, t, &space);
			if (space)
				break;
			while (n-- > 0)
				h = WORD_STEP(h, *q++);
			if (q == t || (c = word_byte[*q]) == 0)
				break;
		}
end:
		fn(h, arg);
	}
}

/*
 * Calls fn with the hash of each word of s, in order, links left out.  A
 * pasted or quoted answer keeps the bytes of the reply, but for its line
 * breaks, marks and spacing: a word is a run of ASCII letters and digits
 * (lower-cased) and characters beyond ASCII, but for the spaces and
 * punctuation of U+00A0-U+00BF and U+2000-U+207F (no-break spaces, quotes,
 * dashes), which part words as their ASCII forms do.  No fold: this runs
 * over every word of a message.
 */
static inline __attribute__((always_inline)) void
words(const char *s, size_t len, void (*fn)(uint64_t, void *), void *arg)
{
	const unsigned char	*p = (const unsigned char *)s, *t;
	const unsigned char	*end = p + len;

	if (word_byte['a'] == 0)
		words_init();
	/* Most lines hold no link: one run. */
	if (!has_link(s, len)) {
		word_run(p, end, fn, arg);
		return;
	}
	for (;;) {
		while (p < end && token_space[*p])
			p++;
		if (p == end)
			break;
		for (t = p; t < end && !token_space[*t]; t++)
			;
		if (!link_token((const char *)p, (size_t)(t - p)))
			word_run(p, t, fn, arg);
		p = t;
	}
}

struct learn {
	struct known	*k;
	uint64_t	 ring[RING];
	size_t		 n;
	int		 notice;
};

static void
learn_word(uint64_t h, void *arg)
{
	struct learn	*l = arg;

	l->k->vocab[FILTER_WORD(VOCAB_KEY(h))] |= FILTER_MASK(VOCAB_KEY(h));
	l->ring[l->n++ % RING] = h;
	if (l->n < SHINGLE)
		return;
	known_put(l->k, shingle_key(shingle_poly(l->ring, l->n)), l->notice);
}

struct known *
known_new(void)
{
	return (xcalloc(1, sizeof (struct known)));
}

void
known_add(struct known *k, const char *text, size_t len, int notice)
{
	struct learn	l;

	memset(&l, 0, sizeof l);
	l.k = k;
	l.notice = notice;
	words(text, len, learn_word, &l);
}

size_t
known_count(const struct known *k)
{
	return (k->n);
}

void
known_free(struct known *k)
{
	if (k == NULL)
		return;
	free(k->v);
	free(k);
}

void
text_known(const struct known *k)
{
	known_texts = k;
}

void
text_forget(const struct known *k)
{
	if (known_texts == k)
		known_texts = NULL;
}

/*
 * Words a to e of the text are in a known passage: each is counted once in
 * the covered words of its line, for the lines of the window (those of the
 * words before covered_to were counted already).  Passages are few: the
 * lines are walked back from the last.
 */
static void
cover(struct lines *ls, size_t a, size_t e)
{
	struct line	*l;
	size_t		 i, from, to;

	if (a < ls->covered_to)
		a = ls->covered_to;
	for (i = ls->n; i-- > 0 && ls->n - i <= WINDOW;) {
		l = &ls->w[i % WINDOW];
		/* The last line's words are still streaming. */
		to = i == ls->n - 1 ? e + 1 : l->first + l->words;
		from = l->first > a ? l->first : a;
		if (to > e + 1)
			to = e + 1;
		if (from < to)
			l->covered += to - from;
		if (l->first <= a)
			break;
	}
	ls->covered_to = e + 1;
}

/* The next word of the text, of the line split last. */
static inline __attribute__((always_inline)) void
stream_word(uint64_t h, void *arg)
{
	struct lines	*ls = arg;
	size_t		 span;
	int		 kind;

	ls->ring[ls->nwords % RING] = h;
	ls->nwords++;
	/* A word that no known text holds: the shingles that hold it are
	 * not known, their look up spared (and their polynomial, made only
	 * for a look up). */
	if ((ls->known->vocab[FILTER_WORD(VOCAB_KEY(h))] &
	    FILTER_MASK(VOCAB_KEY(h))) != FILTER_MASK(VOCAB_KEY(h)))
		ls->unheld = ls->nwords + SHINGLE - 1;
	if (ls->nwords < SHINGLE || ls->nwords <= ls->unheld ||
	    (kind = known_get(ls->known, shingle_key(shingle_poly(ls->ring,
	    ls->nwords)))) == -1) {
		ls->run = 0;
		return;
	}
	if (kind == 1)
		ls->notice++;
	if (++ls->run < RUN_MIN)
		return;
	/* The passage is long enough: all its words are covered, as far
	 * back as the last RING words. */
	span = SHINGLE + ls->run - 1;
	if (span > RING)
		span = RING;
	cover(ls, ls->nwords - span, ls->nwords - 1);
}

static int
quoted(const struct line *l)
{
	size_t	i = 0;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return (i < l->len && l->s[i] == '>');
}

/* Splits the lines of the text up to line i; NULL past the last. */
static struct line *
line_split(struct lines *ls, size_t i)
{
	struct line	*l;
	const char	*next;

	while (ls->n <= i && ls->p < ls->end) {
		l = &ls->w[ls->n % WINDOW];
		l->s = ls->p;
		l->len = line_next(ls->p, ls->end, &next);
		l->f.data = NULL;
		l->f.len = 0;
		l->marker = MARK_NONE;
		l->quoted = quoted(l);
		l->first = ls->nwords;
		l->words = l->covered = 0;
		ls->p = next;
		ls->n++;
		if (ls->known != NULL) {
			words(l->s, l->len, stream_word, ls);
			l->words = ls->nwords - l->first;
			if (ls->p == ls->end)
				ls->ended = 1;
		}
	}
	if (i >= ls->n)
		return (NULL);
	return (&ls->w[i % WINDOW]);
}

/* Line i of the text, split now if it was not yet; NULL past the last.
 * A line stays valid until WINDOW more lines are split. */
static inline struct line *
line_get(struct lines *ls, size_t i)
{
	if (i >= ls->n)
		return (line_split(ls, i));
	if (ls->n - i > WINDOW)
		fatalx("text: line %zu read after it left the window", i);
	return (&ls->w[i % WINDOW]);
}

/* Folds the start of a line, once. */
static void
fold_line(struct line *l)
{
	int	id;

	if (l->f.data != NULL)
		return;
	l->f.data = l->fold;
	/* An empty line folds to a space, which holds no phrase. */
	if (l->len == 0) {
		memcpy(l->fold, " ", 2);
		l->f.len = 1;
		l->f.size = 2;
		l->marker = MARK_NONE;
		return;
	}
	l->f.len = fold_to(l->fold, l->s, l->len > FOLD_MAX ? FOLD_MAX :
	    l->len);
	l->f.size = l->f.len + 1;
	id = matcher_first(markers, l->f.data, l->f.len);
	l->marker = id == -1 ? MARK_NONE : marker_kind[id];
}

/* Every phrase and every folded line starts with a space: the letter
 * after it rules most phrases out at once. */
static inline int
starts(const struct buf *f, const char *w)
{
	size_t	n;

	if (f->len < 2 || f->data[1] != w[1])
		return (0);
	n = strlen(w);
	return (f->len >= n && memcmp(f->data, w, n) == 0);
}

static int
ends(const struct buf *f, const char *w)
{
	size_t	n = strlen(w);

	return (f->len >= n && memcmp(f->data + f->len - n, w, n) == 0);
}


static int
any(const struct buf *f, const char **list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (starts(f, list[i]))
			return (1);
	return (0);
}

/* Does the folded line start with a phrase of the list? */
#define ANY(f, list) any(f, list, sizeof list / sizeof list[0])

/* "Le lun. 3 mars 2025 à 10:12, X <x@y> a écrit :", "On ... wrote:". */
static int
attribution(const struct line *l)
{
	const char	*s = l->s;
	size_t		 n = l->len;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char		 tail[3 * 40 + 3];
	struct buf	 t;

	if (n == 0 || s[n - 1] != ':')
		return (0);
	/* The start of a long line was folded, not its end. */
	t = l->f;
	if (n > FOLD_MAX) {
		t.data = tail;
		t.len = fold_to(tail, s + n - 40, 40);
	}
	return (ends(&t, " a ecrit ") || ends(&t, " wrote ") ||
	    ends(&t, " schrieb ") || ends(&t, " escribio ") ||
	    ends(&t, " ha scritto "));
}

/* A block of "De : / Envoyé : / À : / Objet :" lines from line first. */
static int
header_block(struct lines *ls, size_t first)
{
	struct line	*l;
	size_t		 i, heads = 0;

	for (i = first; i < first + 6 && (l = line_get(ls, i)) != NULL; i++) {
		if (l->len == 0 || memchr(l->s, ':', l->len) == NULL)
			break;
		fold_line(l);
		if (l->f.len == 0)
			break;
		if (!ANY(&l->f, blockheads))
			break;
		heads++;
	}
	if (heads < 2)
		return (0);
	l = line_get(ls, first);
	return (starts(&l->f, " de ") || starts(&l->f, " from ") ||
	    starts(&l->f, " von ") || starts(&l->f, " date ") ||
	    starts(&l->f, " sujet ") || starts(&l->f, " subject ") ||
	    starts(&l->f, " objet "));
}

/* A line made only of dashes or underscores (a separator). */
static int
rule_line(const struct line *l)
{
	size_t	i, n = 0;

	for (i = 0; i < l->len; i++) {
		if (l->s[i] == '-' || l->s[i] == '_')
			n++;
		else if (l->s[i] != ' ' && l->s[i] != '\t')
			return (0);
	}
	return (n >= 8);
}

static int
closing(const struct line *l)
{
	size_t	i, n, words = 0;
	int	prefix = 0;

	if (l->f.len < 2)
		return (0);
	for (i = closing_first[(unsigned char)l->f.data[1]]; i-- > 0;
	    i = closing_next[i]) {
		n = closing_len[i];
		if (l->f.len < n || memcmp(l->f.data, closings[i], n) != 0)
			continue;
		if (l->f.len == n)
			return (1);
		prefix = 1;
	}
	if (!prefix)
		return (0);
	/* A closing and a short name: "Cordialement, Jean Dupont". */
	for (i = 1; i < l->f.len; i++)
		if (l->f.data[i] == ' ')
			words++;
	return (words <= 4 && memchr(l->s, '?', l->len) == NULL);
}

/* A line that may open a forward: dashes first, or a colon last. */
static int
forward_shape(const struct line *l)
{
	size_t	n = l->len;

	while (n > 0 && (l->s[n - 1] == ' ' || l->s[n - 1] == '\t'))
		n--;
	return ((l->len > 0 && (l->s[0] == '-' || l->s[0] == '_')) ||
	    (n > 0 && l->s[n - 1] == ':') || (l->len > 0 && l->s[0] == 'B') ||
	    (l->len > 0 && l->s[0] == 'D'));
}

static int
forward_line(struct line *l)
{
	if (!forward_shape(l) || l->quoted)
		return (0);
	fold_line(l);
	return (l->marker == MARK_FORWARD && l->f.len < 60);
}

static int
blank(const struct line *l)
{
	size_t	i;

	for (i = 0; i < l->len; i++)
		if (l->s[i] != ' ' && l->s[i] != '\t')
			return (0);
	return (1);
}

/*
 * Is line i mostly the responder's own text (an answer pasted, or quoted
 * by a client that lost the marks)?  The words after it are split first,
 * a few lines at most, so that the runs across its end are seen.
 */
static int
known_line(struct lines *ls, size_t i)
{
	struct line	*l;

	if (ls->known == NULL)
		return (0);
	/* Until its last word is RING words back: no passage found later
	 * reaches it. */
	for (;;) {
		l = line_get(ls, i);
		if (l->words == 0 || ls->ended ||
		    l->first + l->words + RING <= ls->nwords ||
		    ls->n >= i + WINDOW / 2 || line_get(ls, ls->n) == NULL)
			break;
	}
	l = line_get(ls, i);
	if (l->words == 0)
		return (0);
	return (2 * l->covered > l->words);
}

/* A line that a client's wrapping cut from the quoted line above it: no
 * blank line between, the quoted line long and cut in a sentence, this
 * one going on in lower case. */
static int
wrapped_quote(struct lines *ls, size_t i)
{
	struct line	*prev = line_get(ls, i - 1), *l = line_get(ls, i);
	size_t		 n = prev->len;
	unsigned char	 c;

	while (n > 0 && (prev->s[n - 1] == ' ' || prev->s[n - 1] == '\t'))
		n--;
	if (!prev->quoted || n < 60 || l->len == 0 ||
	    strchr(".?!:;", prev->s[n - 1]) != NULL)
		return (0);
	c = (unsigned char)l->s[0];
	return ((c >= 'a' && c <= 'z') || (c == 0xc3 && l->len > 1 &&
	    (unsigned char)l->s[1] >= 0xa0));
}

/* Does a quote marked with '>' start at line j (blank lines skipped)? */
static int
marked_quote(struct lines *ls, size_t j)
{
	struct line	*l;
	size_t		 k;

	for (k = j; k < j + 3 && (l = line_get(ls, k)) != NULL; k++)
		if (!blank(l))
			return (l->quoted);
	return (0);
}

/* Is the header block at line first a forward's ("Objet : TR: ...",
 * "Subject: Fwd: ...")? */
static int
forward_block(struct lines *ls, size_t first)
{
	static const char	*subjects[] = { " objet ", " subject ",
	    " sujet ", " betreff " };
	static const char	*tags[] = { "tr ", "fw ", "fwd ", "wg ",
	    "trans " };
	struct line		*l;
	size_t			 i, k, j, n;

	for (i = first; i < first + 6 && (l = line_get(ls, i)) != NULL; i++) {
		if (l->f.data == NULL)
			break;
		for (k = 0; k < sizeof subjects / sizeof subjects[0]; k++) {
			if (!starts(&l->f, subjects[k]))
				continue;
			n = strlen(subjects[k]);
			for (j = 0; j < sizeof tags / sizeof tags[0]; j++)
				if (l->f.len >= n + strlen(tags[j]) &&
				    memcmp(l->f.data + n, tags[j],
				    strlen(tags[j])) == 0)
					return (1);
		}
	}
	return (0);
}

/* Thanks: a courtesy that comes before the question as well as after. */
static int
thanks(const struct line *l)
{
	return (starts(&l->f, " merci") || starts(&l->f, " thanks ") ||
	    starts(&l->f, " thank you ") || starts(&l->f, " many thanks ") ||
	    starts(&l->f, " en vous remerciant ") ||
	    starts(&l->f, " avec mes remerciements "));
}

/*
 * After thanks at line i, do the sender's words go on?  They do when the
 * next line that is not blank asks something or is a sentence of some
 * length -- not a quote, a signature, an address or a name.
 */
static int
words_go_on(struct lines *ls, size_t i)
{
	struct line	*l;
	size_t		 j, k, n = 0;

	for (j = i + 1; j < i + 4 && (l = line_get(ls, j)) != NULL; j++) {
		if (blank(l))
			continue;
		if (l->quoted || rule_line(l))
			return (0);
		fold_line(l);
		if (attribution(l) || (l->marker != MARK_NONE &&
		    l->marker != MARK_ANNOUNCE) ||
		    header_block(ls, j) || ANY(&l->f, footers) ||
		    (l->len <= 3 && memcmp(l->s, "--", 2) == 0))
			return (0);
		if (memchr(l->s, '?', l->len) != NULL)
			return (1);
		if (memchr(l->s, '@', l->len) != NULL)
			return (0);
		for (k = 1; k < l->f.len; k++)
			if (l->f.data[k] == ' ')
				n++;
		return (n >= 8);
	}
	return (0);
}

/* Appends a line and its LF to out; in place, over the text where the own
 * words so far end: never past the line itself, so that no line still to
 * be read is touched (nor by a NUL after it: text_own_inplace() writes
 * the NUL at the end). */
static void
put_line(struct lines *ls, struct buf *out, const struct line *l)
{
	if (out != ls->inplace) {
		buf_add(out, l->s, l->len);
		buf_addc(out, '\n');
		return;
	}
	memmove(out->data + out->len, l->s, l->len);
	out->len += l->len;
	out->data[out->len++] = '\n';
}

/*
 * Reads the lines from first into out, stopping at the first quote,
 * signature or disclaimer; returns the index of a forwarded message's
 * first line, or SIZE_MAX.
 */
static size_t
read_lines(struct lines *ls, size_t first, struct buf *out)
{
	struct line	*l, *prev;
	size_t		 i, kept = 0, mark = out->len, last = SIZE_MAX;
	int		 close, courtesy, announced = 0;

	for (i = first; (l = line_get(ls, i)) != NULL; i++) {
		if (!l->quoted && i > first && wrapped_quote(ls, i))
			l->quoted = 1;
		if (l->quoted)
			continue;
		/* The responder's own text: neither his words nor an end. */
		if (known_line(ls, i))
			continue;
		l = line_get(ls, i);
		fold_line(l);
		if (l->marker == MARK_FORWARD && l->f.len < 60)
			return (i + 1);
		if (attribution(l)) {
			/* A wrapped attribution: drop its first half, when it
			 * is the line written last (not one left out). */
			if (i > first && last == i - 1 &&
			    !(prev = line_get(ls, i - 1))->quoted &&
			    (starts(&prev->f, " le ") ||
			    starts(&prev->f, " on ")) && out->len > mark) {
				out->len -= prev->len + 1;
				out->data[out->len] = '\0';
			}
			/* A quote marked with '>': his words may come
			 * between its blocks and after it. */
			if (marked_quote(ls, i + 1))
				continue;
			break;
		}
		if (l->marker == MARK_ORIGINAL && l->f.len < 40)
			break;
		if (rule_line(l) && header_block(ls, i + 1)) {
			if (announced || forward_block(ls, i + 1))
				return (i + 1);
			break;
		}
		if (header_block(ls, i)) {
			if (announced || forward_block(ls, i))
				return (i);
			break;
		}
		if ((l->len == 3 && memcmp(l->s, "-- ", 3) == 0) ||
		    (l->len == 2 && memcmp(l->s, "--", 2) == 0))
			break;
		if (ANY(&l->f, footers))
			break;
		if (kept > 0 && l->marker == MARK_DISCLAIMER)
			break;
		/* Before the line is copied: in place, the copy may land on
		 * it. */
		close = closing(l);
		courtesy = close && thanks(l);
		announced |= l->marker == MARK_ANNOUNCE;
		put_line(ls, out, l);
		last = i;
		if (l->f.len > 2)
			kept++;
		/* Thanks before the question does not end his words. */
		if (kept > 0 && close && !(courtesy && words_go_on(ls, i)))
			break;
	}
	/* A forward further down, after a signature, still counts; so does
	 * a header block his words announced as one. */
	for (; (l = line_get(ls, i)) != NULL; i++) {
		if (forward_line(l))
			return (i + 1);
		if (announced && !l->quoted && memchr(l->s, ':', l->len) !=
		    NULL && header_block(ls, i))
			return (i);
	}
	return (SIZE_MAX);
}

/* The own words into own (and a forward's into fwd), from the lines of
 * ls; returns the TEXT_* flags. */
static int
own_words(struct lines *ls, struct buf *own, struct buf *fwd)
{
	struct line	*l;
	size_t		 start;

	if (markers == NULL)
		markers_init();
	ls->known = known_texts;
	if ((start = read_lines(ls, 0, own)) != SIZE_MAX) {
		/* Skip the forwarded message's header lines. */
		while ((l = line_get(ls, start)) != NULL) {
			fold_line(l);
			if (!(l->f.len <= 1 || (memchr(l->s, ':', l->len) !=
			    NULL && ANY(&l->f, blockheads))))
				break;
			start++;
		}
		read_lines(ls, start, fwd);
	}
	if (ls->known == NULL)
		return (0);
	/* The notice of an answer is looked for in the whole text, until
	 * enough of it was met. */
	while (ls->notice < NOTICE_MIN && line_get(ls, ls->n) != NULL)
		;
	return (ls->notice >= NOTICE_MIN ? TEXT_ANSWER : 0);
}

/* The lines of text from its start: what is kept of them (the window,
 * the ring) is written before it is read. */
static void
lines_init(struct lines *ls, const char *text, size_t len)
{
	ls->p = text;
	ls->end = text + len;
	ls->n = 0;
	ls->inplace = NULL;
	ls->known = NULL;
	ls->nwords = ls->run = ls->notice = ls->covered_to = ls->unheld = 0;
	ls->ended = 0;
}

int
text_own(struct buf *own, struct buf *fwd, const char *text, size_t len)
{
	struct lines	 ls;

	lines_init(&ls, text, len);
	return (own_words(&ls, own, fwd));
}

int
text_own_inplace(struct buf *text, struct buf *fwd)
{
	struct lines	 ls;
	int		 flags;

	/* A last line without LF gains one: room for it and the NUL. */
	buf_reserve(text, 2);
	lines_init(&ls, text->data, text->len);
	ls.inplace = text;
	text->len = 0;
	flags = own_words(&ls, text, fwd);
	text->data[text->len] = '\0';
	return (flags);
}

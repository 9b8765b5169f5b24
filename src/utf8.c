/*
 * UTF-8 decoding and validation, and the folding that puts text and
 * patterns in the one form the matcher compares: lower case ASCII letters
 * and digits, accents stripped, other characters as single spaces.
 */

#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

/* Base letters of U+00C0..U+00FF; '*' is a special case, ' ' a symbol. */
static const char latin1_base[64] =
    "aaaaaa*ceeeeiiii" "dnooooo ouuuuy**"
    "aaaaaa*ceeeeiiii" "dnooooo ouuuuy*y";
/* Base letters of U+0100..U+017F (Latin Extended-A). */
static const char latina_base[128] =
    "aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii"
    "iiiijjkkklllllll" "lllnnnnnnnnnoooo" "oo**rrrrrrssssss"
    "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

/*
 * ASCII: letters lowered, digits kept, everything else a separator; 0 for
 * the bytes that need more than a table (beyond ASCII, and with sentence
 * marks '?', '!', '.' and the newline).
 */
static unsigned char ascii_fold[256];	/* without marks */
static unsigned char marks_fold[256];	/* with them */
/* U+00C0..U+00FF, UTF-8 0xc3 and a byte 0x80..0xbf: the letter when it
 * folds to one (French accents), else 0. */
static unsigned char latin1_fold[64];
static int ascii_ready;

static void
ascii_init(void)
{
	int	c;

	for (c = 0; c < 128; c++) {
		if (c >= 'A' && c <= 'Z')
			ascii_fold[c] = (unsigned char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			ascii_fold[c] = (unsigned char)c;
		else
			ascii_fold[c] = ' ';
		marks_fold[c] = ascii_fold[c];
	}
	marks_fold['?'] = marks_fold['!'] = marks_fold['.'] = 0;
	marks_fold['\n'] = 0;
	for (c = 0; c < 64; c++)
		if (latin1_base[c] != '*' && latin1_base[c] != ' ')
			latin1_fold[c] = (unsigned char)latin1_base[c];
	ascii_ready = 1;
}

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	c;
	size_t		n, i;

	if (len == 0)
		return (0);
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return (1);
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else
		return (0);
	if (len < n)
		return (0);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and values past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return (0);
	*cp = c;
	return (n);
}

/* Eight bytes at a time while none has its high bit set. */
size_t
ascii_span(const char *s, size_t len)
{
	uint64_t	v;
	size_t		i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&v, s + i, 8);
		if ((v & 0x8080808080808080ULL) != 0)
			break;
	}
	while (i < len && (unsigned char)s[i] < 0x80)
		i++;
	return (i);
}

int
utf8_valid(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n;
	uint32_t		 cp;

	while (i < len) {
		if (p[i] < 0x80) {
			i += ascii_span(s + i, len - i);
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return (0);
		i += n;
	}
	return (1);
}

void
utf8_encode(struct buf *b, uint32_t cp)
{
	char	s[4];

	if (cp < 0x80)
		buf_addc(b, (int)cp);
	else if (cp < 0x800) {
		s[0] = (char)(0xc0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 2);
	} else if (cp < 0x10000) {
		s[0] = (char)(0xe0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 3);
	} else {
		s[0] = (char)(0xf0 | (cp >> 18));
		s[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		s[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, s, 4);
	}
}

/* Whether a list item starts at p (after a line's indent): "-", "*", "+",
 * a bullet or a dash, then a space; one or two digits or a letter, then
 * ')' or '.' and a space. */
static int
list_item(const unsigned char *p, const unsigned char *end)
{
	const unsigned char	*q = p;

	if (q < end && (*q == '-' || *q == '*' || *q == '+'))
		q++;
	else if (end - q >= 3 && q[0] == 0xe2 && q[1] == 0x80 &&
	    (q[2] == 0xa2 || q[2] == 0x93 || q[2] == 0x94))
		q += 3;		/* U+2022 bullet, U+2013 and U+2014 dashes */
	else {
		while (q < end && q - p < 2 && *q >= '0' && *q <= '9')
			q++;
		if (q == p && q < end && ((*q >= 'a' && *q <= 'z') ||
		    (*q >= 'A' && *q <= 'Z')))
			q++;
		if (q == p || q == end || (*q != ')' && *q != '.') ||
		    (*q == '.' && !(p[0] >= '0' && p[0] <= '9')))
			return (0);
		q++;
	}
	return (q < end && (*q == ' ' || *q == '\t'));
}

/*
 * Whether the byte at i ends a sentence, and with which mark: '?' for a
 * question; '.' for '!', a '.' before a space, or a blank line; at the end
 * of a line before a list item, ';' -- or ':' after a line that ends with
 * ':' ("Two questions:"), which a blank line after it says too.  0: no
 * end.
 */
static unsigned char
sentence_end(const unsigned char *p, size_t len, size_t i)
{
	size_t	j, k;

	switch (p[i]) {
	case '?':
		return ('?');
	case '!':
		return ('.');
	case '.':
		return (i + 1 == len || p[i + 1] == ' ' || p[i + 1] == '\n' ||
		    p[i + 1] == '\r' || p[i + 1] == '\t' ? '.' : 0);
	case '\n':
		for (j = i + 1; j < len && (p[j] == ' ' || p[j] == '\t' ||
		    p[j] == '\r'); j++)
			;
		for (k = i; k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t' ||
		    p[k - 1] == '\r'); k--)
			;
		if (j < len && p[j] == '\n')
			return (k > 0 && p[k - 1] == ':' ? ':' : '.');
		if (j < len && list_item(p + j, p + len))
			return (k > 0 && p[k - 1] == ':' ? ':' : ';');
		return (0);
	}
	return (0);
}

/*
 * The folded form of one non-ASCII character: a string of letters, "" for
 * a separator, or NULL to keep the character itself (letters of other
 * scripts still make words).
 */
static const char *
fold_char(uint32_t cp, char tmp[2])
{
	char	c;

	tmp[1] = '\0';
	if (cp >= 0xc0 && cp <= 0xff) {
		c = latin1_base[cp - 0xc0];
		if (c == '*') {
			switch (cp) {
			case 0xc6: case 0xe6:
				return ("ae");
			case 0xde: case 0xfe:
				return ("th");
			case 0xdf:
				return ("ss");
			}
		}
		if (c == ' ')
			return ("");
		tmp[0] = c;
		return (tmp);
	}
	if (cp >= 0x100 && cp <= 0x17f) {
		c = latina_base[cp - 0x100];
		if (c == '*')
			return ("oe");	/* Œ œ */
		tmp[0] = c;
		return (tmp);
	}
	if (cp == 0xaa) {
		tmp[0] = 'a';
		return (tmp);
	}
	if (cp == 0xba) {
		tmp[0] = 'o';
		return (tmp);
	}
	/* Latin-1 symbols, general punctuation, symbols, spaces. */
	if (cp < 0xc0 || (cp >= 0x2000 && cp <= 0x2bff) ||
	    (cp >= 0x3000 && cp <= 0x303f) || cp == 0xfeff ||
	    (cp >= 0xfe00 && cp <= 0xfe0f) || cp >= 0x1f000)
		return ("");
	/* Combining accents (decomposed text): drop them. */
	if (cp >= 0x300 && cp <= 0x36f)
		return ("\001");
	return (NULL);
}

/*
 * Up to eight bytes at once, as long as they fold to themselves but for
 * the case: ASCII letters, digits and single spaces (no two in a row, nor
 * one after the separator before them).  Returns how many of the eight
 * bytes at p do, from the first; *out holds all eight folded so, in memory
 * order as in p (those past the count are to be written over), and *last,
 * when the count is not 0, whether the last byte counted is a space.  The
 * tests of a byte's range add a constant to all eight at once: below 0x80,
 * no carry crosses from a byte to the next, so the high bits are tested
 * apart.
 */
#define BYTES8(c)	((uint64_t)(c) * 0x0101010101010101ULL)
#define HIGH8		BYTES8(0x80)
#define IN8(v, lo, hi)	(((v) + BYTES8(0x80 - (lo))) & ~((v) + \
			    BYTES8(0x7f - (hi))) & HIGH8)
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define FIRST8		(HIGH8 & ~(HIGH8 >> 8))
#define LAST8		((uint64_t)0x80)
#else
#define FIRST8		((uint64_t)0x80)
#define LAST8		(HIGH8 & ~(HIGH8 >> 8))
#endif

static inline size_t
plain8(const unsigned char *p, int space, uint64_t *out, int *last)
{
	uint64_t	v, v7, lo, sp, bad;
	size_t		n;

	memcpy(&v, p, 8);
	v7 = v & ~HIGH8;
	lo = v7 | BYTES8(0x20);		/* A-Z lowered; digits, ' ' kept */
	sp = IN8(v7, ' ', ' ');
	/* The bytes beyond ASCII, those of no word, the second space of
	 * two, a space after a separator: a bit each. */
	bad = ((IN8(lo, 'a', 'z') | IN8(v7, '0', '9') | sp) ^ HIGH8) |
	    (v & HIGH8) | (sp & (sp << 8)) | (space ? sp & FIRST8 : 0);
	*out = lo;
	if (bad == 0) {
		*last = (sp & LAST8) != 0;
		return (8);
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	/* The bytes of a word from the last: all eight or none. */
	return (0);
#else
	/* The first byte in memory is the lowest. */
	n = (size_t)__builtin_ctzll(bad) >> 3;
	if (n != 0)
		*last = (int)(sp >> (8 * n - 1) & 1);
	return (n);
#endif
}

/*
 * Folds the bytes of s from st->i to stop (further if a character crosses
 * it) into w, which has room for three bytes a byte read; returns the end.
 * len is the whole text's, for the look ahead of sentence ends.  The state
 * carries a word or a mark over from one piece to the next.
 */
static char *
fold_into(char *restrict w, const char *restrict s, size_t len, size_t stop,
    int marks, struct fold_state *st)
{
	const unsigned char	*p = (const unsigned char *)s, *fast;
	const char		*f;
	unsigned char		 c, fc;
	char			 tmp[2];
	size_t			 i = st->i, n, retry = 0;
	uint64_t		 v8;
	uint32_t		 cp;
	int			 space = st->space, sep;
	int			 mark = st->mark;	/* the last mark */
	char			*after;		/* just past it, while
						   nothing followed it */

	if (!ascii_ready)
		ascii_init();
	fast = marks ? marks_fold : ascii_fold;
	after = mark != 0 ? w : NULL;
	while (i < stop) {
		/* Words of plain ASCII eight bytes at once (the eight are
		 * written, those that fold to themselves counted); the byte
		 * after them byte by byte, and after a miss at a first byte
		 * beyond ASCII (other scripts), the next eight. */
		if (i >= retry && stop - i >= 8) {
			n = plain8(p + i, space, &v8, &space);
			memcpy(w, &v8, 8);
			w += n;
			i += n;
			if (n == 8) {
				retry = i;
				continue;
			}
			retry = n == 0 && p[i] >= 0x80 ? i + 8 : i + 1;
		}
		c = p[i];
		if ((fc = fast[c]) != 0) {
			/* A letter or a digit, or a separator: one space for
			 * a run of them, without a branch to mispredict. */
			sep = fc == ' ';
			*w = (char)fc;
			w += 1 - (sep & space);
			space = sep;
			i++;
			continue;
		}
		if (c == 0xc3 && i + 1 < len && (p[i + 1] & 0xc0) == 0x80 &&
		    (fc = latin1_fold[p[i + 1] & 0x3f]) != 0) {
			/* An accented letter of Latin-1, without decoding. */
			*w++ = (char)fc;
			space = 0;
			i += 2;
			continue;
		}
		if (c < 0x80) {
			if ((fc = sentence_end(p, len, i)) != 0) {
				/* The matcher reads the mark as a space; the
				 * same mark again, with no word between, says
				 * nothing more (a run of blank lines). */
				if (!space)
					*w++ = ' ';
				else if (w == after && mark == fc) {
					i++;
					continue;
				}
				*w++ = (char)fc;
				*w++ = ' ';
				space = 1;
				mark = fc;
				after = w;
			} else if (!space) {
				*w++ = ' ';
				space = 1;
			}
			i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			/* Not UTF-8: a separator, the byte is skipped. */
			if (!space)
				*w++ = ' ', space = 1;
			i++;
			continue;
		}
		f = fold_char(cp, tmp);
		if (f == NULL) {
			memcpy(w, p + i, n);
			w += n;
			space = 0;
		} else if (f[0] == '\001') {
			/* combining mark: nothing */
		} else if (f[0] == '\0') {
			if (!space)
				*w++ = ' ', space = 1;
		} else {
			while (*f != '\0')
				*w++ = *f++;
			space = 0;
		}
		i += n;
	}
	st->i = i;
	st->space = space;
	st->mark = w == after ? mark : 0;
	return (w);
}

/* The whole of s folded into w (room for 3 * len + 3 bytes): a space at
 * both ends; returns the end (a NUL is written there). */
static char *
fold_all(char *w, const char *s, size_t len, int marks)
{
	struct fold_state	st = { .space = 1, .begun = 1 };

	*w++ = ' ';
	w = fold_into(w, s, len, len, marks, &st);
	if (!st.space)
		*w++ = ' ';
	*w = '\0';
	return (w);
}

static void
fold(struct buf *out, const char *s, size_t len, int marks)
{
	/* Every byte gives at most three, plus the two spaces at the ends. */
	if (out->size < out->len + 3 * len + 3) {
		out->size = out->len + 3 * len + 3;
		out->data = xreallocarray(out->data, 1, out->size);
	}
	out->len = (size_t)(fold_all(out->data + out->len, s, len, marks) -
	    out->data);
}

size_t
fold_to(char *dst, const char *s, size_t len)
{
	return ((size_t)(fold_all(dst, s, len, 0) - dst));
}

void
fold_text(struct buf *out, const char *s, size_t len)
{
	fold(out, s, len, 0);
}

void
fold_sentences(struct buf *out, const char *s, size_t len)
{
	fold(out, s, len, 1);
}

void
fold_sentences_head(struct buf *out, const char *s, size_t len, size_t cut,
    size_t *head)
{
	struct fold_state	 st = { .space = 1, .begun = 1 };
	char			*w;

	/* As fold(): the state carries what the first part read. */
	buf_reserve(out, 3 * len + 3);
	w = out->data + out->len;
	*w++ = ' ';
	w = fold_into(w, s, len, cut < len ? cut : len, 1, &st);
	*head = (size_t)(w - (out->data + out->len));
	w = fold_into(w, s, len, len, 1, &st);
	if (!st.space)
		*w++ = ' ';
	*w = '\0';
	out->len = (size_t)(w - out->data);
}

int
str_8bit(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return (1);
	return (0);
}

int
fold_piece(struct buf *out, const char *s, size_t len, size_t max,
    int marks, struct fold_state *st)
{
	size_t	stop = len - st->i > max ? st->i + max : len;

	if (st->done)
		return (0);
	/* A character crossing the stop gives three bytes a byte at most. */
	buf_reset(out);
	buf_reserve(out, 3 * (stop - st->i) + 3 * 4 + 3);
	if (!st->begun) {
		out->data[out->len++] = ' ';
		st->space = st->begun = 1;
	}
	out->len = (size_t)(fold_into(out->data + out->len, s, len, stop,
	    marks, st) - out->data);
	if (st->i >= len) {
		if (!st->space)
			out->data[out->len++] = ' ';
		st->done = 1;
	}
	out->data[out->len] = '\0';
	return (1);
}

char *
fold_string(const char *s)
{
	struct buf	b;

	buf_init(&b);
	fold_text(&b, s, strlen(s));
	return (buf_steal(&b));
}

/*
 * Appends s made safe for a terminal, as less(1) shows it: C0 controls and
 * DEL in caret notation (ESC is "^["), C1 controls as "<U+009B>", a byte
 * that is not UTF-8 as "<9B>".  With lines, newlines and tabs are kept (a
 * body); otherwise they are escaped too (one line: a sender, a subject).
 */
void
utf8_vis(struct buf *out, const char *s, size_t len, int lines)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, n;
	uint32_t		 c;

	for (i = 0; i < len; i += n) {
		if ((n = utf8_decode(p + i, len - i, &c)) == 0) {
			buf_printf(out, "<%02X>", p[i]);
			n = 1;
		} else if ((c == '\n' || c == '\t') && lines)
			buf_addc(out, (int)c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "^%c", (int)(c ^ 0x40));
		else if (c >= 0x80 && c < 0xa0)
			buf_printf(out, "<U+%04X>", (unsigned)c);
		else
			buf_add(out, p + i, n);
	}
}

char *
utf8_vis_string(const char *s, int lines)
{
	struct buf	b;

	buf_init(&b);
	if (s != NULL)
		utf8_vis(&b, s, strlen(s), lines);
	return (buf_steal(&b));
}

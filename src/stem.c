/*
 * Stems: the words of folded text replaced by their Snowball stems
 * (libstemmer), French or English, so that "référencé", "référencement"
 * and "référencer" meet, and "providers" and "provider".  The keywords are
 * stemmed by the same function when the rules are loaded: whatever the
 * stemmer makes of a word (it sees it folded, without its accents), both
 * sides agree.
 *
 * A stemmer costs a few hundred nanoseconds a word; the words of mail
 * repeat, so each language keeps the stems it made in a small table of
 * its own (a word of STEM_WORD bytes or fewer), and a word found there is
 * not stemmed again.  The stemmers and the tables are the process's: one
 * thread classifies.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "floss-responder.h"

#define STEM_WORD	24		/* longer words are not kept */
#define STEM_SLOTS	8192		/* a table's entries, a power of 2 */

struct stem_slot {
	unsigned char	wlen;		/* 0: empty */
	unsigned char	slen;
	char		word[STEM_WORD];
	char		stem[STEM_WORD];
};

static const char		*algorithms[LANG_COUNT] = { "french", "english" };
static struct sb_stemmer	*stemmers[LANG_COUNT];
static struct stem_slot		*tables[LANG_COUNT];

static struct sb_stemmer *
stemmer(enum lang l)
{
	if (stemmers[l] == NULL) {
		stemmers[l] = sb_stemmer_new(algorithms[l], "UTF_8");
		if (stemmers[l] == NULL)
			fatalx("no %s stemmer in libstemmer", algorithms[l]);
		tables[l] = xcalloc(STEM_SLOTS, sizeof *tables[l]);
	}
	return (stemmers[l]);
}

/* Appends the stem of the word w (n bytes, no space) to out. */
static void
stem_word(struct buf *out, const char *w, size_t n, enum lang l)
{
	struct sb_stemmer	*st = stemmer(l);
	struct stem_slot	*slot = NULL;
	const sb_symbol		*s;
	int			 len;

	if (n <= STEM_WORD) {
		slot = &tables[l][fnv1a(w, n) & (STEM_SLOTS - 1)];
		if (slot->wlen == n && memcmp(slot->word, w, n) == 0) {
			buf_add(out, slot->stem, slot->slen);
			return;
		}
	}
	s = sb_stemmer_stem(st, (const sb_symbol *)w, (int)n);
	len = sb_stemmer_length(st);
	if (s == NULL || len <= 0) {
		/* Out of memory in the stemmer: the word as it is. */
		buf_add(out, w, n);
		return;
	}
	buf_add(out, s, (size_t)len);
	if (slot != NULL && (size_t)len <= STEM_WORD) {
		slot->wlen = (unsigned char)n;
		slot->slen = (unsigned char)len;
		memcpy(slot->word, w, n);
		memcpy(slot->stem, s, (size_t)len);
	}
}

size_t
stem_text(struct buf *out, const char *t, size_t len, enum lang l)
{
	size_t	i = 0, j;

	while (i < len) {
		if (t[i] == ' ') {
			buf_addc(out, ' ');
			i++;
			continue;
		}
		for (j = i; j < len && t[j] != ' '; j++)
			;
		if (j == len)
			return (i);	/* a word the next piece may go on */
		/* The marks of sentences ('?', '.', ';', ':') are words
		 * of their own: kept. */
		if (j - i == 1 && strchr("?.;:", t[i]) != NULL)
			buf_addc(out, t[i]);
		else
			stem_word(out, t + i, j - i, l);
		i = j;
	}
	return (len);
}

char *
stem_string(const char *folded, enum lang l)
{
	struct buf	b;
	size_t		n = strlen(folded), done;

	buf_init(&b);
	done = stem_text(&b, folded, n, l);
	/* The last word, when no space ends it: a prefix ("coordinat*"),
	 * whose stem is a prefix of the stems of the words it begins. */
	if (done < n)
		stem_word(&b, folded + done, n - done, l);
	return (buf_steal(&b));
}

void
stem_free(void)
{
	size_t	i;

	for (i = 0; i < LANG_COUNT; i++) {
		if (stemmers[i] != NULL)
			sb_stemmer_delete(stemmers[i]);
		stemmers[i] = NULL;
		free(tables[i]);
		tables[i] = NULL;
	}
}

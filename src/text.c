/*
 * The sender's own words.  Mail carries much that is not the question:
 * the earlier message it answers ("> " lines, "Le ... a écrit :", an
 * Outlook "De : / Envoyé :" block), signatures, phone footers, legal
 * disclaimers.  Their words must not count.  A forwarded message is read
 * by the same rules into its own buffer: the classifier uses it only when
 * the forwarder's own words ask nothing it recognises.
 *
 * Every test is made on the folded line (see fold_text), so that case,
 * accents and punctuation do not matter.
 */

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

struct line {
	const char	*s;		/* the line, without CR LF */
	size_t		 len;
	int		 quoted;	/* a "> " line */
	struct buf	 f;		/* its start, folded when first needed
					   (points into fold) */
	int		 marker;	/* MARK_*, once folded */
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
};

/* The phrases searched inside lines, found together by one automaton. */
enum { MARK_NONE, MARK_FORWARD, MARK_ORIGINAL, MARK_DISCLAIMER };
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
	};
	size_t	i, j, n = 0;

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

static int
quoted(const struct line *l)
{
	size_t	i = 0;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return (i < l->len && l->s[i] == '>');
}

/* Line i of the text, split now if it was not yet; NULL past the last.
 * A line stays valid until WINDOW more lines are split. */
static struct line *
line_get(struct lines *ls, size_t i)
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
		ls->p = next;
		ls->n++;
	}
	if (i >= ls->n)
		return (NULL);
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
	l->f.len = fold_to(l->fold, l->s, l->len > FOLD_MAX ? FOLD_MAX :
	    l->len);
	l->f.size = l->f.len + 1;
	id = matcher_first(markers, l->f.data, l->f.len);
	l->marker = id == -1 ? MARK_NONE : marker_kind[id];
}

/* Every phrase and every folded line starts with a space: the letter
 * after it rules most phrases out at once. */
static int
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
any(const struct buf *f, const char **list, size_t n,
    int (*test)(const struct buf *, const char *))
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (test(f, list[i]))
			return (1);
	return (0);
}

#define ANY(f, list, test) any(f, list, sizeof list / sizeof list[0], test)

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
		if (!ANY(&l->f, blockheads, starts))
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
	for (i = 0; i < sizeof closings / sizeof closings[0]; i++) {
		if (closings[i][1] != l->f.data[1])
			continue;
		n = strlen(closings[i]);
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
	size_t		 i, kept = 0, mark = out->len;
	int		 close;

	for (i = first; (l = line_get(ls, i)) != NULL; i++) {
		if (l->quoted)
			continue;
		fold_line(l);
		if (l->marker == MARK_FORWARD && l->f.len < 60)
			return (i + 1);
		if (attribution(l)) {
			/* A wrapped attribution: drop its first half. */
			if (i > first && !(prev = line_get(ls, i - 1))->quoted &&
			    (starts(&prev->f, " le ") ||
			    starts(&prev->f, " on ")) && out->len > mark) {
				out->len -= prev->len + 1;
				out->data[out->len] = '\0';
			}
			break;
		}
		if ((l->marker == MARK_ORIGINAL && l->f.len < 40) ||
		    (rule_line(l) && header_block(ls, i + 1)) ||
		    header_block(ls, i))
			break;
		if ((l->len == 3 && memcmp(l->s, "-- ", 3) == 0) ||
		    (l->len == 2 && memcmp(l->s, "--", 2) == 0))
			break;
		if (ANY(&l->f, footers, starts))
			break;
		if (kept > 0 && l->marker == MARK_DISCLAIMER)
			break;
		/* Before the line is copied: in place, the copy may land on
		 * it. */
		close = closing(l);
		put_line(ls, out, l);
		if (l->f.len > 2)
			kept++;
		if (kept > 0 && close)
			break;
	}
	/* A forward further down, after a signature, still counts. */
	for (; (l = line_get(ls, i)) != NULL; i++)
		if (forward_line(l))
			return (i + 1);
	return (SIZE_MAX);
}

/* The own words into own (and a forward's into fwd), from the lines of
 * ls. */
static void
own_words(struct lines *ls, struct buf *own, struct buf *fwd)
{
	struct line	*l;
	size_t		 start;

	if (markers == NULL)
		markers_init();
	if ((start = read_lines(ls, 0, own)) == SIZE_MAX)
		return;
	/* Skip the forwarded message's header lines. */
	while ((l = line_get(ls, start)) != NULL) {
		fold_line(l);
		if (!(l->f.len <= 1 || (memchr(l->s, ':', l->len) != NULL &&
		    ANY(&l->f, blockheads, starts))))
			break;
		start++;
	}
	read_lines(ls, start, fwd);
}

void
text_own(struct buf *own, struct buf *fwd, const char *text, size_t len)
{
	struct lines	 ls;

	ls.p = text;
	ls.end = text + len;
	ls.n = 0;
	ls.inplace = NULL;
	own_words(&ls, own, fwd);
}

void
text_own_inplace(struct buf *text, struct buf *fwd)
{
	struct lines	 ls;

	/* A last line without LF gains one: room for it and the NUL. */
	buf_reserve(text, 2);
	ls.p = text->data;
	ls.end = text->data + text->len;
	ls.n = 0;
	ls.inplace = text;
	text->len = 0;
	own_words(&ls, text, fwd);
	text->data[text->len] = '\0';
}

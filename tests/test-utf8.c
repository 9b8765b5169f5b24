/* Folding and UTF-8 validation: the form the matcher compares. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*in;
	const char	*want;
} folds[] = {
	{ "Référencement", " referencement " },
	{ "ÉQUIPE produit", " equipe produit " },
	{ "l’équipe", " l equipe " },
	{ "l'équipe", " l equipe " },
	{ "œuvre Œcuménique cœur", " oeuvre oecumenique coeur " },
	{ "Æsop straße", " aesop strasse " },
	{ "«  marché  »", " marche " },
	{ "OSPO-fr, BlueHats!!", " ospo fr bluehats " },
	{ "GPL-3.0", " gpl 3 0 " },
	{ "", " " },
	{ "...", " " },
	{ "ça", " ca " },
	{ "Ångström", " angstrom " },
	{ "Łódź", " lodz " },
	{ "Привет мир", " Привет мир " },	/* other scripts kept */
	{ "a\xff" "b", " a b " },		/* invalid byte: a separator */
	{ "e\xcc\x81t\xc3\xa9", " ete " },	/* combining accent dropped */
	{ "non\xc2\xa0" "breaking", " non breaking " },
	{ "tab\tand\r\nlines", " tab and lines " },
	{ "emoji 😀 here", " emoji here " },
	{ "2×3÷4 naïve Ÿ ÿ", " 2 3 4 naive y y " },	/* × ÷ part words */
	{ "\xc3", " " },			/* a lead byte, cut */
	/* Runs of plain ASCII, folded eight bytes at once. */
	{ "Open Source SOFTWARE in 2024 for ALL", " open source software in"
	  " 2024 for all " },
	{ "abcdefgh  ijklmnop", " abcdefgh ijklmnop " },
	{ "a  b c d e f g h i j", " a b c d e f g h i j " },
	{ "x ABCDEFG HIJKLMNO", " x abcdefg hijklmno " },
	{ "12345678 ABCDEFGH\tzz", " 12345678 abcdefgh zz " },
	{ "word@[`{ ABCDEFGH/:^~xyz", " word abcdefgh xyz " },
	{ "abc\x11\x12\x13\x19" "defgh", " abc defgh " },
	{ "ZZZZZZZZ\x7f" "ZZZZZZZZ", " zzzzzzzz zzzzzzzz " },
};

/* What a terminal is shown: no control byte reaches it. */
static const struct {
	const char	*in;
	int		 lines;
	const char	*want;
} vis[] = {
	{ "plain été", 0, "plain été" },
	{ "\x1b[31mred\x1b[0m", 0, "^[[31mred^[[0m" },
	{ "bell\a del\x7f nul", 0, "bell^G del^? nul" },
	{ "csi \xc2\x9b" "2J", 0, "csi <U+009B>2J" },
	{ "raw \x9b" "2J \xff", 0, "raw <9B>2J <FF>" },
	{ "a\nb\tc\r", 0, "a^Jb^Ic^M" },
	{ "a\nb\tc\r", 1, "a\nb\tc^M" },
	{ "\xc2\xa0nbsp", 1, "\xc2\xa0nbsp" },
};

/* RFC 3501, 5.1.3, and its example. */
/* Lists: a line before an item ends with ';', or ':' when it ends with
 * ':'; a line before an ordinary one does not end.  ("2." is a sentence
 * of its own, as any '.' before a space: it holds no word.) */
static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} lists[] = {
	{ "dashes after an intro", "Deux points :\n- le premier\n- le second",
	  " deux points : le premier ; le second " },
	{ "numbers and bullets", "a\n1) b\n2. c\n\xe2\x80\xa2 d\nb) e",
	  " a ; 1 b ; 2 . c ; d ; b e " },
	{ "an intro, a blank line, a list", "Questions :\n\n1. un\n2. deux",
	  " questions : ; 1 . un ; 2 . deux " },
	{ "a line that goes on", "une phrase\nqui continue\n12 mois",
	  " une phrase qui continue 12 mois " },
	{ "a word then a dot is no item", "fin\nabc. suite\nx-y",
	  " fin abc . suite x y " },
};

static const struct {
	const char	*in;
	const char	*want;
} mutf7[] = {
	{ "INBOX", "INBOX" },
	{ "", "" },
	{ "À relire", "&AMA- relire" },
	{ "Entwürfe", "Entw&APw-rfe" },
	{ "R&D", "R&-D" },
	{ "~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-" },
	{ "éé", "&AOkA6Q-" },
	{ "😀", "&2D3eAA-" },
	{ "a\tb", "a&AAk-b" },
	{ "\xe9t\xe9", NULL },
};

int
main(void)
{
	size_t		 i, head;
	char		*f;
	struct buf	 b;

	for (i = 0; i < sizeof folds / sizeof folds[0]; i++) {
		f = fold_string(folds[i].in);
		STR_EQ(f, folds[i].want, "fold \"%s\"", folds[i].in);
		free(f);
	}

	for (i = 0; i < sizeof mutf7 / sizeof mutf7[0]; i++) {
		f = mutf7_encode(mutf7[i].in);
		if (mutf7[i].want == NULL)
			OK(f == NULL, "mutf7: invalid UTF-8 refused");
		else
			STR_EQ(f, mutf7[i].want, "mutf7 \"%s\"", mutf7[i].in);
		free(f);
	}

	/* Sentence marks: '?' for questions, '.' for other ends. */
	buf_init(&b);
	fold_sentences(&b, "Est-ce couvert ? Oui. code.gouv.fr", 34);
	STR_EQ(b.data, " est ce couvert ? oui . code gouv fr ",
	    "fold_sentences marks questions and sentence ends");
	buf_reset(&b);
	fold_sentences(&b, "Plain words here? Then MORE words. End", 38);
	STR_EQ(b.data, " plain words here ? then more words . end ",
	    "fold_sentences: marks between runs of plain words");
	buf_reset(&b);
	fold_sentences_head(&b, "Un. Deux trois", 14, 5, &head);
	STR_EQ(b.data, " un . deux trois ", "fold_sentences_head folds as"
	    " fold_sentences");
	INT_EQ(head, 7, "and tells what the first bytes folded to");
	buf_reset(&b);
	fold_sentences(&b, "ligne\n\nparagraphe", 17);
	STR_EQ(b.data, " ligne . paragraphe ", "a blank line ends a sentence");
	buf_reset(&b);
	fold_sentences(&b, "ligne\n\n\n\n\nfin. . ?? ? !\n\nsuite", 31);
	STR_EQ(b.data, " ligne . fin . ? . suite ",
	    "a run of the same mark is written once");
	for (i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		buf_reset(&b);
		fold_sentences(&b, lists[i].in, strlen(lists[i].in));
		STR_EQ(b.data, lists[i].want, "lists: %s", lists[i].name);
	}
	buf_free(&b);

	for (i = 0; i < sizeof vis / sizeof vis[0]; i++) {
		f = utf8_vis_string(vis[i].in, vis[i].lines);
		STR_EQ(f, vis[i].want, "vis \"%s\"", vis[i].want);
		free(f);
	}

	OK(utf8_valid("é", 2), "valid UTF-8");
	OK(!utf8_valid("\xe9t\xe9", 3), "Latin-1 bytes are not UTF-8");
	OK(!utf8_valid("\xc0\xaf", 2), "overlong form refused");
	OK(!utf8_valid("\xed\xa0\x80", 3), "surrogate refused");
	OK(!utf8_valid("\xe2\x82", 2), "truncated sequence refused");
	OK(utf8_valid("\xf0\x9f\x98\x80", 4), "4-byte sequence accepted");
	OK(!utf8_valid("a longer line of plain text, then \xe9", 35),
	    "a Latin-1 byte after a long ASCII run is not UTF-8");

	/* The ASCII a text starts with, before and after a run of eight. */
	INT_EQ(ascii_span("", 0), 0, "ascii_span: empty");
	INT_EQ(ascii_span("abc", 3), 3, "ascii_span: short and all ASCII");
	INT_EQ(ascii_span("\xc3\xa9t\xc3\xa9", 5), 0,
	    "ascii_span: not ASCII first");
	INT_EQ(ascii_span("0123456789abcdef", 16), 16,
	    "ascii_span: two runs of eight");
	INT_EQ(ascii_span("0123456789abcdefg\xc3\xa9", 19), 17,
	    "ascii_span: stops past two runs of eight");
	INT_EQ(ascii_span("0123456\x80" "89", 10), 7,
	    "ascii_span: stops inside the first eight");
	INT_EQ(ascii_span("01234567\xff", 9), 8,
	    "ascii_span: stops right after eight");
	INT_EQ(ascii_span("0123\0" "567" "89", 10), 10,
	    "ascii_span: a NUL is ASCII");
	INT_EQ(ascii_span("abcdefgh\xc3", 8), 8,
	    "ascii_span: reads no further than len");
	return (tap_done());
}

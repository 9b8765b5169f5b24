/* Stems: words of folded text and keywords meet whatever their inflection;
 * marks, spaces and a word cut by the end of a piece are kept; rules with
 * "stemming: true" match inflected words, and a wrong value is an error at
 * its line and column. */

#include <stdio.h>
#include <unistd.h>

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*text;		/* folded */
	enum lang	 lang;
	const char	*want;
	size_t		 done;		/* where stem_text stops */
} texts[] = {
	{ " referencer ", LANG_FR, " referenc ", 12 },
	{ " referencement ", LANG_FR, " referenc ", 15 },
	{ " prestataires ? ", LANG_FR, " prestatair ? ", 16 },
	{ " providers . ", LANG_EN, " provid . ", 13 },
	{ " listed and listing ", LANG_EN, " list and list ", 20 },
	{ " les logiciels libr", LANG_FR, " le logiciel ", 15 },
	{ "", LANG_FR, "", 0 },
};

static const struct {
	const char	*folded;
	enum lang	 lang;
	const char	*want;
} keywords[] = {
	{ " prestataires ", LANG_FR, " prestatair " },
	{ " coordinateur", LANG_FR, " coordin" },	/* a prefix */
	{ " get listed ", LANG_EN, " get list " },
	{ " open source ", LANG_FR, " open sourc " },
};

static void
on_hit(uint32_t id, size_t end, void *arg)
{
	int	*n = arg;

	(void)end;
	n[id < 8 ? id : 7]++;
}

/* How many times each pattern of rules r is found in text, stemmed in l. */
static void
count(const struct rules *r, const char *text, enum lang l, int *n)
{
	struct buf	f, s;

	memset(n, 0, 8 * sizeof *n);
	buf_init(&f);
	buf_init(&s);
	fold_text(&f, text, strlen(text));
	stem_text(&s, f.data, f.len, l);
	matcher_scan(r->matcher[l], s.data, s.len, on_hit, n);
	buf_free(&f);
	buf_free(&s);
}

static struct rules *
load(const char *yaml, struct errors *e)
{
	char		 path[] = "/tmp/test-stem.XXXXXX";
	struct rules	*r;
	FILE		*fp;
	int		 fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		return (NULL);
	fputs(yaml, fp);
	fclose(fp);
	r = rules_load(path, NULL, e);
	unlink(path);
	return (r);
}

int
main(void)
{
	struct errors	 e = { NULL, 0 };
	struct rules	*r;
	struct buf	 b;
	char		*s;
	size_t		 i, done;
	int		 n[8];

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		buf_init(&b);
		done = stem_text(&b, texts[i].text, strlen(texts[i].text),
		    texts[i].lang);
		buf_addc(&b, '\0');
		OK(strcmp(b.data, texts[i].want) == 0 && done == texts[i].done,
		    "stem_text \"%s\": \"%s\" (%zu)", texts[i].text, b.data,
		    done);
		buf_free(&b);
	}
	for (i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		s = stem_string(keywords[i].folded, keywords[i].lang);
		OK(strcmp(s, keywords[i].want) == 0, "stem_string \"%s\": \"%s\"",
		    keywords[i].folded, s);
		free(s);
	}

	r = load("stemming: true\n"
	    "topics:\n"
	    "  - id: a\n"
	    "    action: reply\n"
	    "    keywords:\n"
	    "      8: [\"référencer notre logiciel\", \"prestataires\"]\n"
	    "      4: [\"référencée\", \"référencées\"]\n"
	    "stopwords:\n"
	    "  fr: [le, la]\n", &e);
	OK(r != NULL && r->stemming, "rules with stemming load");
	if (r != NULL) {
		count(r, "Comment faire référencer notre logiciel ?", LANG_FR,
		    n);
		OK(n[0] == 1, "the phrase as written");
		count(r, "le référencement de notre logiciel", LANG_FR, n);
		OK(n[0] == 0, "another phrase is not it");
		count(r, "Nous référencerons notre logiciel", LANG_FR, n);
		OK(n[0] == 1, "an inflection of the phrase");
		count(r, "un prestataire", LANG_FR, n);
		OK(n[1] == 1, "the singular of a plural keyword");
		count(r, "des solutions référencées", LANG_FR, n);
		OK(n[2] + n[3] == 1, "two keywords that stem alike count"
		    " once");
		rules_free(r);
	}
	r = load("stemming: maybe\n"
	    "topics:\n"
	    "  - id: a\n"
	    "    action: reply\n"
	    "    keywords:\n"
	    "      8: [\"x\"]\n"
	    "stopwords:\n"
	    "  fr: [le]\n", &e);
	OK(r == NULL && e.n == 1 && strstr(e.v[0], ":1:11: stemming must be"
	    " true or false") != NULL, "a wrong value: %s",
	    e.n > 0 ? e.v[0] : "no error");
	errors_free(&e);
	stem_free();
	return (tap_done());
}

/* Entities: names as written, domains on a label boundary, dates, the
 * placeholders of the sentences, and a broken entities file. */

#include <unistd.h>

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*text, *name;
	int		 want;
} exact_cases[] = {
	{ "Nous utilisons Git au quotidien.", "Git", 1 },
	{ "Nous utilisons git au quotidien.", "Git", 0 },
	{ "Nous utilisons GIT.", "Git", 0 },
	{ "Git.", "Git", 1 },
	{ "(Git)", "Git", 1 },
	{ "« Git »", "Git", 1 },
	{ "Gitlab et GitHub", "Git", 0 },
	{ "le langage R est-il couvert ?", "R", 1 },
	{ "R?", "R", 1 },
	{ "notre R&D", "R", 0 },
	{ "l’R", "R", 1 },
	{ "version R.2", "R", 0 },
	{ "M. R. Dupont", "R", 1 },
	{ "depuis 3 ans", "ANS", 0 },
	{ "l'ANS est-elle bénéficiaire ?", "ANS", 1 },
	{ "l’ANS est-elle bénéficiaire ?", "ANS", 1 },
	{ "Agence du numérique en santé (ANS)", "ANS", 1 },
	{ "ANSES", "ANS", 0 },
	{ "PÉR", "R", 0 },
	{ "", "R", 0 },
	{ "The Hive", "The Hive", 1 },
	{ "The  Hive", "The Hive", 0 },
};

static const struct {
	const char	*iso;
	enum lang	 l;
	const char	*want;
} date_cases[] = {
	{ "2022-01-18", LANG_FR, "18 janvier 2022" },
	{ "2022-01-18", LANG_EN, "18 January 2022" },
	{ "2023-08-01", LANG_FR, "1er août 2023" },
	{ "2023-08-01", LANG_EN, "1 August 2023" },
	{ "2024-12-31", LANG_FR, "31 décembre 2024" },
	{ "2024-13-01", LANG_FR, "2024-13-01" },
	{ "soon", LANG_EN, "soon" },
};

static const struct {
	const char	*tmpl, *bad;
} check_cases[] = {
	{ "{org} figure parmi les bénéficiaires.", NULL },
	{ "[liste]({software_url}) : {software}", NULL },
	{ "{organisation} figure", "{organisation}" },
	{ "pas de valeur", NULL },
	{ "{org} et {soft", "{soft" },
};

static const char entities_yaml[] =
"beneficiaries:\n"
"  date: 2022-01-18\n"
"  url: https://code.gouv.fr/fr/utiliser/marches-logiciels-libres/\n"
"  organisations:\n"
"    - name: \"Centre national de la recherche scientifique\"\n"
"      acronym: \"CNRS\"\n"
"      label: {fr: \"Le CNRS\", en: \"CNRS\"}\n"
"      domains: [\"cnrs.fr\"]\n"
"      markets:\n"
"        - market: support\n"
"        - market: expertise\n"
"    - name: \"Les ministères français\"\n"
"      label: {fr: \"Les ministères français\", en: \"The French"
" ministries\"}\n"
"      plural: yes\n"
"      domains: [\"finances.gouv.fr\"]\n"
"      markets:\n"
"        - market: support\n"
"software:\n"
"  date: 2022-01-18\n"
"  url: https://code.gouv.fr/fr/utiliser/"
"marches-logiciels-libres-liste-logiciels/\n"
"  list:\n"
"    - name: \"GLPI\"\n"
"  unlisted: [\"Zimbra\"]\n"
"personal_domains: [\"gmail.com\"]\n"
"unsure_domains: [\"gouv.fr\"]\n";

static const struct {
	const char	*domain;
	int		 org;		/* -1: unlisted, -2: tells nothing */
} domain_cases[] = {
	{ "cnrs.fr", 0 },
	{ "ibmc.cnrs.fr", 0 },
	{ "CNRS.FR", 0 },
	{ "xcnrs.fr", -1 },
	{ "cnrs.fr.example", -1 },
	{ "fr", -1 },
	{ "dgfip.finances.gouv.fr", 1 },	/* before gouv.fr */
	{ "finances.gouv.fr", 1 },
	{ "ofb.gouv.fr", -2 },
	{ "gouv.fr", -2 },
	{ "xgouv.fr", -1 },
	{ "gmail.com", -2 },
	{ "mail.gmail.com", -2 },
	{ "univ-exemple.fr", -1 },
	{ "", -1 },
};

/* Is this error, made from the format and the path, among e? */
static int printflike(2, 3)
has_error(const struct errors *e, const char *fmt, ...)
{
	va_list	 ap;
	char	*want;
	size_t	 i;
	int	 found = 0;

	va_start(ap, fmt);
	want = xvasprintf(fmt, ap);
	va_end(ap);
	for (i = 0; i < e->n; i++)
		if (strcmp(e->v[i], want) == 0)
			found = 1;
	free(want);
	return (found);
}

/* Writes text to a fresh file, whose path is returned. */
static char *
temp_file(const char *text)
{
	char	*path = xstrdup("/tmp/test-entities.XXXXXX");
	int	 fd = mkstemp(path);

	if (fd == -1 || write_all(fd, text, strlen(text)) != 0)
		fatal("%s", path);
	close(fd);
	return (path);
}

int
main(void)
{
	struct entities	*en;
	struct errors	 e = { NULL, 0 };
	char		*path, *s;
	const char	*bad;
	size_t		 i;

	for (i = 0; i < sizeof exact_cases / sizeof exact_cases[0]; i++)
		OK(exact_in(exact_cases[i].text, strlen(exact_cases[i].text),
		    exact_cases[i].name) == exact_cases[i].want,
		    "exact_in(\"%s\", \"%s\") is %d", exact_cases[i].text,
		    exact_cases[i].name, exact_cases[i].want);

	for (i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
		s = say_date(date_cases[i].iso, date_cases[i].l);
		STR_EQ(s, date_cases[i].want, "say_date(%s, %s)",
		    date_cases[i].iso, lang_name(date_cases[i].l));
		free(s);
	}

	for (i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
		bad = say_check(check_cases[i].tmpl);
		if (check_cases[i].bad == NULL)
			OK(bad == NULL, "say_check(\"%s\"): no unknown"
			    " placeholder", check_cases[i].tmpl);
		else
			STR_EQ(bad, check_cases[i].bad, "say_check(\"%s\")",
			    check_cases[i].tmpl);
	}

	path = temp_file(entities_yaml);
	en = entities_load(path, &e);
	OK(en != NULL && e.n == 0, "a small entities file loads");
	for (i = 0; i < e.n; i++)
		printf("#   %s\n", e.v[i]);
	if (en != NULL) {
		INT_EQ((int)en->norgs, 2, "two organisations");
		INT_EQ((int)en->nsw, 2, "GLPI, then Zimbra");
		OK(en->sw[0].listed && !en->sw[1].listed, "GLPI listed, Zimbra"
		    " not");
		OK(en->orgs[1].plural && !en->orgs[0].plural, "plural: yes");
		INT_EQ(en->orgs[1].markets, 1 << MARKET_SUPPORT,
		    "the ministries: support only");
		STR_EQ(en->orgs[0].names[0], "CNRS", "the acronym is the first"
		    " name");
		for (i = 0; i < sizeof domain_cases / sizeof domain_cases[0];
		    i++) {
			INT_EQ(entities_lookup(en, domain_cases[i].domain),
			    domain_cases[i].org, "entities_lookup(\"%s\")",
			    domain_cases[i].domain);
		}
	}
	entities_free(en);
	unlink(path);
	free(path);
	errors_free(&e);

	/* Broken files: each error with its file:line:column. */
	path = temp_file("beneficiaries:\n  date: 18/01/2022\n"
	    "  url: http://code.gouv.fr/\n  organisations:\n"
	    "    - name: \"X\"\n      label: {fr: \"X\", en: \"X\"}\n"
	    "      markets:\n        - market: both\n"
	    "      exact: [\"Y\"]\n"
	    "software:\n  date: 2022-01-18\n  url: https://a.example/\n"
	    "  list:\n    - name: \"!!\"\n");
	en = entities_load(path, &e);
	OK(en == NULL, "a broken entities file is refused");
	OK(has_error(&e, "%s:2:9: date must be written YYYY-MM-DD", path),
	    "the bad date at line 2, column 9");
	OK(has_error(&e, "%s:3:8: url must be an absolute https:// address",
	    path), "the http:// address at line 3, column 8");
	OK(has_error(&e, "%s:8:11: market must be support or expertise", path),
	    "the unknown market at line 8, column 11");
	OK(has_error(&e, "%s:9:14: exact: 'Y' is not one of the names", path),
	    "an exact name that is no name, line 9");
	OK(has_error(&e, "%s:14:13: '!!' has no letters or digits", path),
	    "a name without letters, line 14");
	if (tap_failed)
		for (i = 0; i < e.n; i++)
			printf("#   %s\n", e.v[i]);
	entities_free(en);
	unlink(path);
	free(path);
	errors_free(&e);
	return (tap_done());
}

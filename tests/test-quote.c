/* The quote of a reply (quote.c): the sentences that ask what the reply
 * answers, as the sender wrote them, without the greeting, the context,
 * the sign-off or the signature. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*subject;
	const char	*body;
	int		 max;
	const char	*want;		/* the quote as text, "" for none */
} cases[] = {
	{ "the question alone, not the greeting, the context or the sign-off",
	  "Logiciel de la mairie",
	  "Bonjour,\n\nJe m'occupe de l'informatique d'une petite commune.\n"
	  "Comment inscrire notre logiciel au SILL ?\n\nCordialement,\n"
	  "Paul Martin\nResponsable informatique\n", 4,
	  "> Comment inscrire notre logiciel au SILL ?\n" },
	{ "a question broken over lines is one sentence",
	  "Question",
	  "Bonjour,\n\nExiste-t-il une alternative libre a notre logiciel\n"
	  "de retouche d'images, que nous payons tres cher ?\n\nMerci,\n"
	  "Lea\n", 4,
	  "> Existe-t-il une alternative libre a notre logiciel de retouche\n"
	  "> d'images, que nous payons tres cher ?\n" },
	{ "two questions, both, in their order",
	  "Deux questions",
	  "Bonjour,\n\nFaut-il demander la cession des droits de propriete"
	  " intellectuelle dans notre marche ?\nEt quelle licence libre"
	  " imposer au prestataire ?\n\nBien a vous,\nMarc\n", 4,
	  "> Faut-il demander la cession des droits de propriete"
	  " intellectuelle\n> dans notre marche ?\n>\n> Et quelle licence"
	  " libre imposer au prestataire ?\n" },
	{ "at most as many as configured",
	  "Deux questions",
	  "Bonjour,\n\nFaut-il demander la cession des droits de propriete"
	  " intellectuelle dans notre marche ?\nEt quelle licence libre"
	  " imposer au prestataire ?\n\nBien a vous,\nMarc\n", 1,
	  "> Faut-il demander la cession des droits de propriete"
	  " intellectuelle\n> dans notre marche ?\n" },
	{ "a greeting in front of the question is left out",
	  "BlueHats",
	  "Bonjour, comment rejoindre la communaute BlueHats ?\n\nMerci\n", 4,
	  "> comment rejoindre la communaute BlueHats ?\n" },
	{ "a question that names nothing answered is not quoted beside one"
	  " that does",
	  "Un equivalent",
	  "Bonjour,\n\nPourriez-vous me repondre rapidement ? Existe-t-il une"
	  " alternative libre a notre logiciel de dessin ?\n\nCordialement,\n"
	  "Anne\n", 4,
	  "> Existe-t-il une alternative libre a notre logiciel de dessin ?\n" },
	{ "a question asked in the Subject alone: the Subject",
	  "Comment rejoindre la liste OSPO-fr ?",
	  "Merci d'avance.\n\nCordialement,\nJeanne\n", 4,
	  "> Comment rejoindre la liste OSPO-fr ?\n" },
	{ "no quote at all when configured so",
	  "Logiciel de la mairie",
	  "Comment inscrire notre logiciel au SILL ?\n", 0, "" },
};

int
main(void)
{
	struct core	*core;
	struct message	*msg;
	struct decision	 d;
	cmark_node	*doc, *q;
	char		*raw, *text, *cause = NULL;
	size_t		 i;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL)
		return (tap_done());
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		raw = xasprintf("From: a@example.org\r\nTo: b@example.org\r\n"
		    "Subject: %s\r\nMessage-ID: <%zu@example.org>\r\n\r\n%s",
		    cases[i].subject, i, cases[i].body);
		msg = NULL;
		if (message_parse(raw, strlen(raw), &msg, &cause) != 0) {
			OK(0, "%s: parse: %s", cases[i].name, cause);
			free(cause);
			free(raw);
			continue;
		}
		decision_init(&d);
		decide(core, msg, &d);
		q = quote_asked(core, msg, &d, cases[i].max);
		doc = cmark_node_new(CMARK_NODE_DOCUMENT);
		if (q != NULL)
			cmark_node_append_child(doc, q);
		text = render_text(doc, 72);
		STR_EQ(text, cases[i].want, "%s", cases[i].name);
		free(text);
		cmark_node_free(doc);
		decision_clear(&d);
		message_free(msg);
		free(raw);
	}
	core_free(core);
	return (tap_done());
}

/* The sender's own words, apart from quotes, signatures and forwards. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*name;
	const char	*text;
	const char	*own_has;	/* must be in the own words */
	const char	*own_hasnt;	/* must not be */
	const char	*fwd_has;	/* must be in the forward, or NULL */
} cases[] = {
	{ "gmail attribution and > lines",
	  "Bonjour,\nNouvelle question sur le SILL ?\n\nLe lun. 3 mars 2025 à 10:12, "
	  "Mission <floss@numerique.gouv.fr> a écrit :\n> Le marché de support\n",
	  "Nouvelle question", "marché", NULL },
	{ "wrapped attribution",
	  "Question ?\nLe lun. 3 mars 2025 à 10:12, Mission logiciels libres\n"
	  "<floss@numerique.gouv.fr> a écrit :\nancien texte sans chevron\n",
	  "Question", "Mission logiciels", NULL },
	{ "english attribution",
	  "New question?\nOn Mon, 3 Mar 2025, Someone <a@b.c> wrote:\nold text\n",
	  "New question", "old text", NULL },
	{ "outlook header block",
	  "Merci, une autre question ?\n\nDe : Mission logiciels libres\n"
	  "Envoyé : lundi 3 mars 2025 10:12\nÀ : Moi\nObjet : RE: bénéficiaires\n\n"
	  "Votre établissement est bénéficiaire.\n",
	  "autre question", "bénéficiaire", NULL },
	{ "outlook separator",
	  "Question ?\n________________________________\nFrom: Someone\n"
	  "Sent: Monday\nTo: Me\nSubject: old\n\nold body\n",
	  "Question", "old body", NULL },
	{ "original message",
	  "Question ?\n-----Original Message-----\nold body\n",
	  "Question", "old body", NULL },
	{ "message d'origine",
	  "Question ?\n-----Message d'origine-----\nancien\n",
	  "Question", "ancien", NULL },
	{ "signature separator",
	  "Question ?\n-- \nJean Dupont\nmarché public\n",
	  "Question", "marché public", NULL },
	{ "phone footer",
	  "Question courte ?\n\nEnvoyé de mon iPhone\nlicence\n",
	  "Question courte", "licence", NULL },
	{ "closing then signature",
	  "Bonjour,\nQuestion ?\nCordialement,\nJean Dupont\nChef du bureau des marchés\n",
	  "Question", "bureau des marchés", NULL },
	{ "closing with a name",
	  "Question ?\nBien cordialement, Jean\nResponsable licences\n",
	  "Question", "Responsable licences", NULL },
	{ "disclaimer",
	  "Question ?\n\nCe message et toutes les pièces jointes sont confidentiels "
	  "et concernent un marché public.\n",
	  "Question", "marché public", NULL },
	{ "english disclaimer",
	  "Question?\nThis e-mail and any attachments are confidential; licence.\n",
	  "Question", "licence", NULL },
	{ "forward: the forwarder's words and the forwarded ones apart",
	  "Bonjour,\nJe vous transfère cette demande.\n\n"
	  "-------- Message transféré --------\nSujet : Référencement SILL\n"
	  "Date : Tue, 8 Apr 2025\nDe : Olivier <o@x.fr>\nPour : b@y.fr\n\n"
	  "Comment référencer notre logiciel ?\nCordialement,\nOlivier\n",
	  "transfère", "référencer notre", "Comment référencer notre logiciel" },
	{ "gmail forward",
	  "Pouvez-vous répondre ?\n\n---------- Forwarded message ---------\n"
	  "From: A <a@b.c>\nDate: Thu\nSubject: x\nTo: B <b@c.d>\n\n"
	  "Question transférée\n",
	  "Pouvez-vous", "Question transférée", "Question transférée" },
	{ "a forward after the signature still counts",
	  "Voir ci-dessous.\nCordialement,\nMarie\n\nBegin forwarded message:\n\n"
	  "From: X\nSubject: y\n\nLe texte transféré\n",
	  "Voir ci-dessous", "texte transféré", "Le texte transféré" },
	{ "a line saying merci in a sentence is not a closing",
	  "Bonjour,\nMerci pour votre réponse sur le marché, c'est bien noté.\n"
	  "Autre question sur le SILL ?\n",
	  "Autre question", "zzz", NULL },
	{ "thanks first, then the question",
	  "Merci pour votre réponse.\n\nJ'aurais une seconde question : qui "
	  "contacter pour le lot bureautique ?\n\nBonne journée,\nPaul\n"
	  "Chef du pôle achats\n",
	  "qui contacter pour le lot", "pôle achats", NULL },
	{ "thanks! first, then a long sentence",
	  "Thanks!\nWe would also like to know where the list of covered "
	  "products is published these days.\n\nBest,\nAnn\nProcurement office\n",
	  "list of covered products", "Procurement office", NULL },
	{ "thanks then a name still ends the words",
	  "Où trouver le catalogue ?\nMerci.\nJeanne Roux\nBureau des licences\n",
	  "catalogue", "Bureau des licences", NULL },
	{ "thanks first, then a signature",
	  "Merci beaucoup !\n\nJeanne Roux\nBureau des licences\n",
	  "Merci beaucoup", "Bureau des licences", NULL },
	{ "interleaved: his lines between the quoted blocks",
	  "Le mar. 4 mars 2025 à 09:30, Mission <floss@numerique.gouv.fr> a "
	  "écrit :\n> Le catalogue est en pause.\n> Les données restent en "
	  "ligne.\n\nBien compris pour le catalogue.\n\n> Pour les "
	  "prestataires, voyez la page.\n\nEt pour la licence de nos "
	  "développements, que conseillez-vous ?\n\nCordialement,\nLéa\n",
	  "Bien compris", "catalogue est en pause", NULL },
	{ "interleaved: the second answer is his too",
	  "Le mar. 4 mars 2025 à 09:30, Mission <floss@numerique.gouv.fr> a "
	  "écrit :\n> Le catalogue est en pause.\n\nBien compris.\n\n> Pour "
	  "les prestataires, voyez la page.\n\nEt pour la licence, que "
	  "conseillez-vous ?\n",
	  "Et pour la licence", "voyez la page", NULL },
	{ "interleaved in English",
	  "On Tue, 4 Mar 2025 at 09:30, Mission <floss@numerique.gouv.fr> "
	  "wrote:\n> The support market covers these products.\n\nThank you, "
	  "and is our agency among the beneficiaries?\n\n> Regards,\n> "
	  "The mission\n",
	  "among the beneficiaries", "covers these products", NULL },
	{ "top-posted, the quote marked: nothing after it",
	  "Une précision : nous sommes une commune.\n\nLe 04/03/2025 à 09:30, "
	  "Mission a écrit :\n> Bonjour,\n> Votre organisme est bénéficiaire "
	  "du marché.\n",
	  "une commune", "bénéficiaire", NULL },
	{ "a quoted line a client wrapped without its mark",
	  "Le 04/03/2025 à 09:30, Mission a écrit :\n> Le marché de support "
	  "couvre une longue liste de logiciels, mise à jour\nchaque année par "
	  "le titulaire.\n\nDepuis quand ?\n",
	  "Depuis quand", "chaque année", NULL },
	{ "his answer in lower case below a whole quoted sentence",
	  "Le 04/03/2025 à 09:30, Mission a écrit :\n> Pouvez-vous nous dire "
	  "quel organisme vous représentez et pour quel logiciel ?\nla mairie "
	  "de Sainte-Lucie, pour notre outil de cadastre\n",
	  "mairie de Sainte-Lucie", "quel organisme", NULL },
	{ "Apple Mail: the attribution quoted too",
	  "Nouvelle question : le lot 2 existe-t-il encore ?\n\n> Le 4 mars "
	  "2025 à 09:30, Mission <floss@numerique.gouv.fr> a écrit :\n> \n> "
	  "Ancienne réponse.\n",
	  "lot 2", "Ancienne réponse", NULL },
	{ "Apple Mail in English",
	  "Is lot 2 still open?\n\nOn Mar 4, 2025, at 09:30, Mission "
	  "<floss@numerique.gouv.fr> wrote:\n\nThe old answer, unmarked.\n",
	  "lot 2", "old answer", NULL },
	{ "Outlook for Mac in French",
	  "Et pour les collectivités ?\n\nDe : Mission <floss@numerique.gouv.fr>"
	  "\nDate : mardi 4 mars 2025 à 09:30\nÀ : Léa <lea@x.example>\n"
	  "Objet : Re: marchés\n\nLes ministères en bénéficient.\n",
	  "collectivités", "ministères", NULL },
	{ "Thunderbird in English",
	  "Is the catalogue back?\n\nOn 3/4/25 9:30 AM, Mission wrote:\n"
	  "> It is paused.\n",
	  "catalogue back", "paused", NULL },
	{ "Outlook in English without a separator",
	  "One more point on licences?\n\nFrom: Mission <floss@numerique.gouv.fr>"
	  "\nSent: Tuesday, March 4, 2025 9:30 AM\nTo: Ann <ann@x.example>\n"
	  "Subject: RE: question\n\nThe market covers support only.\n",
	  "licences", "covers support", NULL },
	{ "Outlook forward: the forwarded words apart",
	  "Bonjour,\nPouvez-vous répondre à cette collègue ?\n\n"
	  "________________________________\nDe : Sophie Blanc <s@ville.example>"
	  "\nEnvoyé : mardi 4 mars 2025 09:30\nÀ : Moi <m@ville.example>\n"
	  "Objet : TR: logiciel de cartographie\n\nExiste-t-il une solution "
	  "libre pour la cartographie ?\n",
	  "cette collègue", "cartographie", "solution libre pour la cartographie" },
	{ "Outlook forward without a separator (Fwd:)",
	  "See below.\n\nFrom: Bob <b@x.example>\nSent: Tuesday\nTo: Ann\n"
	  "Subject: Fwd: licences\n\nWhich licence for our code?\n",
	  "See below", "Which licence", "Which licence for our code" },
	{ "a forward announced, the block below it after a signature",
	  "Je vous transfère la question de mon collègue.\nCordialement,\n"
	  "Marie\n\nDe : Paul <p@ville.example>\nEnvoyé : lundi 3 mars 2025\n"
	  "À : Marie <m@ville.example>\nObjet : question\n\nExiste-t-il un "
	  "équivalent libre à notre outil de dessin ?\n",
	  "transfère", "dessin", "équivalent libre à notre outil" },
	{ "a quote not announced as a forward is no forward",
	  "Voici ma question : où en est le catalogue ?\nCordialement,\n"
	  "Marie\n\nDe : Paul <p@ville.example>\nEnvoyé : lundi 3 mars 2025\n"
	  "À : Marie <m@ville.example>\nObjet : question\n\nAncien texte\n",
	  "catalogue", "Ancien texte", NULL },
	{ "Apple Mail forward in French",
	  "Pour information.\n\nDébut du message réexpédié :\n\nDe : Bob "
	  "<b@x.example>\nObjet : question\n\nLe texte réexpédié\n",
	  "Pour information", "texte réexpédié", "Le texte réexpédié" },
};

/* A text of the responder's and the notice of its answers, for the
 * known texts: none of the replies' own words. */
#define ANSWER	"Le catalogue des outils conseillés aux services publics " \
	"rassemble des programmes que des agents emploient déjà dans leur " \
	"travail quotidien ; chaque fiche nomme une personne qui connaît " \
	"bien l'outil et peut en parler à ses collègues des autres " \
	"administrations (voir https://catalogue.example.fr/fiches/)."
#define NOTICE	"Ce message vient d'un robot. Pour parler à quelqu'un, il " \
	"suffit de répondre : un membre de l'équipe prendra le relais et " \
	"vous écrira sous peu."

/* Appends s wrapped at width columns (bytes), each line after prefix. */
static void
wrap(struct buf *b, const char *s, size_t width, const char *prefix)
{
	const char	*p = s, *sp, *end;
	size_t		 col;

	while (*p != '\0') {
		buf_adds(b, prefix);
		for (end = p, col = 0; *end != '\0'; end = sp + 1) {
			if ((sp = strchr(end, ' ')) == NULL)
				sp = end + strlen(end);
			if (col > 0 && (size_t)(sp - p) > width)
				break;
			col = (size_t)(sp - p);
			if (*sp == '\0') {
				end = sp;
				break;
			}
		}
		buf_add(b, p, (size_t)(end - p) - (*end != '\0' && end > p &&
		    end[-1] == ' '));
		buf_addc(b, '\n');
		p = end;
	}
}

/* text_own() and text_own_inplace() on b: the same own words, and the
 * flags; own and fwd are emptied first. */
static int
own_of(const char *what, const struct buf *b, struct buf *own)
{
	struct buf	fwd, in, fwd2;
	int		flags, flags2;

	buf_reset(own);
	buf_init(&fwd);
	flags = text_own(own, &fwd, b->data, b->len);
	buf_init(&in);
	buf_init(&fwd2);
	buf_add(&in, b->data, b->len);
	flags2 = text_own_inplace(&in, &fwd2);
	STR_EQ(in.data, own->data != NULL ? own->data : "",
	    "%s: the same own words in place", what);
	INT_EQ(flags2, flags, "%s: the same flags in place", what);
	buf_free(&in);
	buf_free(&fwd2);
	buf_free(&fwd);
	return (flags);
}

/* The responder's own texts are not the sender's words. */
static void
known_texts(void)
{
	struct known	*k = known_new();
	struct buf	 b, own;
	int		 flags;

	known_add(k, ANSWER, strlen(ANSWER), 0);
	known_add(k, NOTICE, strlen(NOTICE), 1);
	OK(known_count(k) > 40, "known: the runs of both texts are held"
	    " (%zu)", known_count(k));
	text_known(k);
	buf_init(&b);
	buf_init(&own);

	/* Pasted without any mark (an HTML quote lost), his lines around. */
	buf_adds(&b, "Bonjour,\nJ'ai bien lu votre réponse :\n\n");
	wrap(&b, ANSWER, 60, "");
	buf_adds(&b, "\nMa question : comment proposer un outil qui manque"
	    " ?\n\nMerci,\nNoé\n");
	flags = own_of("an answer pasted", &b, &own);
	HAS(own.data, "comment proposer un outil", "an answer pasted: his"
	    " question after it is kept");
	HAS(own.data, "J'ai bien lu", "an answer pasted: his line before it"
	    " is kept");
	HASNT(own.data, "fiche nomme", "an answer pasted: its words are"
	    " dropped");
	HASNT(own.data, "Le catalogue des outils", "an answer pasted: its"
	    " first line too");
	HASNT(own.data, "administrations", "an answer pasted: and its last");
	INT_EQ(flags, 0, "an answer pasted: no notice, no flag");

	/* Wrapped otherwise: the runs cross the lines. */
	buf_reset(&b);
	wrap(&b, ANSWER, 35, "");
	buf_adds(&b, "\nEt pour ajouter un outil ?\n");
	own_of("an answer wrapped short", &b, &own);
	HAS(own.data, "pour ajouter un outil", "an answer wrapped short: his"
	    " question is kept");
	HASNT(own.data, "quotidien", "an answer wrapped short: its words are"
	    " dropped");

	/* A passage that starts within his line: the line is his while
	 * most of its words are, the passage's when most are its own. */
	buf_reset(&b);
	buf_adds(&b, "Je vous recopie ce que vous m'avez envoyé hier soir : "
	    "Le catalogue des outils\n");
	wrap(&b, ANSWER + strlen("Le catalogue des outils "), 60, "");
	buf_adds(&b, "Deux mots : Le catalogue des outils conseillés aux\n");
	wrap(&b, ANSWER + strlen("Le catalogue des outils conseillés aux "),
	    60, "");
	buf_adds(&b, "\nEt pour ajouter un outil ?\n");
	own_of("a passage within a line", &b, &own);
	HAS(own.data, "Je vous recopie ce que", "a passage within a line:"
	    " the line mostly his is kept");
	HASNT(own.data, "Deux mots", "a passage within a line: the line"
	    " mostly the passage's is dropped");
	HAS(own.data, "pour ajouter un outil", "a passage within a line: his"
	    " question after it is kept");

	/* One word a line: the passage's words reach lines far back. */
	buf_reset(&b);
	buf_adds(&b, "Bonjour,\n");
	wrap(&b, ANSWER, 1, "");
	buf_adds(&b, "Et pour ajouter un outil ?\n");
	own_of("an answer a word a line", &b, &own);
	HAS(own.data, "pour ajouter un outil", "an answer a word a line: his"
	    " question is kept");
	HASNT(own.data, "\nquotidien\n", "an answer a word a line: its words"
	    " are dropped");

	/* Twenty words of the answer right after a word of no known text
	 * are a passage; nineteen are not. */
	buf_reset(&b);
	buf_adds(&b, "Zorglub le catalogue des outils conseillés aux services"
	    " publics rassemble des programmes que des agents emploient déjà"
	    " dans leur travail quotidien\nEt pour ajouter un outil ?\n");
	own_of("twenty words of the answer", &b, &own);
	HASNT(own.data, "Zorglub", "twenty words of the answer after his"
	    " word: a passage");
	buf_reset(&b);
	buf_adds(&b, "Zorglub le catalogue des outils conseillés aux services"
	    " publics rassemble des programmes que des agents emploient déjà"
	    " dans leur travail\nEt pour ajouter un outil ?\n");
	own_of("nineteen words of the answer", &b, &own);
	HAS(own.data, "Zorglub", "nineteen words of the answer after his"
	    " word: no passage");

	/* His own sentence may borrow a phrase of the answer. */
	buf_reset(&b);
	buf_adds(&b, "Nos agents emploient déjà dans leur travail quotidien"
	    " un outil absent du catalogue : comment le proposer ?\n");
	own_of("a phrase of the answer", &b, &own);
	HAS(own.data, "comment le proposer", "a phrase of the answer in his"
	    " sentence: the sentence is his");

	/* The notice quoted below an attribution: a follow-up. */
	buf_reset(&b);
	buf_adds(&b, "Cela ne répond pas à ma question sur les fiches.\n\n"
	    "Le 4 mars 2025 à 09:30, Robot <r@x.example> a écrit :\n");
	wrap(&b, ANSWER, 70, "> ");
	buf_adds(&b, "> \n");
	wrap(&b, NOTICE, 70, "> ");
	flags = own_of("the notice quoted", &b, &own);
	INT_EQ(flags, TEXT_ANSWER, "the notice quoted: the text quotes an"
	    " answer");
	HAS(own.data, "ma question sur les fiches", "the notice quoted: his"
	    " words are kept");

	/* The notice pasted without marks, after his words. */
	buf_reset(&b);
	buf_adds(&b, "Autre question : qui tient les fiches à jour ?\n\n");
	wrap(&b, NOTICE, 50, "");
	flags = own_of("the notice pasted", &b, &own);
	INT_EQ(flags, TEXT_ANSWER, "the notice pasted: the text quotes an"
	    " answer");
	HAS(own.data, "qui tient les fiches", "the notice pasted: his words"
	    " are kept");
	HASNT(own.data, "robot", "the notice pasted: its words are dropped");

	/* An attribution after a line of the answer that opens as one
	 * does ("Le ..."): that line was not kept, nothing is taken back
	 * from the words kept before it. */
	buf_reset(&b);
	buf_adds(&b, "De : Camille\n" ANSWER "\nLe 4 mars 2025 à 09:30, Robot"
	    " <r@x.example> a écrit :\n> Bonjour\n");
	own_of("an answer's line before an attribution", &b, &own);
	STR_EQ(own.data, "De : Camille\n", "an answer's line before an"
	    " attribution: his line before it is kept whole");

	/* Once forgotten, the texts are words like others. */
	text_forget(k);
	buf_reset(&b);
	wrap(&b, ANSWER, 60, "");
	flags = own_of("texts forgotten", &b, &own);
	HAS(own.data, "fiche nomme", "texts forgotten: the answer's words are"
	    " read");
	INT_EQ(flags, 0, "texts forgotten: no flag");
	known_free(k);
	buf_free(&b);
	buf_free(&own);
}

int
main(void)
{
	struct buf	own, fwd, in, fwd2;
	size_t		i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_init(&own);
		buf_init(&fwd);
		text_own(&own, &fwd, cases[i].text, strlen(cases[i].text));
		HAS(own.data, cases[i].own_has, "%s: keeps the question",
		    cases[i].name);
		HASNT(own.data, cases[i].own_hasnt, "%s: drops the rest",
		    cases[i].name);
		if (cases[i].fwd_has != NULL)
			HAS(fwd.data, cases[i].fwd_has, "%s: reads the forward",
			    cases[i].name);
		else
			OK(fwd.len == 0, "%s: no forward", cases[i].name);
		/* Written over the text, the same words. */
		buf_init(&in);
		buf_init(&fwd2);
		buf_adds(&in, cases[i].text);
		text_own_inplace(&in, &fwd2);
		STR_EQ(in.data, own.data, "%s: the same own words in place",
		    cases[i].name);
		OK(in.len == own.len && fwd2.len == fwd.len && (fwd.len == 0 ||
		    strcmp(fwd2.data, fwd.data) == 0),
		    "%s: the same forward", cases[i].name);
		buf_free(&in);
		buf_free(&fwd2);
		buf_free(&own);
		buf_free(&fwd);
	}
	/* In place, a last line without LF, CR LF lines, a wrapped
	 * attribution. */
	buf_init(&in);
	buf_init(&fwd);
	buf_adds(&in, "Question ?\r\n> cit\u00e9\r\nsuite\r\nLe lun. 3 mars, X\r\n"
	    "<x@y.z> a \u00e9crit :\r\nold");
	text_own_inplace(&in, &fwd);
	STR_EQ(in.data, "Question ?\nsuite\n", "in place: CR LF lines, a quote"
	    " and a wrapped attribution");
	buf_reset(&in);
	buf_adds(&in, "a\nb");
	text_own_inplace(&in, &fwd);
	STR_EQ(in.data, "a\nb\n", "in place: the last line gains its LF");
	buf_free(&in);
	buf_free(&fwd);
	known_texts();
	return (tap_done());
}

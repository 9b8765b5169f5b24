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
};

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
	return (tap_done());
}

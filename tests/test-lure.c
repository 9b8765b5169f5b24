/* Lures: phishing, fake invoices, documents to sign, look-alike domains
 * and buttons to other domains are screened (ignored or filed for a
 * person); honest questions that share some of their words are not. */

#include "floss-responder.h"
#include "tap.h"

#define PLAIN	"text/plain; charset=utf-8"
#define HTML	"text/html; charset=utf-8"

struct lcase {
	const char	*name;
	const char	*from;		/* address */
	const char	*subject;
	const char	*type;		/* Content-Type */
	const char	*body;
	const char	*rule;		/* "phishing", "lure" or NULL: none */
	const char	*why;		/* a part of the reason, or NULL */
};

static const struct lcase cases[] = {
	/* Lures. */
	{ "French phishing: a button to another domain",
	  "support@messagerie-pro.example", "Votre messagerie",
	  HTML, "<p>Bonjour,</p><p>Pour continuer à recevoir vos courriels,"
	  " merci de confirmer votre mot de passe avant ce soir.</p>"
	  "<p><a href=\"https://portail-connexion.example/fr\" style=\"btn\">"
	  "Se connecter</a></p>",
	  "phishing", "link \"se connecter\" goes to portail-connexion.example,"
	  " not the sender's domain" },
	{ "a link whose text names numerique.gouv.fr",
	  "service@annuaire-agents.example", "Mise à jour de votre accès",
	  HTML, "<p>Votre mot de passe arrive à échéance. Rendez-vous sur"
	  " <a href=\"http://evil.example/reset\">numerique.gouv.fr</a>"
	  " pour le changer.</p>",
	  "phishing", "credential prompt (\"votre mot de passe\"), link text"
	  " names numerique.gouv.fr but goes to evil.example" },
	{ "English phishing: a link to an IP address",
	  "admin@mail-storage.example", "Storage warning",
	  PLAIN, "Dear user,\n\nYour mailbox is full and new messages are"
	  " held back. Verify your account at http://198.51.100.7/owa/login"
	  " to release them.\n\nIT desk\n",
	  "phishing", "a link to an IP address (198.51.100.7)" },
	{ "a shortened link behind an identity check",
	  "contact@verif-services.example", "Vérification",
	  PLAIN, "Bonjour,\n\nMerci de confirmer votre identité ici :"
	  " https://bit.ly/3xYzAbc\n\nL'équipe\n",
	  "phishing", "a link through a URL shortener (bit.ly)" },
	{ "a .gouv.fr label inside a foreign domain",
	  "acces@espace-agents.example", "Accès à votre espace",
	  HTML, "<p>Connectez-vous pour garder l'accès à vos dossiers :</p>"
	  "<p><a href=\"https://numerique.gouv.fr.espace-securise.example/"
	  "login\">Accéder à votre espace</a></p>",
	  "phishing", "look-alike domain numerique.gouv.fr.espace-securise"
	  ".example (a government label inside another domain)" },
	{ "a look-alike sender with a threat",
	  "securite@gouv-fr.example", "Dernier avis",
	  PLAIN, "Bonjour,\n\nVotre compte sera fermé dans les 24h faute de"
	  " réponse de votre part.\n",
	  "lure", "sender's look-alike domain gouv-fr.example" },
	{ "a fake invoice paid by transfer",
	  "compta@fournitures-bureau.example", "Relance facture 4471",
	  PLAIN, "Madame, Monsieur,\n\nNous constatons une facture impayée"
	  " de 2 310 euros. Merci de procéder au virement sur l'IBAN"
	  " ci-dessous dès réception.\n\nService comptable\n",
	  "lure", "document to sign or view (\"impayee\"), payment"
	  " request (\"virement\")" },
	{ "a prize that costs a fee, by a day of the week, HTML only",
	  "jury@prix-numerique.example", "Votre collectivité est lauréate",
	  HTML, "<p>Félicitations : votre projet libre figure parmi nos"
	  " lauréats de l'année.</p><p>Pour recevoir le trophée, réglez les"
	  " frais de dossier de 600 euros avant mardi.</p>",
	  "lure", "payment request (\"frais de dossier\")" },
	{ "an overdue invoice with an HTML page attached",
	  "billing@cloud-hosting.example", "Invoice 2291",
	  "multipart/mixed; boundary=\"b1\"",
	  "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	  "Hello,\r\n\r\nPlease find the overdue invoice attached.\r\n"
	  "\r\n--b1\r\nContent-Type: text/html; name=\"invoice-2291.html\"\r\n"
	  "Content-Disposition: attachment; filename=\"invoice-2291.html\""
	  "\r\n\r\n<script>location='https://x.example/'</script>\r\n"
	  "--b1--\r\n",
	  "lure", "an HTML page attached" },
	{ "a document to sign, HTML only, a button elsewhere",
	  "envoi@e-signature.example", "Document awaiting you",
	  HTML, "<p>Claire Dubois shared a document with you: <b>Support"
	  " agreement 2026</b>.</p><p><a href=\"https://sign-portal.example/"
	  "d/81\">Review document</a></p>",
	  "lure", "document to sign or view (\"shared a document\")" },
	{ "a parcel held for customs fees",
	  "suivi@livraisons-express.example", "Votre colis",
	  PLAIN, "Bonjour,\n\nVotre colis n'a pas pu être livré. Réglez"
	  " les frais de douane (1,99 EUR) : https://bit.ly/colis-frais\n",
	  "lure", "a link through a URL shortener (bit.ly)" },
	{ "a voicemail notice from a look-alike domain",
	  "standard@numerique-gouv.example", "Appel manqué",
	  PLAIN, "Bonjour,\n\nVous avez un nouveau message vocal de 0:42.\n",
	  "lure", "numerique-gouv.example (imitates a government domain)" },
	{ "a link that hides its host behind a name",
	  "relance@recouvrement.example", "Dernier rappel",
	  HTML, "<p>Dernier rappel avant transmission du dossier.</p><p><a"
	  " href=\"https://numerique.gouv.fr@evil.example/d\">Voir le"
	  " dossier</a></p>",
	  "lure", "a link hides evil.example behind \"numerique.gouv.fr@\"" },
	{ "HTML only from outside the public sector, with a credential"
	  " prompt", "equipe@plateforme-saas.example", "Votre compte",
	  HTML, "<p>Bonjour, pour finaliser votre inscription, indiquez"
	  " votre mot de passe dans la réponse sous 24 h.</p>",
	  "lure", "HTML only from a sender outside the public sector"
	  " (plateforme-saas.example)" },
	{ "digits for letters in a domain",
	  "it@helpdesk.example", "Password expiry",
	  PLAIN, "Hello,\n\nYour password expires today. Keep it at"
	  " https://1nria-fr.example/keep\n",
	  "phishing", "1nria-fr.example (imitates inria.fr)" },

	{ "plain text: a prompt before a link to another domain",
	  "info@webmail-services.example", "Boîte pleine",
	  PLAIN, "Bonjour,\n\nVotre boîte aux lettres est pleine. Cliquez"
	  " ici pour la vider : https://vider-boite.example/x\n",
	  "phishing", "link \"cliquez ici\" goes to vider-boite.example, not"
	  " the sender's domain" },
	{ "plain text: a domain named before another link",
	  "info@webmail-services.example", "Mot de passe",
	  PLAIN, "Bonjour,\n\nChangez votre mot de passe sur"
	  " numerique.gouv.fr <https://evil.example/reset> avant vendredi.\n",
	  "phishing", "link text names numerique.gouv.fr but goes to"
	  " evil.example" },

	{ "plain text: a polite prompt as the label of a link",
	  "info@webmail-services.example", "Storage",
	  PLAIN, "Hello,\n\nYour mailbox is full.\nPlease sign in here:"
	  " https://mail-restore.example/a\n",
	  "phishing", "link \"sign in\" goes to mail-restore.example" },

	{ "a guarded link that leads to an address",
	  "info@webmail-services.example", "Quota",
	  HTML, "<p>Your mailbox is full.</p><p><a href=\"https://eur01."
	  "safelinks.protection.outlook.com/?url=http%3A%2F%2F203.0.113.9%2F"
	  "owa&amp;data=05\">Restore</a></p>",
	  "phishing", "a link to an IP address (203.0.113.9)" },

	/* Honest questions. */
	{ "a commune's question through a guarded link to the SILL",
	  "dsi@ville-exemple.example", "SILL",
	  HTML, "<p>Bonjour, le lien <a href=\"https://eur03.safelinks."
	  "protection.outlook.com/?url=https%3A%2F%2Fcode.gouv.fr%2Fsill"
	  "&amp;data=1\">https://code.gouv.fr/sill</a> ne marche plus : où"
	  " trouver le catalogue ? Merci de répondre sous 48 h.</p>",
	  NULL, NULL },
	{ "a file name in a link's text is not a domain",
	  "projets@bureau-etudes.example", "Convention",
	  HTML, "<p>Bonjour, la convention est en attente de signature chez"
	  " notre client. Le texte : <a href=\"https://files.partage-cloud"
	  ".example/d/convention.pdf\">convention.pdf</a>. Quelle licence"
	  " choisir pour le code livré ?</p>", NULL, NULL },
	{ "an English vendor's HTML-only question in a hurry",
	  "team@oss-vendor.example", "Support market",
	  HTML, "<p>Hello, could you tell us within 48 hours whether our"
	  " database is covered by the support market? <a href=\"https://"
	  "www.oss-vendor.example/product\">Click here</a> for our product"
	  " page, and <a href=\"https://github.com/oss-vendor/db\">"
	  "github.com/oss-vendor/db</a> for the code.</p>", NULL, NULL },
	{ "a journalist's urgent request",
	  "redaction@journal.example", "Demande urgente",
	  PLAIN, "Bonjour,\n\nJe prépare un article à rendre immédiatement"
	  " sur le SILL : pouvez-vous me répondre avant minuit ? Voir"
	  " https://www.journal.example/tech\n", NULL, NULL },
	{ "a link to a gouv.fr site whose text names another",
	  "agent@culture.gouv.fr", "Liens",
	  HTML, "<p>Le lien <a href=\"https://www.numerique.gouv.fr/x\">"
	  "code.gouv.fr</a> est-il le bon ? Votre mot de passe n'est pas"
	  " en cause.</p>", NULL, NULL },

	{ "a commune's HTML-only question about signing",
	  "secretariat@mairie-exemple.example", "Signature électronique",
	  HTML, "<p>Bonjour,</p><p>Le titulaire nous propose de signer"
	  " électroniquement le bon de commande. Le marché le permet-il ?"
	  " Je vous ai aussi laissé un message vocal ce matin.</p>",
	  NULL, NULL },
	{ "a vendor's HTML-only mail about its pending invoice",
	  "compta@prestataire.example", "Notre facture",
	  HTML, "<p>Bonjour, notre facture en attente de paiement depuis"
	  " mars concerne le lot 1 du marché. Please find the invoice"
	  " attached. Qui peut nous renseigner ?</p>", NULL, NULL },
	{ "HTML only: a verb before a link to another site, in a sentence",
	  "contact@editeur-exemple.example", "Notre fiche",
	  HTML, "<p>Bonjour, pouvez-vous vérifier notre fiche"
	  " https://forge.example/projet et nous confirmer qu'elle est à"
	  " jour ?</p>", NULL, NULL },
	{ "a link's text that ends with a scheme and no name",
	  "dev@collectivite-exemple.example", "Notre projet",
	  HTML, "<p>Bonjour, le code est sur <a href=\"https://forge.example/"
	  "projet\">la forge https://</a> : quelle licence choisir ?</p>",
	  NULL, NULL },
	{ "plain text: a scheme alone before a bracketed link",
	  "dev@collectivite-exemple.example", "Notre projet",
	  PLAIN, "Bonjour,\n\nLe code est sur https:// <https://forge.example"
	  "/projet> : quelle licence choisir ?\n", NULL, NULL },
	{ "a person asks to confirm a link",
	  "dev@collectivite-exemple.example", "Dépôt du code",
	  PLAIN, "Bonjour,\n\nPouvez-vous confirmer que la page"
	  " https://forge.example/projet est la bonne pour signaler un"
	  " problème ?\n\nMerci\n", NULL, NULL },
	{ "a vendor asks to confirm, with a link to its own site",
	  "ventes@editeur-libre.example", "Question sur le marché",
	  PLAIN, "Bonjour,\n\nMerci de nous confirmer si notre logiciel peut"
	  " être couvert par le marché de support ; notre facture annuelle"
	  " de support est envoyée en janvier.\nVoir https://www.editeur-"
	  "libre.example/produit\n\nCordialement\n", NULL, NULL },
	{ "a vendor's HTML-only question about an invoice",
	  "compta@integrateur.example", "Facturation du contrat de support",
	  HTML, "<p>Bonjour,</p><p>Pouvez-vous nous confirmer à qui adresser"
	  " la facture du contrat de support pour le lot 2 ? Notre facture"
	  " est en attente de validation chez le client.</p><p><a href="
	  "\"https://www.integrateur.example/contact\">Cliquez ici</a> pour"
	  " nos coordonnées, ou <a href=\"https://integrateur.example\">"
	  "www.integrateur.example</a>.</p>", NULL, NULL },
	{ "a public body's HTML newsletter-like question",
	  "communication@culture.gouv.fr", "Atelier logiciels libres",
	  HTML, "<h1>Atelier du 12 mars</h1><p>Bonjour, nous organisons un"
	  " atelier sur les logiciels libres. Pouvez-vous relayer"
	  " l'information ? Inscriptions avant minuit : <a href=\"https://"
	  "framaforms.example/atelier\">cliquez ici</a>.</p>", NULL, NULL },
	{ "an invoice question about the markets",
	  "achats@mairie-exemple.example", "Facture marché de support",
	  PLAIN, "Bonjour,\n\nNous avons reçu une facture du titulaire du"
	  " marché de support. Comment vérifier qu'elle correspond bien aux"
	  " prix du marché ?\n\nMerci\n", NULL, NULL },
	{ "a person who lost a password",
	  "agent.martin@gmail.com", "Mot de passe oublié",
	  HTML, "<p>Bonjour, j'ai oublié mon mot de passe pour le salon"
	  " BlueHats, que faire ? J'ai essayé <a href=\"https://tchap.gouv.fr"
	  "\">cliquez ici</a> sans succès.</p>", NULL, NULL },
	{ "an English vendor asks about an invoice",
	  "sales@oss-support.example", "Invoice for the support contract",
	  PLAIN, "Hello,\n\nCould you confirm whether the invoice for our"
	  " support contract should be sent to the ministry or to the market"
	  " holder? Details at www.oss-support.example.\n\nThanks\n",
	  NULL, NULL },
	{ "a licence question that speaks of legal risk, HTML only",
	  "juridique@start-up.example", "GPL",
	  HTML, "<p>Bonjour, risquons-nous des poursuites si nous modifions"
	  " un logiciel sous GPL sans publier le code ? Nous devons répondre"
	  " à notre client sous 48 heures.</p>", NULL, NULL },
};

/* A URL in a message that asks for a password: a deceptive one makes it
 * phishing, an honest one leaves a single signal. */
static const struct {
	const char	*url;
	int		 deceives;
} urls[] = {
	{ "http://198.51.100.7/login", 1 },
	{ "http://[2001:db8::1]/login", 1 },
	{ "https://3232235777/x", 1 },
	{ "https://tinyurl.com/abc", 1 },
	{ "https://numerique.gouv.fr.verif.example/", 1 },
	{ "https://numerique-gouv.fr/", 1 },
	{ "https://www.gouv-fr.example/", 1 },
	{ "https://g0uv-fr.example/", 1 },
	{ "https://numerique-gouv-portail.example/", 1 },
	{ "https://impots-govfr.example/", 1 },
	{ "https://portail.numeriquegouvfr.example/", 1 },
	{ "https://1nria-fr.example/", 1 },
	{ "https://numerique.gouv.fr@evil.example/", 1 },
	{ "HTTPS://Numerique.Gouv.Fr.Evil.Example:8443/", 1 },
	{ "https://code.gouv.fr/sill", 0 },
	{ "https://www.numerique.gouv.fr/", 0 },
	{ "https://gouvernement.fr/", 0 },
	{ "https://mcc.gouv.qc.ca/", 0 },
	{ "https://www.gov.uk/", 0 },
	{ "https://www.irs.gov/", 0 },
	{ "https://irs.gov.refund.example/", 1 },
	{ "https://inria.fr/", 0 },
	{ "https://www.vendor.example/docs", 0 },
	{ "https://governance-tools.example/", 0 },
	{ "https://gouvernance-libre.example/", 0 },
	{ "https://www.gouvernement.fr/", 0 },
	{ "https://user@vendor.example/", 0 },
};

/* Pages sent as files, as the reader marks them. */
static const struct {
	const char	*part;		/* the fields of the attached part */
	int		 page;
} pages[] = {
	{ "Content-Type: text/html\r\nContent-Disposition: attachment", 1 },
	{ "Content-Type: application/octet-stream;"
	  " name*=UTF-8''facture%20avril.htm", 1 },
	{ "Content-Type: image/svg+xml\r\nContent-Disposition: attachment;"
	  " filename=\"plan.SVG\"", 1 },
	{ "Content-Type: application/pdf; name=\"page.html.pdf\"", 0 },
	{ "Content-Type: text/plain; name=\"notes.txt\"", 0 },
	{ "Content-Type: text/html; charset=utf-8", 0 },
};

static struct message *
make(struct buf *b, const char *from, const char *subject, const char *type,
    const char *body)
{
	struct message	*msg;
	char		*cause = NULL;

	buf_reset(b);
	buf_printf(b, "Return-Path: <%s>\r\nAuthentication-Results:"
	    " mx1.numerique.gouv.fr; dmarc=pass header.from=%s\r\n"
	    "From: <%s>\r\nTo: floss@numerique.gouv.fr\r\nSubject: %s\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: %s\r\n\r\n%s", from,
	    strchr(from, '@') + 1, from, subject, type, body);
	if (message_parse(b->data, b->len, &msg, &cause) != 0) {
		OK(0, "parse: %s", cause);
		free(cause);
		return (NULL);
	}
	return (msg);
}

/* The same rule and reason, whether the screens fold the words themselves,
 * read what was folded once (with the sentence marks left out), or the
 * phrases that classify's scan found (decide()). */
static void
same_read(const struct core *core, const struct message *msg,
    const char *name)
{
	const struct screen_rule	*a, *b;
	struct reading			 rd;
	struct decision			 d;
	char				*wa, *wb, *want;

	reading_init(&rd, msg);
	a = screen(core, msg, &wa);
	b = screen_read(core, msg, &rd, &wb);
	STR_EQ(b != NULL ? b->name : "(none)", a != NULL ? a->name :
	    "(none)", "%s: the same rule from the words folded once", name);
	STR_EQ(wb != NULL ? wb : "-", wa != NULL ? wa : "-",
	    "%s: the same reason", name);
	OK(screen_reading(msg) == NULL, "%s: the reading is let go", name);
	decision_init(&d);
	decide(core, msg, &d);
	STR_EQ(d.rule != NULL ? d.rule : "(none)", a != NULL ? a->name :
	    "(none)", "%s: the same rule from classify's scan", name);
	want = a != NULL ? xasprintf("%s: %s", a->name, wa) : xstrdup("-");
	STR_EQ(d.rule != NULL && d.nreasons > 0 ? d.reasons[0] : "-", want,
	    "%s: the same reason from classify's scan", name);
	free(want);
	decision_clear(&d);
	free(wa);
	free(wb);
	reading_free(&rd);
}

int
main(void)
{
	struct core			*core;
	struct message			*msg;
	struct decision			 d;
	struct buf			 b, body;
	const struct screen_rule	*rule;
	const struct lcase		*c;
	char				*why;
	size_t				 i;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL)
		return (tap_done());
	buf_init(&b);
	buf_init(&body);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		c = &cases[i];
		if ((msg = make(&b, c->from, c->subject, c->type,
		    c->body)) == NULL)
			continue;
		rule = screen(core, msg, &why);
		if (c->rule == NULL)
			OK(rule == NULL, "%s: no rule fires (%s: %s)", c->name,
			    rule != NULL ? rule->name : "-",
			    why != NULL ? why : "-");
		else {
			STR_EQ(rule != NULL ? rule->name : "(none)", c->rule,
			    "%s: rule", c->name);
			HAS(why, c->why, "%s: says why", c->name);
			decision_init(&d);
			decide(core, msg, &d);
			INT_EQ(d.action, strcmp(c->rule, "phishing") == 0 ?
			    ACT_IGNORE : ACT_REVIEW, "%s: never a reply",
			    c->name);
			decision_clear(&d);
		}
		free(why);
		same_read(core, msg, c->name);
		message_free(msg);
	}

	/* Phrases across the end of a sentence, a blank line, a list: the
	 * words are read without the marks, as before. */
	if ((msg = make(&b, "a@vendor.example", "Relance", PLAIN,
	    "Bonjour,\n\nVotre facture est en attente. Dernier\n\nrappel"
	    " : merci de\n- payer la\n- somme due.\n")) != NULL) {
		rule = screen(core, msg, &why);
		STR_EQ(rule != NULL ? rule->name : "(none)", "lure",
		    "phrases across sentence marks");
		HAS(why, "dernier rappel", "a phrase across a blank line");
		free(why);
		same_read(core, msg, "phrases across sentence marks");
		decision_init(&d);
		decide(core, msg, &d);
		STR_EQ(d.rule != NULL ? d.rule : "(none)", "lure",
		    "decide() reads them the same");
		decision_clear(&d);
		message_free(msg);
	}

	for (i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		buf_reset(&body);
		buf_printf(&body, "Bonjour,\n\nMerci de confirmer votre"
		    " identité.\n%s\n", urls[i].url);
		if ((msg = make(&b, "a@vendor.example", "Compte", PLAIN,
		    body.data)) == NULL)
			continue;
		rule = screen(core, msg, &why);
		if (urls[i].deceives)
			STR_EQ(rule != NULL ? rule->name : "(none)", "phishing",
			    "%s deceives", urls[i].url);
		else
			OK(rule == NULL, "%s does not deceive (%s)",
			    urls[i].url, why != NULL ? why : "-");
		free(why);
		message_free(msg);
	}

	for (i = 0; i < sizeof pages / sizeof pages[0]; i++) {
		buf_reset(&body);
		buf_printf(&body, "--b\r\nContent-Type: text/plain\r\n\r\n"
		    "Bonjour\r\n--b\r\n%s\r\n\r\n<p>x</p>\r\n--b--\r\n",
		    pages[i].part);
		if ((msg = make(&b, "a@vendor.example", "Fichier",
		    "multipart/mixed; boundary=b", body.data)) == NULL)
			continue;
		INT_EQ((msg->flags & MSG_PAGEFILE) != 0, pages[i].page,
		    "page file: %s", pages[i].part);
		message_free(msg);
	}

	/* A Reply-To that imitates a public domain: a signal, not two. */
	for (i = 0; i < 2; i++) {
		buf_reset(&b);
		buf_printf(&b, "Return-Path: <a@editeur.example>\r\n"
		    "Authentication-Results: mx1.numerique.gouv.fr; dmarc=pass"
		    " header.from=editeur.example\r\nFrom: a@editeur.example"
		    "\r\nReply-To: <dossiers@interieur-gouv.example>\r\n"
		    "Subject: Dossier\r\n\r\nBonjour,\n%s\n", i == 0 ?
		    "comment référencer notre logiciel ?" : "dernier rappel"
		    " avant clôture du dossier.");
		if (message_parse(b.data, b.len, &msg, &why) != 0) {
			OK(0, "parse: %s", why);
			free(why);
			continue;
		}
		rule = screen(core, msg, &why);
		if (i == 0)
			OK(rule == NULL, "a look-alike Reply-To alone: no rule"
			    " (%s)", why != NULL ? why : "-");
		else {
			STR_EQ(rule != NULL ? rule->name : "(none)", "lure",
			    "a look-alike Reply-To and a threat");
			HAS(why, "Reply-To's look-alike domain"
			    " interieur-gouv.example", "the Reply-To is named");
		}
		free(why);
		message_free(msg);
	}

	/* A credential prompt from a public body is never ignored. */
	if ((msg = make(&b, "dsi@interieur.gouv.fr", "Compte", PLAIN,
	    "Merci de confirmer votre identité : https://bit.ly/abc\n")) !=
	    NULL) {
		rule = screen(core, msg, &why);
		STR_EQ(rule != NULL ? rule->name : "(none)", "lure",
		    "a public sender's prompt and link go to a person");
		free(why);
		message_free(msg);
	}
	buf_free(&body);
	buf_free(&b);
	core_free(core);
	return (tap_done());
}

/*
 * Lures: phishing and fraud that borrow the words of the mail a public
 * inbox receives.  Signals of different kinds are read from the subject and
 * the sender's own words, in one pass of an automaton (a prompt for
 * credentials, a document to sign or view, a threat or a deadline, a
 * request for payment), from the links (a text that names another domain
 * than the link goes to, a button to another domain than the sender's, an
 * IP address, a URL shortener, a domain that imitates the responder's or a
 * public body's), from an HTML page attached, and from the shape (HTML
 * only, from a sender outside the public sector).  One signal is never
 * enough: words alone are those of many honest messages.  Two kinds make a
 * lure, filed for a person; a prompt for credentials with a deceptive
 * link, from outside the public sector, is phishing and ignored.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

enum lure_kind {
	L_CREDENTIAL,		/* a prompt for a password or a login */
	L_DOCUMENT,		/* a document to sign or view, an invoice */
	L_URGENCY,		/* a threat, or a deadline (half) */
	L_PAYMENT,		/* bank details, a transfer, gift cards */
	L_LINK,			/* a link that says one place, goes to
				   another */
	L_DESTINATION,		/* a link to an IP address or a shortener */
	L_LOOKALIKE,		/* a domain that imitates a public one */
	L_PAGE,			/* an HTML page sent as a file */
	L_SHAPE,		/* HTML only, from outside the public sector
				   (half) */
	L_COUNT
};

/* Signals are counted in halves: a kind gives 2, a deadline or the shape
 * 1; two kinds make a lure. */
#define LURE_FULL	2
#define LURE_THRESHOLD	(2 * LURE_FULL)

static const char *kind_names[] = { "credential prompt",
    "document to sign or view", "threat", "payment request", "", "", "",
    "", "" };

/* Folded phrases of the subject and the text: " word " whole, " word" a
 * prefix.  General words of such mail, in French and English. */
static const struct phrase {
	const char	*folded;
	enum lure_kind	 kind;
	int		 weight;
} phrases[] = {
	{ " votre mot de passe", L_CREDENTIAL, 2 },
	{ " vos mots de passe", L_CREDENTIAL, 2 },
	{ " vos identifiants", L_CREDENTIAL, 2 },
	{ " identifiants de connexion", L_CREDENTIAL, 2 },
	{ " vos informations de connexion", L_CREDENTIAL, 2 },
	{ " connectez vous pour", L_CREDENTIAL, 2 },
	{ " reconnectez vous", L_CREDENTIAL, 2 },
	{ " authentifiez vous", L_CREDENTIAL, 2 },
	{ " verifier votre compte", L_CREDENTIAL, 2 },
	{ " verifiez votre compte", L_CREDENTIAL, 2 },
	{ " confirmer votre compte", L_CREDENTIAL, 2 },
	{ " confirmez votre compte", L_CREDENTIAL, 2 },
	{ " valider votre compte", L_CREDENTIAL, 2 },
	{ " validez votre compte", L_CREDENTIAL, 2 },
	{ " verifier votre identite", L_CREDENTIAL, 2 },
	{ " verifiez votre identite", L_CREDENTIAL, 2 },
	{ " confirmer votre identite", L_CREDENTIAL, 2 },
	{ " confirmez votre identite", L_CREDENTIAL, 2 },
	{ " reactiver votre compte", L_CREDENTIAL, 2 },
	{ " reactivez votre compte", L_CREDENTIAL, 2 },
	{ " debloquer votre compte", L_CREDENTIAL, 2 },
	{ " mettre a jour vos informations", L_CREDENTIAL, 2 },
	{ " mettez a jour vos informations", L_CREDENTIAL, 2 },
	{ " boite aux lettres est pleine", L_CREDENTIAL, 2 },
	{ " boite de reception est pleine", L_CREDENTIAL, 2 },
	{ " messagerie est pleine", L_CREDENTIAL, 2 },
	{ " quota de messagerie", L_CREDENTIAL, 2 },
	{ " quota de stockage", L_CREDENTIAL, 2 },
	{ " your password", L_CREDENTIAL, 2 },
	{ " verify your account", L_CREDENTIAL, 2 },
	{ " confirm your account", L_CREDENTIAL, 2 },
	{ " validate your account", L_CREDENTIAL, 2 },
	{ " verify your identity", L_CREDENTIAL, 2 },
	{ " confirm your identity", L_CREDENTIAL, 2 },
	{ " verify your email account", L_CREDENTIAL, 2 },
	{ " your login credentials", L_CREDENTIAL, 2 },
	{ " your credentials", L_CREDENTIAL, 2 },
	{ " sign in to your account", L_CREDENTIAL, 2 },
	{ " log in to your account", L_CREDENTIAL, 2 },
	{ " login to your account", L_CREDENTIAL, 2 },
	{ " reactivate your account", L_CREDENTIAL, 2 },
	{ " unlock your account", L_CREDENTIAL, 2 },
	{ " restore your account", L_CREDENTIAL, 2 },
	{ " update your account", L_CREDENTIAL, 2 },
	{ " mailbox is full", L_CREDENTIAL, 2 },
	{ " mailbox quota", L_CREDENTIAL, 2 },
	{ " mailbox storage", L_CREDENTIAL, 2 },
	{ " email quota", L_CREDENTIAL, 2 },
	{ " storage quota", L_CREDENTIAL, 2 },

	{ " document partage", L_DOCUMENT, 2 },
	{ " documents partages", L_DOCUMENT, 2 },
	{ " partage un document", L_DOCUMENT, 2 },
	{ " partage un fichier", L_DOCUMENT, 2 },
	{ " document a signer", L_DOCUMENT, 2 },
	{ " documents a signer", L_DOCUMENT, 2 },
	{ " signer le document", L_DOCUMENT, 2 },
	{ " signez le document", L_DOCUMENT, 2 },
	{ " signer electroniquement", L_DOCUMENT, 2 },
	{ " signez electroniquement", L_DOCUMENT, 2 },
	{ " en attente de signature", L_DOCUMENT, 2 },
	{ " en attente de votre signature", L_DOCUMENT, 2 },
	{ " signature requise", L_DOCUMENT, 2 },
	{ " une facture en attente", L_DOCUMENT, 2 },
	{ " votre facture en attente", L_DOCUMENT, 2 },
	{ " votre facture est en attente", L_DOCUMENT, 2 },
	{ " vos factures en attente", L_DOCUMENT, 2 },
	{ " votre facture est disponible", L_DOCUMENT, 2 },
	{ " nouvelle facture disponible", L_DOCUMENT, 2 },
	{ " impaye ", L_DOCUMENT, 2 },
	{ " impayee", L_DOCUMENT, 2 },
	{ " impayes ", L_DOCUMENT, 2 },
	{ " facture echue", L_DOCUMENT, 2 },
	{ " facture non reglee", L_DOCUMENT, 2 },
	{ " avis de paiement", L_DOCUMENT, 2 },
	{ " avis de virement", L_DOCUMENT, 2 },
	{ " telecharger la facture", L_DOCUMENT, 2 },
	{ " consulter la facture", L_DOCUMENT, 2 },
	{ " consulter le document", L_DOCUMENT, 2 },
	{ " voir le document", L_DOCUMENT, 2 },
	{ " nouveau message vocal", L_DOCUMENT, 2 },
	{ " vous avez un message vocal", L_DOCUMENT, 2 },
	{ " vous avez recu un message vocal", L_DOCUMENT, 2 },
	{ " message vocal en attente", L_DOCUMENT, 2 },
	{ " votre colis", L_DOCUMENT, 2 },
	{ " livraison en attente", L_DOCUMENT, 2 },
	{ " your parcel", L_DOCUMENT, 2 },
	{ " your package is", L_DOCUMENT, 2 },
	{ " delivery attempt", L_DOCUMENT, 2 },
	{ " shared a document", L_DOCUMENT, 2 },
	{ " shared a file", L_DOCUMENT, 2 },
	{ " shared with you", L_DOCUMENT, 2 },
	{ " document to sign", L_DOCUMENT, 2 },
	{ " documents to sign", L_DOCUMENT, 2 },
	{ " review and sign", L_DOCUMENT, 2 },
	{ " sign the document", L_DOCUMENT, 2 },
	{ " awaiting your signature", L_DOCUMENT, 2 },
	{ " pending signature", L_DOCUMENT, 2 },
	{ " signature required", L_DOCUMENT, 2 },
	{ " unpaid invoice", L_DOCUMENT, 2 },
	{ " remains unpaid", L_DOCUMENT, 2 },
	{ " still unpaid", L_DOCUMENT, 2 },
	{ " overdue invoice", L_DOCUMENT, 2 },
	{ " outstanding invoice", L_DOCUMENT, 2 },
	{ " pending invoice", L_DOCUMENT, 2 },
	{ " your invoice is ready", L_DOCUMENT, 2 },
	{ " your invoice is available", L_DOCUMENT, 2 },
	{ " view the invoice", L_DOCUMENT, 2 },
	{ " view invoice", L_DOCUMENT, 2 },
	{ " view the document", L_DOCUMENT, 2 },
	{ " view document", L_DOCUMENT, 2 },
	{ " new voicemail", L_DOCUMENT, 2 },
	{ " new voice message", L_DOCUMENT, 2 },
	{ " you have a voice message", L_DOCUMENT, 2 },
	{ " you have a new voice", L_DOCUMENT, 2 },
	{ " you have received a voice", L_DOCUMENT, 2 },
	{ " remittance advice", L_DOCUMENT, 2 },
	{ " payment advice", L_DOCUMENT, 2 },

	/* Threats to the reader, then deadlines (half a signal: honest
	 * mail is in a hurry too). */
	{ " votre compte sera", L_URGENCY, 2 },
	{ " votre compte a ete suspendu", L_URGENCY, 2 },
	{ " votre compte a ete bloque", L_URGENCY, 2 },
	{ " votre compte est suspendu", L_URGENCY, 2 },
	{ " votre compte est bloque", L_URGENCY, 2 },
	{ " votre compte expire", L_URGENCY, 2 },
	{ " votre acces sera", L_URGENCY, 2 },
	{ " vos acces seront", L_URGENCY, 2 },
	{ " votre messagerie sera", L_URGENCY, 2 },
	{ " votre adresse sera", L_URGENCY, 2 },
	{ " votre boite sera", L_URGENCY, 2 },
	{ " vos donnees seront", L_URGENCY, 2 },
	{ " vos fichiers seront", L_URGENCY, 2 },
	{ " vos messages seront", L_URGENCY, 2 },
	{ " perdrez l acces", L_URGENCY, 2 },
	{ " perdrez vos", L_URGENCY, 2 },
	{ " dernier rappel", L_URGENCY, 2 },
	{ " derniere relance", L_URGENCY, 2 },
	{ " dernier avertissement", L_URGENCY, 2 },
	{ " mise en demeure", L_URGENCY, 2 },
	{ " engager des poursuites", L_URGENCY, 2 },
	{ " des poursuites seront", L_URGENCY, 2 },
	{ " poursuites a votre encontre", L_URGENCY, 2 },
	{ " action en justice sera", L_URGENCY, 2 },
	{ " service contentieux", L_URGENCY, 2 },
	{ " your account will", L_URGENCY, 2 },
	{ " your account has been suspended", L_URGENCY, 2 },
	{ " your account has been locked", L_URGENCY, 2 },
	{ " your account is suspended", L_URGENCY, 2 },
	{ " your account is locked", L_URGENCY, 2 },
	{ " your mailbox will", L_URGENCY, 2 },
	{ " your access will", L_URGENCY, 2 },
	{ " your email will be", L_URGENCY, 2 },
	{ " your data will be", L_URGENCY, 2 },
	{ " your files will be", L_URGENCY, 2 },
	{ " you will lose access", L_URGENCY, 2 },
	{ " lose access to your", L_URGENCY, 2 },
	{ " final notice", L_URGENCY, 2 },
	{ " final reminder", L_URGENCY, 2 },
	{ " last reminder", L_URGENCY, 2 },
	{ " final warning", L_URGENCY, 2 },
	{ " take legal action", L_URGENCY, 2 },
	{ " legal action will", L_URGENCY, 2 },
	{ " legal action against", L_URGENCY, 2 },
	{ " legal proceedings will", L_URGENCY, 2 },
	{ " initiate legal", L_URGENCY, 2 },
	{ " debt collection", L_URGENCY, 2 },
	{ " sous 24 h", L_URGENCY, 1 },
	{ " sous 24h", L_URGENCY, 1 },
	{ " sous 48 h", L_URGENCY, 1 },
	{ " sous 48h", L_URGENCY, 1 },
	{ " sous 72 h", L_URGENCY, 1 },
	{ " sous 72h", L_URGENCY, 1 },
	{ " dans les 24 h", L_URGENCY, 1 },
	{ " dans les 24h", L_URGENCY, 1 },
	{ " dans les 48 h", L_URGENCY, 1 },
	{ " dans les 48h", L_URGENCY, 1 },
	{ " dans un delai de 24", L_URGENCY, 1 },
	{ " dans un delai de 48", L_URGENCY, 1 },
	{ " d ici 24", L_URGENCY, 1 },
	{ " d ici 48", L_URGENCY, 1 },
	{ " avant minuit", L_URGENCY, 1 },
	{ " immediatement", L_URGENCY, 1 },
	{ " sans delai", L_URGENCY, 1 },
	{ " expire aujourd hui", L_URGENCY, 1 },
	{ " expire dans", L_URGENCY, 1 },
	{ " expirera", L_URGENCY, 1 },
	{ " within 24 h", L_URGENCY, 1 },
	{ " within 24h", L_URGENCY, 1 },
	{ " within 48 h", L_URGENCY, 1 },
	{ " within 48h", L_URGENCY, 1 },
	{ " within 72 h", L_URGENCY, 1 },
	{ " in the next 24 h", L_URGENCY, 1 },
	{ " immediately", L_URGENCY, 1 },
	{ " urgent action", L_URGENCY, 1 },
	{ " action required", L_URGENCY, 1 },
	{ " expires today", L_URGENCY, 1 },
	{ " expires in", L_URGENCY, 1 },
	{ " will expire", L_URGENCY, 1 },
	{ " before midnight", L_URGENCY, 1 },
	{ " act now", L_URGENCY, 1 },
	{ " avant lundi", L_URGENCY, 1 },
	{ " avant mardi", L_URGENCY, 1 },
	{ " avant mercredi", L_URGENCY, 1 },
	{ " avant jeudi", L_URGENCY, 1 },
	{ " avant vendredi", L_URGENCY, 1 },
	{ " avant samedi", L_URGENCY, 1 },
	{ " avant dimanche", L_URGENCY, 1 },
	{ " before monday", L_URGENCY, 1 },
	{ " before tuesday", L_URGENCY, 1 },
	{ " before wednesday", L_URGENCY, 1 },
	{ " before thursday", L_URGENCY, 1 },
	{ " before friday", L_URGENCY, 1 },
	{ " before saturday", L_URGENCY, 1 },
	{ " before sunday", L_URGENCY, 1 },

	{ " virement", L_PAYMENT, 2 },
	{ " iban ", L_PAYMENT, 2 },
	{ " rib ", L_PAYMENT, 2 },
	{ " coordonnees bancaires", L_PAYMENT, 2 },
	{ " references bancaires", L_PAYMENT, 2 },
	{ " carte cadeau", L_PAYMENT, 2 },
	{ " cartes cadeaux", L_PAYMENT, 2 },
	{ " bitcoin", L_PAYMENT, 2 },
	{ " cryptomonnaie", L_PAYMENT, 2 },
	{ " paiement immediat", L_PAYMENT, 2 },
	{ " reglement immediat", L_PAYMENT, 2 },
	{ " regler la somme", L_PAYMENT, 2 },
	{ " payer la somme", L_PAYMENT, 2 },
	{ " frais de livraison", L_PAYMENT, 2 },
	{ " frais de douane", L_PAYMENT, 2 },
	{ " votre remboursement", L_PAYMENT, 2 },
	{ " remboursement en attente", L_PAYMENT, 2 },
	{ " your refund", L_PAYMENT, 2 },
	{ " eligible for a refund", L_PAYMENT, 2 },
	{ " wire transfer", L_PAYMENT, 2 },
	{ " bank transfer", L_PAYMENT, 2 },
	{ " bank details", L_PAYMENT, 2 },
	{ " banking details", L_PAYMENT, 2 },
	{ " gift card", L_PAYMENT, 2 },
	{ " crypto wallet", L_PAYMENT, 2 },
	{ " payment details", L_PAYMENT, 2 },
	{ " settle the amount", L_PAYMENT, 2 },
	{ " pay the amount", L_PAYMENT, 2 },
	{ " amount due", L_PAYMENT, 2 },
	{ " outstanding balance", L_PAYMENT, 2 },
	{ " outstanding amount", L_PAYMENT, 2 },
	{ " frais de dossier", L_PAYMENT, 2 },
	{ " frais d inscription", L_PAYMENT, 2 },
	{ " frais de traitement", L_PAYMENT, 2 },
	{ " frais de participation", L_PAYMENT, 2 },
	{ " payer les frais", L_PAYMENT, 2 },
	{ " regler les frais", L_PAYMENT, 2 },
	{ " processing fee", L_PAYMENT, 2 },
	{ " registration fee", L_PAYMENT, 2 },
	{ " handling fee", L_PAYMENT, 2 },
	{ " administration fee", L_PAYMENT, 2 },
	{ " entry fee", L_PAYMENT, 2 },
	{ " pay the fee", L_PAYMENT, 2 },
};

/* Folded texts of a link that ask the reader to act: a button. */
static const char *prompts[] = {
	" cliquez ici", " cliquer ici", " cliquez sur ce lien",
	" cliquez sur le lien", " cliquer sur le lien", " click here",
	" click the link", " click on the link",
	" click below", " click this link", " se connecter",
	" connectez vous", " connexion ", " sign in", " log in", " login ",
	" verifier", " verifiez", " verify", " valider", " validez",
	" confirmer", " confirmez", " confirm", " voir le document",
	" voir la facture", " voir le message", " consulter le document",
	" consulter la facture", " consulter le message",
	" ouvrir le document", " ouvrir la facture", " view document",
	" view the document", " view invoice", " view the invoice",
	" view message", " open document", " open the document",
	" acceder a votre", " acceder au document", " access your",
	" access the document", " signer", " signez", " sign now",
	" sign the document", " review document", " review the document",
	" review and sign", " ecouter", " listen", " payer", " reglez",
	" pay now", " mettre a jour", " update now", " update your",
	" reactiver", " reactivate", " debloquer", " unlock", " restaurer",
	" restore", " telecharger la facture", " telecharger le document",
	" download the invoice", " download invoice", " download the document",
};

/* Services that hide where a link goes. */
static const char *shorteners[] = {
	"bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly",
	"is.gd", "v.gd", "buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at",
	"tiny.cc", "rb.gy", "t.ly", "bl.ink", "s.id", "lnkd.in", "shorte.st",
	"adf.ly", "qrco.de", "tiny.one", "urlz.fr", "short.gy", "soo.gd",
};

/* Services that rewrite the links of the mail their users receive (the
 * link they guard is a parameter, or is not to be read). */
static const char *rewriters[] = {
	"safelinks.protection.outlook.com", "urldefense.com",
	"urldefense.proofpoint.com", "linkprotect.cudasvc.com",
	"mimecast.com", "protection.sophos.com", "secure-web.cisco.com",
};

/* Second-level labels under which a country's domains are registered. */
static const char *second_levels[] = {
	"gouv", "gov", "co", "com", "org", "net", "ac", "edu", "asso", "nom",
	"or", "ne", "go", "mil", "ltd", "plc", "sch", "gv", "tm", "presse",
};

/* The last labels that make a written name a domain ("see example.org"),
 * when no scheme or "www." says so: not file names ("notes.pdf"). */
static const char *name_tlds[] = {
	"fr", "com", "org", "net", "eu", "io", "info", "be", "ch", "de", "uk",
	"us", "ca", "it", "es", "nl", "lu", "gov", "edu", "app", "dev", "co",
	"biz", "xyz", "online", "site", "tech", "cloud", "re", "nc", "pf",
};

static struct matcher	*phrase_matcher, *prompt_matcher;
/* The pairs of the phrases' words, for a phrase across a mark. */
static struct phrase_pairs	 lure_pairs;

/* What the signals of a message are. */
struct lure {
	int	 weight[L_COUNT];	/* in halves, 0: none */
	char	 what[L_COUNT][256];	/* each signal as the reason says it */
	int	 public_sender;
};

/* A reading keeps the phrases' indexes in 16 bits, their marks in an
 * array of SCREEN_PHRASES_MAX. */
_Static_assert(sizeof phrases / sizeof phrases[0] <= SCREEN_PHRASES_MAX,
    "too many phrases for a reading");

const char *
lure_phrase(size_t i)
{
	if (i >= sizeof phrases / sizeof phrases[0])
		return (NULL);
	return (phrases[i].folded);
}

static void
lure_init(void)
{
	size_t	i;

	phrase_matcher = matcher_new();
	for (i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		matcher_add(phrase_matcher, phrases[i].folded);
	matcher_build(phrase_matcher);
	prompt_matcher = matcher_new();
	for (i = 0; i < sizeof prompts / sizeof prompts[0]; i++)
		matcher_add(prompt_matcher, prompts[i]);
	matcher_build(prompt_matcher);
	for (i = 0; i < sizeof phrases / sizeof phrases[0]; i++)
		phrase_pairs_add(&lure_pairs, phrases[i].folded);
	phrase_pairs_build(&lure_pairs);
}


/* A host written as an address: IPv4 (dotted or as one number, in decimal
 * or hexadecimal) or an IPv6 literal. */
static int
is_ip(const char *h)
{
	if (*h == '[')
		return (1);
	if (*h == '\0')
		return (0);
	if (strspn(h, "0123456789.") == strlen(h))
		return (1);
	return (strncmp(h, "0x", 2) == 0 &&
	    strspn(h, "0123456789abcdefx.") == strlen(h));
}

/* The registered part of a host name: the last two labels, or three under
 * a country's second level ("numerique.gouv.fr", "example.co.uk"). */
static const char *
site(const char *h)
{
	const char	*d1, *d2 = NULL, *d3 = NULL;
	char		 sld[16];
	size_t		 n, i;

	if (is_ip(h) || (d1 = strrchr(h, '.')) == NULL)
		return (h);
	for (i = (size_t)(d1 - h); i > 0; i--) {
		if (h[i - 1] != '.')
			continue;
		if (d2 == NULL)
			d2 = h + i - 1;
		else {
			d3 = h + i - 1;
			break;
		}
	}
	if (d2 == NULL)
		return (h);
	n = (size_t)(d1 - d2 - 1);
	if (strlen(d1 + 1) == 2 && n < sizeof sld) {
		memcpy(sld, d2 + 1, n);
		sld[n] = '\0';
		if (strv_has(sld, second_levels, sizeof second_levels /
		    sizeof second_levels[0]))
			return (d3 != NULL ? d3 + 1 : h);
	}
	return (d2 + 1);
}

static int
same_site(const char *a, const char *b)
{
	return (strcmp(site(a), site(b)) == 0);
}

/* A domain of the public sector: the responder's own, one under gouv.fr,
 * or an organisation's of the entities. */
static int
public_domain(const struct core *core, const char *d)
{
	const struct config	*c = core->conf;
	size_t			 i;

	if (*d == '\0')
		return (0);
	if (domain_under(d, "gouv.fr"))
		return (1);
	for (i = 0; i < c->nown; i++)
		if (domain_under(d, address_domain(c->own[i])))
			return (1);
	if (c->msgid_domain != NULL && domain_under(d, c->msgid_domain))
		return (1);
	return (entities_lookup(core->entities, d) >= 0);
}

/*
 * The host of a web URL ("http:", "https:", "//" or "www.") at u, lower
 * case, without port or final dot, in host; what comes before an '@' in
 * user.  Returns 0 when u is not such a URL or has no host.
 */
static int
url_host(const char *u, size_t len, char *host, size_t hsize, char *user,
    size_t usize)
{
	const char	*a, *end, *at, *h;
	size_t		 n, i;

	while (len > 0 && isspace((u_char)*u))
		u++, len--;
	if (len >= 7 && strncasecmp(u, "http://", 7) == 0)
		a = u + 7;
	else if (len >= 8 && strncasecmp(u, "https://", 8) == 0)
		a = u + 8;
	else if (len >= 2 && strncmp(u, "//", 2) == 0)
		a = u + 2;
	else if (len >= 4 && strncasecmp(u, "www.", 4) == 0)
		a = u;
	else
		return (0);
	/* Browsers read a backslash as a slash. */
	for (end = a; end < u + len && *end != '/' && *end != '\\' &&
	    *end != '?' && *end != '#' && !isspace((u_char)*end) &&
	    *end != '"' && *end != '<' && *end != '>'; end++)
		;
	h = a;
	*user = '\0';
	if ((at = memrchr(a, '@', (size_t)(end - a))) != NULL) {
		n = (size_t)(at - a);
		snprintf(user, usize, "%.*s", (int)(n < usize ? n : usize - 1),
		    a);
		h = at + 1;
	}
	n = (size_t)(end - h);
	if (n > 0 && *h != '[' && memchr(h, ':', n) != NULL)
		n = (size_t)((const char *)memchr(h, ':', n) - h);
	else if (n > 0 && *h == '[' && memchr(h, ']', n) != NULL)
		n = (size_t)((const char *)memchr(h, ']', n) - h) + 1;
	while (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 0 || n >= hsize)
		return (0);
	for (i = 0; i < n; i++)
		host[i] = (char)tolower((u_char)h[i]);
	host[n] = '\0';
	return (1);
}

/* The link a rewriting service guards, from its "url=" or "u=" parameter
 * (percent-decoded) or between "__" (urldefense), in out; 0 if none. */
static int
unwrap(const char *u, size_t len, char *out, size_t size)
{
	const char	*p = NULL, *end = u + len, *e;
	size_t		 n = 0;
	char		 hex[3];

	if ((p = memmem(u, len, "__http", 6)) != NULL) {
		p += 2;
		e = memmem(p, (size_t)(end - p), "__", 2);
		end = e != NULL ? e : end;
	} else {
		for (e = u; e < end && (p == NULL); e++)
			if ((*e == '?' || *e == '&') && (size_t)(end - e) > 4) {
				if (strncasecmp(e + 1, "url=", 4) == 0)
					p = e + 5;
				else if (strncasecmp(e + 1, "u=", 2) == 0)
					p = e + 3;
			}
		if (p == NULL)
			return (0);
		e = memchr(p, '&', (size_t)(end - p));
		end = e != NULL ? e : end;
	}
	for (; p < end && n + 1 < size; p++) {
		if (*p == '%' && end - p > 2 && isxdigit((u_char)p[1]) &&
		    isxdigit((u_char)p[2])) {
			hex[0] = p[1];
			hex[1] = p[2];
			hex[2] = '\0';
			out[n++] = (char)strtoul(hex, NULL, 16);
			p += 2;
		} else
			out[n++] = *p;
	}
	out[n] = '\0';
	return (n > 0);
}

/*
 * The host a web URL leads to (url_host()), through the services that
 * rewrite links; 0 when it is not a web URL or a rewritten link that
 * does not say where it leads.
 */
static int
link_host(const char *u, size_t len, char *host, size_t hsize, char *user,
    size_t usize)
{
	char	inner[LINK_MAX_HREF + 1];
	size_t	i;

	if (!url_host(u, len, host, hsize, user, usize))
		return (0);
	for (i = 0; i < sizeof rewriters / sizeof rewriters[0]; i++)
		if (domain_under(host, rewriters[i]))
			break;
	if (i == sizeof rewriters / sizeof rewriters[0])
		return (1);
	if (!unwrap(u, len, inner, sizeof inner))
		return (0);
	return (url_host(inner, strlen(inner), host, hsize, user, usize));
}

/* ASCII lower case, as domain names have it (no locale). */
static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c);
}

/* The next character of a domain name as an eye reads it, at *d, lower
 * case: digits and letters that look alike made one ("0" and "o"; "1",
 * "i" and "l"; "rn" and "m"...).  Advances *d. */
static inline char
skel_char(const char **d)
{
	char	c = lower(**d), next;

	(*d)++;
	next = lower(**d);
	if (c == 'r' && next == 'n') {
		(*d)++;
		return ('m');
	}
	if (c == 'v' && next == 'v') {
		(*d)++;
		return ('w');
	}
	switch (c) {
	case '0':
		return ('o');
	case '1':
	case 'i':
		return ('l');
	case '3':
		return ('e');
	case '4':
		return ('a');
	case '5':
		return ('s');
	case '7':
		return ('t');
	case '8':
		return ('b');
	case '9':
		return ('g');
	}
	return (c);
}

/*
 * The skeleton of a domain name: its characters as an eye reads them,
 * dots and hyphens left out.  starts marks where each label or part of
 * one begins.  Returns the length.
 */
static size_t
skeleton(const char *d, char *out, char *starts, size_t size)
{
	size_t	n = 0;
	int	start = 1;

	while (*d != '\0' && n + 1 < size) {
		if (*d == '.' || *d == '-') {
			start = 1;
			d++;
			continue;
		}
		starts[n] = (char)start;
		out[n++] = skel_char(&d);
		start = 0;
	}
	out[n] = '\0';
	return (n);
}

/*
 * Does the skeleton of domain t, 6 characters or more, stand in sk (the
 * n characters of another skeleton) from i?  t is read as skeleton() into
 * size bytes would read it, up to the first character that differs.
 */
static int
skeleton_at(const char *sk, size_t n, size_t i, const char *t, size_t size)
{
	size_t	j = 0;

	while (*t != '\0' && j + 1 < size) {
		if (*t == '.' || *t == '-') {
			t++;
			continue;
		}
		if (i + j >= n || skel_char(&t) != sk[i + j])
			return (0);
		j++;
	}
	return (j >= 6);
}

/* Does a part of a label (its skeleton) imitate the government's: "gouv"
 * at its end, "gouvfr" or "govfr" at its end or start? */
static int
gouv_part(const char *p, size_t n)
{
	if (n >= 4 && memcmp(p + n - 4, "gouv", 4) == 0)
		return (1);
	if (n >= 6 && (memcmp(p + n - 6, "gouvfr", 6) == 0 ||
	    memcmp(p, "gouvfr", 6) == 0))
		return (1);
	return (n >= 5 && (memcmp(p + n - 5, "govfr", 5) == 0 ||
	    memcmp(p, "govfr", 5) == 0));
}

/* Does a label imitate the government's, whole (hyphens gone) or in one
 * of its parts ("numerique-gouv", "gouv-fr", "x-gouv-messagerie")? */
static int
gouv_label(const char *sk, const char *st, size_t n)
{
	size_t	a, b;

	if (n > 4 && gouv_part(sk, n))
		return (1);
	for (a = 0; a < n; a = b) {
		for (b = a + 1; b < n && !st[b]; b++)
			;
		if (b - a < n && gouv_part(sk + a, b - a))
			return (1);
	}
	return (0);
}

/*
 * The domains a sender's may imitate, in the order the look-alike test
 * reads them (the responder's own, then the organisations'), each with the
 * first character of its skeleton: those whose skeleton is shorter than
 * skeleton_at() asks for are left out.
 */
struct lure_targets {
	const char	**name;		/* foreign: the core's */
	unsigned char	 *first;
	size_t		  n;
};

struct lure_targets *
lure_targets_new(const struct core *core)
{
	const struct entities	*en = core->entities;
	const struct config	*c = core->conf;
	struct lure_targets	*lt;
	const char		*target, *q;
	char			 sk[256], st[256];
	size_t			 k, total;

	total = c->nown + (en != NULL ? en->ndoms : 0);
	lt = xcalloc(1, sizeof *lt);
	lt->name = xcalloc(total + 1, sizeof *lt->name);
	lt->first = xcalloc(total + 1, 1);
	for (k = 0; k < total; k++) {
		if (k < c->nown)
			target = address_domain(c->own[k]);
		else if (en->doms[k - c->nown].org >= 0)
			target = en->doms[k - c->nown].name;
		else
			continue;
		q = target;
		if (*q == '\0' || skeleton(target, sk, st, sizeof sk) < 6)
			continue;
		lt->first[lt->n] = (u_char)skel_char(&q);
		lt->name[lt->n++] = target;
	}
	return (lt);
}

void
lure_targets_free(struct lure_targets *lt)
{
	if (lt == NULL)
		return;
	free(lt->name);
	free(lt->first);
	free(lt);
}

/*
 * Does a domain outside the public sector imitate a public one?  A "gouv"
 * or "gov" label where a government's domain does not have it
 * ("numerique.gouv.fr.example.com"), a label or a part of one that ends
 * in "gouv" or "gouvfr" ("numerique-gouv.fr", "gouv-fr.com",
 * "x-gouv-messagerie.com"), or the name of the responder's domain or an
 * organisation's of the entities inside it, letters written with
 * look-alike digits included.  Says what in what.
 */
static int	imitates(const struct core *, const char *, char *, size_t);

static int
lookalike(const struct core *core, const char *d, char *what, size_t size)
{
	if (*d == '\0' || is_ip(d) || public_domain(core, d))
		return (0);
	return (imitates(core, d, what, size));
}

/* lookalike() of a domain that is a name, not the public sector's. */
static int
imitates(const struct core *core, const char *d, char *what, size_t size)
{
	char			 sk[256], st[256], lab[64];
	char			 firsts[256];
	const char		*p, *q, *target;
	const struct lure_targets *lt = core->targets;
	size_t			 n, i, k, after, small;
	int			 hit;

	/* Label by label. */
	for (p = d; *p != '\0'; p = *q == '.' ? q + 1 : q) {
		q = p + strcspn(p, ".");
		n = (size_t)(q - p);
		if (n >= sizeof lab)
			continue;
		memcpy(lab, p, n);
		lab[n] = '\0';
		n = skeleton(lab, sk, st, sizeof sk);
		if (strcmp(sk, "gouv") == 0 || strcmp(sk, "gov") == 0) {
			/* Genuine last ("gov"), or followed by one or two
			 * country codes ("gouv.fr", "gouv.qc.ca"). */
			after = small = 0;
			for (i = (size_t)(q - d); d[i] != '\0'; i++)
				if (d[i] == '.') {
					after++;
					small += strcspn(d + i + 1, ".") == 2;
				}
			if (after > 2 || small != after) {
				snprintf(what, size, "%s (a government label"
				    " inside another domain)", d);
				return (1);
			}
		} else if (gouv_label(sk, st, n)) {
			snprintf(what, size, "%s (imitates a government"
			    " domain)", d);
			return (1);
		}
		if (*q == '\0')
			break;
	}
	/* The responder's domain or an organisation's, inside it: only those
	 * whose first character starts a part of d are read whole. */
	n = skeleton(d, sk, st, sizeof sk);
	memset(firsts, 0, sizeof firsts);
	for (i = 0; i < n; i++)
		if (st[i])
			firsts[(u_char)sk[i]] = 1;
	for (k = 0; k < lt->n; k++) {
		if (!firsts[lt->first[k]])
			continue;
		target = lt->name[k];
		hit = 0;
		for (i = 0; i < n && !hit; i++)
			hit = st[i] && sk[i] == (char)lt->first[k] &&
			    skeleton_at(sk, n, i, target, sizeof sk);
		if (hit) {
			snprintf(what, size, "%s (imitates %s)", d, target);
			return (1);
		}
	}
	return (0);
}

/* The first domain name a link's text shows, lower case, in d. */
static int
text_domain(const char *t, char *d, size_t size)
{
	const char	*p, *s, *e, *dot;
	size_t		 n, i;
	int		 sure;

	/* p walks t a byte at a time; s, the name's start, may be past a
	 * scheme that ends the text. */
	for (p = t; *p != '\0'; p++) {
		if (p > t && (isalnum((u_char)p[-1]) || p[-1] == '.' ||
		    p[-1] == '-' || p[-1] == '/'))
			continue;
		s = p;
		sure = 0;
		if (strncasecmp(p, "https://", 8) == 0)
			s += 8, sure = 1;
		else if (strncasecmp(p, "http://", 7) == 0)
			s += 7, sure = 1;
		for (e = s; isalnum((u_char)*e) || *e == '.' || *e == '-'; e++)
			;
		while (e > s && (e[-1] == '.' || e[-1] == '-'))
			e--;
		n = (size_t)(e - s);
		if (n == 0 || n >= size || memchr(s, '.', n) == NULL ||
		    *s == '.' || memmem(s, n, "..", 2) != NULL)
			continue;
		for (i = 0; i < n; i++)
			d[i] = (char)tolower((u_char)s[i]);
		d[n] = '\0';
		if (strncmp(d, "www.", 4) == 0)
			sure = 1;
		dot = strrchr(d, '.');
		if (sure || strv_has(dot + 1, name_tlds, sizeof name_tlds /
		    sizeof name_tlds[0]))
			return (1);
	}
	return (0);
}

static void	lure_signal(struct lure *, enum lure_kind, int, const char *,
		    ...) printflike(4, 5);

/* Records a signal of a kind, the strongest of its kind kept. */
static void
lure_signal(struct lure *lu, enum lure_kind k, int weight, const char *fmt,
    ...)
{
	va_list	ap;

	if (lu->weight[k] >= weight)
		return;
	lu->weight[k] = weight;
	va_start(ap, fmt);
	vsnprintf(lu->what[k], sizeof lu->what[k], fmt, ap);
	va_end(ap);
}

/* Where a URL goes: an address, a shortener, a look-alike domain; a name
 * before an '@' that hides where it goes. */
static void
destination(const struct core *core, struct lure *lu, const char *host,
    const char *user)
{
	char	what[300];

	if (is_ip(host))
		lure_signal(lu, L_DESTINATION, LURE_FULL, "a link to an IP"
		    " address (%s)", host);
	else if (strv_has(site(host), shorteners, sizeof shorteners /
	    sizeof shorteners[0]))
		lure_signal(lu, L_DESTINATION, LURE_FULL, "a link through a"
		    " URL shortener (%s)", host);
	if (lookalike(core, host, what, sizeof what))
		lure_signal(lu, L_LOOKALIKE, LURE_FULL, "look-alike domain"
		    " %s", what);
	if (strchr(user, '.') != NULL && !public_domain(core, host))
		lure_signal(lu, L_LINK, LURE_FULL, "a link hides %s behind"
		    " \"%.60s@\"", host, user);
}

/* Opening words of a polite request, before a prompt written in text. */
static const char *politeness[] = { " veuillez ", " merci de ", " please ",
    " kindly " };

/*
 * What the text of a link says against where it goes: the domain it names
 * (named, or NULL), else a prompt to act that leads out of the sender's
 * domain; written in plain text (opens), the prompt must open the words
 * before the URL, as a button's label does.  A link to the public sector
 * says nothing.
 */
static void
link_text(const struct core *core, struct lure *lu, const char *from,
    const char *host, const char *named, const char *text, size_t len,
    int opens)
{
	char		 f[3 * LINK_MAX_TEXT + 3];
	const char	*p = f;
	size_t		 n, k;
	int		 id = -1;

	if (public_domain(core, host))
		return;
	if (named != NULL) {
		if (!same_site(named, host))
			lure_signal(lu, L_LINK, LURE_FULL, "link text names %s"
			    " but goes to %s", named, host);
		return;
	}
	if (*from != '\0' && same_site(host, from))
		return;
	n = fold_to(f, text, len > LINK_MAX_TEXT ? LINK_MAX_TEXT : len);
	if (!opens)
		id = matcher_first(prompt_matcher, f, n);
	else {
		for (k = 0; k < sizeof politeness / sizeof politeness[0]; k++)
			if (strncmp(p, politeness[k], strlen(politeness[k])) ==
			    0)
				p += strlen(politeness[k]) - 1;
		for (k = 0; k < sizeof prompts / sizeof prompts[0] && id == -1;
		    k++)
			if (strncmp(p, prompts[k], strlen(prompts[k])) == 0)
				id = (int)k;
	}
	if (id != -1)
		lure_signal(lu, L_LINK, LURE_FULL, "link \"%s\" goes to %s,"
		    " not the sender's domain", prompts[id] + 1, host);
}

/* One link of an HTML part. */
static void
html_link(const struct core *core, struct lure *lu, const char *from,
    const struct link *l)
{
	char	host[256], user[256], named[256];

	if (!link_host(l->href, strlen(l->href), host, sizeof host, user,
	    sizeof user))
		return;
	destination(core, lu, host, user);
	if (l->text != NULL)
		link_text(core, lu, from, host, text_domain(l->text, named,
		    sizeof named) ? named : NULL, l->text, strlen(l->text), 0);
}

static int
blank(char c)
{
	return (c == ' ' || c == '\t');
}

static int
in_set(char c, const char *set)
{
	return (c != '\0' && strchr(set, c) != NULL);
}

/*
 * The label of a URL written in plain text: the words before it, back to
 * the previous punctuation, on its line, after the previous URL ("Se
 * connecter : https://...", "example.org <https://...>"), from *b to *e.
 * The domain named just before a bracket goes to named.
 */
static void
text_label(const char *s, size_t start, size_t at, size_t *b, size_t *e,
    char *named, size_t size, int *names)
{
	char	word[256];
	size_t	i, w;

	*names = 0;
	for (w = at; w > start && blank(s[w - 1]); w--)
		;
	if (w > start && in_set(s[w - 1], "<[(")) {
		for (w--; w > start && blank(s[w - 1]); w--)
			;
		/* The last word, alone. */
		for (i = w; i > start && !isspace((u_char)s[i - 1]); i--)
			;
		if (w - i < sizeof word) {
			memcpy(word, s + i, w - i);
			word[w - i] = '\0';
			*names = text_domain(word, named, size);
		}
	} else if (w > start && in_set(s[w - 1], ":->="))
		for (w--; w > start && blank(s[w - 1]); w--)
			;
	for (i = w; i > start && w - i < LINK_MAX_TEXT &&
	    !in_set(s[i - 1], ".:!?;,()[]<>\n"); i--)
		;
	*b = i;
	*e = w;
}

/*
 * The first w (n bytes) in s, as memmem() finds it, looked for by its byte
 * at k with memchr(): a byte that text seldom holds (the ':' of "://",
 * the '.' of "www.") makes few places to compare.
 */
static const char *
find_by(const char *s, size_t len, const char *w, size_t n, size_t k)
{
	const char	*end = s + len, *c;

	if (len < n)
		return (NULL);
	for (c = s + k; (c = memchr(c, w[k], (size_t)(end - c))) != NULL;
	    c++) {
		if ((size_t)(end - (c - k)) < n)
			return (NULL);
		if (memcmp(c - k, w, n) == 0)
			return (c - k);
	}
	return (NULL);
}

/* Where the next URL may start at or after i ("http://", "https://",
 * "www."), or len. */
static size_t
url_next(const char *s, size_t len, size_t i)
{
	const char	*a, *p, *w;
	size_t		 best = len, k;

	for (p = s + i; (a = find_by(p, (size_t)(s + len - p), "://", 3, 0)) !=
	    NULL; p = a + 3) {
		k = (size_t)(a - s);
		if (k >= i + 5 && strncasecmp(a - 5, "https", 5) == 0) {
			best = k - 5;
			break;
		}
		if (k >= i + 4 && strncasecmp(a - 4, "http", 4) == 0) {
			best = k - 4;
			break;
		}
	}
	if ((w = find_by(s + i, best - i, "www.", 4, 3)) != NULL)
		best = (size_t)(w - s);
	return (best);
}

/* The web addresses written in the text. */
static void
text_urls(const struct core *core, struct lure *lu, const char *from,
    const char *s, size_t len)
{
	char	host[256], user[256], named[256];
	size_t	i, start = 0, b, e, le;
	int	n = 0, names;

	for (i = url_next(s, len, 0); i < len && n < LINK_MAX;
	    i = url_next(s, len, i + 1)) {
		if (i > 0 && (isalnum((u_char)s[i - 1]) || s[i - 1] == '.' ||
		    s[i - 1] == '/'))
			continue;
		for (e = i; e < len && !isspace((u_char)s[e]) && s[e] != '>' &&
		    s[e] != ']' && s[e] != ')'; e++)
			;
		if (!link_host(s + i, e - i, host, sizeof host, user,
		    sizeof user))
			continue;
		n++;
		destination(core, lu, host, user);
		text_label(s, start, i, &b, &le, named, sizeof named, &names);
		link_text(core, lu, from, host, names ? named : NULL, s + b,
		    le - b, 1);
		start = e;
		i = e - 1;	/* the next search starts after the URL */
	}
}

/* The phrases of the subject and the text, in one pass. */
static void
phrase_hit(uint32_t id, size_t end, void *arg)
{
	struct lure		*lu = arg;
	const struct phrase	*p = &phrases[id];
	const char		*name = kind_names[p->kind];

	if (p->kind == L_URGENCY && p->weight < LURE_FULL)
		name = "urgency";
	lure_signal(lu, p->kind, p->weight, "%s (\"%s\")", name, p->folded + 1);
}

/*
 * The sender's words folded with their sentence marks (fold_sentences()),
 * read as folded without them: each mark is written between two spaces,
 * so the text without each mark and the space after it is the text
 * folded without marks, scanned piece by piece.
 */
static void
scan_unmarked(const struct buf *b, struct lure *lu)
{
	const char	*p = b->data, *m;
	uint32_t	 state = 0;

	for (;;) {
		m = strpbrk(p, "?.;:");
		state = matcher_scan_piece(phrase_matcher, state, p,
		    (size_t)((m != NULL ? m : b->data + b->len) - p), 0,
		    phrase_hit, lu);
		if (m == NULL)
			break;
		p = m + 2;
	}
}

/* The signals of the subject's and the sender's words, in one pass: of
 * what decide() folded of them, when it did. */
static void
lure_words(const struct message *msg, struct lure *lu)
{
	const struct reading	*rd = screen_reading(msg);
	struct fold_state	 st;
	struct buf		 f;
	size_t			 n, i, from;
	uint32_t		 state = 0;

	/* Found by classify's scan, in the order it found them -- unless a
	 * phrase may go across a mark, or the subject is longer than the
	 * part of it read here. */
	if (rd != NULL && rd->phrases_read && rd->own.len != 0 &&
	    strlen(msg->subject) <= 998 &&
	    !phrase_pairs_across(&lure_pairs, rd->own.data, rd->own.len)) {
		from = screen_phrases_from(PL_LURE);
		for (i = 0; i < rd->nphrases; i++)
			if (rd->phrases[i].id >= from && rd->phrases[i].id -
			    from < sizeof phrases / sizeof phrases[0])
				phrase_hit(rd->phrases[i].id - from, 0, lu);
		return;
	}
	buf_init(&f);
	n = strlen(msg->subject);
	if (rd != NULL && n <= 998)
		matcher_scan(phrase_matcher, rd->subject.data, rd->subject.len,
		    phrase_hit, lu);
	else {
		fold_text(&f, msg->subject, n > 998 ? 998 : n);
		matcher_scan(phrase_matcher, f.data, f.len, phrase_hit, lu);
	}
	if (rd != NULL && rd->own.len != 0)
		scan_unmarked(&rd->own, lu);
	else {
		memset(&st, 0, sizeof st);
		while (fold_piece(&f, msg->own, msg->ownlen, 65536, 0, &st))
			state = matcher_scan_piece(phrase_matcher, state,
			    f.data, f.len, 0, phrase_hit, lu);
	}
	buf_free(&f);
}

/* The signals of the links and of the shape. */
static void
lure_links(const struct core *core, const struct message *msg,
    struct lure *lu)
{
	const char	*from;
	size_t		 i;

	if (phrase_matcher == NULL)
		lure_init();
	/* A signal's words are read only when it has a weight. */
	memset(lu->weight, 0, sizeof lu->weight);
	from = address_domain(msg->from.addr != NULL ? msg->from.addr : "");
	lu->public_sender = public_domain(core, from);
	for (i = 0; i < msg->links.n; i++)
		html_link(core, lu, from, &msg->links.v[i]);
	text_urls(core, lu, from, msg->own, msg->ownlen);
	if (msg->flags & MSG_PAGEFILE)
		lure_signal(lu, L_PAGE, LURE_FULL, "an HTML page attached");
	/* Half: many honest senders (communes, schools) write HTML only. */
	if ((msg->flags & MSG_HTMLONLY) && !lu->public_sender)
		lure_signal(lu, L_SHAPE, LURE_FULL / 2, "HTML only from a"
		    " sender outside the public sector (%s)", *from != '\0' ?
		    from : "no domain");
}

/* The senders' domains: do they imitate a public one? */
static void
lure_senders(const struct core *core, const struct message *msg,
    struct lure *lu)
{
	const char	*from, *rt;
	char		 what[300];

	from = address_domain(msg->from.addr != NULL ? msg->from.addr : "");
	rt = address_domain(msg->reply_to.addr != NULL ? msg->reply_to.addr :
	    "");
	/* Whether the sender's domain is the public sector's, lure_links()
	 * found. */
	if (*from != '\0' && !lu->public_sender && !is_ip(from) &&
	    imitates(core, from, what, sizeof what))
		lure_signal(lu, L_LOOKALIKE, LURE_FULL, "sender's look-alike"
		    " domain %s", what);
	else if (strcmp(rt, from) != 0 && lookalike(core, rt, what,
	    sizeof what))
		lure_signal(lu, L_LOOKALIKE, LURE_FULL, "Reply-To's look-alike"
		    " domain %s", what);
}

static int
lure_total(const struct lure *lu)
{
	int	k, t = 0;

	for (k = 0; k < L_COUNT; k++)
		t += lu->weight[k];
	return (t);
}

/* The reason: every signal found, in a fixed order. */
static char *
lure_why(const struct lure *lu)
{
	struct buf	b;
	int		k;

	buf_init(&b);
	for (k = 0; k < L_COUNT; k++) {
		if (lu->weight[k] == 0)
			continue;
		if (b.len != 0)
			buf_adds(&b, ", ");
		buf_adds(&b, lu->what[k]);
	}
	buf_addc(&b, '\0');
	return (buf_steal(&b));
}

/*
 * What the phishing rule read of a message, for the lure rule: screen()
 * calls it next, on the same message, when phishing did not fire; it takes
 * what was read and reads the rest.  (The senders' and the words' signals
 * are of other kinds: the order they are read in changes nothing.)
 */
static struct {
	const struct core	*core;
	const struct message	*msg;	/* NULL: nothing kept */
	struct lure		 lu;
	int			 senders;	/* lure_senders() was read */
	int			 words;		/* lure_words() too */
} kept;

static int
phishing_read(const struct core *core, const struct message *msg,
    struct lure *lu)
{
	/* The cheaper signals first: most mail stops at one of them. */
	lure_links(core, msg, lu);
	if (lu->public_sender)
		return (0);
	lure_senders(core, msg, lu);
	kept.senders = 1;
	if (lu->weight[L_LINK] == 0 && lu->weight[L_DESTINATION] == 0 &&
	    lu->weight[L_LOOKALIKE] == 0)
		return (0);
	lure_words(msg, lu);
	kept.words = 1;
	return (lu->weight[L_CREDENTIAL] != 0 &&
	    lure_total(lu) >= LURE_THRESHOLD);
}

/* A prompt for credentials with a link that deceives, from outside the
 * public sector. */
static int
phishing_match(const struct core *core, const struct message *msg,
    char **why)
{
	kept.msg = NULL;
	kept.senders = kept.words = 0;
	if (!phishing_read(core, msg, &kept.lu)) {
		kept.core = core;
		kept.msg = msg;
		return (0);
	}
	*why = lure_why(&kept.lu);
	return (1);
}

static const char *
phishing_desc(void)
{
	return ("a prompt for credentials with a link that deceives (its"
	    " text names another domain, a button to another domain, an IP"
	    " address, a shortener, a look-alike domain), from outside the"
	    " public sector");
}

const struct screen_rule screen_phishing = { "phishing", ACT_IGNORE,
    phishing_match, phishing_desc };

static int
lure_match(const struct core *core, const struct message *msg, char **why)
{
	struct lure	mine, *lu = &mine;
	int		senders = 0, words = 0;

	if (kept.msg == msg && kept.core == core) {
		lu = &kept.lu;
		senders = kept.senders;
		words = kept.words;
	} else
		lure_links(core, msg, lu);
	kept.msg = NULL;
	if (!words)
		lure_words(msg, lu);
	if (!senders)
		lure_senders(core, msg, lu);
	if (lure_total(lu) < LURE_THRESHOLD)
		return (0);
	*why = lure_why(lu);
	return (1);
}

static const char *
lure_desc(void)
{
	return ("two kinds of lure signals: a prompt for credentials, a"
	    " document to sign or view, a threat (a deadline counts half), a"
	    " payment request, a link that deceives, a link to an IP address"
	    " or a shortener, a look-alike domain, an HTML page attached, HTML"
	    " only from outside the public sector (half)");
}

const struct screen_rule screen_lure = { "lure", ACT_REVIEW, lure_match,
    lure_desc };

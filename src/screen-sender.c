/*
 * Screening rules about who sent the message: the responder's own
 * addresses (a loop), the senders that never read an answer (MAILER-DAEMON,
 * noreply, list owners, the empty envelope sender of a bounce), and whether
 * the sender is who he says: answering a forged From is backscatter.
 */

#include <sys/types.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "floss-responder.h"

static int
own_address(const struct config *c, const char *addr)
{
	size_t	i;

	if (addr == NULL)
		return (0);
	for (i = 0; i < c->nown; i++)
		if (strcasecmp(c->own[i], addr) == 0)
			return (1);
	return (0);
}

static int
own_match(const struct core *core, const struct message *msg, char **why)
{
	const struct config	*c = core->conf;
	const struct header	*f;
	struct address		 a;
	int			 own;

	if (own_address(c, msg->from.addr)) {
		*why = xasprintf("From is the responder's own address %s",
		    msg->from.addr);
		return (1);
	}
	if (msg->return_path != NULL && own_address(c, msg->return_path)) {
		*why = xasprintf("Return-Path is the responder's own address"
		    " %s", msg->return_path);
		return (1);
	}
	if (own_address(c, msg->sender.addr)) {
		*why = xstrdup("Sender is the responder's own address");
		return (1);
	}
	for (f = NULL; (f = message_field(msg, "X-Loop", f)) != NULL;) {
		address_parse(f->value, &a);
		own = own_address(c, a.addr);
		address_free(&a);
		if (own) {
			*why = xstrdup("X-Loop names the responder");
			return (1);
		}
	}
	return (0);
}

static const char *
own_desc(void)
{
	return ("From, Return-Path, Sender or X-Loop is one of the"
	    " responder's own addresses (a loop)");
}

const struct screen_rule screen_own = { "own-address", ACT_IGNORE,
    own_match, own_desc };

/* A colleague: the From in the identity's domain or one of
 * identity.colleagues (a product team, another mission): a person
 * answers. */
static int
colleague_match(const struct core *core, const struct message *msg,
    char **why)
{
	const struct config	*c = core->conf;
	const char		*d;
	size_t			 i;

	if (msg->from.addr == NULL || *(d = address_domain(msg->from.addr)) ==
	    '\0')
		return (0);
	if (c->from_addr != NULL && domain_under(d, address_domain(c->from_addr))) {
		*why = xasprintf("%s is the responder's own domain: a colleague",
		    d);
		return (1);
	}
	for (i = 0; i < c->colleagues.n; i++) {
		if (domain_under(d, c->colleagues.v[i])) {
			*why = xasprintf("%s is a colleague's domain"
			    " (identity.colleagues)", d);
			return (1);
		}
	}
	return (0);
}

static const char *
colleague_desc(void)
{
	return ("the From in the identity's domain or identity.colleagues:"
	    " a colleague, answered by a person");
}

const struct screen_rule screen_colleague = { "colleague", ACT_REVIEW,
    colleague_match, colleague_desc };

/* Local parts of addresses that no person reads. */
static int
machine_local(const char *addr)
{
	static const char	*exact[] = { "mailer-daemon", "postmaster",
	    "noreply", "no-reply", "no_reply", "donotreply", "do-not-reply",
	    "do_not_reply", "nepasrepondre", "ne-pas-repondre",
	    "ne_pas_repondre", "nereplypas", "bounce", "bounces",
	    "notification", "notifications", "mailer", "daemon" };
	static const char	*prefixes[] = { "owner-", "bounce-", "bounces-",
	    "bounce+", "noreply-", "noreply+", "no-reply-", "no-reply+",
	    "noreply.", "no-reply.", "mailer-daemon" };
	static const char	*suffixes[] = { "-request", "-owner", "-bounces",
	    "-bounce", "-noreply", "-no-reply" };
	char			 local[128];
	const char		*at = strrchr(addr, '@'), *plus;
	size_t			 n, i, m;

	n = at != NULL ? (size_t)(at - addr) : strlen(addr);
	if (n >= sizeof local)
		return (0);
	for (i = 0; i < n; i++)
		local[i] = (char)tolower((u_char)addr[i]);
	local[n] = '\0';
	/* The first byte rules most words of the lists out, without a
	 * call. */
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (local[0] == prefixes[i][0] &&
		    strncmp(local, prefixes[i], strlen(prefixes[i])) == 0)
			return (1);
	/* "list-request+xyz": the part before '+' */
	if ((plus = strchr(local, '+')) != NULL)
		local[plus - local] = '\0';
	n = strlen(local);
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (local[0] == exact[i][0] && strcmp(local, exact[i]) == 0)
			return (1);
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		m = strlen(suffixes[i]);
		if (n > m && local[n - m] == suffixes[i][0] &&
		    strcmp(local + n - m, suffixes[i]) == 0)
			return (1);
	}
	return (0);
}

static int
sender_match(const struct core *core, const struct message *msg, char **why)
{
	if (msg->return_path != NULL && *msg->return_path == '\0') {
		*why = xstrdup("empty envelope sender (Return-Path: <>)");
		return (1);
	}
	if (message_header(msg, "From") == NULL) {
		*why = xstrdup("no From field");
		return (1);
	}
	if (msg->from.addr != NULL && machine_local(msg->from.addr)) {
		*why = xasprintf("From %s is a machine's address",
		    msg->from.addr);
		return (1);
	}
	if (msg->return_path != NULL && machine_local(msg->return_path)) {
		*why = xasprintf("Return-Path %s is a machine's address",
		    msg->return_path);
		return (1);
	}
	return (0);
}

static const char *
sender_desc(void)
{
	return ("empty envelope sender, no From, or From / Return-Path of"
	    " MAILER-DAEMON, postmaster, noreply, owner-, -request and the"
	    " like");
}

const struct screen_rule screen_sender = { "machine-sender", ACT_IGNORE,
    sender_match, sender_desc };

/* A From that names one sender for sure: one address, no group, read the
 * same way by any reader.  Otherwise the address a reply would go to may
 * not be the one the mail host authenticated. */
static int
from_match(const struct core *core, const struct message *msg, char **why)
{
	const char	*problem;

	(void)core;
	if ((problem = address_problem(&msg->from)) == NULL)
		return (0);
	*why = xasprintf("the From field %s: no one sender to answer",
	    problem);
	return (1);
}

static const char *
from_desc(void)
{
	return ("From does not name one sender for sure: a group, several"
	    " addresses, none, or a field another reader takes for another"
	    " address (angle brackets in a comment or a quoted name, a route,"
	    " stray brackets)");
}

const struct screen_rule screen_from = { "unclear-from", ACT_REVIEW,
    from_match, from_desc };

/* Relaxed alignment: the same domain, or one under the other. */
static int
aligned(const char *a, const char *b)
{
	return (*a != '\0' && (domain_under(a, b) || domain_under(b, a)));
}

/* The value of "key=value" in a result, up to a space or ';': the key is
 * looked for, case ignored, at the start of the result and after a space,
 * a tab or a ';' only, so the walk goes from one to the next. */
static void
ar_value(const char *s, const char *key, char *out, size_t size)
{
	const char	*p = s;
	size_t		 n = strlen(key), i = 0;

	out[0] = '\0';
	for (;;) {
		if ((*p | 0x20) == key[0] && strncasecmp(p, key, n) == 0 &&
		    p[n] == '=') {
			p += n + 1;
			while (*p != '\0' && *p != ' ' && *p != ';' &&
			    *p != '\t' && i + 1 < size)
				out[i++] = (char)tolower((u_char)*p++);
			out[i] = '\0';
			return;
		}
		p += strcspn(p, " \t;");
		if (*p == '\0')
			return;
		p++;
	}
}

enum trust { TRUST_UNKNOWN, TRUST_PASS, TRUST_FAIL };

/* What the results of one mail host say of the From's domain. */
struct auth_verdict {
	int	 dmarc_pass;		/* header.from is the From's domain */
	int	 dmarc_fail;
	char	 dmarc_other[256];	/* a pass for another domain */
	int	 aligned_pass;		/* spf or dkim, aligned with From */
	int	 other_fail;		/* spf or dkim fail */
};

/* The next element of a value cut at ';', as strtok_r() gives them (empty
 * ones passed over), its end written over with a NUL; *next is where the
 * next one is looked for, NULL after the last. */
static char *
ar_next(char **next)
{
	char	*p = *next, *e;

	if (p == NULL)
		return (NULL);
	while (*p == ';')
		p++;
	if (*p == '\0') {
		*next = NULL;
		return (NULL);
	}
	if ((e = strchr(p, ';')) != NULL) {
		*e = '\0';
		*next = e + 1;
	} else
		*next = NULL;
	return (p);
}

/* Reads the results of one Authentication-Results value into v. */
static void
ar_read(const char *value, const char *from_domain, struct auth_verdict *v)
{
	char	*copy, *res, *save, r[32], d[256];

	copy = xstrdup(value);
	/* The first element is the authserv-id; results follow ';'. */
	save = copy;
	ar_next(&save);
	while ((res = ar_next(&save)) != NULL) {
		while (*res == ' ' || *res == '\t')
			res++;
		if (strncasecmp(res, "dmarc=", 6) == 0) {
			ar_value(res, "dmarc", r, sizeof r);
			ar_value(res, "header.from", d, sizeof d);
			if (strcmp(r, "fail") == 0)
				v->dmarc_fail = 1;
			else if (strcmp(r, "pass") == 0 && *d != '\0') {
				if (strcasecmp(d, from_domain) == 0)
					v->dmarc_pass = 1;
				else
					snprintf(v->dmarc_other,
					    sizeof v->dmarc_other, "%s", d);
			}
		} else if (strncasecmp(res, "spf=", 4) == 0) {
			ar_value(res, "spf", r, sizeof r);
			ar_value(res, "smtp.mailfrom", d, sizeof d);
			if (strchr(d, '@') != NULL)
				memmove(d, strchr(d, '@') + 1,
				    strlen(strchr(d, '@') + 1) + 1);
			if (strcmp(r, "pass") == 0 && aligned(d, from_domain))
				v->aligned_pass = 1;
			else if (strcmp(r, "fail") == 0 ||
			    strcmp(r, "softfail") == 0)
				v->other_fail = 1;
		} else if (strncasecmp(res, "dkim=", 5) == 0) {
			ar_value(res, "dkim", r, sizeof r);
			ar_value(res, "header.d", d, sizeof d);
			if (strcmp(r, "pass") == 0 && aligned(d, from_domain))
				v->aligned_pass = 1;
			else if (strcmp(r, "fail") == 0)
				v->other_fail = 1;
		}
	}
	free(copy);
}

/* The verdict of one mail host: DMARC decides when it speaks of the
 * From's domain, else an aligned spf or dkim pass, else their failure. */
static enum trust
verdict_trust(const struct auth_verdict *v, const char *from_domain, char *why,
    size_t size)
{
	if (v->dmarc_fail) {
		snprintf(why, size, "dmarc=fail");
		return (TRUST_FAIL);
	}
	if (v->dmarc_other[0] != '\0') {
		snprintf(why, size, "dmarc=pass for header.from=%s, not the"
		    " From's domain %s", v->dmarc_other, from_domain);
		return (TRUST_FAIL);
	}
	if (v->dmarc_pass || v->aligned_pass)
		return (TRUST_PASS);
	if (v->other_fail) {
		snprintf(why, size, "spf or dkim failed, nothing aligned"
		    " passed");
		return (TRUST_FAIL);
	}
	return (TRUST_UNKNOWN);
}

/* Is this Authentication-Results value written by that authserv-id? */
static int
ar_by(const char *v, const char *id)
{
	size_t	n = strlen(id);

	v += strspn(v, " \t");
	/* The authserv-id, then ';' or a version number. */
	return (strncasecmp(v, id, n) == 0 && (v[n] == ';' || v[n] == ' ' ||
	    v[n] == '\t'));
}

/*
 * Every Authentication-Results header of every trusted authserv-id is
 * read, the results of one host together (some write one header a
 * method): a fail from any of them is a fail, a pass needs a pass and no
 * fail.  *id is the host that decided.
 */
static enum trust
authenticated(const struct config *c, const struct message *msg,
    const char *from_domain, const char **id, char *why, size_t size)
{
	const struct header	*f;
	struct auth_verdict	 v;
	enum trust	 t, all = TRUST_UNKNOWN;
	size_t		 i;
	int		 seen;

	for (i = 0; i < c->authserv.n; i++) {
		memset(&v, 0, sizeof v);
		seen = 0;
		for (f = NULL; (f = message_field(msg,
		    "Authentication-Results", f)) != NULL;) {
			if (!ar_by(f->value, c->authserv.v[i]))
				continue;
			ar_read(f->value, from_domain, &v);
			seen = 1;
		}
		if (!seen)
			continue;
		t = verdict_trust(&v, from_domain, why, size);
		if (t == TRUST_FAIL) {
			*id = c->authserv.v[i];
			return (TRUST_FAIL);
		}
		if (t == TRUST_PASS)
			all = TRUST_PASS;
	}
	return (all);
}

static int
untrusted_match(const struct core *core, const struct message *msg,
    char **why)
{
	const struct config	*c = core->conf;
	const char		*from_domain, *id = NULL, *rp;
	char			 reason[384];

	from_domain = address_domain(msg->from.addr);
	switch (authenticated(c, msg, from_domain, &id, reason,
	    sizeof reason)) {
	case TRUST_FAIL:
		*why = xasprintf("Authentication-Results from %s: %s", id,
		    reason);
		return (1);
	case TRUST_PASS:
		return (0);
	case TRUST_UNKNOWN:
		break;
	}
	if (c->without_verdict == NOVERDICT_REVIEW) {
		*why = xasprintf("no authentication verdict for the From"
		    " domain %s from %s", from_domain, c->authserv.n == 0 ?
		    "any trusted host (trust.authserv_id is empty)" :
		    "the trusted hosts (trust.authserv_id)");
		return (1);
	}
	/* trust.without_verdict: return-path: From and Return-Path agree. */
	if (msg->return_path == NULL || msg->return_path_flags != 0) {
		*why = xstrdup("no authentication verdict and no single"
		    " Return-Path address to check the From domain against");
		return (1);
	}
	rp = address_domain(msg->return_path);
	if (aligned(rp, from_domain))
		return (0);
	*why = xasprintf("no authentication verdict and the From domain %s"
	    " differs from the Return-Path domain %s", from_domain, rp);
	return (1);
}

static const char *
untrusted_desc(void)
{
	return ("the sender may be forged: Authentication-Results from a"
	    " trusted authserv-id with a fail, or without dmarc=pass for the"
	    " From's domain (or an aligned spf or dkim pass); without any"
	    " such verdict, review (trust.without_verdict), or From and"
	    " Return-Path in different domains");
}

const struct screen_rule screen_untrusted = { "untrusted-sender",
    ACT_REVIEW, untrusted_match, untrusted_desc };

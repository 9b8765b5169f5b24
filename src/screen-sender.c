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
	struct address		 a;
	size_t			 i;
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
	for (i = 0; i < msg->nhdrs; i++) {
		if (strcasecmp(msg->hdrs[i].name, "X-Loop") != 0)
			continue;
		address_parse(msg->hdrs[i].value, &a);
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
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
		if (strncmp(local, prefixes[i], strlen(prefixes[i])) == 0)
			return (1);
	/* "list-request+xyz": the part before '+' */
	if ((plus = strchr(local, '+')) != NULL)
		local[plus - local] = '\0';
	n = strlen(local);
	for (i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (strcmp(local, exact[i]) == 0)
			return (1);
	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		m = strlen(suffixes[i]);
		if (n > m && strcmp(local + n - m, suffixes[i]) == 0)
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
	size_t	la = strlen(a), lb = strlen(b);

	if (*a == '\0' || *b == '\0')
		return (0);
	if (strcasecmp(a, b) == 0)
		return (1);
	if (la > lb && a[la - lb - 1] == '.' && strcasecmp(a + la - lb, b) == 0)
		return (1);
	if (lb > la && b[lb - la - 1] == '.' && strcasecmp(b + lb - la, a) == 0)
		return (1);
	return (0);
}

/* The value of "key=value" in a result, up to a space or ';'. */
static void
ar_value(const char *s, const char *key, char *out, size_t size)
{
	const char	*p = s;
	size_t		 n = strlen(key), i = 0;

	out[0] = '\0';
	while ((p = strcasestr(p, key)) != NULL) {
		if ((p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ';')
		    && p[n] == '=') {
			p += n + 1;
			while (*p != '\0' && *p != ' ' && *p != ';' &&
			    *p != '\t' && i + 1 < size)
				out[i++] = (char)tolower((u_char)*p++);
			out[i] = '\0';
			return;
		}
		p += n;
	}
}

enum trust { TRUST_UNKNOWN, TRUST_PASS, TRUST_FAIL };

/* Reads one Authentication-Results value of our authserv-id. */
static enum trust
ar_trust(const char *v, const char *from_domain, char *why, size_t size)
{
	char	*copy, *res, *save, r[32], d[256];
	int	 fail = 0;
	enum trust t = TRUST_UNKNOWN;

	copy = xstrdup(v);
	/* The first element is the authserv-id; results follow ';'. */
	strtok_r(copy, ";", &save);
	while ((res = strtok_r(NULL, ";", &save)) != NULL) {
		while (*res == ' ' || *res == '\t')
			res++;
		if (strncasecmp(res, "dmarc=", 6) == 0) {
			ar_value(res, "dmarc", r, sizeof r);
			if (strcmp(r, "pass") == 0) {
				snprintf(why, size, "dmarc=pass");
				t = TRUST_PASS;
				break;
			}
			if (strcmp(r, "fail") == 0) {
				snprintf(why, size, "dmarc=fail");
				t = TRUST_FAIL;
				break;
			}
		} else if (strncasecmp(res, "spf=", 4) == 0) {
			ar_value(res, "spf", r, sizeof r);
			ar_value(res, "smtp.mailfrom", d, sizeof d);
			if (strchr(d, '@') != NULL)
				memmove(d, strchr(d, '@') + 1,
				    strlen(strchr(d, '@') + 1) + 1);
			if (strcmp(r, "pass") == 0 && aligned(d, from_domain)) {
				snprintf(why, size, "spf=pass aligned with"
				    " From");
				t = TRUST_PASS;
			} else if (strcmp(r, "fail") == 0 ||
			    strcmp(r, "softfail") == 0)
				fail = 1;
		} else if (strncasecmp(res, "dkim=", 5) == 0) {
			ar_value(res, "dkim", r, sizeof r);
			ar_value(res, "header.d", d, sizeof d);
			if (strcmp(r, "pass") == 0 && aligned(d, from_domain)) {
				snprintf(why, size, "dkim=pass aligned with"
				    " From");
				t = TRUST_PASS;
			} else if (strcmp(r, "fail") == 0)
				fail = 1;
		}
	}
	free(copy);
	if (t == TRUST_UNKNOWN && fail) {
		snprintf(why, size, "spf or dkim failed, nothing aligned"
		    " passed");
		t = TRUST_FAIL;
	}
	return (t);
}

static int
untrusted_match(const struct core *core, const struct message *msg,
    char **why)
{
	const char	*id = core->conf->authserv_id, *v, *from_domain;
	char		 reason[128], w[256];
	size_t		 i, n;
	enum trust	 t;

	from_domain = address_domain(msg->from.addr);
	if (id != NULL && *id != '\0') {
		n = strlen(id);
		for (i = 0; i < msg->nhdrs; i++) {
			if (strcasecmp(msg->hdrs[i].name,
			    "Authentication-Results") != 0)
				continue;
			v = msg->hdrs[i].value;
			/* The authserv-id, then ';' or a version number. */
			if (strncasecmp(v, id, n) != 0 || (v[n] != ';' &&
			    v[n] != ' ' && v[n] != '\t'))
				continue;
			/* The first is the one our own host added. */
			t = ar_trust(v, from_domain, reason, sizeof reason);
			if (t == TRUST_FAIL) {
				*why = xasprintf("Authentication-Results from"
				    " %s: %s", id, reason);
				return (1);
			}
			if (t == TRUST_PASS)
				return (0);
			break;
		}
	}
	/* No verdict: From and Return-Path must agree. */
	if (msg->return_path == NULL) {
		*why = xstrdup("no authentication verdict and no Return-Path"
		    " to check the From domain against");
		return (1);
	}
	snprintf(w, sizeof w, "%s", address_domain(msg->return_path));
	if (aligned(w, from_domain))
		return (0);
	*why = xasprintf("no authentication verdict and the From domain %s"
	    " differs from the Return-Path domain %s", from_domain, w);
	return (1);
}

static const char *
untrusted_desc(void)
{
	return ("the sender may be forged: Authentication-Results from the"
	    " configured authserv-id without dmarc=pass or an aligned spf or"
	    " dkim pass, or, without such a header, From and Return-Path in"
	    " different domains");
}

const struct screen_rule screen_untrusted = { "untrusted-sender",
    ACT_REVIEW, untrusted_match, untrusted_desc };

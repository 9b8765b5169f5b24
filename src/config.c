/*
 * The configuration file.  One table lists every key with its type, range,
 * default and meaning; it drives parsing, checking, defaults and the
 * description printed by "floss-responder help config", and the key list of
 * floss-responder.yaml(5) ("help config --roff").
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

enum ckey_type { CK_STRING, CK_ADDRESS, CK_DOMAIN, CK_NUMBER, CK_INT,
    CK_CHOICE, CK_ADDRLIST, CK_PATH, CK_TOPICS, CK_NAMES, CK_CAFILE };

struct config_key {
	const char	 *name;
	enum ckey_type	  type;
	size_t		  offset;
	double		  min, max;
	const char	 *def;		/* NULL: required */
	const char	**choices;	/* CK_CHOICE, the value is its index */
	const char	 *text;
};

static const char *replyto_choices[] = { "same-domain", "always", "never",
    NULL };
static const char *verdict_choices[] = { "review", "return-path", NULL };
static const char *followup_choices[] = { "review", "new", NULL };
static const char *mailbox_choices[] = { "maildir", "imap", NULL };
static const char *tls_choices[] = { "tls", "starttls", "none", NULL };
static const char *yesno_choices[] = { "yes", "no", NULL };
static const char *noyes_choices[] = { "no", "yes", NULL };
static const char *delivery_choices[] = { "outbox", "sendmail", "smtp",
    NULL };

#define O(f) offsetof(struct config, f)
static const struct config_key config_keys[] = {
	{ "identity.address", CK_ADDRESS, O(from_addr), 0, 0, NULL, NULL,
	  "the address replies come from; mail from it is never answered" },
	{ "identity.name", CK_STRING, O(from_name), 0, 0,
	  "Mission logiciels libres", NULL,
	  "the display name of the replies' From" },
	{ "identity.domain", CK_DOMAIN, O(msgid_domain), 0, 0, "", NULL,
	  "the domain of the replies' Message-ID (default: the address's)" },
	{ "own_addresses", CK_ADDRLIST, O(own), 0, 0, "", NULL,
	  "other addresses of the responder: mail from them is a loop" },
	{ "identity.colleagues", CK_NAMES, O(colleagues), 0, 0, "", NULL,
	  "the domains of colleagues ([beta.gouv.fr]), besides the identity's"
	  " own: a person answers their mail (a product team's question is"
	  " not a question of the public)" },
	{ "trust.authserv_id", CK_NAMES, O(authserv), 0, 0, "", NULL,
	  "the authserv-ids of the Authentication-Results the mail hosts add,"
	  " a list ([mx1.example, mx2.example]) or one name: every header of"
	  " theirs is read, a sender is answered with a dmarc=pass whose"
	  " header.from is the From's domain (or an spf or dkim pass aligned"
	  " with it) and no fail from any of them" },
	{ "trust.without_verdict", CK_CHOICE, O(without_verdict), 0, 0,
	  "review", verdict_choices,
	  "a sender without a pass or a fail from those hosts goes to a"
	  " person (review), or is answered when From and Return-Path are in"
	  " the same domain (return-path)" },
	{ "reply.to", CK_CHOICE, O(replyto), 0, 0, "same-domain",
	  replyto_choices,
	  "where a reply goes: Reply-To when it is in the From's domain"
	  " (same-domain), in it or one of its subdomains (always), or From"
	  " (never); never a domain the sender was not authenticated in" },
	{ "reply.quote_lines", CK_INT, O(quote_lines), 0, 20, "4", NULL,
	  "how many sentences of the question a reply quotes (lines, when"
	  " no sentence asks)" },
	{ "classify.threshold", CK_NUMBER, O(threshold), 0.1, 1000, "8",
	  NULL, "the score a topic needs to be answered" },
	{ "classify.margin", CK_NUMBER, O(margin), 0, 1000, "3", NULL,
	  "how far the main topic must lead the best topic left out" },
	{ "classify.subject_weight", CK_NUMBER, O(subject_weight), 0, 100,
	  "2", NULL, "how much more a keyword weighs in the Subject" },
	{ "classify.max_topics", CK_INT, O(max_topics), 1, MAX_TOPICS, "3",
	  NULL, "how many topics one reply answers at most" },
	{ "classify.second_ratio", CK_NUMBER, O(second_ratio), 0, 1, "0.5",
	  NULL, "another topic is answered too when it reaches the threshold"
	  " and this fraction of the main topic's score" },
	{ "classify.signal_ratio", CK_NUMBER, O(signal_ratio), 0, 10, "0.5",
	  NULL, "a signal (interview, sales pitch...) sends the message to a"
	  " person when it scores this fraction of the main topic's score" },
	{ "classify.follow_ups", CK_CHOICE, O(follow_ups), 0, 0, "review",
	  followup_choices, "a reply to one of the responder's answers (its"
	  " Message-ID in In-Reply-To or References, or its notice quoted)"
	  " goes to a person, as the answer promises (review), or is"
	  " answered when it asks something new: the topics its Subject"
	  " names were answered, and asked again go to a person (new)" },
	{ "classify.weights", CK_PATH, O(weights_path), 0, 0, "", NULL,
	  "the points of the rules' keywords and pairs fitted on labelled"
	  " mail (floss-responder learn), relative to this file; empty: the"
	  " weights the rules give" },
	{ "include", CK_PATH, O(include_dir), 0, 0, "", NULL,
	  "a directory of more configuration files, its *.yaml read in name"
	  " order after this file, a key given there replacing this file's"
	  " (the administrator's settings, this file left as installed);"
	  " relative paths in them are relative to the file that gives them;"
	  " a directory not there: none; empty: none" },
	{ "rules", CK_PATH, O(rules_path), 0, 0, "rules.yaml", NULL,
	  "the topic rules, relative to this file" },
	{ "replies", CK_PATH, O(replies_dir), 0, 0, "../replies", NULL,
	  "the reply directory (fr/ and en/), relative to this file" },
	{ "replies_local", CK_PATH, O(replies_local), 0, 0, "", NULL,
	  "a directory whose files replace the reply directory's files of"
	  " the same name (fr/TOPIC.md, en/_frame.md...), relative to this"
	  " file; a file not there, or the directory, is the reply"
	  " directory's; empty: none" },
	{ "entities", CK_PATH, O(entities_path), 0, 0, "", NULL,
	  "the markets' beneficiaries and covered software"
	  " (tools/gen-entities.py), relative to this file; empty: replies"
	  " name no organisation or software" },
	{ "mailbox.type", CK_CHOICE, O(mailbox_type), 0, 0, "maildir",
	  mailbox_choices, "where new mail is read" },
	{ "mailbox.path", CK_PATH, O(mailbox_path), 0, 0,
	  "/var/lib/floss-responder/Maildir",
	  NULL, "the Maildir (with new/ and cur/) when mailbox.type is"
	  " maildir, relative to this file" },
	{ "delivery.type", CK_CHOICE, O(delivery_type), 0, 0, "outbox",
	  delivery_choices, "how replies leave: written to an outbox"
	  " Maildir, given to sendmail(8), or sent over SMTP" },
	{ "delivery.path", CK_PATH, O(delivery_path), 0, 0,
	  "/var/lib/floss-responder/outbox", NULL, "the outbox Maildir, or the sendmail"
	  " program, relative to this file" },
	{ "delivery.envelope_from", CK_STRING, O(envelope_from), 0, 0, "",
	  NULL, "the envelope sender of replies; empty for the null sender"
	  " <> of RFC 3834" },
	{ "state.path", CK_PATH, O(state_path), 0, 0,
	  "/var/lib/floss-responder/journal.db", NULL, "the journal of every"
	  " decision and reply (SQLite), relative to this file" },
	{ "journal.keep_days", CK_INT, O(keep_days), 0, 36500, "90", NULL,
	  "days the journal keeps a closed review entry's message, the rows"
	  " of messages gone from the mailbox and the reply history (at least"
	  " limits.per_sender_days); 0: forever" },
	{ "limits.max_size", CK_NUMBER, O(max_size), 1024, 1e9, "10485760",
	  NULL, "messages larger than this (bytes) go to a person unread" },
	{ "limits.max_tries", CK_INT, O(max_tries), 1, 100, "3", NULL,
	  "a message whose handling failed this many times goes to a"
	  " person" },
	{ "limits.per_sender_days", CK_INT, O(per_sender_days), 0, 3650,
	  "7", NULL, "one automatic reply per sender and topic within this"
	  " many days; later questions on it go to a person" },
	{ "limits.hourly_cap", CK_INT, O(hourly_cap), 0, 100000, "60", NULL,
	  "automatic replies in one hour at most; past it, messages go to a"
	  " person (0: no cap)" },
	{ "approval.all", CK_CHOICE, O(approval_all), 0, 0, "no",
	  noyes_choices, "every would-be automatic reply waits for a person"
	  " in the review queue, with the reply as its suggestion" },
	{ "approval.topics", CK_TOPICS, O(approval), 0, 0, "", NULL,
	  "the same for these topics only (a list of topic ids)" },
	{ "review.folder", CK_STRING, O(review_folder), 0, 0, "", NULL,
	  "the IMAP folder a message filed for a person is copied (or"
	  " moved) to, named as the mail client shows it; empty: it stays"
	  " where it is, with the $FlossReview keyword" },
	{ "review.move", CK_CHOICE, O(review_move), 0, 0, "no",
	  noyes_choices, "move the message to review.folder instead of"
	  " copying it" },
	{ "review.drafts", CK_STRING, O(review_drafts), 0, 0, "", NULL,
	  "the IMAP folder the suggested reply is appended to as a draft,"
	  " ready to be edited and sent from a mail client; empty: none" },
	{ "review.sent", CK_STRING, O(review_sent), 0, 0, "Sent", NULL,
	  "the IMAP folder where the operators' mail client keeps what it"
	  " sends: a reply found there closes the message's review entry;"
	  " empty: not looked at" },
	{ "imap.host", CK_STRING, O(imap.host), 0, 0, "localhost", NULL,
	  "the IMAP server (mailbox.type imap)" },
	{ "imap.port", CK_INT, O(imap.port), 0, 65535, "0", NULL,
	  "its port; 0: 993 with tls, 143 otherwise" },
	{ "imap.tls", CK_CHOICE, O(imap.tls), 0, 0, "tls", tls_choices,
	  "implicit TLS, STARTTLS, or none (only when said so); the"
	  " certificate and the host name are always verified" },
	{ "imap.user", CK_STRING, O(imap.user), 0, 0, "", NULL,
	  "the login" },
	{ "imap.password_file", CK_PATH, O(imap.password_file), 0, 0, "",
	  NULL, "a file whose first line is the password" },
	{ "imap.password_env", CK_STRING, O(imap.password_env), 0, 0, "",
	  NULL, "or the environment variable that holds it" },
	{ "imap.ca_file", CK_CAFILE, O(imap.ca_file), 0, 0, "", NULL,
	  "the CA certificates (PEM) to trust; empty: the system store" },
	{ "imap.tls_name", CK_STRING, O(imap.tls_name), 0, 0, "", NULL,
	  "the name the server's certificate is checked for, and sent in"
	  " the handshake (SNI), when imap.host is an address or another"
	  " name; empty: imap.host" },
	{ "imap.timeout", CK_INT, O(imap.timeout), 1, 3600, "30", NULL,
	  "seconds before a silent server is given up" },
	{ "imap.folder", CK_STRING, O(imap_folder), 0, 0, "INBOX", NULL,
	  "the folder watched" },
	{ "imap.batch", CK_INT, O(imap_batch), 1, 10000, "500", NULL,
	  "messages fetched and claimed by one command (their bodies 16 MB at"
	  " a time at most)" },
	{ "imap.idle", CK_CHOICE, O(imap_idle), 0, 0, "yes", yesno_choices,
	  "wait with IDLE when the server has it" },
	{ "imap.poll_interval", CK_INT, O(poll_interval), 1, 86400, "60",
	  NULL, "seconds between checks without IDLE" },
	{ "smtp.host", CK_STRING, O(smtp.host), 0, 0, "localhost", NULL,
	  "the SMTP server (delivery.type smtp)" },
	{ "smtp.port", CK_INT, O(smtp.port), 0, 65535, "0", NULL,
	  "its port; 0: 465 with tls, 587 with starttls, 25 otherwise" },
	{ "smtp.tls", CK_CHOICE, O(smtp.tls), 0, 0, "starttls", tls_choices,
	  "implicit TLS, STARTTLS, or none (only when said so)" },
	{ "smtp.user", CK_STRING, O(smtp.user), 0, 0, "", NULL,
	  "the login for AUTH; empty: no AUTH" },
	{ "smtp.password_file", CK_PATH, O(smtp.password_file), 0, 0, "",
	  NULL, "a file whose first line is the password" },
	{ "smtp.password_env", CK_STRING, O(smtp.password_env), 0, 0, "",
	  NULL, "or the environment variable that holds it" },
	{ "smtp.ca_file", CK_CAFILE, O(smtp.ca_file), 0, 0, "", NULL,
	  "the CA certificates (PEM) to trust; empty: the system store" },
	{ "smtp.tls_name", CK_STRING, O(smtp.tls_name), 0, 0, "", NULL,
	  "the name the server's certificate is checked for, and sent in"
	  " the handshake (SNI), when smtp.host is an address or another"
	  " name; empty: smtp.host" },
	{ "smtp.timeout", CK_INT, O(smtp.timeout), 1, 3600, "30", NULL,
	  "seconds before a silent server is given up" },
};
#undef O
#define NKEYS (sizeof config_keys / sizeof config_keys[0])

static char	*read_file(const char *, size_t *, char **);

/* A CA file must open and hold a PEM certificate, or no server could be
 * verified: said when the configuration is read, not at the first
 * connection. */
static int
ca_file_check(const char *path, char **why)
{
	char	*data, *err = NULL;
	size_t	 len;

	if ((data = read_file(path, &len, &err)) == NULL) {
		*why = xasprintf("%s: %s", path, err);
		free(err);
		return (-1);
	}
	if (strstr(data, "-----BEGIN CERTIFICATE-----") == NULL) {
		*why = xasprintf("%s holds no PEM certificate", path);
		free(data);
		return (-1);
	}
	free(data);
	return (0);
}

static void *
field(struct config *c, const struct config_key *k)
{
	return ((char *)c + k->offset);
}

static void
strlist_clear(struct strlist *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = xstrdup(s);
}

static int
valid_domain(const char *s)
{
	if (*s == '\0' || *s == '.' || *s == '-')
		return (0);
	for (; *s != '\0'; s++)
		if (!isalnum((u_char)*s) && *s != '.' && *s != '-')
			return (0);
	return (1);
}

static int
valid_address(const char *s)
{
	struct address	a;
	int		ok;

	ok = address_parse(s, &a) == 0 && strcmp(a.addr, s) == 0 &&
	    valid_domain(address_domain(a.addr));
	address_free(&a);
	return (ok);
}

static char *
resolve(const struct config *c, const char *path)
{
	if (path[0] == '/' || c->dir == NULL)
		return (xstrdup(path));
	return (xasprintf("%s/%s", c->dir, path));
}

/* Empties a list key's values; other keys are left alone. */
static void
list_clear(struct config *c, const struct config_key *k)
{
	size_t	i;

	switch (k->type) {
	case CK_NAMES:
		strlist_clear(field(c, k));
		break;
	case CK_TOPICS:
		for (i = 0; i < c->napproval; i++)
			free(c->approval[i]);
		free(c->approval);
		c->approval = NULL;
		c->napproval = 0;
		break;
	case CK_ADDRLIST:
		for (i = 0; i < c->nown; i++)
			free(c->own[i]);
		free(c->own);
		c->own = NULL;
		c->nown = 0;
		break;
	default:
		break;
	}
}

/* Sets one key from a string (a default or a scalar of the file). */
static int
config_set(struct config *c, const struct config_key *k, const char *v,
    char **why)
{
	double		 d;
	char		*end, *copy, *tok, *save;
	int		 i;

	switch (k->type) {
	case CK_STRING:
		free(*(char **)field(c, k));
		*(char **)field(c, k) = xstrdup(v);
		break;
	case CK_ADDRESS:
		if (!valid_address(v)) {
			*why = xasprintf("'%s' is not a mail address", v);
			return (-1);
		}
		free(*(char **)field(c, k));
		*(char **)field(c, k) = xstrdup(v);
		break;
	case CK_DOMAIN:
		if (*v != '\0' && !valid_domain(v)) {
			*why = xasprintf("'%s' is not a domain", v);
			return (-1);
		}
		free(*(char **)field(c, k));
		*(char **)field(c, k) = xstrdup(v);
		break;
	case CK_PATH:
		free(*(char **)field(c, k));
		/* An empty path stays empty: "not set". */
		*(char **)field(c, k) = *v == '\0' ? xstrdup("") :
		    resolve(c, v);
		break;
	case CK_CAFILE:
		free(*(char **)field(c, k));
		*(char **)field(c, k) = *v == '\0' ? xstrdup("") :
		    resolve(c, v);
		if (**(char **)field(c, k) != '\0' &&
		    ca_file_check(*(char **)field(c, k), why) != 0)
			return (-1);
		break;
	case CK_NUMBER:
	case CK_INT:
		errno = 0;
		d = strtod(v, &end);
		if (*v == '\0' || *end != '\0' || errno != 0) {
			*why = xasprintf("'%s' is not a number", v);
			return (-1);
		}
		if (d < k->min || d > k->max) {
			*why = xasprintf("%s is out of range (%g to %g)", v,
			    k->min, k->max);
			return (-1);
		}
		if (k->type == CK_INT) {
			if (d != (int)d) {
				*why = xasprintf("'%s' is not a whole number",
				    v);
				return (-1);
			}
			*(int *)field(c, k) = (int)d;
		} else
			*(double *)field(c, k) = d;
		break;
	case CK_CHOICE:
		for (i = 0; k->choices[i] != NULL; i++)
			if (strcmp(k->choices[i], v) == 0)
				break;
		if (k->choices[i] == NULL) {
			*why = xasprintf("'%s' is not one of the choices", v);
			return (-1);
		}
		*(int *)field(c, k) = i;
		break;
	case CK_NAMES:
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save))
			strlist_add(field(c, k), tok);
		free(copy);
		break;
	case CK_TOPICS:
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save)) {
			c->approval = xreallocarray(c->approval,
			    c->napproval + 1, sizeof *c->approval);
			c->approval[c->napproval++] = xstrdup(tok);
		}
		free(copy);
		break;
	case CK_ADDRLIST:
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save)) {
			if (!valid_address(tok)) {
				*why = xasprintf("'%s' is not a mail address",
				    tok);
				free(copy);
				return (-1);
			}
			c->own = xreallocarray(c->own, c->nown + 1,
			    sizeof *c->own);
			c->own[c->nown++] = xstrdup(tok);
		}
		free(copy);
		break;
	}
	return (0);
}

static const struct config_key *
config_find(const char *name)
{
	size_t	i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].name, name) == 0)
			return (&config_keys[i]);
	return (NULL);
}

/* Is name the start of some key ("identity" of "identity.address")? */
static int
config_prefix(const char *name)
{
	size_t	i, n = strlen(name);

	for (i = 0; i < NKEYS; i++)
		if (strncmp(config_keys[i].name, name, n) == 0 &&
		    config_keys[i].name[n] == '.')
			return (1);
	return (0);
}

static void
config_walk(struct config *c, struct ydoc *y, yaml_node_t *map,
    const char *prefix, int included, int *seen, struct errors *e)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k, *v, *item;
	yaml_node_item_t	*it;
	const struct config_key	*key;
	char			*name, *why;
	struct buf		 list;

	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = ydoc_node(y, pair->key);
		v = ydoc_node(y, pair->value);
		if (ydoc_scalar(k) == NULL) {
			ydoc_error(y, e, k, "a key must be a plain name");
			continue;
		}
		name = *prefix != '\0' ? xasprintf("%s.%s", prefix,
		    ydoc_scalar(k)) : xstrdup(ydoc_scalar(k));
		if ((key = config_find(name)) == NULL) {
			if (config_prefix(name) && v->type ==
			    YAML_MAPPING_NODE)
				config_walk(c, y, v, name, included, seen, e);
			else
				ydoc_error(y, e, k, "unknown key '%s'", name);
			free(name);
			continue;
		}
		if (included && key->offset == offsetof(struct config,
		    include_dir)) {
			ydoc_error(y, e, k, "include is read in %s only",
			    c->path);
			free(name);
			continue;
		}
		seen[key - config_keys] = 1;
		why = NULL;
		list_clear(c, key);	/* a list given again is replaced */
		if ((key->type == CK_ADDRLIST || key->type == CK_TOPICS ||
		    key->type == CK_NAMES) &&
		    v->type == YAML_SEQUENCE_NODE) {
			buf_init(&list);
			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++) {
				item = ydoc_node(y, *it);
				if (ydoc_scalar(item) == NULL) {
					ydoc_error(y, e, item,
					    "%s: %s is expected", name,
					    key->type == CK_NAMES ? "a name" :
					    "an address");
					continue;
				}
				if (config_set(c, key, ydoc_scalar(item),
				    &why) != 0) {
					ydoc_error(y, e, item, "%s: %s", name,
					    why);
					free(why);
				}
			}
			buf_free(&list);
		} else if (ydoc_scalar(v) == NULL)
			ydoc_error(y, e, v, "%s: a single value is expected",
			    name);
		else if (config_set(c, key, ydoc_scalar(v), &why) != 0) {
			ydoc_error(y, e, v, "%s: %s", name, why);
			free(why);
		}
		free(name);
	}
}

static char *
read_file(const char *path, size_t *len, char **why)
{
	struct stat	 sb;
	FILE		*f;
	char		*data;
	long		 n;

	if ((f = fopen(path, "rb")) == NULL) {
		*why = xasprintf("%s", strerror(errno));
		return (NULL);
	}
	/* A directory opens too, and seeks to a size it does not have. */
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*why = xstrdup("not a regular file");
		fclose(f);
		return (NULL);
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		*why = xasprintf("%s", strerror(errno));
		fclose(f);
		return (NULL);
	}
	data = xmalloc((size_t)n + 1);
	if (fread(data, 1, (size_t)n, f) != (size_t)n) {
		*why = xstrdup("short read");
		free(data);
		fclose(f);
		return (NULL);
	}
	data[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return (data);
}

/* Reads a whole file; NULL with an error in e. */
char *
config_read_file(const char *path, size_t *len, struct errors *e)
{
	char	*why = NULL, *data;

	if ((data = read_file(path, len, &why)) == NULL) {
		errors_add(e, path, 0, 0, "%s", why);
		free(why);
	}
	return (data);
}

/* Reads one file of the configuration into c: relative paths resolved
 * against its directory.  An included file may hold no key at all (all
 * commented out). */
static void
config_file(struct config *c, const char *path, int included, int *seen,
    struct errors *e)
{
	struct ydoc	 y;
	yaml_node_t	*root;
	char		*data, *dir;
	size_t		 len;

	if ((data = config_read_file(path, &len, e)) == NULL)
		return;
	dir = c->dir;
	c->dir = path_dir(path);
	if (ydoc_load(&y, path, data, len, 0, e) == 0) {
		root = ydoc_root(&y);
		if (root->type != YAML_MAPPING_NODE)
			ydoc_error(&y, e, root, "the configuration must be a"
			    " mapping of keys");
		else
			config_walk(c, &y, root, "", included, seen, e);
	} else if (included && y.loaded)
		errors_drop_last(e);	/* "empty document": no key */
	ydoc_free(&y);
	free(data);
	free(c->dir);
	c->dir = dir;
}

static int
yaml_name(const struct dirent *de)
{
	size_t	n = strlen(de->d_name);

	return (de->d_name[0] != '.' && ((n > 5 &&
	    strcmp(de->d_name + n - 5, ".yaml") == 0) || (n > 4 &&
	    strcmp(de->d_name + n - 4, ".yml") == 0)));
}

/* The include directory's files, in name order; a directory not there
 * is none.  The included files cannot change include (config_walk). */
static void
config_include(struct config *c, int *seen, struct errors *e)
{
	struct dirent	**names;
	const char	 *dir = c->include_dir;
	char		 *path;
	int		  n, i;

	if ((n = scandir(dir, &names, yaml_name, alphasort)) == -1) {
		if (errno != ENOENT)
			errors_add(e, dir, 0, 0, "include: %s",
			    strerror(errno));
		return;
	}
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]->d_name);
		config_file(c, path, 1, seen, e);
		free(path);
		free(names[i]);
	}
	free(names);
}

struct config *
config_load(const char *path, struct errors *e)
{
	struct config	*c;
	char		*why = NULL;
	size_t		 i, before = e->n;
	int		 seen[NKEYS];

	c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	c->dir = path_dir(path);
	memset(seen, 0, sizeof seen);
	config_file(c, path, 0, seen, e);
	/* The included files' errors are said in the same run. */
	if (c->include_dir != NULL && *c->include_dir != '\0')
		config_include(c, seen, e);
	for (i = 0; i < NKEYS; i++) {
		if (seen[i])
			continue;
		if (config_keys[i].def == NULL) {
			errors_add(e, path, 0, 0, "missing key '%s' (%s)",
			    config_keys[i].name, config_keys[i].text);
			continue;
		}
		if (config_set(c, &config_keys[i], config_keys[i].def,
		    &why) != 0)
			fatalx("default of %s: %s", config_keys[i].name, why);
	}
	/* A domain that was refused leaves none (the error is said). */
	if (c->from_addr != NULL && c->msgid_domain != NULL &&
	    *c->msgid_domain == '\0') {
		free(c->msgid_domain);
		c->msgid_domain = xstrdup(address_domain(c->from_addr));
	}
	/* The identity is one of the responder's own addresses. */
	if (c->from_addr != NULL) {
		c->own = xreallocarray(c->own, c->nown + 1, sizeof *c->own);
		memmove(c->own + 1, c->own, c->nown * sizeof *c->own);
		c->own[0] = xstrdup(c->from_addr);
		c->nown++;
	}
	if (e->n != before) {
		config_free(c);
		return (NULL);
	}
	return (c);
}

static void
endpoint_free(struct endpoint *e)
{
	free(e->host);
	free(e->user);
	free(e->password_file);
	free(e->password_env);
	free(e->ca_file);
	free(e->tls_name);
}

void
config_free(struct config *c)
{
	size_t	i;

	if (c == NULL)
		return;
	free(c->path);
	free(c->dir);
	free(c->from_addr);
	free(c->from_name);
	free(c->msgid_domain);
	for (i = 0; i < c->nown; i++)
		free(c->own[i]);
	free(c->own);
	strlist_clear(&c->authserv);
	strlist_clear(&c->colleagues);
	free(c->rules_path);
	free(c->replies_dir);
	free(c->replies_local);
	free(c->include_dir);
	free(c->entities_path);
	free(c->weights_path);
	free(c->mailbox_path);
	free(c->delivery_path);
	free(c->envelope_from);
	free(c->state_path);
	for (i = 0; i < c->napproval; i++)
		free(c->approval[i]);
	free(c->approval);
	endpoint_free(&c->imap);
	endpoint_free(&c->smtp);
	free(c->imap_folder);
	free(c->review_folder);
	free(c->review_drafts);
	free(c->review_sent);
	free(c);
}

void
config_describe(FILE *f)
{
	size_t	i;
	int	j;

	for (i = 0; i < NKEYS; i++) {
		const struct config_key *k = &config_keys[i];

		fprintf(f, "%s", k->name);
		if (k->def == NULL)
			fprintf(f, " (required)");
		else if (*k->def != '\0')
			fprintf(f, " (default: %s)", k->def);
		fprintf(f, "\n    %s", k->text);
		if (k->type == CK_CHOICE) {
			fprintf(f, "; one of:");
			for (j = 0; k->choices[j] != NULL; j++)
				fprintf(f, " %s", k->choices[j]);
		}
		if (k->type == CK_NUMBER || k->type == CK_INT)
			fprintf(f, "; %g to %g", k->min, k->max);
		fprintf(f, "\n");
	}
}

/*
 * Text for a roff (man(7)) page: a backslash, a minus (every '-' of a key, a
 * value or an option must stay one to be copied), a character past ASCII
 * as \[uXXXX], and a line break followed by blanks folded into one space;
 * never at the start of a line, where a period would be a request.
 */
void
roff_text(FILE *f, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned int		 cp;
	int			 n;

	while (*p != '\0') {
		if (*p == '\n') {
			while (p[1] == ' ')
				p++;
			fputc(' ', f);
		} else if (*p == '\\')
			fputs("\\e", f);
		else if (*p == '-')
			fputs("\\-", f);
		else if (*p < 0x80)
			fputc(*p, f);
		else {
			if (*p >= 0xf0) {
				cp = *p & 0x07;
				n = 3;
			} else if (*p >= 0xe0) {
				cp = *p & 0x0f;
				n = 2;
			} else {
				cp = *p & 0x1f;
				n = 1;
			}
			while (n-- > 0 && (p[1] & 0xc0) == 0x80)
				cp = (cp << 6) | (*++p & 0x3f);
			fprintf(f, "\\[u%04X]", cp);
		}
		p++;
	}
}

/* The table's text as a sentence: its first letter upper case, a period at
 * its end, on lines of 72 characters at most where words allow. */
void
roff_sentence(FILE *f, const char *s)
{
	char	*buf = NULL, *w, *next;
	size_t	 size = 0, col = 0, n;
	FILE	*mf;

	if ((mf = open_memstream(&buf, &size)) == NULL)
		fatal("open_memstream");
	if (*s >= 'a' && *s <= 'z') {
		fputc(*s - 'a' + 'A', mf);
		s++;
	}
	roff_text(mf, s);
	if (*s == '\0' || s[strlen(s) - 1] != '.')
		fputc('.', mf);
	fclose(mf);
	for (w = buf; w != NULL && *w != '\0'; w = next) {
		if ((next = strchr(w, ' ')) != NULL)
			*next++ = '\0';
		if ((n = strlen(w)) == 0)
			continue;
		if (col > 0 && col + 1 + n > 72) {
			fputc('\n', f);
			col = 0;
		}
		if (col > 0) {
			fputc(' ', f);
			col++;
		} else if (*w == '.' || *w == '\'') {
			fputs("\\&", f);
			col += 2;
		}
		fputs(w, f);
		col += n;
	}
	fputc('\n', f);
	free(buf);
}

/* Every key as floss-responder.yaml(5) lists it, between the marks the
 * page keeps them in. */
void
config_describe_roff(FILE *f)
{
	size_t	i;
	int	j;

	fprintf(f, ".\\\" BEGIN generated: help config --roff\n");
	for (i = 0; i < NKEYS; i++) {
		const struct config_key *k = &config_keys[i];

		fprintf(f, ".TP\n\\fB");
		roff_text(f, k->name);
		fprintf(f, "\\fR");
		if (k->def == NULL)
			fprintf(f, " (required)");
		else if (*k->def == '\0')
			fprintf(f, " (default: empty)");
		else {
			fprintf(f, " (default: \\fB");
			roff_text(f, k->def);
			fprintf(f, "\\fR)");
		}
		fprintf(f, "\n");
		if (k->type == CK_CHOICE) {
			roff_sentence(f, k->text);
			fprintf(f, "One of:");
			for (j = 0; k->choices[j] != NULL; j++) {
				fprintf(f, "%s \\fB", j > 0 ? "," : "");
				roff_text(f, k->choices[j]);
				fprintf(f, "\\fR");
			}
			fprintf(f, ".\n");
		} else if (k->type == CK_NUMBER || k->type == CK_INT) {
			roff_sentence(f, k->text);
			fprintf(f, "From %g to %g.\n", k->min, k->max);
		} else
			roff_sentence(f, k->text);
	}
	fprintf(f, ".\\\" END generated\n");
}

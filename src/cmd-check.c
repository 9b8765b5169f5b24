/*
 * "check": loads the configuration, the rules and every reply, and prints
 * every problem as file:line:column, all of them in one run; with --json,
 * one object (what was loaded, or every error).
 */

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "floss-responder.h"
#include "cmd.h"

/* An error as JSON: {"file", "line", "column", "message"}, from its
 * text "file:line:column: message" (file, line and column null when it
 * does not say them), and the whole "text". */
static void
json_error(struct buf *b, const char *e)
{
	const char	*p, *q;
	char		*file;
	unsigned long	 line, col;
	int		 n;

	for (p = e; (p = strchr(p, ':')) != NULL; p++) {
		n = 0;
		if (sscanf(p, ":%lu:%lu: %n", &line, &col, &n) == 2 && n > 0 &&
		    p[1] >= '0' && p[1] <= '9')
			break;
	}
	buf_adds(b, "{\"text\": ");
	json_string(b, e);
	if (p == NULL) {
		buf_adds(b, ", \"file\": null, \"line\": null, \"column\":"
		    " null, \"message\": ");
		json_string(b, e);
	} else {
		file = xasprintf("%.*s", (int)(p - e), e);
		buf_adds(b, ", \"file\": ");
		json_string(b, file);
		free(file);
		q = p + n;
		buf_printf(b, ", \"line\": %lu, \"column\": %lu, \"message\": ",
		    line, col);
		json_string(b, q);
	}
	buf_addc(b, '}');
}

/* Whether the user pw can read a file of sb's (by its mode: directories
 * on the way are not looked at). */
static int
readable_by(const struct stat *sb, const struct passwd *pw)
{
	gid_t	groups[64];
	int	n = 64, i;

	if (sb->st_uid == pw->pw_uid)
		return ((sb->st_mode & S_IRUSR) != 0);
	if (getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
		n = 0;
	for (i = 0; i < n; i++)
		if (groups[i] == sb->st_gid)
			return ((sb->st_mode & S_IRGRP) != 0);
	return ((sb->st_mode & S_IROTH) != 0);
}

/* Who runs the service: the owner of the journal's directory, when that
 * is not root; else NULL. */
static struct passwd *
service_user(const struct config *c)
{
	uid_t	uid;

	if (journal_dir_owner(c->state_path, &uid) != 0 || uid == 0)
		return (NULL);
	return (getpwuid(uid));
}

/* What the configuration cannot say by itself: a password file that the
 * login will need and that the service cannot read, or that every user
 * can.  Root reads every file: for root, "the service" is the owner of
 * the journal's directory, if another user. */
static void
password_warning(const struct config *c, const char *key,
    const struct endpoint *ep, int used, struct errors *w)
{
	struct stat	 sb;
	struct passwd	*pw;
	const char	*f = ep->password_file;

	if (!used || *ep->user == '\0' || *ep->password_env != '\0' ||
	    *f == '\0')
		return;
	if (stat(f, &sb) != 0) {
		errors_add(w, f, 0, 0, "%s: %s: the login will fail", key,
		    strerror(errno));
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		errors_add(w, f, 0, 0, "%s: not a file", key);
		return;
	}
	if (geteuid() != 0 && access(f, R_OK) != 0)
		errors_add(w, f, 0, 0, "%s: not readable by this user (%s)",
		    key, strerror(errno));
	else if (geteuid() == 0 && (pw = service_user(c)) != NULL &&
	    !readable_by(&sb, pw))
		errors_add(w, f, 0, 0, "%s: not readable by %s, who owns the"
		    " journal's directory and so runs the service: chown %s"
		    " it", key, pw->pw_name, pw->pw_name);
	if ((sb.st_mode & S_IROTH) != 0)
		errors_add(w, f, 0, 0, "%s: readable by every user (mode"
		    " %03o): chmod o-r it", key,
		    (unsigned int)(sb.st_mode & 0777));
}

static int
cmd_check_exec(const char *config, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct errors	 e = { NULL, 0 }, w = { NULL, 0 };
	struct core	*core;
	struct buf	 b;
	size_t		 i, n = 0, t, names = 0, phrases = 0, states, signals = 0;
	int		 l, ch, json = 0;

	while ((ch = getopt_long(argc, argv, "j", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			json = 1;
			break;
		default:
			return (EX_USAGE);
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: floss-responder check [--json]\n");
		return (EX_USAGE);
	}
	core = core_load(config, &e);
	buf_init(&b);
	if (json) {
		buf_adds(&b, "{\"config\": ");
		json_string(&b, config);
		buf_printf(&b, ", \"ok\": %s, \"errors\": [", core != NULL ?
		    "true" : "false");
		for (i = 0; i < e.n; i++) {
			if (i > 0)
				buf_adds(&b, ", ");
			json_error(&b, e.v[i]);
		}
		buf_adds(&b, "]");
	} else
		for (i = 0; i < e.n; i++)
			fprintf(stderr, "%s\n", e.v[i]);
	if (core == NULL) {
		if (json) {
			buf_adds(&b, "}\n");
			fwrite(b.data, 1, b.len, stdout);
		} else
			fprintf(stderr, "floss-responder: %zu error%s\n", e.n,
			    e.n == 1 ? "" : "s");
		buf_free(&b);
		errors_free(&e);
		return (EX_CONFIG);
	}
	password_warning(core->conf, "imap.password_file", &core->conf->imap,
	    core->conf->mailbox_type == MAILBOX_IMAP, &w);
	password_warning(core->conf, "smtp.password_file", &core->conf->smtp,
	    core->conf->delivery_type == DELIVERY_SMTP, &w);
	for (t = 0; t < core->rules->ntopics; t++)
		signals += core->rules->topics[t].signal != 0;
	for (t = 0; t < core->rules->ntopics; t++)
		for (l = 0; l < LANG_COUNT; l++)
			if (replies_get(core->replies, (int)t, (enum lang)l))
				n++;
	/* The screens' phrases in the matcher are neither keywords nor
	 * names. */
	for (t = 0; t < core->rules->npatterns; t++)
		if (core->rules->patterns[t].kind == PAT_ORG ||
		    core->rules->patterns[t].kind == PAT_SOFTWARE)
			names++;
		else if (core->rules->patterns[t].kind == PAT_SCREEN)
			phrases++;
	states = matcher_nstates(core->rules->matcher[LANG_FR]) +
	    (core->rules->stemming ?
	    matcher_nstates(core->rules->matcher[LANG_EN]) : 0);
	if (json) {
		buf_adds(&b, ", \"warnings\": [");
		for (i = 0; i < w.n; i++) {
			if (i > 0)
				buf_adds(&b, ", ");
			json_string(&b, w.v[i]);
		}
		buf_printf(&b, "], \"topics\": %zu, \"signals\": %zu,"
		    " \"keywords\": %zu, \"names\": %zu,"
		    " \"matcher_states\": %zu, \"replies\": %zu,"
		    " \"replies_local\": %zu, \"frames_local\": %zu,"
		    " \"entities\": ",
		    core->rules->ntopics - signals, signals,
		    core->rules->npatterns - names - phrases, names, states, n,
		    core->replies->nlocal, core->replies->nlocal_frames);
		if (core->entities != NULL) {
			buf_printf(&b, "{\"organisations\": %zu, \"software\":"
			    " %zu, \"date\": ", core->entities->norgs,
			    core->entities->nsw);
			json_string(&b, core->entities->orgs_date != NULL ?
			    core->entities->orgs_date : "");
			buf_addc(&b, '}');
		} else
			buf_adds(&b, "null");
		buf_adds(&b, ", \"weights\": ");
		if (core->weights != NULL) {
			buf_adds(&b, "{\"path\": ");
			json_string(&b, core->weights->path);
			buf_adds(&b, ", \"fitted_on\": ");
			if (core->weights->fitted_on != NULL)
				json_string(&b, core->weights->fitted_on);
			else
				buf_adds(&b, "null");
			buf_printf(&b, ", \"keywords\": %zu}",
			    core->weights->fitted);
		} else
			buf_adds(&b, "null");
		buf_adds(&b, "}\n");
		fwrite(b.data, 1, b.len, stdout);
		goto out;
	}
	for (i = 0; i < w.n; i++)
		fprintf(stderr, "warning: %s\n", w.v[i]);
	printf("%s: ok: %zu topics and %zu signals, %zu keywords, %zu names"
	    " (%zu matcher states), %zu replies", config,
	    core->rules->ntopics - signals, signals,
	    core->rules->npatterns - names - phrases, names, states, n);
	if (core->replies->nlocal + core->replies->nlocal_frames != 0)
		printf(" (%zu of them and %zu frame%s from %s)",
		    core->replies->nlocal, core->replies->nlocal_frames,
		    core->replies->nlocal_frames == 1 ? "" : "s",
		    core->replies->local);
	if (core->entities != NULL)
		printf(", %zu organisations and %zu software (lists of %s)",
		    core->entities->norgs, core->entities->nsw,
		    core->entities->orgs_date);
	if (core->weights != NULL)
		printf(", the weights of %s (fitted %s on labelled mail, %zu"
		    " keywords and pairs)", core->weights->path,
		    core->weights->fitted_on != NULL ?
		    core->weights->fitted_on : "on an unknown date",
		    core->weights->fitted);
	else
		printf(", the rules' own weights");
	printf("\n");
out:
	buf_free(&b);
	errors_free(&e);
	errors_free(&w);
	core_free(core);
	return (fflush(stdout) != 0 ? EX_IOERR : 0);
}

const struct cmd_entry cmd_check_entry = {
	"check", "[--json]",
	"validate the configuration, the topic rules and every reply file",
	cmd_check_exec
};

/*
 * The bash completion script, written from the command table: each
 * command's words, options and operands are read off its synopsis (the
 * line "help commands" prints), so that the script and the help cannot
 * disagree.  In a synopsis:
 *   -x, --long      an option; the chunk after it, if any, is its argument:
 *                   a|b (lower case) its values, FILE or DIR a path, any
 *                   other upper case word a value nothing completes;
 *   word, a|b       (lower case, not after an option) a subcommand;
 *   FILE, DIR       (on their own) operands: paths.
 * --topic's values are the topics' ids, asked of the program at completion
 * time ("help topics"), with the configuration the line names.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"
#include "cmd.h"

/* What a synopsis says of a command. */
struct synopsis {
	struct buf	opts;		/* its options, space-separated */
	struct buf	words;		/* its subcommands */
	int		paths;		/* it takes paths as operands */
};

/* An option seen in some synopsis, and what its argument is. */
enum optarg_kind { OA_NONE, OA_VALUES, OA_PATH, OA_TOPIC, OA_OTHER };
struct optarg {
	char			*name;
	enum optarg_kind	 kind;
	char			*values;	/* OA_VALUES: space-separated */
};
struct optargs {
	struct optarg	*v;
	size_t		 n;
};

static int
is_lower(const char *s)
{
	return (*s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz-|") ==
	    strlen(s));
}

static int
is_path(const char *s)
{
	return (strcmp(s, "FILE") == 0 || strcmp(s, "DIR") == 0);
}

static void
optarg_add(struct optargs *oa, const char *name, enum optarg_kind kind,
    const char *values)
{
	size_t	i;

	for (i = 0; i < oa->n; i++)
		if (strcmp(oa->v[i].name, name) == 0)
			return;
	oa->v = xreallocarray(oa->v, oa->n + 1, sizeof *oa->v);
	oa->v[oa->n].name = xstrdup(name);
	oa->v[oa->n].kind = kind;
	oa->v[oa->n].values = values != NULL ? xstrdup(values) : NULL;
	oa->n++;
}

/* Whether w is one of the space-ended words of b. */
static int
has_word(const struct buf *b, const char *w)
{
	size_t	i, n = strlen(w);

	for (i = 0; i + n < b->len; i++)
		if ((i == 0 || b->data[i - 1] == ' ') &&
		    memcmp(b->data + i, w, n) == 0 && b->data[i + n] == ' ')
			return (1);
	return (0);
}

/* "a|b" as "a b", added to b. */
static void
add_alternatives(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		buf_addc(b, *s == '|' ? ' ' : *s);
	buf_addc(b, ' ');
}

/* Reads a synopsis: chunks between spaces, their brackets and "..."
 * stripped; a lone "|" separates alternatives. */
static void
synopsis_read(const char *usage, struct synopsis *sy, struct optargs *oa)
{
	char	*copy, *chunk, *p, *last, *opt = NULL;
	size_t	 n;
	int	 closed;

	copy = xstrdup(usage);
	for (chunk = strtok_r(copy, " \n", &last); chunk != NULL;
	    chunk = strtok_r(NULL, " \n", &last)) {
		chunk += strspn(chunk, "[");
		n = strlen(chunk);
		/* "T]...", "DIR...]": both ends, in either order. */
		for (closed = 0;;) {
			if (n > 0 && chunk[n - 1] == ']') {
				chunk[--n] = '\0';
				closed = 1;
			} else if (n >= 3 && strcmp(chunk + n - 3, "...") == 0)
				chunk[n -= 3] = '\0';
			else
				break;
		}
		if (n == 0 || strcmp(chunk, "|") == 0) {
			if (opt != NULL)
				optarg_add(oa, opt, OA_NONE, NULL);
			opt = NULL;
			continue;
		}
		if (*chunk == '-') {
			if (opt != NULL)
				optarg_add(oa, opt, OA_NONE, NULL);
			/* Once in a command's list (queue has --by twice). */
			if (!has_word(&sy->opts, chunk)) {
				buf_adds(&sy->opts, chunk);
				buf_addc(&sy->opts, ' ');
			}
			/* "[--text]": the option's brackets end with it. */
			opt = closed ? NULL : chunk;
			if (closed)
				optarg_add(oa, chunk, OA_NONE, NULL);
			continue;
		}
		if (opt != NULL) {
			if (strcmp(opt, "--topic") == 0)
				optarg_add(oa, opt, OA_TOPIC, NULL);
			else if (is_lower(chunk)) {
				for (p = chunk; *p != '\0'; p++)
					if (*p == '|')
						*p = ' ';
				optarg_add(oa, opt, OA_VALUES, chunk);
			} else
				optarg_add(oa, opt, is_path(chunk) ? OA_PATH :
				    OA_OTHER, NULL);
			opt = NULL;
		} else if (is_lower(chunk))
			add_alternatives(&sy->words, chunk);
		else if (is_path(chunk))
			sy->paths = 1;
	}
	if (opt != NULL)
		optarg_add(oa, opt, OA_NONE, NULL);
	free(copy);
}

/* The words of a synopsis' buffer, without the last space. */
static const char *
words(struct buf *b)
{
	if (b->len > 0 && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return (b->len > 0 ? b->data : "");
}

void
completion_write(FILE *f, const struct cmd_entry *const *table,
    const struct option *longopts)
{
	const struct cmd_entry	*const *c;
	const struct option	*o;
	struct synopsis		 sy;
	struct optargs		 oa = { NULL, 0 };
	struct buf		 global, cmds, takes;
	size_t			 i;

	buf_init(&global);
	buf_init(&cmds);
	buf_init(&takes);
	for (o = longopts; o->name != NULL; o++) {
		buf_printf(&global, "-%c --%s ", o->val, o->name);
		if (o->has_arg == required_argument)
			buf_printf(&takes, "%s-%c|--%s", takes.len > 0 ? "|" :
			    "", o->val, o->name);
	}
	/* The program's options that take a value take a path (-c). */
	if (takes.len > 0)
		optarg_add(&oa, takes.data, OA_PATH, NULL);
	for (c = table; *c != NULL; c++)
		buf_printf(&cmds, "%s ", (*c)->name);

	fprintf(f, "# bash completion for floss-responder, written by"
	    " \"floss-responder help\n# completion\" from its command table."
	    "  Installed in bash-completion's\n# directory, it is loaded"
	    " when the command is first completed.\n\n"
	    "_floss_responder()\n{\n"
	    "\tlocal cur=${COMP_WORDS[COMP_CWORD]}"
	    " prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\tlocal cmd= conf= i at=0 opts= words= paths=\n\n"
	    "\t# bash parts \"--opt=value\" in \"--opt\", \"=\" and"
	    " \"value\".\n"
	    "\tif [[ $cur == = ]]; then\n\t\tcur=\n"
	    "\telif [[ $prev == = ]]; then\n"
	    "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n\tfi\n\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tcase ${COMP_WORDS[i]} in\n"
	    "\t\t%s)\n"
	    "\t\t\t[[ ${COMP_WORDS[i+1]} == = ]] && ((i++))\n"
	    "\t\t\tconf=${COMP_WORDS[i+1]}\n"
	    "\t\t\t[[ $conf == \"~/\"* ]] && conf=$HOME/${conf#\"~/\"}\n"
	    "\t\t\t((i++)) ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*)\tcmd=${COMP_WORDS[i]}\n\t\t\tat=$i\n\t\t\tbreak ;;\n"
	    "\t\tesac\n\tdone\n\n", takes.data);

	fprintf(f, "\tcase $cmd in\n");
	for (c = table; *c != NULL; c++) {
		memset(&sy, 0, sizeof sy);
		buf_init(&sy.opts);
		buf_init(&sy.words);
		synopsis_read((*c)->usage, &sy, &oa);
		fprintf(f, "\t%s)\topts=\"%s\"", (*c)->name, words(&sy.opts));
		if (sy.words.len > 0)
			fprintf(f, "; words=\"%s\"", words(&sy.words));
		if (sy.paths)
			fprintf(f, "; paths=1");
		fprintf(f, " ;;\n");
		buf_free(&sy.opts);
		buf_free(&sy.words);
	}
	fprintf(f, "\t'')\topts=\"%s\"; words=\"%s\" ;;\n\tesac\n\n",
	    words(&global), words(&cmds));

	fprintf(f, "\tcase $prev in\n");
	for (i = 0; i < oa.n; i++) {
		switch (oa.v[i].kind) {
		case OA_NONE:
			continue;
		case OA_VALUES:
			fprintf(f, "\t%s)\n\t\tCOMPREPLY=($(compgen -W \"%s\""
			    " -- \"$cur\"))\n\t\treturn ;;\n", oa.v[i].name,
			    oa.v[i].values);
			break;
		case OA_PATH:
			fprintf(f, "\t%s)\n\t\tcompopt -o filenames 2>/dev/null\n"
			    "\t\tmapfile -t COMPREPLY < <(compgen -f --"
			    " \"$cur\")\n"
			    "\t\treturn ;;\n", oa.v[i].name);
			break;
		case OA_TOPIC:
			fprintf(f, "\t%s)\n\t\tCOMPREPLY=($(compgen -W"
			    " \"$(floss-responder ${conf:+-c \"$conf\"} help"
			    " topics 2>/dev/null |\n\t\t    cut -d' ' -f1)\""
			    " -- \"$cur\"))\n\t\treturn ;;\n", oa.v[i].name);
			break;
		case OA_OTHER:
			fprintf(f, "\t%s)\n\t\treturn ;;\n", oa.v[i].name);
			break;
		}
	}
	fprintf(f, "\tesac\n\n"
	    "\tif [[ $cur == -* ]]; then\n"
	    "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	    "\telse\n"
	    "\t\t# A command's words right after it only.\n"
	    "\t\t[[ -z $cmd ]] || ((COMP_CWORD == at + 1)) &&\n"
	    "\t\t    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	    "\t\tif [[ -n $paths ]]; then\n"
	    "\t\t\tcompopt -o filenames 2>/dev/null\n"
	    "\t\t\tmapfile -t -O ${#COMPREPLY[@]} COMPREPLY < <(compgen"
	    " -f -- \"$cur\")\n"
	    "\t\tfi\n"
	    "\tfi\n} &&\ncomplete -F _floss_responder floss-responder\n");

	for (i = 0; i < oa.n; i++) {
		free(oa.v[i].name);
		free(oa.v[i].values);
	}
	free(oa.v);
	buf_free(&global);
	buf_free(&cmds);
	buf_free(&takes);
}

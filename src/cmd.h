/* The command table's entries: one cmd-*.c file each. */

#ifndef CMD_H
#define CMD_H

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*help;
	/* Runs the command; argv[0] is its name.  Returns the exit status. */
	int		(*exec)(const char *config, int argc, char **argv);
};

/* Loads the core or exits with EX_CONFIG after printing every error. */
struct core	*cmd_load_core(const char *config);
struct core	*cmd_load_core_flags(const char *config, int flags);

/* completion.c: the bash completion script of the commands of table (NULL
 * ended) and of the program's options. */
struct option;
void		 completion_write(FILE *, const struct cmd_entry *const *table,
		     const struct option *longopts);

#endif

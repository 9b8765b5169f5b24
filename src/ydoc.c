/*
 * YAML documents for the configuration, the rules and the replies' front
 * matter, loaded whole with libyaml, with every position turned into a
 * 1-based "file:line:column" for error messages.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "floss-responder.h"

int
ydoc_load(struct ydoc *y, const char *file, const char *buf, size_t len,
    size_t line0, struct errors *e)
{
	yaml_parser_t	parser;
	int		ok;

	memset(y, 0, sizeof *y);
	y->file = xstrdup(file);
	y->line0 = line0;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	ok = yaml_parser_load(&parser, &y->doc);
	if (!ok) {
		errors_add(e, file, parser.problem_mark.line + 1 + line0,
		    parser.problem_mark.column + 1, "%s%s%s",
		    parser.problem != NULL ? parser.problem : "bad YAML",
		    parser.context != NULL ? " " : "",
		    parser.context != NULL ? parser.context : "");
		yaml_parser_delete(&parser);
		return (-1);
	}
	yaml_parser_delete(&parser);
	y->loaded = 1;
	if (yaml_document_get_root_node(&y->doc) == NULL) {
		errors_add(e, file, 1 + line0, 1, "empty document");
		return (-1);
	}
	return (0);
}

void
ydoc_free(struct ydoc *y)
{
	if (y->loaded)
		yaml_document_delete(&y->doc);
	y->loaded = 0;
	free(y->file);
	y->file = NULL;
}

yaml_node_t *
ydoc_root(struct ydoc *y)
{
	return (yaml_document_get_root_node(&y->doc));
}

yaml_node_t *
ydoc_node(struct ydoc *y, int i)
{
	return (yaml_document_get_node(&y->doc, i));
}

yaml_node_t *
ydoc_get(struct ydoc *y, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t	*pair;
	yaml_node_t		*k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return (NULL);
	for (pair = map->data.mapping.pairs.start;
	    pair < map->data.mapping.pairs.top; pair++) {
		k = ydoc_node(y, pair->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return (ydoc_node(y, pair->value));
	}
	return (NULL);
}

const char *
ydoc_scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return (NULL);
	return ((const char *)n->data.scalar.value);
}

void
ydoc_error(struct ydoc *y, struct errors *e, yaml_node_t *n,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (n != NULL)
		errors_add(e, y->file, n->start_mark.line + 1 + y->line0,
		    n->start_mark.column + 1, "%s", msg);
	else
		errors_add(e, y->file, 1 + y->line0, 1, "%s", msg);
	free(msg);
}

int
ydoc_number(struct ydoc *y, struct errors *e, yaml_node_t *n, double *v)
{
	const char	*s = ydoc_scalar(n);
	char		*end;

	if (s == NULL || *s == '\0') {
		ydoc_error(y, e, n, "a number is expected");
		return (-1);
	}
	*v = strtod(s, &end);
	if (*end != '\0') {
		ydoc_error(y, e, n, "'%s' is not a number", s);
		return (-1);
	}
	return (0);
}

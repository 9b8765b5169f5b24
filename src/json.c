/* JSON strings for "classify --json": UTF-8 kept, controls escaped. */

#include "floss-responder.h"

void
json_string(struct buf *b, const char *s)
{
	const unsigned char	*p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_addc(b, *p);
		}
	}
	buf_addc(b, '"');
}

void
json_decision(struct buf *b, const struct core *core, const char *file,
    const struct decision *d)
{
	const struct rules	*r = core->rules;
	size_t			 i;
	int			 first = 1;

	buf_adds(b, "{\"file\": ");
	json_string(b, file);
	buf_printf(b, ", \"action\": \"%s\", \"topics\": [",
	    action_name(d->action));
	for (i = 0; i < d->ntopics; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		json_string(b, r->topics[d->topics[i]].id);
	}
	buf_printf(b, "], \"lang\": \"%s\", \"scores\": {", lang_name(d->lang));
	for (i = 0; i < d->nscores; i++) {
		if (d->scores[i] == 0 || r->topics[i].signal)
			continue;
		if (!first)
			buf_adds(b, ", ");
		first = 0;
		json_string(b, r->topics[i].id);
		buf_printf(b, ": %.2f", d->scores[i]);
	}
	buf_adds(b, "}, \"rule\": ");
	if (d->rule != NULL)
		json_string(b, d->rule);
	else
		buf_adds(b, "null");
	buf_adds(b, ", \"reasons\": [");
	for (i = 0; i < d->nreasons; i++) {
		if (i > 0)
			buf_adds(b, ", ");
		json_string(b, d->reasons[i]);
	}
	buf_adds(b, "]}\n");
}

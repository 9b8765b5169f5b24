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

/* "entities": what the message names, as the reply will name it. */
static void
json_entities(struct buf *b, const struct core *core,
    const struct decision *d)
{
	const struct entities	*en = core->entities;
	const struct org	*o;
	size_t			 i;
	int			 first, m;
	static const char	*markets[] = { "support", "expertise" };

	buf_adds(b, "\"entities\": {\"organisations\": [");
	for (i = 0, first = 1; en != NULL && i < d->nents; i++) {
		if (d->ents[i].kind != PAT_ORG)
			continue;
		o = &en->orgs[d->ents[i].index];
		buf_adds(b, first ? "{\"name\": " : ", {\"name\": ");
		first = 0;
		json_string(b, o->name);
		buf_adds(b, ", \"acronym\": ");
		if (o->acronym != NULL)
			json_string(b, o->acronym);
		else
			buf_adds(b, "null");
		buf_printf(b, ", \"from\": \"%s\", \"markets\": [",
		    d->ents[i].sender ? "sender" : "text");
		for (m = 0; m < MARKET_COUNT; m++) {
			if (!(o->markets & (1 << m)))
				continue;
			if (m > 0 && (o->markets & 1))
				buf_adds(b, ", ");
			buf_printf(b, "{\"market\": \"%s\", \"lot\": ",
			    markets[m]);
			if (o->lot[m] != NULL)
				json_string(b, o->lot[m]);
			else
				buf_adds(b, "null");
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_adds(b, "], \"software\": [");
	for (i = 0, first = 1; en != NULL && i < d->nents; i++) {
		if (d->ents[i].kind != PAT_SOFTWARE)
			continue;
		buf_adds(b, first ? "{\"name\": " : ", {\"name\": ");
		first = 0;
		json_string(b, en->sw[d->ents[i].index].name);
		buf_printf(b, ", \"listed\": %s}",
		    en->sw[d->ents[i].index].listed ? "true" : "false");
	}
	buf_adds(b, "], \"unlisted_domain\": ");
	if (d->unlisted != NULL)
		json_string(b, d->unlisted);
	else
		buf_adds(b, "null");
	buf_addc(b, '}');
}

/* The sentences that carried a keyword, which of them ask, and what each
 * topic found. */
static void
json_explain(struct buf *b, const struct core *core, const struct decision *d)
{
	const struct unitview	*n;
	size_t			 i;
	int			 first = 1;

	buf_adds(b, ", \"sentences\": [");
	for (i = 0; i < d->nsentences; i++) {
		n = &d->sentences[i];
		buf_printf(b, "%s{\"field\": \"%s\", \"asks\": %s, \"mark\": ",
		    i > 0 ? ", " : "", n->field, n->asks ? "true" : "false");
		if (n->mark != 0)
			buf_printf(b, "\"%c\"", n->mark);
		else
			buf_adds(b, "null");
		buf_adds(b, ", \"text\": ");
		json_string(b, n->text);
		buf_addc(b, '}');
	}
	buf_adds(b, "], \"evidence\": {");
	for (i = 0; d->evidence != NULL && i < d->nscores; i++) {
		if (d->evidence[i] == NULL)
			continue;
		if (!first)
			buf_adds(b, ", ");
		first = 0;
		json_string(b, core->rules->topics[i].id);
		buf_adds(b, ": ");
		json_string(b, d->evidence[i]);
	}
	buf_addc(b, '}');
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
	buf_printf(b, ", \"action\": \"%s\", \"verdict\": \"%s\","
	    " \"topics\": [", action_name(d->action),
	    verdict_names[d->verdict]);
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
	buf_adds(b, "}, ");
	json_entities(b, core, d);
	buf_adds(b, ", \"rule\": ");
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
	buf_adds(b, "]");
	if (d->explain)
		json_explain(b, core, d);
	buf_adds(b, "}\n");
}

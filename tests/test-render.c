/* The renderer against its golden file, tests/golden/render.txt. */

#include "floss-responder.h"
#include "tap.h"

/* Reads the section after *p up to a line with a single "."; advances. */
static char *
section(char **p)
{
	char	*start = *p, *end;

	for (end = start; *end != '\0'; end = strchr(end, '\n') + 1) {
		if (strncmp(end, ".\n", 2) == 0)
			break;
		if (strchr(end, '\n') == NULL) {
			end += strlen(end);
			break;
		}
	}
	*p = *end != '\0' ? end + 2 : end;
	return (xstrndup(start, (size_t)(end - start)));
}

int
main(void)
{
	char		*path, *data, *p, *name, *md, *text, *html, *got, *eol,
			*cause = NULL;
	cmark_node	*doc;
	size_t		 len, n = 0;

	path = xasprintf("%s/tests/golden/render.txt", srcdir());
	data = read_message(path, &len, &cause);
	free(path);
	if (data == NULL) {
		OK(0, "golden file: %s", cause);
		free(cause);
		return (tap_done());
	}
	for (p = strstr(data, "\n%%% "); p != NULL; p = strstr(p, "\n%%% ")) {
		p += 5;
		eol = strchr(p, '\n');
		name = xstrndup(p, (size_t)(eol - p));
		p = eol + 1;
		md = section(&p);
		text = section(&p);
		html = section(&p);
		p--;
		doc = cmark_parse_document(md, strlen(md), CMARK_OPT_DEFAULT);
		got = render_text(doc, 72);
		STR_EQ(got, text, "text: %s", name);
		free(got);
		got = render_html(doc);
		STR_EQ(got, html, "html: %s", name);
		free(got);
		cmark_node_free(doc);
		free(name);
		free(md);
		free(text);
		free(html);
		n++;
	}
	OK(n >= 9, "%zu examples read", n);
	free(data);

	/* An empty run may start nowhere: a buffer that never grew. */
	doc = text_node(NULL, 0);
	STR_EQ(cmark_node_get_literal(doc), "", "an empty text node of a NULL"
	    " start");
	cmark_node_free(doc);
	return (tap_done());
}

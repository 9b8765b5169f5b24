/* HTML-only mail turned into text. */

#include "floss-responder.h"
#include "tap.h"

static const struct {
	const char	*html;
	const char	*want;
} cases[] = {
	{ "<p>Bonjour,</p><p>Une question</p>", "Bonjour,\n\nUne question\n" },
	{ "<div>a<br>b<br/>c</div>", "a\nb\nc\n" },
	{ "<html><head><title>T</title><style>p{color:red}</style></head>"
	  "<body><p>Texte</p><script>alert(1)</script></body></html>",
	  "Texte\n" },
	{ "r&eacute;f&eacute;rent &amp; co &lt;b&gt; &#233;t&#xE9; &rsquo;"
	  " &nbsp;x", "référent & co <b> été ’ x\n" },
	{ "<p class=MsoNormal>Word<o:p></o:p></p>", "Word\n" },
	{ "<blockquote><blockquote><blockquote><blockquote>four deep"
	  "</blockquote></blockquote></blockquote></blockquote>after",
	  "> > four deep\nafter\n" },
	{ "a <!-- hidden <p>x</p> --> b", "a b\n" },
	{ "<div>Question ?</div><blockquote><div>quoted</div>"
	  "<blockquote>deeper</blockquote></blockquote><div>after</div>",
	  "Question ?\n> quoted\n> > deeper\nafter\n" },
	{ "1 < 2 and 3 > 2", "1 < 2 and 3 > 2\n" },
	{ "<ul><li>one</li><li>two</li></ul>", "one\ntwo\n" },
	{ "<table><tr><td>a</td><td>b</td></tr></table>", "a b\n" },
	{ "spaces   \n  collapse", "spaces collapse\n" },
	{ "<pre>keep\n  this</pre>", "keep\n  this\n" },
	{ "&unknown; &#0; &#xD800;", "&unknown; &#0; &#xD800;\n" },
	{ "<unclosed", "" },
	{ "<HTML><HEAD><TITLE>T</TITLE></HEAD><Body><P>Un<BR>deux</P>"
	  "<SCRIPT>x()</Script><BlockQuote>cit\xc3\xa9</BLOCKQUOTE>"
	  "<TABLE><TR><TD>a</TD><TH>b</TH></TR></TABLE><PRE>m  n</PRE>",
	  "Un\ndeux\n> cit\xc3\xa9\na b\nm  n\n" },
};

/* The web links of <a href>, with the text a reader sees of them. */
static const struct {
	const char	*html;
	size_t		 n;
	const char	*href, *text;	/* of the first link */
} lcases[] = {
	{ "<p>Voir <a href=\"https://code.gouv.fr/sill\">le catalogue</a>.</p>",
	  1, "https://code.gouv.fr/sill", "le catalogue" },
	{ "<a class=b HREF='http://evil.example/x?a=1&amp;b=2'><b>Se"
	  " connecter</b></a>", 1, "http://evil.example/x?a=1&b=2",
	  "Se connecter" },
	{ "<a href=www.example.org>www.example.org</a>", 1,
	  "www.example.org", "www.example.org" },
	{ "<a href=\"  ht&#116;ps://x.example\">x</a>", 1,
	  "https://x.example", "x" },
	{ "<a href=\"mailto:a@b.example\">a</a> <a name=top>t</a>"
	  " <a data-href=\"http://no.example\">n</a>", 0, NULL, NULL },
	{ "<a href=\"//cdn.example/f\">open <a href=\"https://b.example\">"
	  "b</a>", 2, "//cdn.example/f", "open" },
	{ "<a href=\"https://a.example\">unclosed", 1, "https://a.example",
	  "unclosed" },
	{ "<a href=\"https://x.example\"><img src=\"b.png\"></a>", 1,
	  "https://x.example", "" },
	{ "<style><a href=\"https://hidden.example\">x</a></style>", 0, NULL,
	  NULL },
};

static void
links_cases(void)
{
	struct buf	 b, out;
	struct links	 l;
	size_t		 i;

	buf_init(&b);
	buf_init(&out);
	for (i = 0; i < sizeof lcases / sizeof lcases[0]; i++) {
		buf_reset(&out);
		memset(&l, 0, sizeof l);
		html_to_text_links(&out, lcases[i].html,
		    strlen(lcases[i].html), &l);
		INT_EQ(l.n, lcases[i].n, "links %zu: how many", i);
		if (l.n > 0 && lcases[i].href != NULL) {
			STR_EQ(l.v[0].href, lcases[i].href, "links %zu: href",
			    i);
			STR_EQ(l.v[0].text, lcases[i].text, "links %zu: text",
			    i);
		}
		links_free(&l);
	}

	/* No more than LINK_MAX. */
	for (i = 0; i < LINK_MAX + 5; i++)
		buf_adds(&b, "<a href=\"https://x.example\">\xc3\xa9</a>");
	buf_reset(&out);
	memset(&l, 0, sizeof l);
	html_to_text_links(&out, b.data, b.len, &l);
	INT_EQ(l.n, LINK_MAX, "links: at most LINK_MAX");
	links_free(&l);

	/* A long text cut on a character's start. */
	buf_reset(&b);
	buf_adds(&b, "<a href=\"https://y.example\">a");
	for (i = 0; i < LINK_MAX_TEXT; i++)
		buf_adds(&b, "\xc3\xa9");
	buf_reset(&out);
	html_to_text_links(&out, b.data, b.len, &l);
	OK(l.n == 1 && strlen(l.v[0].text) <= LINK_MAX_TEXT &&
	    utf8_valid(l.v[0].text, strlen(l.v[0].text)),
	    "links: a long text cut on a character");
	links_free(&l);
	buf_free(&out);
	buf_free(&b);
}

int
main(void)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		html_to_text(&b, cases[i].html, strlen(cases[i].html));
		STR_EQ(b.data != NULL ? b.data : "", cases[i].want, "html %zu",
		    i);
	}
	links_cases();
	/* A NUL byte is a space, not the end of the text. */
	buf_reset(&b);
	html_to_text(&b, "<p>a\0b</p>\0c", 12);
	STR_EQ(b.data, "a b\nc\n", "a NUL byte is a space");
	buf_free(&b);
	return (tap_done());
}

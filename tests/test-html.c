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
};

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
	/* A NUL byte is a space, not the end of the text. */
	buf_reset(&b);
	html_to_text(&b, "<p>a\0b</p>\0c", 12);
	STR_EQ(b.data, "a b\nc\n", "a NUL byte is a space");
	buf_free(&b);
	return (tap_done());
}

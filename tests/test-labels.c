/* Labelled mail (labels.c): a directory's labels.yaml read into files,
 * actions and topic indexes; mistakes said at file:line:column. */

#include <stdio.h>
#include <unistd.h>

#include "floss-responder.h"
#include "tap.h"

static void
write_file(const char *dir, const char *text)
{
	char	*path = xasprintf("%s/labels.yaml", dir);
	FILE	*f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static const struct {
	const char	*name;
	const char	*text;
	const char	*error;		/* a part of the first error */
} broken[] = {
	{ "an unknown topic",
	  "- file: a.eml\n  action: reply\n  topics: [sill-about, nope]\n",
	  "labels.yaml:3:24: 'nope' is not a topic of the rules" },
	{ "an unknown action",
	  "- file: a.eml\n  action: answer\n  topics: []\n",
	  "labels.yaml:2:11: action: one of reply, review, ignore, spam" },
	{ "a file twice",
	  "- file: a.eml\n  action: ignore\n- file: a.eml\n  action: ignore\n",
	  "labels.yaml:3:9: 'a.eml' is labelled twice" },
	{ "a path, not a name",
	  "- file: ../a.eml\n  action: ignore\n",
	  "labels.yaml:1:9: a label needs the name of its file" },
	{ "not a list", "file: a.eml\n",
	  "labels.yaml:1:1: the labels are a list" },
};

int
main(void)
{
	struct core	*core;
	struct labels	 l;
	struct errors	 e = { NULL, 0 };
	char		 dir[] = "/tmp/floss-labels.XXXXXX", *path;
	size_t		 i;

	if ((core = tap_core("conf/floss-responder.yaml")) == NULL ||
	    mkdtemp(dir) == NULL)
		return (tap_done());
	write_file(dir, "# labels\n"
	    "- file: a.eml\n  action: reply\n  accept: [reply]\n"
	    "  topics: [procurement-ip, procurement-license]\n  lang: fr\n"
	    "- file: b.eml\n  action: spam\n  accept: [review, ignore]\n"
	    "  topics: []\n"
	    "- file: c.eml\n  action: review\n  topics: [markets-coordinator]\n");
	memset(&l, 0, sizeof l);
	OK(labels_load(&l, core->rules, dir, &e) == 0, "a good file loads");
	INT_EQ(l.n, 3, "three labels");
	if (l.n == 3) {
		path = xasprintf("%s/a.eml", dir);
		STR_EQ(l.v[0].file, path, "the file, in the directory");
		free(path);
		INT_EQ(l.v[0].action, ACT_REPLY, "reply");
		INT_EQ(l.v[0].ntopics, 2, "two topics");
		STR_EQ(core->rules->topics[l.v[0].topics[0]].id,
		    "procurement-ip", "the main topic first");
		INT_EQ(l.v[1].action, ACT_IGNORE, "spam, as ignored mail");
		INT_EQ(l.v[1].ntopics, 0, "no topic");
		INT_EQ(l.v[2].action, ACT_REVIEW, "review");
	}
	labels_free(&l);
	errors_free(&e);

	for (i = 0; i < sizeof broken / sizeof broken[0]; i++) {
		write_file(dir, broken[i].text);
		memset(&l, 0, sizeof l);
		memset(&e, 0, sizeof e);
		OK(labels_load(&l, core->rules, dir, &e) == -1, "%s: refused",
		    broken[i].name);
		HAS(e.n > 0 ? e.v[0] : "", broken[i].error, "%s: said where",
		    broken[i].name);
		labels_free(&l);
		errors_free(&e);
	}
	path = xasprintf("%s/labels.yaml", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	memset(&l, 0, sizeof l);
	OK(labels_load(&l, core->rules, dir, &e) == -1 && e.n > 0,
	    "no labels.yaml: an error");
	errors_free(&e);

	/* The review queue: what operators decided is a label, nothing
	 * else is. */
	{
		static char		 msg[] = "Subject: a\r\n\r\nb\r\n",
					 sent[] = "sent", dis[] = "dismissed",
					 open[] = "open", ans[] = "answered",
					 sending[] = "sending",
					 t1[] = "sill-reference,bluehats",
					 t2[] = "sill-reference",
					 t3[] = "bluehats",
					 t4[] = "no-such-topic,ospo-list";
		struct qentry		 q[] = {
			{ .id = 1, .state = sent, .topics = t1, .raw = msg },
			{ .id = 2, .state = dis, .topics = t2, .raw = msg },
			{ .id = 3, .state = open, .topics = t3, .raw = msg },
			{ .id = 4, .state = ans, .raw = msg },
			{ .id = 5, .state = sending, .topics = t3, .raw = msg },
			{ .id = 6, .state = sent, .topics = t3 },
			{ .id = 7, .state = sent, .topics = t4, .raw = msg },
		};

		for (i = 0; i < sizeof q / sizeof q[0]; i++)
			q[i].rawlen = q[i].raw != NULL ? strlen(q[i].raw) : 0;
		memset(&l, 0, sizeof l);
		INT_EQ(labels_queue(&l, core->rules, q, 7), 3, "three entries"
		    " of seven are labels: sent, dismissed, sent");
		if (l.n == 3) {
			STR_EQ(l.v[0].file, "queue 1", "named by the entry");
			INT_EQ(l.v[0].action, ACT_REPLY, "sent: a reply");
			INT_EQ(l.v[0].ntopics, 2, "on the topics sent");
			STR_EQ(core->rules->topics[l.v[0].topics[1]].id,
			    "bluehats", "in their order");
			OK(l.v[0].raw != NULL && l.v[0].rawlen == strlen(msg) &&
			    memcmp(l.v[0].raw, msg, l.v[0].rawlen) == 0,
			    "with the message kept in the queue");
			INT_EQ(l.v[1].action, ACT_IGNORE, "dismissed: no reply");
			INT_EQ(l.v[1].ntopics, 0, "and no topic, whatever was"
			    " suggested");
			STR_EQ(l.v[2].file, "queue 7", "an entry without its"
			    " message says nothing");
			INT_EQ(l.v[2].ntopics, 1, "a topic the rules no longer"
			    " have is left out");
		}
		labels_free(&l);
	}
	core_free(core);
	return (tap_done());
}

/* Threshold, margin, multi-topic, review topics, signals, language and the
 * forward rule, on small rules made for the test (tests/conf). */

#include "floss-responder.h"
#include "tap.h"

static struct core *core;
static int want_features;	/* decide_text() asks for the features */
static int want_detail = 1;	/* and for every reason line */

static void
decide_text(const char *subject, const char *body, struct decision *d)
{
	struct message	*msg;
	char		*raw, *cause = NULL;

	raw = xasprintf("Return-Path: <a@b.example>\r\nAuthentication-Results:"
	    " mx.test.example; dmarc=pass header.from=b.example\r\n"
	    "From: a@b.example\r\n"
	    "Subject: %s\r\n\r\n%s\r\n", subject, body);
	decision_init(d);
	d->features_on = want_features;
	d->detail = want_detail;
	if (message_parse(raw, strlen(raw), &msg, &cause) != 0) {
		printf("# %s\n", cause);
		free(cause);
		free(raw);
		return;
	}
	decide(core, msg, d);
	message_free(msg);
	free(raw);
}

static const char *
topics(const struct decision *d)
{
	static char	s[256];
	size_t		i;

	size_t		n = 0;

	s[0] = '\0';
	for (i = 0; i < d->ntopics && n < sizeof s; i++)
		n += (size_t)snprintf(s + n, sizeof s - n, "%s%s",
		    i > 0 ? "," : "", core->rules->topics[d->topics[i]].id);
	return (s);
}

static int
has_reason(const struct decision *d, const char *text)
{
	size_t	i;

	for (i = 0; i < d->nreasons; i++)
		if (strstr(d->reasons[i], text) != NULL)
			return (1);
	return (0);
}

static const struct {
	const char	*name;
	const char	*subject;
	const char	*body;
	enum action	 action;
	const char	*topics;
	const char	*reason;	/* a reason that must be given */
} cases[] = {
	{ "a phrase at the threshold", "x", "What is the alpha question?",
	  ACT_REPLY, "alpha", "alpha 8.0" },
	{ "a word below the threshold", "x", "alpha", ACT_REVIEW, "alpha",
	  "no topic reaches the threshold" },
	{ "the subject counts twice", "alpha", "nothing", ACT_REPLY, "alpha",
	  "(subject +8)" },
	{ "a reply's subject counts half", "Re: alpha question", "nothing",
	  ACT_REVIEW, "alpha", "no topic reaches the threshold" },
	{ "a keyword counts once per field", "x", "alpha alpha alpha alpha",
	  ACT_REVIEW, "alpha", "best alpha 4.0" },
	{ "a word inside a found phrase does not count again", "x",
	  "the alpha question and alpha", ACT_REPLY, "alpha", "alpha 8.0" },
	{ "two questions, two topics", "x",
	  "The alpha question? And the beta question?", ACT_REPLY,
	  "alpha,beta", NULL },
	{ "the topic asked first comes first", "x",
	  "The beta question? And the alpha question?", ACT_REPLY,
	  "beta,alpha", NULL },
	{ "a topic named only beside a question is context", "x",
	  "I read the alpha question. What is the beta question?", ACT_REPLY,
	  "beta", NULL },
	{ "a form that asks, without a question mark", "x",
	  "I read the alpha question. Tell me the beta question.", ACT_REPLY,
	  "beta", "(body +8)" },
	{ "nothing asks: every sentence counts", "x",
	  "The alpha question. The beta question.", ACT_REPLY, "alpha,beta",
	  NULL },
	{ "context does not stand in the way of what is asked", "x",
	  "About the beta question and bravo. What is the alpha question?",
	  ACT_REPLY, "alpha", NULL },
	{ "a topic a person answers counts from context too", "x",
	  "The gamma question. What is the alpha question?", ACT_REVIEW,
	  "alpha,gamma", "gamma is answered by a person" },
	{ "a topic a person answers, asked, goes to a person", "x",
	  "What is the gamma question? What is the alpha question?",
	  ACT_REVIEW, "gamma,alpha", "gamma is answered by a person" },
	{ "a topic a person answers in a text that asks nothing", "x",
	  "The gamma question. The alpha question.", ACT_REVIEW,
	  "gamma,alpha", "gamma is answered by a person" },
	{ "an object and an intent in one sentence", "x",
	  "How do we enter the catalogue?", ACT_REPLY, "omega",
	  "[catalogue + enter] (body +8)" },
	{ "an object inside a longer object names nothing of its own", "x",
	  "How do we enter the catalogue licence?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "the longer object makes its own pair", "x",
	  "How do we pick the catalogue licence?", ACT_REVIEW, "omega",
	  "[licence + choose] (body +4)" },
	{ "an intent that opens a sentence's object makes a pair", "x",
	  "How do we open the catalogue?", ACT_REPLY, "omega",
	  "[catalogue + enter] (body +8)" },
	{ "an intent inside a longer object is not one", "x",
	  "How is the open catalogue made?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "a request to a person names the sentence before's object", "x",
	  "We read the licence text. Could you change it?", ACT_REVIEW,
	  "gamma", "[licence + change] (body +8)" },
	{ "not for a topic answered automatically", "x",
	  "We read the licence text. Could you pick one?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "an object and an intent in two sentences: no pair", "x",
	  "We saw the catalogue. How do we enter?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "a question that names nothing asks what the sentence before says",
	  "x", "We would enter the catalogue. Tell me how?", ACT_REPLY,
	  "omega", "[catalogue + enter] (body +8)" },
	{ "not the sentence before the one before", "x",
	  "We would enter the catalogue. Thanks. Tell me how?", ACT_REVIEW,
	  "omega", "[catalogue + enter] (body +4)" },
	{ "not when it wants something else of it", "x",
	  "We would enter the catalogue. Tell me, can we change it?",
	  ACT_REVIEW, "omega", "[catalogue + enter] (body +4)" },
	{ "not without a question mark", "x",
	  "We would enter the catalogue. Tell me how.", ACT_REVIEW,
	  "omega", "[catalogue + enter] (body +4)" },
	{ "two topics in one question: not a second question", "x",
	  "What is the alpha question, and is it the beta question?",
	  ACT_REVIEW, "alpha", "leads beta by 0.0" },
	{ "a signal asked outweighs a larger topic", "alpha question",
	  "What is the alpha question? Tell me the special offer.",
	  ACT_REVIEW, "alpha", "signal pitch" },
	{ "a question no topic explains goes to a person", "x",
	  "The alpha question and the alpha matter are known. Is it fine?",
	  ACT_REVIEW,
	  "alpha", "what the text asks names no topic" },
	{ "a second question of its own, however big the first", "alpha question",
	  "What is the alpha question? Then, what is the beta question?",
	  ACT_REPLY, "alpha,beta", NULL },
	{ "a second topic's weak words add up to no question of its own",
	  "alpha question", "What is the alpha question? Then beta, bravo?",
	  ACT_REPLY, "alpha", NULL },
	{ "a strong phrase beside a word of the first topic is not a second",
	  "alpha question, alpha matter",
	  "What is the alpha question? And alpha, the beta question?",
	  ACT_REPLY, "alpha", NULL },
	{ "a strong phrase in the first question's sentence is not a second",
	  "alpha question, alpha matter",
	  "Is the alpha question the beta question? And bingo?",
	  ACT_REPLY, "alpha", NULL },
	{ "the items of a list that a sentence asks for ask, each apart", "x",
	  "I would like:\r\n- the alpha question;\r\n- the beta question.",
	  ACT_REPLY, "alpha,beta", NULL },
	{ "the items of a list nothing asks for do not ask", "x",
	  "The common notes:\r\n- the beta question\r\n\r\n"
	  "What is the alpha question?", ACT_REPLY, "alpha", NULL },
	{ "an item that asks by itself goes on with the list", "x",
	  "I would like:\r\n- the alpha question?\r\n- the beta question.",
	  ACT_REPLY, "alpha,beta", NULL },
	{ "a sentence between the intro and the next ends the list", "x",
	  "I would like:\r\n\r\nWe read it all.\r\n\r\nThe beta question is known.",
	  ACT_REVIEW, "beta", "no topic reaches the threshold" },
	{ "a topic of the Subject alone is not a second question", "beta",
	  "What is the alpha question?", ACT_REPLY, "alpha", NULL },
	{ "a request to act on an entry named in the sentence before", "x",
	  "What is the alpha question? Our entry is wrong. Could you fix it?",
	  ACT_REVIEW, "alpha", "signal act" },
	{ "an object named before a question makes no topic's pair", "x",
	  "We saw the catalogue. Could we enter?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "a word again in a later sentence counts there", "x",
	  "We saw the catalogue. How do we enter the catalogue?", ACT_REPLY,
	  "omega", "[catalogue + enter] (body +8)" },
	{ "an intent denied makes no pair", "x",
	  "Do we not want to enter the catalogue?", ACT_REVIEW, "",
	  "no keyword of any topic" },
	{ "a negation that denies nothing (not sure)", "x",
	  "I am not sure: how do we enter the catalogue?", ACT_REPLY, "omega",
	  NULL },
	{ "a negation ends with but", "x",
	  "We do not care but how do we enter the catalogue?", ACT_REPLY,
	  "omega", NULL },
	{ "a negation reaches a few words only", "x",
	  "We do not care about the many things said of it, how do we enter"
	  " the catalogue?", ACT_REPLY, "omega", NULL },
	{ "a keyword denied counts for nothing", "x",
	  "Is it not the alpha question? What is the beta question?",
	  ACT_REPLY, "beta", NULL },
	{ "a pair counts once a field", "x",
	  "Which licence to choose? Which licence should we pick?", ACT_REVIEW,
	  "omega", "best omega 4.0" },
	{ "a second topic far below the first is left out", "alpha question",
	  "alpha question, and beta question", ACT_REPLY, "alpha", NULL },
	{ "context words alone name no topic", "common common",
	  "common words only", ACT_REVIEW, "", "context words only" },
	{ "the margin over the best topic left out", "x",
	  "the alpha question, beta bravo", ACT_REVIEW, "alpha",
	  "leads beta by 1.0 only" },
	{ "a clear lead over the best topic left out", "x",
	  "the alpha question, beta", ACT_REPLY, "alpha", NULL },
	{ "a topic a person answers", "x", "the gamma question?", ACT_REVIEW,
	  "gamma", "gamma is answered by a person" },
	{ "a topic a person answers beside another", "x",
	  "The alpha question? The gamma question?", ACT_REVIEW,
	  "alpha,gamma", "gamma is answered by a person" },
	{ "a signal", "x", "the alpha question: a special offer", ACT_REVIEW,
	  "alpha", "signal pitch" },
	{ "no keyword at all", "hello", "nothing here", ACT_REVIEW, "",
	  "no keyword of any topic" },
};

/* The features a message shows (learn): the worth of a keyword or pair
 * per unit of its weight, by its place. */
static const struct {
	const char	*name;
	const char	*subject;
	const char	*body;
	const char	*feature;	/* a keyword's text, or a pair's */
	double		 x;
} fcases[] = {
	{ "a keyword in a sentence that asks", "x",
	  "What is the alpha question?", "alpha question", 1 },
	{ "in the Subject, its multiplier", "alpha question", "nothing",
	  "alpha question", 2 },
	{ "in context beside a question, half", "x",
	  "The alpha question. What is the beta question?", "alpha question",
	  0.5 },
	{ "in the Subject and the body, summed", "alpha question",
	  "What is the alpha question?", "alpha question", 3 },
	{ "a pair", "x", "How do we enter the catalogue?",
	  "catalogue + enter", 1 },
	{ "a word inside a longer keyword found: nothing", "x",
	  "What is the alpha question?", "alpha", 0 },
};

/* The worth of the feature named text in d, 0 when it is not there. */
static double
feature_x(const struct decision *d, const char *text)
{
	const struct rules	*r = core->rules;
	size_t			 i, t, k, id;

	for (i = 0; i < d->nfeatures; i++) {
		id = d->features[i].id;
		if (id < r->npatterns) {
			if (strcmp(r->patterns[id].text, text) == 0)
				return (d->features[i].x);
			continue;
		}
		id -= r->npatterns;
		for (t = 0; t < r->ntopics; id -= r->topics[t++].npairs)
			if (id < r->topics[t].npairs)
				break;
		k = id;
		if (t < r->ntopics && (int)t == d->features[i].topic &&
		    strcmp(r->topics[t].pairs[k].text, text) == 0)
			return (d->features[i].x);
	}
	return (0);
}

/* Whether the marks classify leaves in the core are all clear, as the
 * next message needs them. */
static int
marks_clear(void)
{
	size_t	i;

	for (i = 0; i < 2 * core->rules->npatterns; i++)
		if (core->marks[i] != 0)
			return (0);
	return (1);
}

int
main(void)
{
	struct decision	 d;
	struct buf	 b;
	size_t		 i;

	if ((core = tap_core("tests/conf/classify.yaml")) == NULL)
		return (tap_done());
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		decide_text(cases[i].subject, cases[i].body, &d);
		INT_EQ(d.action, cases[i].action, "%s: action", cases[i].name);
		STR_EQ(topics(&d), cases[i].topics, "%s: topics",
		    cases[i].name);
		if (cases[i].reason != NULL)
			OK(has_reason(&d, cases[i].reason), "%s: says \"%s\"",
			    cases[i].name, cases[i].reason);
		OK(marks_clear(), "%s: the patterns' marks cleared after",
		    cases[i].name);
		decision_clear(&d);
	}

	want_features = 1;
	for (i = 0; i < sizeof fcases / sizeof fcases[0]; i++) {
		decide_text(fcases[i].subject, fcases[i].body, &d);
		OK(feature_x(&d, fcases[i].feature) == fcases[i].x,
		    "features: %s (%s %g, got %g)", fcases[i].name,
		    fcases[i].feature, fcases[i].x,
		    feature_x(&d, fcases[i].feature));
		decision_clear(&d);
	}
	decide_text("x", "What is the alpha question?", &d);
	want_features = 0;
	OK(d.nfeatures > 0, "features: asked for, listed");
	decision_clear(&d);
	decide_text("x", "What is the alpha question?", &d);
	OK(d.nfeatures == 0 && d.features == NULL,
	    "features: not asked for, none");
	decision_clear(&d);

	/* Language. */
	decide_text("x", "What is the alpha question and what is the answer"
	    " for you?", &d);
	INT_EQ(d.lang, LANG_EN, "English stopwords: English");
	decision_clear(&d);
	decide_text("x", "Quelle est la alpha question pour vous et pour les"
	    " autres ?", &d);
	INT_EQ(d.lang, LANG_FR, "French stopwords: French");
	decision_clear(&d);
	decide_text("x", "alpha question", &d);
	INT_EQ(d.lang, LANG_FR, "no stopwords: French");
	decision_clear(&d);
	decide_text("x", "the alpha question et la", &d);
	INT_EQ(d.lang, LANG_FR, "too few to tell: French");
	decision_clear(&d);
	decide_text("What is the alpha question for you and the others?", "",
	    &d);
	INT_EQ(d.lang, LANG_EN, "a question in the Subject alone: its"
	    " language");
	decision_clear(&d);

	/* Forwards: read only when the forwarder asks nothing known. */
	decide_text("Fwd", "See below.\n\n---------- Forwarded message ---------\n"
	    "From: x@y.example\nSubject: q\n\nWhat is the beta question?\n", &d);
	INT_EQ(d.action, ACT_REPLY, "a forwarded question is answered");
	STR_EQ(topics(&d), "beta", "with its topic");
	OK(has_reason(&d, "forwarded message is read"), "and says so");
	decision_clear(&d);
	decide_text("Fwd", "What is the alpha question?\n\n---------- Forwarded"
	    " message ---------\nFrom: x@y.example\n\nbeta question\n", &d);
	STR_EQ(topics(&d), "alpha", "the forwarder's own question wins");
	OK(marks_clear(), "the patterns' marks of three fields cleared after");
	decision_clear(&d);

	/* A word said over and over does not hide the question after it. */
	buf_init(&b);
	for (i = 0; i < 6000; i++)
		buf_adds(&b, "common beta. ");
	buf_adds(&b, "What is the alpha question?");
	buf_addc(&b, '\0');
	decide_text("x", b.data, &d);
	STR_EQ(topics(&d), "alpha", "a question after 6000 sentences of"
	    " the same words");
	OK(marks_clear(), "the patterns' marks of words kept again and again"
	    " cleared after");
	decision_clear(&d);
	buf_free(&b);

	/* What decided, as a code. */
	decide_text("x", "What is the alpha question?", &d);
	STR_EQ(verdict_names[d.verdict], "reply", "verdict: reply");
	decision_clear(&d);
	decide_text("x", "What is the gamma question?", &d);
	STR_EQ(verdict_names[d.verdict], "person", "verdict: a topic a person"
	    " answers");
	OK(strstr(decision_verdict(&d), "gamma is answered by a person") !=
	    NULL, "and its reason");
	decision_clear(&d);
	decide_text("x", "The alpha question. Tell me the special offer.", &d);
	STR_EQ(verdict_names[d.verdict], "signal", "verdict: a signal");
	decision_clear(&d);
	decide_text("x", "nothing known", &d);
	STR_EQ(verdict_names[d.verdict], "no-keyword", "verdict: no keyword");
	decision_clear(&d);

	/* The reason lines for a person: asked for, or only those that
	 * decided. */
	decide_text("x", "What is the gamma question?", &d);
	OK(has_reason(&d, "gamma 8.0") && has_reason(&d, "language en"),
	    "reasons asked for: each topic's line and the language");
	decision_clear(&d);
	want_detail = 0;
	decide_text("x", "What is the gamma question?", &d);
	OK(d.nreasons == 1 && !has_reason(&d, "gamma 8.0") &&
	    !has_reason(&d, "language"), "reasons not asked for: neither"
	    " the topic's line nor the language");
	OK(decision_verdict(&d) != NULL && strstr(decision_verdict(&d),
	    "gamma is answered by a person") != NULL,
	    "but the verdict's reason");
	decision_clear(&d);
	decide_text("x", "What is the alpha question?", &d);
	OK(d.action == ACT_REPLY && d.nreasons == 0, "a reply: no reason"
	    " line when none is asked for");
	decision_clear(&d);
	want_detail = 1;

	/* Scores are reported for the JSON output. */
	decide_text("x", "the alpha question", &d);
	OK(d.nscores == core->rules->ntopics && d.scores[0] == 8,
	    "scores of every topic");
	decision_clear(&d);
	core_free(core);
	return (tap_done());
}

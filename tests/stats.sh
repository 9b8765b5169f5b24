#!/bin/sh
# "stats" on a journal with known content: per day and per week, by main
# topic, the automatic share, the review queue; --since; --json;
# --prometheus.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

D=$T/stats
maildir_conf "$D"
"$FR" -c "$D/conf.yaml" stats > "$T/out" 2> "$T/err"
[ $? -eq 66 ]; ok $? "no journal yet: EX_NOINPUT"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
"$PY" - "$D/journal.db" <<'PY'
import calendar, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
def t(day, hour=10):
    return calendar.timegm((2025, 3, day, hour, 0, 0))
rows = [  # day, state, topics
    (3, "replied", "sill-reference,bluehats"),
    (3, "review", "markets-coordinator"),
    (3, "ignored", ""),
    (4, "replied", "sill-reference"),
    (4, "review", None),
    (11, "replied", "procurement-ip"),
]
for i, (day, state, topics) in enumerate(rows):
    c.execute("insert into messages (mailbox, msgkey, state, tries, topics, created, updated)"
              " values ('m', ?, ?, 1, ?, ?, ?)", (str(i), state, topics, t(day), t(day)))
# The review queue: of the two messages in review, one waits; an operator
# answered the other, which stays in review among the messages but waits
# no more.
for key, state, day in (("1", "open", 3), ("4", "sent", 4)):
    c.execute("insert into queue (mailbox, msgkey, state, created) values ('m', ?, ?, ?)",
              (key, state, t(day)))
c.commit()
PY
"$FR" -c "$D/conf.yaml" stats --json > "$T/json"
ok $? "stats --json exits 0"
"$PY" - "$T/json" > "$T/out" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert (s["messages"], s["replied"], s["review"], s["ignored"]) == (6, 3, 2, 1), s
assert abs(s["auto_rate"] - 0.6) < 1e-9, s["auto_rate"]
assert [p["period"] for p in s["periods"]] == ["2025-03-03", "2025-03-04", "2025-03-11"], s["periods"]
assert [p["messages"] for p in s["periods"]] == [3, 2, 1]
t = {x["topic"]: x for x in s["topics"]}
assert t["sill-reference"]["replied"] == 2 and t["sill-reference"]["messages"] == 2, t
assert t["(none)"]["messages"] == 2 and t["(none)"]["ignored"] == 1, t
assert t["markets-coordinator"]["review"] == 1, t
assert s["queue"]["size"] == 1 and s["queue"]["oldest"] == "2025-03-03", s["queue"]
assert s["queue"]["age_days"] > 600
PY
ok $? "per day, per main topic, the automatic share and the queue are right"
[ $? -eq 0 ] || sed 's/^/# /' "$T/out"
"$FR" -c "$D/conf.yaml" stats --json --week > "$T/json"
"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))
assert [(p["period"], p["messages"]) for p in s["periods"]] == [("2025-W09", 5), ("2025-W10", 1)], s["periods"]' "$T/json"
ok $? "per week"
"$FR" -c "$D/conf.yaml" stats --json --since 2025-03-04 > "$T/json"
"$PY" -c 'import json, sys
s = json.load(open(sys.argv[1]))
assert (s["messages"], s["replied"]) == (3, 2), s
assert s["queue"]["size"] == 1' "$T/json"
ok $? "--since keeps the later messages; the queue is whole"
"$FR" -c "$D/conf.yaml" stats > "$T/out"
has "$T/out" "2025-03-03          3        1        1        1        50%" "the text form, a day"
has "$T/out" "review queue: 1 message, the oldest from 2025-03-03" "the text form, the queue: what waits, not what was answered"
"$FR" -c "$D/conf.yaml" stats --since yesterday > "$T/out" 2>&1
[ $? -eq 64 ]; ok $? "a bad date: EX_USAGE"

# stats --prometheus: node_exporter's textfile format, checked against the
# format's rules (promtool's checks): HELP and TYPE once before a family's
# samples, names and label names well formed, label values escaped, no
# series twice, no timestamp.
P=$T/prom
maildir_conf "$P"
for f in coordinator.eml interview.eml spoofed.eml utf8-qp.eml; do
	cp "$MSG/$f" "$P/Maildir/new/$f"
done
"$FR" -c "$P/conf.yaml" once --dry-run 2> /dev/null
"$FR" -c "$P/conf.yaml" stats --prometheus > "$T/prom.txt"
ok $? "stats --prometheus exits 0"
has "$T/prom.txt" "floss_responder_last_pass_timestamp_seconds 0" "a dry run is no pass"
before=$(date +%s)
"$FR" -c "$P/conf.yaml" once 2> /dev/null
after=$(date +%s)
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update queue set created = strftime(\"%s\", \"now\") - 3600 * id")
db.execute("insert into messages (mailbox, msgkey, state, tries, topics, created, updated) values (\"m\", \"x\", \"trying\", 1, ?, 1, 1)", ("we\"ird\\to\npic",))
db.commit()' "$P/journal.db"
"$FR" -c "$P/conf.yaml" stats --prometheus > "$T/prom.txt"
sed -e 's/^\(floss_responder_last_pass_timestamp_seconds\) [0-9]*$/\1 N/' \
    -e 's/^\(floss_responder_queue_oldest_age_seconds\) [0-9]*$/\1 N/' "$T/prom.txt" |
    diff -u "$top_srcdir/tests/golden/stats-prometheus.txt" - > "$T/diff"
ok $? "messages by outcome and topic, the queue, the last pass: tests/golden/stats-prometheus.txt"
sed 's/^/# /' "$T/diff" | head -20
"$PY" - "$T/prom.txt" "$before" "$after" > "$T/out" 2>&1 <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
assert text.endswith("\n")
name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
label = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
help_, type_, seen, series, samples = {}, {}, [], set(), {}
for line in text.splitlines():
	m = re.fullmatch(r"# (HELP|TYPE) (" + name + r") (.*)", line)
	if m:
		kind, n, rest = m.groups()
		d = help_ if kind == "HELP" else type_
		assert n not in d, "two %s for %s" % (kind, n)
		assert n not in samples, "%s after the samples of %s" % (kind, n)
		if kind == "TYPE":
			assert rest in ("counter", "gauge", "histogram", "summary", "untyped"), line
		else:
			assert re.fullmatch(r"(?:[^\\]|\\[\\n])*", rest), line
		d[n] = rest
		continue
	assert not line.startswith("#"), line
	m = re.fullmatch("(" + name + r")(?:\{(" + label + r"(?:," + label + r")*)\})? (\S+)", line)
	assert m, "not a sample: %r" % line
	n, labels, value = m.group(1), m.group(2) or "", m.group(m.lastindex)
	float(value)
	assert n in type_ and n in help_, "no TYPE or HELP before %s" % n
	assert not (type_[n] == "gauge" and n.endswith("_total")), n
	ls = re.findall(label, labels)
	assert all(not k.startswith("__") for k, v in ls), line
	assert len({k for k, v in ls}) == len(ls), line
	if seen and seen[-1] != n:
		assert n not in samples, "the samples of %s are not together" % n
	seen.append(n)
	key = (n, tuple(sorted(ls)))
	assert key not in series, "twice: %s" % line
	series.add(key)
	unesc = lambda v: re.sub(r"\\(.)", lambda x: "\n" if x.group(1) == "n" else x.group(1), v)
	samples.setdefault(n, []).append((dict((k, unesc(v)) for k, v in ls), float(value)))
assert set(help_) == set(type_) == set(samples), (help_, type_, samples)
v = lambda n: samples["floss_responder_" + n][0][1]
assert v("queue_messages") == 3, samples
assert 3600 * 3 - 5 <= v("queue_oldest_age_seconds") <= 3600 * 3 + 120, samples
assert int(sys.argv[2]) <= v("last_pass_timestamp_seconds") <= int(sys.argv[3]), samples
m = {(l["outcome"], l["topic"]): x for l, x in samples["floss_responder_messages"]}
assert m[("pending", 'we"ird\\to\npic')] == 1, m
assert m[("review", "markets-coordinator")] == 1 and m[("replied", "sill-referent")] == 1, m
PY
ok $? "the format's rules kept; a label value escaped; the queue's age and the pass's time right"
[ $? -eq 0 ] || sed 's/^/# /' "$T/out"
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update meta set value = 1 where key = \"last_pass\"")
db.commit()' "$P/journal.db"
before=$(date +%s)
"$FR" -c "$P/conf.yaml" once 2> /dev/null
"$FR" -c "$P/conf.yaml" stats --prometheus > "$T/prom.txt"
t=$(sed -n 's/^floss_responder_last_pass_timestamp_seconds //p' "$T/prom.txt")
[ "$t" -ge "$before" ]; ok $? "a pass with nothing new is recorded too"
"$FR" -c "$P/conf.yaml" stats --prometheus --json > "$T/out" 2>&1
[ $? -eq 64 ]; ok $? "--prometheus with --json: EX_USAGE"
done_testing

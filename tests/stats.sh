#!/bin/sh
# "stats" on a journal with known content: per day and per week, by main
# topic, the automatic share, the review queue; --since; --json.
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
assert s["queue"]["size"] == 2 and s["queue"]["oldest"] == "2025-03-03", s["queue"]
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
assert s["queue"]["size"] == 2' "$T/json"
ok $? "--since keeps the later messages; the queue is whole"
"$FR" -c "$D/conf.yaml" stats > "$T/out"
has "$T/out" "2025-03-03          3        1        1        1        50%" "the text form, a day"
has "$T/out" "review queue: 2 messages, the oldest from 2025-03-03" "the text form, the queue"
"$FR" -c "$D/conf.yaml" stats --since yesterday > "$T/out" 2>&1
[ $? -eq 64 ]; ok $? "a bad date: EX_USAGE"
done_testing

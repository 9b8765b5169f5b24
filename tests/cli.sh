#!/bin/sh
# The command line: help, version, usage errors, classify in both forms and
# reply, on the project's own test messages.
. "${top_srcdir:-.}/tests/lib.sh"

"$FR" --help > "$T/out" 2>&1
ok $? "--help exits 0"
has "$T/out" "classify" "--help lists the commands"
"$FR" --version > "$T/out" 2>&1
ok $? "--version exits 0"
has "$T/out" "libetpan" "--version names the libraries"
"$FR" help config > "$T/out" 2>&1
has "$T/out" "classify.threshold (default: 8)" "help config lists the keys with their defaults"
has "$T/out" "classify.follow_ups (default: review)" "help config lists classify.follow_ups"
"$FR" help screening > "$T/out" 2>&1
ok $? "help screening exits 0"
for r in own-address out-of-office phishing lure untrusted-sender follow-up colleague; do
	grep -q "^  [a-z]* *$r " "$T/out"
	ok $? "help screening describes the rule $r"
done
"$FR" frobnicate > "$T/out" 2>"$T/err"
[ $? -eq 64 ]; ok $? "an unknown command exits with EX_USAGE"
[ ! -s "$T/out" ] && [ "$(wc -l < "$T/err")" -eq 2 ]
ok $? "an unknown command: two lines on stderr, not the whole help"
has "$T/err" "unknown command 'frobnicate'" "it names the command"
has "$T/err" "see floss-responder --help" "it says where the help is"
"$FR" > "$T/out" 2>"$T/err"
[ $? -eq 64 ] && [ "$(wc -l < "$T/err")" -eq 1 ]
ok $? "no command: one line of usage, EX_USAGE"
"$FR" --frobnicate > "$T/out" 2>"$T/err"
[ $? -eq 64 ] && [ "$(wc -l < "$T/err")" -eq 2 ]
ok $? "an unknown option: getopt's line and one of usage, EX_USAGE"
"$FR" help frobnicate > "$T/out" 2>"$T/err"
[ $? -eq 64 ] && [ "$(wc -l < "$T/err")" -eq 2 ]
ok $? "help on an unknown subject is an error of usage"
"$FR" -c "$CONF" help topics > "$T/out" 2>&1
ok $? "help topics exits 0"
grep -Eq '^sill-reference +reply +[^ (]' "$T/out"
ok $? "help topics gives an answered topic's action and its reply's title"
grep -Eq '^markets-coordinator +review +\(a person answers\)' "$T/out"
ok $? "help topics says which topics a person answers"
n=$(wc -l < "$T/out")
m=$("$FR" -c "$CONF" check --json 2>/dev/null |
    "${PYTHON:-python3}" -c 'import json, sys; print(json.load(sys.stdin)["topics"])')
[ "$n" -gt 0 ] && [ "$n" = "$m" ]
ok $? "help topics lists the topics, not the signals ($n lines, check says $m topics)"
"$FR" -c "$T/none.yaml" help topics > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "help topics without a configuration: EX_CONFIG"
if [ -w /dev/full ]; then
	"$FR" help completion > /dev/full 2> "$T/err"
	[ $? -eq 74 ]; ok $? "help's output that cannot be written: EX_IOERR"
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no /dev/full"
fi
"$FR" help commands > "$T/out" 2>&1
ok $? "help commands exits 0"
for c in classify reply check once run stats queue purge learn help; do
	grep -q "^  $c " "$T/out"
	ok $? "help commands lists $c"
done
"$FR" --help > "$T/help" 2>&1
has "$T/help" "$(sed -n 1p "$T/out")" "--help lists the commands as help commands does"
"$FR" -c "$CONF" classify > "$T/out" 2>&1
[ $? -eq 64 ]; ok $? "classify without files exits with EX_USAGE"
"$FR" -c "$T/none.yaml" classify "$MSG/utf8-qp.eml" > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "a missing configuration exits with EX_CONFIG"
"$FR" -c "$CONF" classify "$T/none.eml" > "$T/out" 2>"$T/err"
[ $? -eq 66 ]; ok $? "a missing message exits with EX_NOINPUT"
has "$T/err" "none.eml" "and names it"

# classify --json: one object per line, the fields the evaluation reads.
"$FR" -c "$CONF" classify --json "$MSG"/utf8-qp.eml "$MSG"/vacation.eml \
    "$MSG"/coordinator.eml > "$T/json"
ok $? "classify --json exits 0"
[ "$(wc -l < "$T/json")" -eq 3 ]; ok $? "one line per message"
if command -v "${PYTHON:-python3}" >/dev/null 2>&1; then
	"${PYTHON:-python3}" - "$T/json" > "$T/out" 2>&1 <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["action"] for r in rows] == ["reply", "ignore", "review"], rows
assert rows[0]["topics"] == ["sill-referent"] and rows[0]["lang"] == "fr"
assert rows[1]["topics"] == [] and rows[1]["rule"] == "auto-submitted"
assert rows[2]["topics"][0] == "markets-coordinator"
assert all(set(r) >= {"file", "action", "topics", "lang", "scores", "reasons"} for r in rows)
assert rows[0]["scores"]["sill-referent"] >= 8
assert any("sill-referent" in x for x in rows[0]["reasons"])
print("json ok")
PY
	ok $? "the JSON objects hold what the evaluation reads"
fi

# The sentences that carried a keyword, which ask, and each topic's
# evidence: two numbered questions after an intro are two sentences that
# ask, each with its topic.
"$FR" -c "$CONF" classify --json "$MSG"/multi-topic.eml > "$T/json2"
ok $? "classify --json on two numbered questions"
if command -v "${PYTHON:-python3}" >/dev/null 2>&1; then
	"${PYTHON:-python3}" - "$T/json2" > "$T/out" 2>&1 <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
body = [s for s in r["sentences"] if s["field"] == "body"]
asks = [s for s in body if s["asks"]]
assert len(asks) >= 2, body
assert any("cession" in s["text"] and s["mark"] == "?" for s in asks), asks
assert any("licence" in s["text"] and s["mark"] == "?" for s in asks), asks
assert r["sentences"][0]["field"] == "subject" and r["sentences"][0]["asks"]
assert r["evidence"]["procurement-ip"].startswith("procurement-ip ")
assert r["evidence"]["procurement-license"].startswith("procurement-license ")
print("explain ok")
PY
	ok $? "classify --json shows the sentences, which ask, and the evidence"
fi

# A long sentence of another script is cut between characters: the JSON
# stays UTF-8.
{
	printf 'From: a@b.example\r\nSubject: SILL\r\n\r\nabcd '
	i=0
	while [ $i -lt 40 ]; do printf '\320\277\321\200\320\270 '; i=$((i + 1)); done
	printf 'SILL ?\r\n'
} > "$T/cyr.eml"
"$FR" -c "$CONF" classify --json "$T/cyr.eml" > "$T/json3"
if command -v "${PYTHON:-python3}" >/dev/null 2>&1; then
	"${PYTHON:-python3}" -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$T/json3"
	ok $? "a long sentence of another script: valid UTF-8 JSON"
fi

# Standard input.
"$FR" -c "$CONF" classify - < "$MSG/latin1-qp.eml" > "$T/out"
has "$T/out" "-: reply sill-equivalent [fr]" "a message on standard input"

# reply: the message, or why there is none.
"$FR" -c "$CONF" reply "$MSG/utf8-qp.eml" > "$T/reply"
ok $? "reply prints a reply and exits 0"
has "$T/reply" "Auto-Submitted: auto-replied" "the reply is a complete message"
has "$T/reply" "In-Reply-To: <utf8qp@agence.example.fr>" "threaded"
"$FR" -c "$CONF" reply "$MSG/vacation.eml" > "$T/out"
[ $? -eq 1 ]; ok $? "no reply to an auto-reply: exit 1"
has "$T/out" "no reply: ignore" "and says so"
has "$T/out" "auto-submitted: Auto-Submitted: auto-replied" "with the rule that fired"
"$FR" -c "$CONF" reply "$MSG/coordinator.eml" > "$T/out"
[ $? -eq 1 ]; ok $? "a question for a person: no reply"
has "$T/out" "markets-coordinator is answered by a person" "and why"
"$FR" -c "$CONF" reply --suggest "$MSG/coordinator.eml" > "$T/out"
ok $? "--suggest composes a draft for a person"
has "$T/out" "Subject: Re: Contact de notre coordinateur" "the draft is a reply"
done_testing

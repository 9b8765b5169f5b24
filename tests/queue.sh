#!/bin/sh
# The review queue from the command line, on a local Maildir with an outbox:
# list (one line each, or JSON), show, send (the suggestion, or topics
# chosen), dismiss, who and when
# recorded, unknown and already-handled ids refused, and two operators
# sending the same entry at once send one reply.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

D=$T/q
maildir_conf "$T/empty"
"$FR" -c "$T/empty/conf.yaml" queue list > "$T/out"
[ "$(cat "$T/out")" = "review queue: empty" ]; ok $? "an empty queue says so"
"$FR" -c "$T/empty/conf.yaml" queue list --json > "$T/out"
[ ! -s "$T/out" ]; ok $? "in JSON, nothing"
maildir_conf "$D"
i=0
for f in coordinator.eml no-auto-response.eml spoofed.eml interview.eml utf8-qp.eml; do
	i=$((i + 1))
	cp "$MSG/$f" "$D/Maildir/new/$((1700000000 + i)).M$i.q"
done
"$FR" -c "$D/conf.yaml" once
outbox() { ls "$D/outbox/new" 2>/dev/null | wc -l | tr -d ' '; }
sql() {
	"$PY" -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print(r[0] if r else "")' "$D/journal.db" "$1"
}
[ "$(outbox)" -eq 1 ]; ok $? "one message answered automatically, four filed for a person"

# The list at a glance: one line an entry under a header, its age, the
# subject cut to fit the terminal, why as a short code; --json in full.
# The entries are made to have waited one to four days.
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update queue set created = strftime(\"%s\", \"now\") - id * 90000")
db.commit()' "$D/journal.db"
COLUMNS=100 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
ok $? "queue list exits 0"
[ "$(grep -c '^[0-9]' "$T/out")" -eq 4 ]; ok $? "it lists the four"
diff -u "$top_srcdir/tests/golden/queue-list.txt" "$T/out" > "$T/diff"
ok $? "one line each, aligned, as tests/golden/queue-list.txt"
sed 's/^/# /' "$T/diff" | head -20
# width FILE COLUMNS: every line valid UTF-8, none wider than COLUMNS.
width() {
	"$PY" -c 'import sys, unicodedata
w = int(sys.argv[2])
for l in open(sys.argv[1], "rb").read().decode("utf-8").splitlines():
	n = sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
	assert n <= w, (n, l)' "$1" "$2"
}
width "$T/out" 100; ok $? "no line wider than the terminal, no character cut"
COLUMNS=80 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
has "$T/out" "Contact de notre…  markets-coordin…" "on 80 columns, the subject and the topics are cut"
width "$T/out" 80; ok $? "and the line fits"
COLUMNS=200 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
has "$T/out" "Contact de notre coordinateur  " "on 200 columns, whole"
# Wide characters take two columns, combining marks none: a subject in
# Japanese, or written with combining accents, is cut between characters
# and the line still fits.
maildir_conf "$T/wide"
cp "$D/journal.db" "$T/wide/journal.db"
"$PY" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for i, subject in ((1, "=?UTF-8?B?5pel5pys6Kqe44Gu5Lu25ZCN44Gn44GZ44CC44K944OV44OI44Km44Kn44Ki44Gr44Gk44GE44Gm?="),
    (2, "=?UTF-8?Q?Re=CC=81fe=CC=81rencer_de=CC=81ja=CC=80_notre_logiciel_libre_dans_le_catalogue?=")):
	raw = db.execute("select raw from queue where id = ?", (i,)).fetchone()[0]
	raw = b"\n".join(b"Subject: " + subject.encode() if l.lower().startswith(b"subject:") else l for l in raw.split(b"\n"))
	db.execute("update queue set raw = ? where id = ?", (raw, i))
db.commit()' "$T/wide/journal.db"
fits=0
for c in 80 100 130; do
	COLUMNS=$c "$FR" -c "$T/wide/conf.yaml" queue list > "$T/out"
	width "$T/out" $c || fits=1
done
[ $fits -eq 0 ]; ok $? "wide and combining characters: each line fits, no character cut"
has "$T/out" "日本語の件名です。" "the Japanese subject shown"
"$FR" -c "$D/conf.yaml" queue list --json > "$T/out"
ok $? "queue list --json exits 0"
sed -e 's/"created": "[^"]*"/"created": T/' -e 's/"age": [0-9]*/"age": N/' "$T/out" |
    diff -u "$top_srcdir/tests/golden/queue-list.json" - > "$T/diff"
ok $? "one object a line, as tests/golden/queue-list.json"
sed 's/^/# /' "$T/diff" | head -20
"$PY" -c 'import json, sys, time, calendar
now = time.time()
for l in open(sys.argv[1]):
	e = json.loads(l)
	c = calendar.timegm(time.strptime(e["created"], "%Y-%m-%dT%H:%M:%SZ"))
	assert abs(now - e["id"] * 90000 - c) < 60, e
	assert abs(now - c - e["age"]) < 60, e' "$T/out"
ok $? "with when each came, and its age in seconds"

"$FR" -c "$D/conf.yaml" queue show 2 > "$T/out"
ok $? "queue show exits 0"
has "$T/out" "Comment référencer notre logiciel dans le SILL ?" "it shows the question"
has "$T/out" "suggested reply (sill-reference, fr)" "and the suggested reply"
has "$T/out" "Référencer un logiciel libre dans le SILL" "in full"

"$FR" -c "$D/conf.yaml" queue send 2 --by alice > "$T/out"
ok $? "queue send exits 0"
[ "$(outbox)" -eq 2 ]; ok $? "the suggested reply is sent"
grep -l "Subject: Re: =?UTF-8?B?\|Subject: Re: R" "$D"/outbox/new/* > /dev/null
[ "$(sql "select state || ' ' || handled_by from queue where id = 2")" = "sent alice" ]
ok $? "recorded as sent by alice"
[ -n "$(sql "select reply_id from queue where id = 2")" ]; ok $? "with the reply's Message-ID"
"$FR" -c "$D/conf.yaml" queue send 2 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "sending it again: refused"
has "$T/err" "is sent already by alice" "and says by whom"
[ "$(outbox)" -eq 2 ]; ok $? "nothing sent twice"

"$FR" -c "$D/conf.yaml" queue send 1 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "a topic only a person answers has no suggestion to send"
has "$T/err" "no fr reply for the topic 'markets-coordinator'" "it says so"
"$FR" -c "$D/conf.yaml" queue send 1 --topic markets-beneficiaries --topic markets-software --lang en --by gaston > "$T/out"
ok $? "sending the topics an operator chose"
f=$(ls -t "$D"/outbox/new/* | head -1)
grep -q "Content-Language: en" "$f"; ok $? "in the language chosen"
grep -q "The beneficiaries of the support and expertise markets" "$f" 2>/dev/null ||
    "$PY" -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
t = m.get_body(("plain",)).get_content()
assert "The beneficiaries of the support" in t and "The software covered" in t' "$f"
ok $? "with a section for each topic chosen"
[ "$(sql "select topics || ' ' || lang from queue where id = 1")" = "markets-beneficiaries,markets-software en" ]
ok $? "the entry records the topics and language sent, not the suggestion"
[ "$(sql "select m.topics || ' ' || m.state || ' ' || (m.reply_id = q.reply_id) from messages m join queue q using (mailbox, msgkey) where q.id = 1")" = "markets-beneficiaries,markets-software review 1" ]
ok $? "so does the message's row, with the reply's id"
[ "$(sql "select group_concat(topic || ' ' || operator, ',') from (select * from replies where reply_id = (select reply_id from queue where id = 1) order by topic)")" = "markets-beneficiaries gaston,markets-software gaston" ]
ok $? "the reply history has the topics sent, and who sent them"
"$FR" -c "$D/conf.yaml" stats --json > "$T/out"
"$PY" -c 'import json, sys
t = {x["topic"]: x for x in json.load(open(sys.argv[1]))["topics"]}
assert t["markets-beneficiaries"]["review"] == 1, t
assert "markets-coordinator" not in t, t' "$T/out"
ok $? "stats counts the message under the topic sent"

"$FR" -c "$D/conf.yaml" queue dismiss 3 --by bob > "$T/out"
ok $? "queue dismiss exits 0"
[ "$(sql "select state || ' ' || handled_by from queue where id = 3")" = "dismissed bob" ]
ok $? "recorded as dismissed by bob"
"$FR" -c "$D/conf.yaml" queue list > "$T/out"
[ "$(grep -c '^[0-9]' "$T/out")" -eq 1 ]; ok $? "one entry left open"
"$FR" -c "$D/conf.yaml" queue list --all > "$T/out"
[ "$(grep -c '^[0-9]' "$T/out")" -eq 4 ]; ok $? "--all lists the four"

"$FR" -c "$D/conf.yaml" queue show 99 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "an unknown id: EX_DATAERR"
has "$T/err" "no message 99 in the review queue" "with a clear message"
"$FR" -c "$D/conf.yaml" queue send abc > "$T/out" 2>&1
[ $? -eq 64 ]; ok $? "an id that is not a number: EX_USAGE"

# queue edit: the Markdown in $EDITOR (a script here), then what was saved.
TMPDIR=$T/tmp; export TMPDIR; mkdir -p "$TMPDIR"
cp "$MSG/coordinator.eml" "$D/Maildir/new/1700000100.M100.q"
"$FR" -c "$D/conf.yaml" once
[ "$(sql "select count(*) from queue where state = 'open'")" -eq 2 ]; ok $? "a fifth entry waits"
before=$(outbox)
EDITOR=false VISUAL= "$FR" -c "$D/conf.yaml" queue edit 5 > "$T/out" 2> "$T/err"
[ $? -eq 75 ]; ok $? "the editor fails: EX_TEMPFAIL"
has "$T/err" "the editor failed: nothing sent" "it says so"
[ "$(outbox)" -eq "$before" ]; ok $? "and nothing is sent"
EDITOR="sh -c ': > \"\$0\"'" VISUAL= "$FR" -c "$D/conf.yaml" queue edit 5 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "a reply left empty: refused"
has "$T/err" "left empty: nothing sent" "it says so"
[ "$(sql "select state from queue where id = 5")" = "open" ]; ok $? "the entry stays open"
E=$T/editor.sh
cat > "$E" <<'SH'
#!/bin/sh
# Keeps a copy of what it was given, then writes the operator's reply.
cp "$1" "$EDITOR_SAW"
printf 'Bonjour,\n\nVoici **notre réponse** : <https://code.gouv.fr/sill>.\n\nL’équipe\n' > "$1"
SH
chmod +x "$E"
before=$(outbox)
EDITOR_SAW=$T/saw.md EDITOR="$E" VISUAL= "$FR" -c "$D/conf.yaml" queue edit 5 --topic ospo-list --by frank > "$T/out" 2> "$T/err"
ok $? "queue edit exits 0"
has "$T/saw.md" "## " "the editor is given the suggested reply's Markdown"
[ "$(outbox)" -eq $((before + 1)) ]; ok $? "what was saved is sent"
f=$(ls -t "$D"/outbox/new/* | head -1)
"$PY" -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
t = m.get_body(("plain",)).get_content()
h = m.get_body(("html",)).get_content()
assert "Voici notre réponse" in t or "Voici **notre réponse**" in t, t
assert "<strong>notre réponse</strong>" in h, h
assert "## " not in t and "Listes" not in t
assert m["In-Reply-To"] and m["References"]' "$f"
ok $? "the edited text, in both parts, threaded"
[ "$(sql "select state || ' ' || handled_by from queue where id = 5")" = "sent frank" ]
ok $? "recorded as sent by frank"
EDITOR=false "$FR" -c "$D/conf.yaml" queue edit 5 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "editing a handled entry: refused"
has "$T/err" "is sent already by frank" "with a clear message"

# Two operators at once on the same entry: one reply.
before=$(outbox)
"$FR" -c "$D/conf.yaml" queue send 4 --topic ospo-list --by carol > "$T/o1" 2> "$T/e1" &
"$FR" -c "$D/conf.yaml" queue send 4 --topic ospo-list --by dave > "$T/o2" 2> "$T/e2"
s2=$?
wait $!
s1=$?
[ "$(outbox)" -eq $((before + 1)) ]; ok $? "two sends of one entry at once: one reply ($s1, $s2)"
{ [ $s1 -eq 0 ] && [ $s2 -eq 65 ]; } || { [ $s1 -eq 65 ] && [ $s2 -eq 0 ]; }
ok $? "one succeeds, the other is told it was handled"

# A person's reply (queue send, queue edit) is not an automatic one: no
# Auto-Submitted, the identity as envelope sender, no sentence saying it was
# sent automatically; the automatic reply still has all three.
cat > "$T/sendmail" <<'SH'
#!/bin/sh
n=$(ls "$(dirname "$0")"/sent.*.eml 2>/dev/null | wc -l)
printf '%s\n' "$*" > "$(dirname "$0")/sent.$n.args"
cat > "$(dirname "$0")/sent.$n.eml"
SH
chmod +x "$T/sendmail"
P=$T/person
DELIVERY=sendmail DPATH="$T/sendmail" maildir_conf "$P"
cp "$MSG/utf8-qp.eml" "$P/Maildir/new/1700000001.M1.p"
cp "$MSG/interview.eml" "$P/Maildir/new/1700000002.M2.p"
cp "$MSG/coordinator.eml" "$P/Maildir/new/1700000003.M3.p"
"$FR" -c "$P/conf.yaml" once
[ -s "$T/sent.0.eml" ]; ok $? "one automatic reply, two messages filed for a person"
"$FR" -c "$P/conf.yaml" queue send 1 --by hugo > "$T/out"
ok $? "queue send through sendmail exits 0"
EDITOR_SAW=$T/saw2.md EDITOR="sh -c 'cp \"\$0\" \"\$EDITOR_SAW\"'" VISUAL= "$FR" -c "$P/conf.yaml" queue edit 2 --topic markets-beneficiaries --by hugo > "$T/out"
ok $? "queue edit through sendmail exits 0 (the suggestion sent as it was)"
person() {	# person N WHAT: the Nth message sent is a person's reply
	"$PY" - "$T/sent.$1.eml" "$T/sent.$1.args" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
args = open(sys.argv[2]).read().split()
t = m.get_body(("plain",)).get_content()
h = m.get_body(("html",)).get_content()
assert args[:3] == ["-i", "-f", "floss@numerique.gouv.fr"], args
assert m["Auto-Submitted"] is None and m["X-Auto-Response-Suppress"] is None, m["Auto-Submitted"]
assert "automatiquement" not in t + h and "automatically" not in t + h, t
assert "il nous semble poser" not in t and "it seems to ask" not in t, t
assert "répondez à ce message : une personne vous dira" not in t, t
assert "Bien cordialement" in t and "Votre message" in t, t
PY
}
"$PY" - "$T/sent.0.eml" "$T/sent.0.args" <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
args = open(sys.argv[2]).read().split()
t = m.get_body(("plain",)).get_content()
assert args[:3] == ["-i", "-f", "<>"], args
assert m["Auto-Submitted"] == "auto-replied", m["Auto-Submitted"]
assert "Cette réponse a été envoyée automatiquement" in t, t
PY
ok $? "the automatic reply: null envelope sender, Auto-Submitted, says it is automatic"
person 1; ok $? "queue send: the identity as envelope sender, no Auto-Submitted, no automatic sentence"
person 2; ok $? "queue edit: the same"
! grep -q "automatiquement\|il nous semble poser" "$T/saw2.md"; ok $? "the Markdown given to the editor does not say it is automatic"
"$FR" -c "$P/conf.yaml" queue show 1 > "$T/out"
grep -q "suggested reply" "$T/out" && ! grep -q "automatiquement" "$T/out"
ok $? "nor does the suggested reply queue show prints"

# What queue prints cannot drive the operator's terminal: the escape
# sequences, BEL, C1 controls and DEL of a message are shown, not sent.
V=$T/vis
maildir_conf "$V" "approval:
  all: yes"
"$PY" - "$MSG/utf8-qp.eml" "$V/Maildir/new/1700000001.M1.v" <<'PY'
import sys
m = open(sys.argv[1], "rb").read()
m = m.replace(b"\nSubject: ", b"\nSubject: =?UTF-8?Q?=1B[31m=07=C2=9B=7F?= ", 1)
head, body = m.split(b"\n\n", 1) if b"\r\n\r\n" not in m else m.split(b"\r\n\r\n", 1)
sep = b"\r\n\r\n" if b"\r\n\r\n" in m else b"\n\n"
head = head.replace(b"Content-Transfer-Encoding: quoted-printable", b"Content-Transfer-Encoding: 8bit")
body = b"\x1b[31mRouge\x1b[0m \x07 \xc2\x9b" b"2J \x7f\x1b]0;titre\x07\n\n" + body
open(sys.argv[2], "wb").write(head + sep + body)
PY
"$FR" -c "$V/conf.yaml" once
"$FR" -c "$V/conf.yaml" queue show 1 > "$T/vis.show"
ok $? "queue show of a message full of control characters exits 0"
"$FR" -c "$V/conf.yaml" queue list > "$T/vis.list"
raw() {	# raw FILE: it holds a control byte other than newline and tab
	"$PY" -c 'import re, sys
t = open(sys.argv[1], "rb").read()
sys.exit(0 if re.search(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", t) else 1)' "$1"
}
! raw "$T/vis.show"; ok $? "queue show prints no raw control byte"
! raw "$T/vis.list"; ok $? "nor does queue list"
has "$T/vis.show" "^[[31mRouge^[[0m ^G <U+009B>2J ^?^[]0;titre^G" "the body's controls are shown as less shows them"
has "$T/vis.show" "<U+009B> Devenir" "and the subject's"

# Approval mode: every would-be automatic reply waits, with its suggestion.
A=$T/approval
maildir_conf "$A" "approval:
  all: yes"
"$FR" -c "$A/conf.yaml" classify "$MSG/utf8-qp.eml" > "$T/out"
has "$T/out" "review sill-referent" "approval: classify shows review, the topic kept"
has "$T/out" "approval: every automatic reply waits for a person" "and why"
cp "$MSG/utf8-qp.eml" "$A/Maildir/new/1700000001.M1.a"
"$FR" -c "$A/conf.yaml" once
[ "$(ls "$A/outbox/new" 2>/dev/null | wc -l)" -eq 0 ]; ok $? "approval: nothing sent by itself"
"$FR" -c "$A/conf.yaml" queue send 1 --by erin > "$T/out"
ok $? "approval: the operator sends the suggestion"
[ "$(ls "$A/outbox/new" | wc -l)" -eq 1 ]; ok $? "approval: one reply"
# Per topic.
sed -i 's/^  all: yes/  topics: [sill-referent]/' "$A/conf.yaml"
"$FR" -c "$A/conf.yaml" classify "$MSG/utf8-qp.eml" "$MSG/latin1-qp.eml" > "$T/out"
has "$T/out" "utf8-qp.eml: review sill-referent" "approval per topic: that topic waits"
has "$T/out" "latin1-qp.eml: reply sill-equivalent" "the others are answered"
sed -i 's/^  topics: \[sill-referent\]/  topics: [no-such-topic]/' "$A/conf.yaml"
"$FR" -c "$A/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "approval.topics naming no topic: refused by check"
has "$T/out" "approval.topics: no topic 'no-such-topic'" "with the name"
done_testing

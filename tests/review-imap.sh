#!/bin/sh
# The review queue in the mailbox, against a real Dovecot and SMTP server:
# a message filed for a person is copied (or moved) to review.folder, named
# as a mail client shows it ("À relire", modified UTF-7 on the wire), and
# the reply it would have sent waits in review.drafts as a \Draft, threaded,
# from the configured identity, with both parts and no Auto-Submitted.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start

sql() {	# sql DIR QUERY: the first column of the first row, from DIR's journal
	"$PY" -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print(r[0] if r else "")' "$1/journal.db" "$2"
}

D=$T/review
lab_conf "$D" "review:
  folder: À relire
  drafts: Brouillons"
for f in coordinator.eml interview.eml utf8-qp.eml; do
	lab_deliver $f
done
"$FR" -vv -c "$D/conf.yaml" once > "$T/out" 2>&1
ok $? "once exits 0"
[ "$(lab_sunk)" -eq 1 ]; ok $? "one message answered automatically"
[ "$(lab_imap 'print(count("INBOX"))')" -eq 3 ]; ok $? "copied: the INBOX keeps its three messages"
[ "$(lab_imap 'print(count("&AMA- relire"))')" -eq 2 ]
ok $? "the two for a person are in 'À relire' (&AMA- relire on the wire)"
[ "$(lab_imap 'print(count("Brouillons"))')" -eq 1 ]
ok $? "one draft: the message with a suggestion (the coordinator's has none)"
lab_imap '
count("Brouillons")
typ, data = m.fetch("1", "(FLAGS BODY.PEEK[])")
flags = data[0][0].decode()
assert "\\Draft" in flags, flags
d = email.message_from_bytes(data[0][1], policy=email.policy.default)
assert d["In-Reply-To"] == "<interview@agence.example.fr>", d["In-Reply-To"]
assert "<interview@agence.example.fr>" in d["References"]
assert d["To"].addresses[0].addr_spec == "camille.martin@agence.example.fr", d["To"]
assert "floss@" in d["From"], d["From"]
assert d["Subject"].startswith("Re: Demande"), d["Subject"]
assert d["Auto-Submitted"] is None and d["X-Auto-Response-Suppress"] is None
assert d.get_content_type() == "multipart/alternative"
t = d.get_body(("plain",)).get_content()
h = d.get_body(("html",)).get_content()
assert "OSPO" in t and "<h2>" in h, (t[:200], h[:200])
assert "automatiquement" not in t + h and "automatically" not in t + h, t
assert "il nous semble poser" not in t and "it seems to ask" not in t, t
' > "$T/out" 2>&1
st=$?
ok $st "the draft parsed back: \\Draft, threaded, to the sender, from the identity, both parts, no Auto-Submitted, not said automatic"
[ $st -eq 0 ] || sed 's/^/# /' "$T/out"

# sent() N: the Nth message the SMTP server got (0 the first) is a
# person's reply (PERSON=1: the identity as envelope sender, no
# Auto-Submitted, no automatic sentence) or an automatic one.
sent() {
	"$PY" - "$SINK" "$1" "${PERSON:-0}" <<'PY'
import email, email.policy, glob, json, sys
n, person = int(sys.argv[2]), sys.argv[3] == "1"
f = sorted(glob.glob(sys.argv[1] + "/*.eml"))[n]
env = json.load(open(f[:-4] + ".json"))
m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
t = m.get_body(("plain",)).get_content()
said = "automatiquement" in t or "automatically" in t or "il nous semble poser" in t
if person:
    assert env["mail_from"] == "floss@numerique.gouv.fr", env
    assert m["Auto-Submitted"] is None and not said, (m["Auto-Submitted"], t)
else:
    assert env["mail_from"] == "<>", env
    assert m["Auto-Submitted"] == "auto-replied" and said, (m["Auto-Submitted"], t)
PY
}
sent 0; ok $? "the automatic reply: null envelope sender, Auto-Submitted, says it is automatic"

"$FR" -c "$D/conf.yaml" once
[ "$(lab_imap 'print(count("&AMA- relire"))')" -eq 2 ]; ok $? "a second run files nothing twice"
[ "$(lab_imap 'print(count("Brouillons"))')" -eq 1 ]; ok $? "nor drafts anything twice"

# From the command line, shown in the mailbox.
before=$(lab_sunk)
"$FR" -c "$D/conf.yaml" queue send 2 --by claire > "$T/out" 2>&1
ok $? "queue send over SMTP exits 0"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "the reply reached the SMTP server"
PERSON=1 sent "$before"
ok $? "from the identity (MAIL FROM), without Auto-Submitted nor the automatic sentence"
[ "$(lab_imap 'print(search("INBOX", "ANSWERED"), search("&AMA- relire", "ANSWERED"))')" = "1 1" ]
ok $? "the message is \\Answered in the INBOX and in the review folder"
[ "$(lab_imap 'print(count("Brouillons"))')" -eq 0 ]; ok $? "its draft is gone"
[ "$(sql "$D" "select state || ' ' || handled_by || ' ' || (reply_id is not null) from queue where id = 2")" = "sent claire 1" ]
ok $? "the journal: sent by claire, with the reply's Message-ID"
"$FR" -c "$D/conf.yaml" queue dismiss 1 --by claire > "$T/out" 2>&1
ok $? "queue dismiss exits 0"
[ "$(lab_imap 'print(search("INBOX", "KEYWORD $FlossDismissed"), search("&AMA- relire", "KEYWORD $FlossDismissed"))')" = "1 1" ]
ok $? "a dismissed message carries \$FlossDismissed, in both folders"
"$FR" -c "$D/conf.yaml" queue send 1 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "an already-handled id: refused"
[ "$(sql "$D" "select state || ' ' || handled_by from queue where id = 1")" = "dismissed claire" ]
ok $? "the journal: dismissed by claire"
has "$T/err" "is dismissed already by claire" "with a clear message"
"$FR" -c "$D/conf.yaml" queue send 99 > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "an unknown id: refused"
has "$T/err" "no message 99 in the review queue" "with a clear message"

# Moved rather than copied.
printf '  move: yes\n' >> "$D/conf.yaml"
lab_deliver interview.eml
"$FR" -c "$D/conf.yaml" once
ok $? "once with review.move exits 0"
[ "$(lab_imap 'print(count("&AMA- relire"))')" -eq 3 ]; ok $? "moved: it is in the review folder"
[ "$(lab_imap 'print(count("INBOX"))')" -eq 3 ]; ok $? "and no longer in the INBOX"
[ "$(lab_imap 'print(count("Brouillons"))')" -eq 1 ]; ok $? "with its draft"

# Answered from a mail client: the operator sends the draft (over SMTP, as
# the client would) and the client sets \Answered on the message in the
# review folder.  The next pass takes it out of the queue, its draft goes.
lab_deliver interview.eml
"$FR" -c "$D/conf.yaml" once
COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
id=$(sed -n 's/^\([0-9][0-9]*\) .*Demande d.entretien.*/\1/p' "$T/out" | tail -1)
[ -n "$id" ]; ok $? "a new interview request waits in the queue ($id)"
before=$(lab_sunk)
lab_imap '
import smtplib
count("Brouillons")
typ, data = m.uid("SEARCH", None, "HEADER", "In-Reply-To", "<interview@agence.example.fr>")
uid = data[0].split()[-1]
typ, data = m.uid("FETCH", uid, "(BODY.PEEK[])")
s = smtplib.SMTP("127.0.0.1", '"$SMTP_PORT"')
s.sendmail("floss@numerique.gouv.fr", ["camille.martin@agence.example.fr"], data[0][1])
s.quit()
m.select("\"&AMA- relire\"")
typ, data = m.uid("SEARCH", None, "UNKEYWORD", "$FlossClosed", "HEADER", "Message-ID", "<interview@agence.example.fr>")
for u in data[0].split():
    m.uid("STORE", u, "+FLAGS", "(\\Answered)")
' > "$T/out" 2>&1
st=$?
ok $st "the draft sent over SMTP, \\Answered set by the client"
[ $st -eq 0 ] || sed 's/^/# /' "$T/out"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "(the SMTP server has it)"
"$FR" -v -c "$D/conf.yaml" once > "$T/out" 2>&1
ok $? "the next pass exits 0"
has "$T/out" "answered from a mail client" "it says the message left the queue"
COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list --all > "$T/out"
grep "^$id " "$T/out" | grep -q " answered "; ok $? "the entry is recorded as answered"
COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
grep -q "^$id " "$T/out"; [ $? -ne 0 ]; ok $? "and no longer listed as waiting"
[ "$(lab_imap 'print(search("Brouillons", "HEADER In-Reply-To <interview@agence.example.fr>"))')" -eq 0 ]
ok $? "its draft is gone"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "the responder sent nothing itself"
"$FR" -c "$D/conf.yaml" queue send "$id" > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "sending it from the command line after: refused"

# As Thunderbird or neomutt do it: the draft sent over SMTP, then moved
# out of Drafts into Sent -- no \Answered.  "queue send" looks at the
# mailbox first and refuses, with no pass in between.
# qid SUBJECT-WORD: the newest open entry whose line has that word.
qid() { COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list | sed -n "s/^\([0-9][0-9]*\) .*$1.*/\1/p" | tail -1; }
# client_send MSGID DISPOSE: the draft answering MSGID sent over SMTP,
# then moved to Sent ("move") or deleted ("delete") from Drafts.
client_send() {
	lab_imap '
import smtplib
m.create("Sent")
m.select("Brouillons")
typ, data = m.uid("SEARCH", None, "HEADER", "In-Reply-To", "'"$1"'")
uid = data[0].split()[-1]
typ, data = m.uid("FETCH", uid, "(BODY.PEEK[])")
s = smtplib.SMTP("127.0.0.1", '"$SMTP_PORT"')
s.sendmail("floss@numerique.gouv.fr", ["camille.martin@agence.example.fr"], data[0][1])
s.quit()
if "'"$2"'" == "move":
    m.uid("MOVE", uid, "Sent")
else:
    m.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
    m.expunge()
'
}
sed 's/^Message-ID: <interview@/Message-ID: <interview-client@/' "$MSG/interview.eml" \
    > "$MAILDIR/new/1700000901.M901.lab"
chown 65534:65534 "$MAILDIR/new/1700000901.M901.lab"
"$FR" -c "$D/conf.yaml" once
id=$(qid "Demande d.entretien")
[ -n "$id" ]; ok $? "another interview request waits in the queue ($id)"
before=$(lab_sunk)
client_send "<interview-client@agence.example.fr>" move > "$T/out" 2>&1
ok $? "the draft sent over SMTP and moved to Sent, as a client does"
[ $? -eq 0 ] || sed 's/^/# /' "$T/out"
"$FR" -c "$D/conf.yaml" queue send "$id" > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "queue send, with no pass since: refused"
has "$T/err" "answered from a mail client" "it says the message was answered from a mail client"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "no second reply"
COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list --all > "$T/out"
grep "^$id " "$T/out" | grep -q " answered "; ok $? "the entry is recorded as answered"

# The draft sent and deleted from Drafts (nothing kept in Sent): the next
# pass closes the entry.
sed 's/^Message-ID: <interview@/Message-ID: <interview-gone@/' "$MSG/interview.eml" \
    > "$MAILDIR/new/1700000902.M902.lab"
chown 65534:65534 "$MAILDIR/new/1700000902.M902.lab"
"$FR" -c "$D/conf.yaml" once
id=$(qid "Demande d.entretien")
[ -n "$id" ]; ok $? "a third interview request waits in the queue ($id)"
client_send "<interview-gone@agence.example.fr>" delete > "$T/out" 2>&1
ok $? "its draft sent over SMTP, then deleted from Drafts"
"$FR" -v -c "$D/conf.yaml" once > "$T/out" 2>&1
has "$T/out" "<interview-gone@agence.example.fr>: answered from a mail client" "the next pass closes it: its draft is gone"
"$FR" -c "$D/conf.yaml" queue send "$id" > "$T/out" 2> "$T/err"
[ $? -eq 65 ]; ok $? "and queue send refuses it"

# A folder the server refuses: logged, the message still waits in the queue.
lab_conf "$T/bad" "review:
  folder: \"~/../outside\""
lab_deliver coordinator.eml
"$FR" -vv -c "$T/bad/conf.yaml" once > "$T/out" 2>&1
ok $? "a folder that cannot be filed into does not stop the run"
has "$T/out" "filing for review: UID COPY" "it is logged, with the server's answer"
COLUMNS=300 "$FR" -c "$T/bad/conf.yaml" queue list > "$T/out"
has "$T/out" "Contact de notre coordinateur" "and the message still waits in the queue"

# Approval mode: the reply it would have sent waits as a draft, unsent.
lab_conf "$T/appr" "review:
  drafts: Brouillons
approval:
  all: yes"
before=$(lab_sunk)
drafts=$(lab_imap 'print(count("Brouillons"))')
lab_deliver english.eml
"$FR" -c "$T/appr/conf.yaml" once
ok $? "once in approval mode exits 0"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "approval: nothing sent by itself"
[ "$(lab_imap 'print(count("Brouillons"))')" -eq $((drafts + 1)) ]; ok $? "approval: the reply waits in Drafts"

# The command line against the real servers: list, show, edit, and two
# operators sending the same entry at once.
lab_deliver latin1-qp.eml
lab_deliver multi-topic.eml
"$FR" -c "$T/appr/conf.yaml" once
COLUMNS=300 "$FR" -c "$T/appr/conf.yaml" queue list > "$T/out"
[ "$(grep -c '^[0-9]' "$T/out")" -eq 3 ]; ok $? "queue list: the three waiting for approval"
has "$T/out" " approval" "with why, as a short code"
"$FR" -c "$T/appr/conf.yaml" queue list --json > "$T/out"
has "$T/out" "approval: every automatic reply waits for a person" "and in full in JSON"
"$FR" -c "$T/appr/conf.yaml" queue show 1 > "$T/out"
has "$T/out" "---- suggested reply" "queue show: the suggested reply"
E=$T/editor.sh
printf '#!/bin/sh\nprintf "Hello,\\n\\nHere is *our* answer.\\n" > "$1"\n' > "$E"
chmod +x "$E"
before=$(lab_sunk)
TMPDIR=$T EDITOR="$E" VISUAL= "$FR" -c "$T/appr/conf.yaml" queue edit 1 --by dana > "$T/out" 2>&1
ok $? "queue edit over SMTP exits 0"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "the edited reply reached the SMTP server"
f=$(ls -t "$SINK"/*.eml | head -1)
grep -q "Here is" "$f"; ok $? "with the operator's text"
PERSON=1 sent "$before"; ok $? "from the identity, without Auto-Submitted"
[ "$(sql "$T/appr" "select state || ' ' || handled_by from queue where id = 1")" = "sent dana" ]
ok $? "the journal: sent by dana"
mid=$(sed -n 's/^Message-ID: *//Ip' "$MSG/english.eml" | head -1 | tr -d '\r')
[ "$(lab_imap 'print(search("INBOX", "ANSWERED HEADER Message-ID '"$mid"'"))')" -ge 1 ]
ok $? "the message is \\Answered in the mailbox"
[ "$(lab_imap 'print(search("Brouillons", "HEADER In-Reply-To '"$mid"'"))')" -eq 0 ]; ok $? "its draft is gone"
before=$(lab_sunk)
"$FR" -c "$T/appr/conf.yaml" queue send 2 --by carol > "$T/o1" 2>&1 &
"$FR" -c "$T/appr/conf.yaml" queue send 2 --by dave > "$T/o2" 2>&1
s2=$?
wait $!
s1=$?
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "two sends of one entry at once over SMTP: one reply ($s1, $s2)"
{ [ $s1 -eq 0 ] && [ $s2 -eq 65 ]; } || { [ $s1 -eq 65 ] && [ $s2 -eq 0 ]; }
ok $? "one succeeds, the other is told it was handled"

done_testing

#!/bin/sh
# The Maildir source's outcomes as an operator's mail client sees them: a
# real Dovecot serving the same Maildir shows $AutoReplied, $FlossReview and
# $FlossIgnored on the messages over IMAP, keeps their UIDs, and the
# keyword and flags an operator sets stay beside them.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start

n=0
deliver() {	# deliver FILE: into the Maildir, as the MTA would
	n=$((n + 1))
	cp "$MSG/$1" "$MAILDIR/tmp/$((1700000000 + n)).M$n.lab"
	chown 65534:65534 "$MAILDIR/tmp/$((1700000000 + n)).M$n.lab"
	mv "$MAILDIR/tmp/$((1700000000 + n)).M$n.lab" "$MAILDIR/new/"
}
imap() {	# imap COMMAND: prints "UID FLAGS..." for each message
	"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$1" <<'PY'
import imaplib, re, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
m.select("INBOX")
if sys.argv[4] == "label":
    m.uid("STORE", "1", "+FLAGS", "($Label1)")
elif sys.argv[4] == "seen":
    m.uid("STORE", "1:*", "+FLAGS", "(\\Seen)")
typ, data = m.uid("FETCH", "1:*", "(FLAGS)")
for d in data:
    if isinstance(d, bytes) and b"UID" in d:
        uid = re.search(rb"UID (\d+)", d).group(1).decode()
        flags = re.search(rb"FLAGS \(([^)]*)\)", d).group(1).decode()
        print(uid, *sorted(flags.split()))
m.logout()
PY
}
count() { grep -c -- "$1" "$2"; }

for f in utf8-qp.eml latin1-qp.eml english.eml vacation.eml coordinator.eml; do
	deliver $f
done
imap label > "$T/before"
[ "$(wc -l < "$T/before")" -eq 5 ]; ok $? "Dovecot lists the 5 messages"
D=$T/r
DPATH=Outbox maildir_conf "$D" "mailbox:
  type: maildir
  path: $MAILDIR
limits:
  per_sender_days: 0"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"; status=$?
[ $status -eq 0 ]; ok $? "once on Dovecot's Maildir exits 0 (got $status)"
sed 's/^/# /' "$T/err"
imap fetch > "$T/after"
sed 's/^/# /' "$T/after"
[ "$(cut -d' ' -f1 "$T/before")" = "$(cut -d' ' -f1 "$T/after")" ]
ok $? "the messages keep their UIDs"
[ "$(count ' $AutoReplied' "$T/after")" -eq 3 ]; ok $? "IMAP shows \$AutoReplied on the 3 answered"
[ "$(count ' $FlossReview' "$T/after")" -eq 1 ]; ok $? "\$FlossReview on the one for a person"
[ "$(count ' $FlossIgnored' "$T/after")" -eq 1 ]; ok $? "\$FlossIgnored on the auto-reply"
[ "$(count ' $Label1' "$T/after")" -eq 1 ]; ok $? "the operator's keyword stays"
[ "$(count 'FlossClaim' "$T/after")" -eq 0 ]; ok $? "no claim is left"
[ "$(count '\\Seen' "$T/after")" -eq 0 ]; ok $? "nothing is marked \\Seen"

# The operator reads everything (Dovecot renames every file), then mail
# arrives: only the new message is answered.
imap seen > /dev/null
deliver english.eml
sed -i 's/^Message-ID: <\([^@]*\)@/Message-ID: <\1-new@/' "$MAILDIR"/new/*
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
[ "$(ls "$D/Outbox/new" | wc -l)" -eq 4 ]; ok $? "after the operator read them, only the new message is answered"
imap fetch > "$T/after"
[ "$(count ' $AutoReplied' "$T/after")" -eq 4 ] && [ "$(count '\\Seen' "$T/after")" -eq 5 ]
ok $? "IMAP shows it answered, and the operator's \\Seen kept"
sed 's/^/# /' "$T/after"
grep -q 'Error\|Panic\|Fatal' "$LAB/dovecot.log"; [ $? -ne 0 ]
ok $? "Dovecot logs no error"
grep 'Error\|Panic\|Fatal' "$LAB/dovecot.log" | sed 's/^/# /'
done_testing

#!/bin/sh
# "once" against a real Dovecot (IMAP) and SMTP server: replies arrive, each
# outcome is a keyword on the server, \Seen is never set, a second run sends
# nothing with a handful of commands, oversized mail goes to review unread,
# STARTTLS and implicit TLS verified, a wrong CA and a wrong host name
# refused, the server restarted between runs, no password in any log, the
# rows of messages marked in the mailbox forgotten after journal.keep_days.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start

# mkconf DIR TLS PORT CAFILE
mkconf() {
	lab_conf "$1" "imap:
  tls: $2
  port: $3
  ca_file: $4
  batch: 4
limits:
  max_size: ${MAXSIZE:-10485760}
review:
  folder: \"\""
}
imapq() {	# imapq SEARCH-CRITERIA: how many messages match
	"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$1" <<'PY'
import imaplib, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
m.select("INBOX", readonly=True)
typ, data = m.uid("SEARCH", None, sys.argv[4])
print(len(data[0].split()))
m.logout()
PY
}

for f in utf8-qp.eml latin1-qp.eml english.eml vacation.eml coordinator.eml \
    list.eml multi-topic.eml html-only.eml attachment.eml; do
	lab_deliver $f
done
D=$T/tls
mkconf "$D" tls "$IMAPS_PORT" "$LAB_CA"
"$FR" -vv -c "$D/conf.yaml" once > "$T/out" 2>&1
status=$?
[ $status -eq 0 ]; ok $? "once over IMAP and SMTP exits 0 (got $status)"
[ $status -eq 0 ] || sed 's/^/# /' "$T/out"
want=6
[ "$(lab_sunk)" -eq $want ]; ok $? "$want replies reached the SMTP server (got $(lab_sunk))"
[ "$(imapq 'KEYWORD $AutoReplied')" -eq $want ]; ok $? "the answered messages carry \$AutoReplied"
[ "$(imapq 'KEYWORD $FlossReview')" -eq 1 ]; ok $? "the one for a person carries \$FlossReview"
[ "$(imapq 'KEYWORD $FlossIgnored')" -eq 2 ]; ok $? "the machines' ones carry \$FlossIgnored"
[ "$(imapq 'SEEN')" -eq 0 ]; ok $? "no message was marked \\Seen"
has "$T/out" "commands after login" "the log counts the IMAP commands"
grep -q "$LAB_PASS\|smtp-secret" "$T/out" "$LAB/dovecot.log"; [ $? -ne 0 ]
ok $? "no password in the responder's debug log nor the server's"

"$FR" -v -c "$D/conf.yaml" once > "$T/out" 2>&1
ok $? "a second run exits 0"
[ "$(lab_sunk)" -eq $want ]; ok $? "a second run sends nothing"
c=$(sed -n 's/.*: \([0-9]*\) commands after login.*/\1/p' "$T/out")
# SELECT, SEARCH, then, one message waiting for review, one SEARCH for
# what a mail client answered and a look at the Sent folder.
[ -n "$c" ] && [ "$c" -le 4 ]; ok $? "with nothing new, $c IMAP commands after login (4 at most)"

# New mail: only it is fetched and answered.
lab_deliver para-03.eml
"$FR" -c "$D/conf.yaml" once
[ "$(lab_sunk)" -eq $((want + 1)) ]; ok $? "a new message is answered, the others left alone"
want=$((want + 1))

# Ten days later, with journal.keep_days 5: the rows of the messages that
# carry their outcome keyword are forgotten, the open review entry's row
# stays, and no message is answered again.
"$PY" - "$D/journal.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("update messages set created = created - 864000, updated = updated - 864000")
c.execute("update queue set created = created - 864000")
c.execute("update replies set sent = sent - 864000")
c.commit()
PY
cp "$D/conf.yaml" "$D/keep.yaml"
printf 'journal:\n  keep_days: 5\n' >> "$D/keep.yaml"
"$FR" -v -c "$D/keep.yaml" once > "$T/out" 2>&1
ok $? "once with old rows exits 0"
has "$T/out" "journal: forgotten after 5 days: 0 messages of closed review entries, 0 closed entries, 9 message rows" "the rows of the messages marked answered or ignored are forgotten"
"$FR" -c "$D/keep.yaml" once
[ "$(lab_sunk)" -eq $want ]; ok $? "and none of them is answered again"
[ "$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from messages").fetchone()[0])' "$D/journal.db")" -eq 1 ]
ok $? "the row of the message waiting for a person stays"

# Oversized: review, unread.
MAXSIZE=2048 mkconf "$T/big" tls "$IMAPS_PORT" "$LAB_CA"
{ cat "$MSG/para-08.eml"; i=0; while [ $i -lt 100 ]; do echo "Une ligne de plus pour grossir le message."; i=$((i + 1)); done; } > "$T/big.eml"
lab_deliver "$T/big.eml"
"$FR" -c "$T/big/conf.yaml" once
[ "$(lab_sunk)" -eq $want ]; ok $? "an oversized message gets no reply"
[ "$(imapq 'KEYWORD $FlossReview')" -eq 2 ]; ok $? "it goes to review"
[ "$(imapq 'SEEN')" -eq 0 ]; ok $? "and is not marked read"

# STARTTLS on the plain port.
mkconf "$T/starttls" starttls "$IMAP_PORT" "$LAB_CA"
lab_deliver para-15.eml
"$FR" -c "$T/starttls/conf.yaml" once 2> "$T/err"
ok $? "STARTTLS: once exits 0"
[ "$(lab_sunk)" -eq $((want + 1)) ]; ok $? "STARTTLS: the new message is answered"
want=$((want + 1))

# Limits against the real servers: one reply per sender and topic, the
# hourly cap; two runs at once send each reply once.
sed -e 's/^  per_sender_days: 0/  per_sender_days: 7\n  hourly_cap: 100/' "$D/conf.yaml" > "$T/limits.yaml"
mkdir -p "$T/lim"
sed -e "s|password_file: imap-password|password_file: $D/imap-password|" \
    -e "s|password_file: smtp-password|password_file: $D/smtp-password|" \
    -e "s|path: journal.db|path: $T/lim/journal.db|" "$T/limits.yaml" > "$T/lim/conf.yaml"
sed 's/^Message-ID: <utf8qp@/Message-ID: <utf8qp-a@/' "$MSG/utf8-qp.eml" > "$T/a.eml"
sed 's/^Message-ID: <utf8qp@/Message-ID: <utf8qp-b@/' "$MSG/utf8-qp.eml" > "$T/b.eml"
for f in a b; do
	lab_deliver "$T/$f.eml"
done
before=$(lab_sunk)
"$FR" -c "$T/lim/conf.yaml" once 2> "$T/err" &
"$FR" -c "$T/lim/conf.yaml" once 2> "$T/err2"
s2=$?
wait $!
s1=$?
# Each runs, or stops with EX_TEMPFAIL while the other holds the lock (a
# loaded machine may finish the first before the second starts; the lock
# itself is tested in once.sh): never both stopped, never another status.
{ [ $s1 -eq 0 ] || [ $s1 -eq 75 ]; } && { [ $s2 -eq 0 ] || [ $s2 -eq 75 ]; } &&
    [ $((s1 + s2)) -lt 150 ]
ok $? "two runs at once: each runs or stops with EX_TEMPFAIL, one at least runs ($s1, $s2)"
"$FR" -c "$T/lim/conf.yaml" once 2> "$T/err"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "the same question twice from one sender over IMAP: one reply"
[ "$(imapq 'KEYWORD $FlossReview')" -eq 3 ]; ok $? "the second goes to review"
want=$((want + 1))

# The hourly cap, and the password from the environment.
sed -e "s|^  hourly_cap: 100|  hourly_cap: 1|" -e "s|path: $T/lim/journal.db|path: $T/cap.db|" \
    -e "s|^  password_file: $D/imap-password|  password_env: LAB_IMAP_PASSWORD|" \
    "$T/lim/conf.yaml" > "$T/cap.yaml"
grep -q "password_env: LAB_IMAP_PASSWORD" "$T/cap.yaml"; ok $? "a configuration with the IMAP password in the environment"
for f in para-01.eml para-02.eml; do lab_deliver $f; done
LAB_IMAP_PASSWORD=$LAB_PASS "$FR" -c "$T/cap.yaml" once 2> "$T/err"
ok $? "the password from the environment: once exits 0"
[ "$(lab_sunk)" -eq $((want + 1)) ]; ok $? "the hourly cap of 1: one reply"
[ "$(imapq 'KEYWORD $FlossReview')" -eq 4 ]; ok $? "the other goes to review"
want=$((want + 1))
"$FR" -c "$T/cap.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "the environment variable missing: EX_CONFIG (got $status)"
has "$T/err" "LAB_IMAP_PASSWORD" "and says which variable"

# A wrong CA, then a certificate for another name: refused before LOGIN.
lab_deliver para-14.eml
mkconf "$T/wrongca" tls "$IMAPS_PORT" "$LAB/other-ca.pem"
"$FR" -c "$T/wrongca/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "IMAP with a wrong CA: EX_CONFIG (got $status)"
has "$T/err" "issuer is unknown" "IMAP with a wrong CA: the certificate is refused"
lab_stop_dovecot
DOVECOT_CERT=$LAB/other-cert.pem DOVECOT_KEY=$LAB/other-key.pem lab_start_dovecot
logins=$(grep -c 'Login: user=<bot>' "$LAB/dovecot.log")
mkconf "$T/wrongname" tls "$IMAPS_PORT" "$LAB_CA"
"$FR" -c "$T/wrongname/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "IMAP with a wrong host name: EX_CONFIG (got $status)"
has "$T/err" "does not match" "IMAP with a wrong host name: refused"
[ "$(grep -c 'Login: user=<bot>' "$LAB/dovecot.log")" -eq "$logins" ]
ok $? "no LOGIN was sent to the server that could not be verified"
[ "$(lab_sunk)" -eq $want ]; ok $? "nothing was sent"
# Connected by address, the certificate checked for the name set apart.
mkconf "$T/tlsname" tls "$IMAPS_PORT" "$LAB_CA"
printf 'imap:\n  tls_name: other.example\n' >> "$T/tlsname/conf.yaml"
"$FR" -c "$T/tlsname/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 0 ]; ok $? "imap.tls_name: the certificate of that name is accepted at 127.0.0.1 (got $status)"
[ $status -eq 0 ] || sed 's/^/# /' "$T/err"
[ "$(grep -c 'Login: user=<bot>' "$LAB/dovecot.log")" -gt "$logins" ]
ok $? "imap.tls_name: and the login follows"
[ "$(lab_sunk)" -eq $((want + 1)) ]; ok $? "imap.tls_name: the waiting message is answered"
want=$((want + 1))
sed 's/^\(Message-ID: <\)/\1again-/' "$MSG/para-14.eml" > "$T/again.eml"
lab_deliver "$T/again.eml"

# The server restarted between runs: the next run goes on.
lab_stop_dovecot
lab_start_dovecot
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "after a restart of the IMAP server: once exits 0"
[ "$(lab_sunk)" -eq $((want + 1)) ]; ok $? "and the waiting message is answered"
lab_stop_dovecot
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 75 ]; ok $? "IMAP down: EX_TEMPFAIL (got $status)"
done_testing

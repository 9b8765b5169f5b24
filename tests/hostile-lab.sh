#!/bin/sh
# Careless configuration against the real Dovecot and SMTP server: a wrong
# password exits EX_NOPERM with a sentence, and stops the daemon instead of
# retrying forever; implicit TLS spoken to a plain port, or the reverse,
# exits EX_CONFIG;
# the server down stays EX_TEMPFAIL; tls: none logs in to a host name that
# is this machine's.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
lab_start

keep() { st=$?; cat "$T/err" >> "$T/all.err"; return $st; }
lab_deliver utf8-qp.eml

# A wrong IMAP password: 77 and what to check.
lab_conf "$T/badpw"
echo wrong > "$T/badpw/imap-password"
"$FR" -c "$T/badpw/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 77 ]; ok $? "a wrong IMAP password: once exits EX_NOPERM (got $status)"
has "$T/err" "the IMAP server 127.0.0.1 refused the login for bot" "and says so"
has "$T/err" "check imap.user and the password" "and what to check"

# The daemon stops with the same status instead of retrying forever.
"$FR" -c "$T/badpw/conf.yaml" run -f > "$T/run.log" 2>&1 &
RUN=$!
i=0
while kill -0 $RUN 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 $RUN 2>/dev/null; then
	kill -TERM $RUN
	ok 1 "a wrong IMAP password: the daemon stops by itself"
else
	wait $RUN
	status=$?
	[ $status -eq 77 ]; ok $? "a wrong IMAP password: the daemon stops with EX_NOPERM (got $status)"
fi
has "$T/run.log" "will not mend" "and says why it stopped"

# A wrong SMTP password: 77, the message waits.
lab_conf "$T/smtppw"
echo wrong > "$T/smtppw/smtp-password"
"$FR" -c "$T/smtppw/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 77 ]; ok $? "a wrong SMTP password: once exits EX_NOPERM (got $status)"
has "$T/err" "the SMTP server 127.0.0.1 refused the login for bot" "and says so"
[ "$(lab_sunk)" -eq 0 ]; ok $? "nothing sent"

# queue send over SMTP with the wrong password: 77 too, the entry stays.
lab_conf "$T/qpw" "mailbox:
  type: maildir
  path: Maildir"
mkdir -p "$T/qpw/Maildir/new" "$T/qpw/Maildir/cur" "$T/qpw/Maildir/tmp"
cp "$MSG/coordinator.eml" "$T/qpw/Maildir/new/1700000001.M1.q"
"$FR" -c "$T/qpw/conf.yaml" once 2> "$T/err"; keep
ok $? "a question for a person is queued"
echo wrong > "$T/qpw/smtp-password"
"$FR" -c "$T/qpw/conf.yaml" queue send 1 --topic markets-beneficiaries \
    > "$T/out" 2> "$T/err"; keep
status=$?
[ $status -eq 77 ]; ok $? "queue send with a wrong SMTP password: EX_NOPERM (got $status)"
has "$T/err" "check smtp.user and the password" "and says what to check"
COLUMNS=300 "$FR" -c "$T/qpw/conf.yaml" queue list > "$T/out"
has "$T/out" "Contact de notre coordinateur" "the entry still waits"

# Implicit TLS spoken to the plain (STARTTLS) port: 78.
lab_conf "$T/mode" "imap:
  port: $IMAP_PORT
  tls: tls"
"$FR" -c "$T/mode/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 78 ]; ok $? "IMAP implicit TLS to the plain port: EX_CONFIG (got $status)"
has "$T/err" "the TLS handshake failed" "and says so"
lab_conf "$T/smode" "smtp:
  tls: tls"
"$FR" -c "$T/smode/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 78 ]; ok $? "SMTP implicit TLS to the STARTTLS port: EX_CONFIG (got $status)"
[ "$(lab_sunk)" -eq 0 ]; ok $? "nothing sent"

# The reverse: STARTTLS spoken to the implicit TLS port: 78 as well.
lab_conf "$T/rmode" "imap:
  tls: starttls
  timeout: 2"
"$FR" -c "$T/rmode/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 78 ]; ok $? "IMAP STARTTLS to the implicit TLS port: EX_CONFIG (got $status)"
has "$T/err" "the port speaks implicit TLS" "and says so"

# tls: none to a name of this machine (localhost is 127.0.0.1): allowed.
lab_conf "$T/plain" "imap:
  host: localhost
  port: $IMAP_PORT
  tls: none"
"$FR" -c "$T/plain/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 0 ]; ok $? "tls: none to localhost: once exits 0 (got $status)"
[ $status -eq 0 ] || sed 's/^/# /' "$T/err"
[ "$(lab_sunk)" -eq 1 ]; ok $? "and the reply is sent"

# A folder that lets no keyword be stored (an ACL without the right to
# write flags): the claims and outcomes cannot be kept, so nothing is
# answered and the responder says why, as an error of configuration.
lab_stop_dovecot
printf '* owner lrsipekxat\n' > "$LAB/acl"
DOVECOT_EXTRA="mail_plugins = acl
protocol imap {
  mail_plugins = acl imap_acl
}
plugin {
  acl = vfile:$LAB/acl
}"
lab_start_dovecot
sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-acl@/" "$MSG/english.eml" \
    > "$T/acl.eml"
lab_deliver "$T/acl.eml" 1900000020.M20.acl
before=$(lab_sunk)
"$FR" -c "$T/plain/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 78 ]; ok $? "no keyword can be stored: EX_CONFIG (got $status)"
has "$T/err" "lets no keyword be created" "and says why"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "and sends nothing"
unset DOVECOT_EXTRA

# The server down: 75.
lab_stop_dovecot
"$FR" -c "$T/plain/conf.yaml" once 2> "$T/err"; keep
status=$?
[ $status -eq 75 ]; ok $? "IMAP down: EX_TEMPFAIL (got $status)"
has "$T/err" "cannot connect" "and says so"

# No libetpan code, and no OK text taken for an error, in any of it.
cat "$T/run.log" >> "$T/all.err"
! grep -q "libetpan error\|error [0-9]\|completed" "$T/all.err"
ok $? "no libetpan code and no OK text read as an error"
done_testing

#!/bin/sh
# Delivery over SMTP against a real SMTP server on loopback: STARTTLS and
# implicit TLS with the certificate and host name verified, AUTH, the null
# envelope sender, one connection a run; a wrong CA and a wrong host name
# refused before anything is sent; 4xx then success; 5xx for the
# recipient; the server down.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
LAB_NO_IMAP=1
lab_start

# mkconf DIR TLS PORT CAFILE [HOST]
mkconf() {
	mkdir -p "$1"
	printf 'smtp-secret\n' > "$1/smtp-password"
	DELIVERY=smtp maildir_conf "$1" "limits:
  per_sender_days: 0
smtp:
  host: ${5:-127.0.0.1}
  port: $3
  tls: $2
  user: $LAB_USER
  password_file: smtp-password
  ca_file: $4
  timeout: 5"
}
n=0
put() {	# put DIR FILE
	n=$((n + 1))
	cp "$MSG/$2" "$1/Maildir/new/$((1700000000 + n)).M$n.smtp"
}
sql() {
	"$PY" -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print(r[0] if r else "")' "$1/journal.db" "$2"
}

# STARTTLS, AUTH, three replies over one connection.
D=$T/starttls
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
for f in utf8-qp.eml latin1-qp.eml english.eml vacation.eml; do put "$D" $f; done
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 0 ]; ok $? "once over SMTP exits 0 (got $status)"
[ -s "$T/err" ] && sed 's/^/# /' "$T/err"
[ "$(lab_sunk)" -eq 3 ]; ok $? "three replies reached the SMTP server (got $(lab_sunk))"
"$PY" - "$SINK" > "$T/out" 2>&1 <<'PY'
import glob, json, sys
envs = [json.load(open(f)) for f in sorted(glob.glob(sys.argv[1] + "/*.json"))]
assert all(e["mail_from"] == "<>" for e in envs), envs
assert all(e["tls"] and e["auth"] == "bot" for e in envs), envs
rcpts = sorted(r for e in envs for r in e["rcpt_tos"])
assert rcpts == ["alex@uni.example.org", "camille.martin@agence.example.fr",
    "camille.martin@agence.example.fr"], rcpts
assert len({e.get("helo") for e in envs}) == 1
PY
ok $? "envelope: the null sender, the sender of each question, over TLS with AUTH"
[ $? -eq 0 ] || sed 's/^/# /' "$T/out"
grep -l "In-Reply-To: <english@agence.example.fr>" "$SINK"/*.eml > /dev/null
ok $? "the replies are threaded"
"$PY" - "$SINK" > "$T/out" 2>&1 <<'PY'
import email, email.policy, glob, sys
for f in glob.glob(sys.argv[1] + "/*.eml"):
    m = email.message_from_binary_file(open(f, "rb"), policy=email.policy.default)
    assert m["Auto-Submitted"] == "auto-replied", f
    assert m.get_body(("plain",)) and m.get_body(("html",)), f
    assert not m.defects, (f, m.defects)
    body = open(f, "rb").read()
    assert not body.endswith(b"\r\n\r\n"), "a blank line was added at the end"
PY
ok $? "the messages arrive whole, both parts, no defects"
[ $? -eq 0 ] || sed 's/^/# /' "$T/out"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
[ "$(lab_sunk)" -eq 3 ]; ok $? "a second run sends nothing"

# Implicit TLS.
lab_stop_smtp
SMTPS_PORT=$(lab_free_port)
SMTPS_PID=$(lab_spawn smtps /usr/bin/python3 -W ignore "$top_srcdir/tests/lab/smtpsink.py" \
    --port "$SMTPS_PORT" --out "$LAB/sinks" --tls "$LAB/cert.pem" "$LAB/key.pem" --smtps \
    --auth "$LAB_USER:smtp-secret")
lab_wait_port "$SMTPS_PORT" ''
D=$T/smtps
mkconf "$D" tls "$SMTPS_PORT" "$LAB_CA"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "implicit TLS: once exits 0"
[ "$(ls "$LAB/sinks"/*.eml 2>/dev/null | wc -l)" -eq 1 ]; ok $? "implicit TLS: the reply arrived"
lab_kill "$SMTPS_PID"
lab_start_smtp

# A CA that did not sign the server's certificate: nothing is sent.
before=$(lab_sunk)
D=$T/wrongca
mkconf "$D" starttls "$SMTP_PORT" "$LAB/other-ca.pem"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "a wrong CA: once exits EX_CONFIG (got $status)"
has "$T/err" "issuer is unknown" "a wrong CA: the certificate is refused"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "a wrong CA: nothing sent"
[ "$(sql "$D" "select state || ' ' || tries from messages")" = "retry 0" ]
ok $? "a wrong CA: the message waits, no try counted"

# A certificate for another host name.
lab_stop_smtp
SMTP_CERT=$LAB/other-cert.pem SMTP_KEY=$LAB/other-key.pem lab_start_smtp
D=$T/wrongname
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "a wrong host name: once exits EX_CONFIG (got $status)"
has "$T/err" "does not match" "a wrong host name: refused"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "a wrong host name: nothing sent"
# Connected by address, the certificate checked for the name set apart.
D=$T/tlsname
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
printf 'smtp:\n  tls_name: other.example\n' >> "$D/conf.yaml"
put "$D" utf8-qp.eml
rm -f "$SINK/sni"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 0 ]; ok $? "smtp.tls_name: the certificate of that name is accepted at 127.0.0.1 (got $status)"
[ -s "$T/err" ] && sed 's/^/# /' "$T/err"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "smtp.tls_name: the reply was sent"
[ "$(sort -u "$SINK/sni" 2>/dev/null)" = other.example ]
ok $? "smtp.tls_name: and sent as the server name (SNI)"
before=$(lab_sunk)
lab_stop_smtp
lab_start_smtp
D=$T/tlsname-wrong
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
printf 'smtp:\n  tls_name: other.example\n' >> "$D/conf.yaml"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 78 ]; ok $? "smtp.tls_name another name than the certificate's: EX_CONFIG (got $status)"
has "$T/err" "other.example" "smtp.tls_name: the name checked is said"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "smtp.tls_name another name: nothing sent"

# 4xx, then success.
D=$T/defer
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
put "$D" latin1-qp.eml
touch "$SINK/defer-all"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 75 ]; ok $? "a 4xx: once exits EX_TEMPFAIL (got $status)"
[ "$(sql "$D" "select state from messages")" = retry ]; ok $? "a 4xx: the message will be tried again"
rm "$SINK/defer-all"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "then the server accepts: once exits 0"
[ "$(sql "$D" "select state from messages")" = replied ]; ok $? "then replied"
[ "$(lab_sunk)" -eq $((before + 1)) ]; ok $? "one reply, once (before $before, now $(lab_sunk))"

# 5xx for the recipient: a person takes it.
D=$T/reject
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
mkdir -p "$D/Maildir/new"
sed -e 's/camille.martin@/reject.me@/g' "$MSG/utf8-qp.eml" > "$D/Maildir/new/1700000999.M1.reject"
"$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
ok $? "a 5xx for the recipient: once exits 0"
[ "$(sql "$D" "select state from messages")" = review ]; ok $? "a 5xx for the recipient: review"
has "$D/journal.db" "no such user" "with the server's words"
has "$T/err" "M1.reject: message-id=<utf8qp@agence.example.fr>, from=<reject.me@agence.example.fr>, action=reply, " \
    "a 5xx for the recipient: the message's log line"
has "$T/err" ", status=review (RCPT TO: 5.1.1 no such user)" "with the server's words, on that line"
! grep -q "$(printf '\r')" "$T/err" && ! grep -q '^$' "$T/err" &&
    [ "$(grep -vc '^floss-responder: ' "$T/err")" -eq 0 ]
ok $? "a 5xx for the recipient: no carriage return, no empty line, each line the program's"
[ $? -eq 0 ] || sed -n l "$T/err" | sed 's/^/# /'

# The connection lost after the data, before the server answered: the
# message goes to a person in the same pass, with that reason, and the
# next message is sent over a new connection.
D=$T/drop
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
put "$D" utf8-qp.eml
put "$D" english.eml
before=$(lab_sunk)
touch "$SINK/drop-next"
"$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
ok $? "a connection lost after the data: once exits 0"
[ "$(sql "$D" "select count(*) from messages where state = 'sending'")" -eq 0 ]
ok $? "no message is left without an outcome"
sql "$D" "select reason from messages where state = 'review'" > "$T/out"
has "$T/out" "may or may not have left" "the one cut off goes to a person, with the true reason"
[ "$(sql "$D" "select count(*) from messages where state = 'replied'")" -eq 1 ]
ok $? "the next one is answered over a new connection"
[ "$(lab_sunk)" -eq $((before + 2)) ]; ok $? "(the server kept both)"
"$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
[ "$(lab_sunk)" -eq $((before + 2)) ]; ok $? "the next pass sends neither again"

# The server down.
lab_stop_smtp
D=$T/down
mkconf "$D" starttls "$SMTP_PORT" "$LAB_CA"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
[ $status -eq 75 ]; ok $? "SMTP down: once exits EX_TEMPFAIL (got $status)"
has "$T/err" "cannot connect" "SMTP down: says so"
[ "$(sql "$D" "select state || ' ' || tries from messages")" = "retry 0" ]
ok $? "SMTP down: the message waits, no try counted"
lab_start_smtp
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
[ "$(sql "$D" "select state from messages")" = replied ]; ok $? "SMTP back: replied"

# No password in any log.
! grep -r "smtp-secret" "$T"/err "$LAB"/*.log 2>/dev/null | grep -v passwd > /dev/null
ok $? "the password appears in no log"
done_testing

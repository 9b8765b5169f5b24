#!/bin/sh
# Hostile input: a reply's header lines stay within 998 octets and end in
# CRLF whatever the question holds (a 2,000-octet Message-ID, References
# of 50 long ids, a 5,000-character Subject token); an 8-bit address is
# filed for review and never reaches an envelope.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

# lines FILE: every line of FILE ends in CRLF and holds at most 998
# octets before it.
lines() {
	"$PY" - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data.endswith(b"\r\n"), "no CRLF at the end"
for n, l in enumerate(data.split(b"\r\n")[:-1], 1):
    assert b"\r" not in l and b"\n" not in l, "line %d: a bare CR or LF" % n
    assert len(l) <= 998, "line %d: %d octets" % (n, len(l))
PY
}

# long_msg FILE: the question of utf8-qp.eml, made hostile.
"$PY" - "$MSG/utf8-qp.eml" "$T/long.eml" <<'PY'
import sys
m = open(sys.argv[1], "rb").read()
long_id = b"<" + b"a" * 2000 + b"@agence.example.fr>"
refs = [b"<" + (b"%02d" % i) * 100 + b"@x.example>" for i in range(50)]
refs[47] = b"<" + b"z" * 300 + b"@x.example>"
m = m.replace(b"Message-ID: <utf8qp@agence.example.fr>",
    b"Message-ID: " + long_id + b"\nReferences: " + b" ".join(refs))
m = m.replace(b"Subject: =?UTF-8?Q?Devenir_r=C3=A9f=C3=A9rente_dans_le_SILL?=",
    b"Subject: SILL " + b"x" * 5000)
open(sys.argv[2], "wb").write(m)
PY
"$FR" -c "$CONF" reply "$T/long.eml" > "$T/reply"
ok $? "a hostile question is answered"
lines "$T/reply" > "$T/out" 2>&1
st=$?
ok $st "every line of the reply holds at most 998 octets and ends in CRLF"
[ $st -eq 0 ] || sed 's/^/# /' "$T/out"
"$PY" - "$T/reply" > "$T/out" 2>&1 <<'PY'
import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"),
    policy=email.policy.default)
assert m["In-Reply-To"] is None, m["In-Reply-To"]
refs = str(m["References"]).split()
assert len(refs) == 10, refs
assert all(len(r) <= 250 for r in refs), [len(r) for r in refs]
assert refs[-1].startswith("<4949"), refs[-1]
assert not any("zzz" in r for r in refs)
s = str(m["Subject"])
assert s.startswith("Re: SILL xxx") and s.endswith("…"), s
assert len(s) == 201, len(s)	# 200 characters and the ellipsis
PY
st=$?
ok $st "the long ids left out of References and In-Reply-To, the subject cut"
[ $st -eq 0 ] || sed 's/^/# /' "$T/out"

# Short ids stay as they were: the last ten.
"$PY" - "$MSG/utf8-qp.eml" "$T/refs.eml" <<'PY'
import sys
m = open(sys.argv[1], "rb").read()
refs = b" ".join(b"<r%d@x.example>" % i for i in range(30))
m = m.replace(b"Message-ID: <utf8qp@agence.example.fr>",
    b"Message-ID: <utf8qp@agence.example.fr>\nReferences: " + refs)
open(sys.argv[2], "wb").write(m)
PY
"$FR" -c "$CONF" reply "$T/refs.eml" > "$T/reply"
lines "$T/reply" > "$T/out" 2>&1
ok $? "a reply to a long thread: lines within bounds"
tr -d '\r' < "$T/reply" | sed -n '/^References:/,/^[^ ]/p' | tr '\n' ' ' \
    > "$T/refs"
has "$T/refs" "<r21@x.example> <r22@x.example>" "the thread's last ids kept"
has "$T/refs" "<r29@x.example> <utf8qp@agence.example.fr>" "then the question's"
has "$T/reply" "In-Reply-To: <utf8qp@agence.example.fr>" "threaded"

# An 8-bit address: filed for review with the reason, never handed to a
# delivery (no SMTPUTF8).
sed -e 's/camille\.martin@/camille.martiné@/g' "$MSG/utf8-qp.eml" \
    > "$T/8bit.eml"
"$FR" -c "$CONF" classify "$T/8bit.eml" > "$T/out"
has "$T/out" "review" "an 8-bit sender: review"
has "$T/out" "unsendable-address: the address camille.martiné@agence.example.fr is not ASCII" "with the reason"
cat > "$T/sendmail" <<'SH'
#!/bin/sh
printf '%s\n' "$*" >> "$(dirname "$0")/sendmail.args"
env > "$(dirname "$0")/sendmail.env"
cat > /dev/null
SH
chmod +x "$T/sendmail"
D=$T/eai
DELIVERY=sendmail DPATH="$T/sendmail" maildir_conf "$D" "limits:
  per_sender_days: 0
imap:
  password_env: HOSTILE_IMAP_PW
smtp:
  password_env: HOSTILE_SMTP_PW"
cp "$T/8bit.eml" "$D/Maildir/new/1700000001.M1.eai"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once with an 8-bit sender exits 0"
[ ! -e "$T/sendmail.args" ]; ok $? "sendmail was not run for it"
COLUMNS=300 "$FR" -c "$D/conf.yaml" queue list > "$T/out"
has "$T/out" "unsendable-address" "it waits in the review queue, with the reason"
"$FR" -c "$D/conf.yaml" queue send 1 > "$T/out" 2> "$T/err"
[ $? -ne 0 ]; ok $? "queue send refuses it"
has "$T/err" "is not ASCII: it needs SMTPUTF8" "and says why"
[ ! -e "$T/sendmail.args" ]; ok $? "no 8-bit address reached an envelope"

# The password variables are not in a child's environment.
sed 's/^Message-ID: <utf8qp@/Message-ID: <env@/' "$MSG/utf8-qp.eml" \
    > "$D/Maildir/new/1700000002.M2.env"
HOSTILE_IMAP_PW=imap-s3cret HOSTILE_SMTP_PW=smtp-s3cret \
    "$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once with the password variables set exits 0"
grep -q "camille.martin@agence.example.fr" "$T/sendmail.args"
ok $? "sendmail ran for it"
! grep -q "s3cret\|HOSTILE_" "$T/sendmail.env"
ok $? "neither password variable reached sendmail's environment"

# check opens the CA files: missing, or holding no certificate, is an
# error at the key's place.
base_conf "$T/ca"
echo "not a certificate" > "$T/ca/notpem.pem"
cat >> "$T/ca/conf.yaml" <<'YAML'
imap:
  ca_file: missing-ca.pem
smtp:
  ca_file: notpem.pem
YAML
"$FR" -c "$T/ca/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "check with a missing CA file exits EX_CONFIG"
l1=$(grep -n "ca_file: missing-ca.pem" "$T/ca/conf.yaml" | cut -d: -f1)
l2=$(grep -n "ca_file: notpem.pem" "$T/ca/conf.yaml" | cut -d: -f1)
has "$T/out" "conf.yaml:$l1:12: imap.ca_file: $T/ca/missing-ca.pem: No such file or directory" "the missing CA file at its line and column"
has "$T/out" "conf.yaml:$l2:12: smtp.ca_file: $T/ca/notpem.pem holds no PEM certificate" "a CA file without a certificate, likewise"

done_testing

# The mail lab of floss-responder's tests: a real Dovecot (IMAP, STARTTLS
# and implicit TLS with a test CA) and a real SMTP server (smtpsink.py) on
# free loopback ports, in a private directory, stopped and removed on exit.
# Source it after lib.sh, then call lab_start (PY: the Python to run,
# python3 by default).  It sets:
#   LAB        the directory         IMAP_PORT IMAPS_PORT SMTP_PORT
#   LAB_CA     the CA certificate    LAB_USER LAB_PASS (bot / secret)
#   SINK       where the SMTP server writes what it receives
#   MAILDIR    the user's Maildir (deliver files to $MAILDIR/new)

PY=${PYTHON:-python3}
LAB_USER=bot
LAB_PASS='s3cret pa"ss'

lab_free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

lab_wait_port() {	# lab_wait_port PORT GREETING
	/usr/bin/python3 - "$1" "$2" <<'PY'
import socket, sys, time
port, want = int(sys.argv[1]), sys.argv[2].encode()
end = time.time() + 10
while time.time() < end:
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=1)
        if not want or s.recv(100).startswith(want):
            sys.exit(0)
    except OSError:
        time.sleep(0.02)
sys.exit(1)
PY
}

# lab_spawn NAME COMMAND...: runs COMMAND in a session of its own and
# prints its process (and group) id.
lab_spawn() {
	pidfile=$LAB/$1.pid
	shift
	rm -f "$pidfile"
	setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" \
	    > "$LAB/$(basename "$pidfile" .pid).out" 2>&1 < /dev/null &
	i=0
	while [ ! -s "$pidfile" ] && [ $i -lt 200 ]; do sleep 0.01; i=$((i + 1)); done
	cat "$pidfile"
}

# lab_kill PID: stops a spawned group, surely, within five seconds.
lab_kill() {
	[ -n "$1" ] || return 0
	kill -TERM -"$1" 2>/dev/null
	i=0
	while kill -0 -"$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05; i=$((i + 1))
	done
	kill -KILL -"$1" 2>/dev/null
}

lab_start_dovecot() {
	# A fresh base_dir each start: an old master still shutting down
	# would remove the new one's files.
	LAB_RUNS=$((${LAB_RUNS:-0} + 1))
	cat > "$LAB/dovecot.conf" <<CONF
base_dir = $LAB/run$LAB_RUNS
state_dir = $LAB/state
instance_name = floss-test-$IMAP_PORT
log_path = $LAB/dovecot.log
info_log_path = $LAB/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <${DOVECOT_CERT:-$LAB/cert.pem}
ssl_key = <${DOVECOT_KEY:-$LAB/key.pem}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_fsync = never
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n $LAB/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%n $LAB/passwd
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Operator {
    auto = subscribe
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
}
${DOVECOT_EXTRA:-}
CONF
	DOVECOT_PID=$(lab_spawn dovecot dovecot -F -c "$LAB/dovecot.conf")
	lab_wait_port "$IMAP_PORT" '* OK' && lab_wait_port "$IMAPS_PORT" ''
}

lab_stop_dovecot() {
	lab_kill "${DOVECOT_PID:-}"
	DOVECOT_PID=
}

lab_start_smtp() {	# extra arguments go to smtpsink.py
	SMTP_PID=$(lab_spawn smtp /usr/bin/python3 -W ignore \
	    "$top_srcdir/tests/lab/smtpsink.py" \
	    --port "$SMTP_PORT" --out "$SINK" \
	    --tls "${SMTP_CERT:-$LAB/cert.pem}" "${SMTP_KEY:-$LAB/key.pem}" \
	    --auth "$LAB_USER:smtp-secret" "$@")
	lab_wait_port "$SMTP_PORT" '220'
}

lab_stop_smtp() {
	lab_kill "${SMTP_PID:-}"
	SMTP_PID=
}

# lab_conf DIR [YAML]: a configuration for the lab's servers -- IMAP over
# implicit TLS, SMTP with STARTTLS, both with AUTH and the lab's CA, no
# per-sender limit -- then YAML, which may override any of it.
lab_conf() {
	base_conf "$1"
	printf '%s\n' "$LAB_PASS" > "$1/imap-password"
	printf 'smtp-secret\n' > "$1/smtp-password"
	cat >> "$1/conf.yaml" <<YAML
mailbox:
  type: imap
delivery:
  type: smtp
state:
  path: journal.db
limits:
  per_sender_days: 0
imap:
  host: 127.0.0.1
  port: $IMAPS_PORT
  tls: tls
  user: $LAB_USER
  password_file: imap-password
  ca_file: $LAB_CA
  timeout: 5
smtp:
  host: 127.0.0.1
  port: $SMTP_PORT
  tls: starttls
  user: $LAB_USER
  password_file: smtp-password
  ca_file: $LAB_CA
  timeout: 5
YAML
	[ -z "${2:-}" ] || printf '%s\n' "$2" >> "$1/conf.yaml"
}

# lab_deliver FILE [NAME]: a message (a test message's name, or a path)
# into the INBOX, as the MTA would (NAME: its file name in new/, made up
# when not given).
lab_deliver() {
	LAB_N=$((${LAB_N:-0} + 1))
	ld_name=${2:-$((1700000000 + LAB_N)).M$LAB_N.lab}
	case $1 in
	/*)	cp "$1" "$MAILDIR/tmp/$ld_name" ;;
	*)	cp "$MSG/$1" "$MAILDIR/tmp/$ld_name" ;;
	esac
	chown 65534:65534 "$MAILDIR/tmp/$ld_name"
	mv "$MAILDIR/tmp/$ld_name" "$MAILDIR/new/$ld_name"
}

# lab_sunk: how many messages the SMTP server received.
lab_sunk() { ls "$SINK"/*.eml 2>/dev/null | wc -l | tr -d ' '; }

# lab_imap SCRIPT: runs Python with "m", an IMAP session with the INBOX
# selected, count(BOX) (its messages, -1 when it cannot be selected) and
# search(BOX, CRITERIA) (how many match; BOX stays selected).
lab_imap() {
	"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$1" <<'PY'
import email, email.policy, imaplib, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
m.select("INBOX")
def count(box):
    typ, data = m.select('"%s"' % box, readonly=True)
    return int(data[0]) if typ == "OK" else -1
def search(box, crit):
    m.select('"%s"' % box, readonly=True)
    typ, data = m.uid("SEARCH", None, crit)
    return len(data[0].split())
exec(sys.argv[4])
m.logout()
PY
}

# lab_outcomes N [unseen]: N messages in the INBOX, each with exactly one
# outcome keyword and no claim left (and none \Seen with "unseen"), and
# none answered twice at the SMTP server; prints the counts.
lab_outcomes() {
	"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$SINK" "$1" "${2:-}" <<'PY'
import collections, glob, imaplib, re, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
m.select("INBOX", readonly=True)
typ, data = m.fetch("1:*", "(UID FLAGS)")
kws = ("$AutoReplied", "$FlossReview", "$FlossIgnored")
counts = collections.Counter()
for line in data:
    flags = re.search(rb"FLAGS \(([^)]*)\)", line).group(1).decode().split()
    mine = [f for f in flags if f in kws]
    assert len(mine) == 1, ("outcomes", line)
    assert not [f for f in flags if f.startswith("$FlossClaim")], ("claim", line)
    assert sys.argv[6] != "unseen" or "\\Seen" not in flags, ("seen", line)
    counts[mine[0]] += 1
assert sum(counts.values()) == int(sys.argv[5]), counts
replies = collections.Counter()
for f in glob.glob(sys.argv[4] + "/*.eml"):
    r = re.search(rb"^In-Reply-To: (<[^>]*>)", open(f, "rb").read(), re.M)
    replies[r.group(1)] += 1
twice = [k for k, v in replies.items() if v > 1]
assert not twice, ("replied twice", twice)
print(dict(counts), "replies", sum(replies.values()))
PY
}

lab_stop() {
	[ -z "${LAB_KEEP:-}" ] || { echo "# lab kept in $LAB"; return 0; }
	lab_stop_dovecot
	lab_stop_smtp
	rm -rf "$LAB"
}

lab_start() {
	command -v dovecot >/dev/null 2>&1 || { echo "1..0 # SKIP no dovecot"; exit 77; }
	/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null ||
	    { echo "1..0 # SKIP no python3-aiosmtpd"; exit 77; }
	LAB=$(mktemp -d /tmp/flab.XXXXXX)
	chmod 755 "$LAB"
	trap 'lab_stop; rm -rf "$T"' 0 1 2 15
	IMAP_PORT=$(lab_free_port)
	IMAPS_PORT=$(lab_free_port)
	SMTP_PORT=$(lab_free_port)
	SINK=$LAB/sink
	# A test CA, and a server certificate for localhost and 127.0.0.1.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$LAB/ca.key" -out "$LAB/ca.pem" -days 30 \
	    -subj /CN=floss-test-ca > /dev/null 2>&1
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -keyout "$LAB/key.pem" -out "$LAB/req.pem" -subj /CN=localhost \
	    > /dev/null 2>&1
	printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$LAB/ext"
	openssl x509 -req -in "$LAB/req.pem" -CA "$LAB/ca.pem" \
	    -CAkey "$LAB/ca.key" -CAcreateserial -out "$LAB/cert.pem" \
	    -days 30 -extfile "$LAB/ext" > /dev/null 2>&1
	LAB_CA=$LAB/ca.pem
	# A certificate of the same CA for another name.
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -keyout "$LAB/other-key.pem" -out "$LAB/other-req.pem" \
	    -subj /CN=other.example > /dev/null 2>&1
	printf 'subjectAltName=DNS:other.example\n' > "$LAB/other-ext"
	openssl x509 -req -in "$LAB/other-req.pem" -CA "$LAB/ca.pem" \
	    -CAkey "$LAB/ca.key" -CAcreateserial -out "$LAB/other-cert.pem" \
	    -days 30 -extfile "$LAB/other-ext" > /dev/null 2>&1
	# A CA that signed nothing here.
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$LAB/other.key" -out "$LAB/other-ca.pem" -days 30 \
	    -subj /CN=other-ca > /dev/null 2>&1
	mkdir -p "$LAB/mail/bot/Maildir/new" "$LAB/mail/bot/Maildir/cur" \
	    "$LAB/mail/bot/Maildir/tmp"
	MAILDIR=$LAB/mail/bot/Maildir
	printf '%s:{PLAIN}%s:65534:65534::%s\n' "$LAB_USER" "$LAB_PASS" \
	    "$LAB/mail/bot" > "$LAB/passwd"
	chown -R 65534:65534 "$LAB/mail"
	if [ -z "${LAB_NO_IMAP:-}" ]; then
		lab_start_dovecot || { echo "# dovecot did not start"; cat "$LAB/dovecot.log" "$LAB/dovecot.out" | sed 's/^/# /'; exit 99; }
	fi
	lab_start_smtp || { echo "# the SMTP server did not start"; sed 's/^/# /' "$LAB/smtp.out"; exit 99; }
}

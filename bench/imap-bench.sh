#!/bin/sh
# The mailbox benchmark: 10,000 messages loaded into a test Dovecot, then
#   1. once --dry-run: wall time, messages/s, peak RSS, IMAP commands;
#   2. once (replies over SMTP): the same, and SMTP connections opened;
#   3. once with nothing new: wall time and IMAP commands;
#   4. run with IDLE: latency from APPEND to the reply received by the SMTP
#      server, median of 20.
# A benchmark, not a test: it reports.  Run from the build directory:
#   bench/imap-bench.sh [-l] [-n count] [FILE...]   (default: the
#   development corpus beside the project, or the test messages)
# -l keeps the shipped limits (one reply per sender and topic a week, 60
# an hour): most of a backlog then goes to review, filed and drafted.
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
top_builddir=$(pwd)
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
N=10000
LIMITS=
if [ "${1:-}" = -l ]; then LIMITS=shipped; shift; fi
if [ "${1:-}" = -n ]; then N=$2; shift 2; fi
if [ $# -eq 0 ]; then
	if [ -d "$top_srcdir/../shared/corpus" ]; then
		set -- "$top_srcdir"/../shared/corpus/*.eml
	else
		set -- "$MSG"/*.eml
	fi
fi
lab_start

D=$T/bench
mkdir -p "$D"
printf '%s\n' "$LAB_PASS" > "$D/imap-password"
printf 'smtp-secret\n' > "$D/smtp-password"
sed -e "s|^rules: rules.yaml|rules: $top_srcdir/conf/rules.yaml|" \
    -e "s|^entities: entities.yaml|entities: $top_srcdir/conf/entities.yaml|" \
    -e "s|^replies: ../replies|replies: $top_srcdir/replies|" \
    -e "s|^  host: imap.numerique.gouv.fr|  host: 127.0.0.1|" \
    -e "s|^  host: smtp.numerique.gouv.fr|  host: 127.0.0.1|" \
    -e "s|^  user: floss@numerique.gouv.fr|  user: $LAB_USER|" \
    -e "s|^  password_file: /etc/floss-responder/imap-password|  password_file: imap-password|" \
    -e "s|^  password_file: /etc/floss-responder/smtp-password|  password_file: smtp-password|" \
    -e "s|^  ca_file: \"\"|  ca_file: $LAB_CA|" \
    -e "s|^  path: /var/lib/floss-responder/journal.db|  path: journal.db|" \
    "$CONF" > "$D/conf.yaml"
[ -n "$LIMITS" ] || sed -i -e "s|^  per_sender_days: 7|  per_sender_days: 0|" \
    -e "s|^  hourly_cap: 60|  hourly_cap: 0|" "$D/conf.yaml"
sed -i -e "/^imap:/,/^delivery:/ s|^  port: 0|  port: $IMAPS_PORT|" \
    -e "/^smtp:/,/^state:/ s|^  port: 0|  port: $SMTP_PORT|" "$D/conf.yaml"

echo "== loading $N messages ($# distinct) into Dovecot"
/usr/bin/python3 - "$MAILDIR/new" "$N" "$@" <<'PY'
import os, re, sys
out, n, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = [open(f, "rb").read() for f in files]
for i in range(n):
    raw = re.sub(rb"(?mi)^(Message-ID: <)", rb"\g<1>b%d." % i, data[i % len(data)], count=1)
    with open(os.path.join(out, "%d.M%d.bench" % (1700000000 + i, i)), "wb") as f:
        f.write(raw)
PY
chown -R 65534:65534 "$MAILDIR"
du -sh "$MAILDIR" | sed 's/^/   /'

run() {	# run LABEL ARGS...
	label=$1; shift
	/usr/bin/python3 - "$label" "$N" "$FR" "$@" <<'PY'
import os, re, sys, time
label, n, argv = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
t = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open(os.environ["T"] + "/bench.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(fd, 2)
    os.execv(argv[0], argv)
_, status, ru = os.wait4(pid, 0)
wall = time.monotonic() - t
log = open(os.environ["T"] + "/bench.log").read()
cmds = re.findall(r"(\d+) commands after login", log)
smtp = len(re.findall(r"smtp .*: connected", log))
summary = re.findall(r"(\d+) messages: (\d+) replied, (\d+) for review, (\d+) ignored", log)
print("%-28s exit %d, %.2f s wall, %.0f messages/s, peak RSS %.1f MB, IMAP commands after login %s, SMTP connections %d, %s" % (
    label, os.waitstatus_to_exitcode(status), wall, n / wall if wall else 0,
    ru.ru_maxrss / 1024, cmds[-1] if cmds else "?", smtp,
    "outcomes %s" % (summary[-1],) if summary else ""))
PY
}
export T
run "once --dry-run (backlog)" -v -c "$D/conf.yaml" once --dry-run
run "once (backlog, replies)" -v -c "$D/conf.yaml" once
echo "   replies received by the SMTP server: $(ls "$SINK" | grep -c '\.eml$')"
run "once (nothing new)" -v -c "$D/conf.yaml" once

# (With the shipped limits the same sender is not answered twice a week:
# no latency to measure.)
[ -z "$LIMITS" ] || exit 0
echo "== run with IDLE: APPEND to reply received, 20 times"
"$FR" -c "$D/conf.yaml" run -f 2> "$T/run.log" &
RUN=$!
sleep 1
/usr/bin/python3 - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$MSG/utf8-qp.eml" "$SINK" <<'PY'
import glob, imaplib, ssl, statistics, sys, time
port, ca, pw, msg, sink = sys.argv[1:]
data = open(msg, "rb").read()
m = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=ssl.create_default_context(cafile=ca))
m.login("bot", pw)
lat = []
for i in range(20):
    before = len(glob.glob(sink + "/*.eml"))
    raw = data.replace(b"Message-ID: <", b"Message-ID: <idle%d." % i)
    t = time.monotonic()
    m.append("INBOX", None, None, raw)
    while len(glob.glob(sink + "/*.eml")) == before and time.monotonic() - t < 30:
        time.sleep(0.005)
    lat.append(time.monotonic() - t)
    time.sleep(0.2)
m.logout()
print("   latency: median %.3f s, min %.3f s, max %.3f s" % (statistics.median(lat), min(lat), max(lat)))
PY
kill -TERM $RUN; wait $RUN

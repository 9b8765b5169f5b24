#!/bin/sh
# The log an administrator joins with the MTA's: one line per message and
# outcome, key=value, with the incoming Message-ID, the sender, the
# action, topics, verdict and the reply's Message-ID; "once" logs to
# syslog when nobody reads its stderr (cron's pipe), or with -s, and to a
# terminal or a file stderr is sent to.  Syslog is a socket of the test's
# own, put at /dev/log in a private mount namespace.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

NS=
for f in -m -rm; do
	if unshare $f true 2>/dev/null; then NS=$f; break; fi
done
[ -n "$NS" ] || { echo "1..0 # SKIP no private mount namespace (unshare)"; exit 77; }

mkdir -p "$T/dev"
"$PY" - "$T/dev/log" "$T/syslog" > "$T/listener.out" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "ab", buffering=0) as f:
    while True:
        f.write(s.recv(65536) + b"\n")
PY
listener=$!
trap 'kill $listener 2>/dev/null; rm -rf "$T"' 0 1 2 15
i=0
while [ ! -S "$T/dev/log" ] && [ $i -lt 200 ]; do sleep 0.02; i=$((i + 1)); done
: > "$T/syslog"

# ns COMMAND...: COMMAND where /dev/log is the test's socket.
cat > "$T/ns.sh" <<NS
exec unshare $NS sh -c '
	d=\$1; shift
	for f in null zero random urandom; do
		[ -e "/dev/\$f" ] || continue
		: > "\$d/\$f" && mount --bind "/dev/\$f" "\$d/\$f" || exit 99
	done
	mount --rbind "\$d" /dev || exit 99
	exec "\$@"' sh "$T/dev" "\$@"
NS
ns() { sh "$T/ns.sh" "$@"; }
# logged N: waits until the socket has N lines at least, prints how many.
logged() {
	i=0
	while [ "$(wc -l < "$T/syslog")" -lt "$1" ] && [ $i -lt 100 ]; do
		sleep 0.02; i=$((i + 1))
	done
	wc -l < "$T/syslog" | tr -d ' '
}

D=$T/d
maildir_conf "$D"
n=0
put() {
	n=$((n + 1))
	cp "$MSG/$1" "$D/Maildir/new/$((1700000000 + n)).M$n.log"
}

# Under cron stderr is a pipe: the lines go to syslog, nothing to stderr.
put utf8-qp.eml
put vacation.eml
put interview.eml
{ ns "$FR" -c "$D/conf.yaml" once 2>&1; echo $? > "$T/status"; } | cat > "$T/out"
status=$(cat "$T/status")
[ $status -eq 0 ]; ok $? "once with stderr a pipe exits 0 (got $status)"
[ ! -s "$T/out" ]; ok $? "and writes nothing to stderr"
[ -s "$T/out" ] && sed 's/^/# /' "$T/out"
logged 4 > /dev/null
grep -q '^<22>.*floss-responder\[[0-9]*\]: ' "$T/syslog"
ok $? "its lines reach syslog, mail facility, as info, with the program's name and pid"
grep '\.M1\.log: ' "$T/syslog" > "$T/reply"
has "$T/reply" ": message-id=<utf8qp@agence.example.fr>, from=<camille.martin@agence.example.fr>, action=reply, topics=sill-referent, lang=fr, verdict=reply, to=<camille.martin@agence.example.fr>, reply-id=<" \
    "a reply's line: the incoming Message-ID, the sender, the action, topics, language, verdict, the recipient and the reply's Message-ID"
has "$T/reply" ">, status=replied" "and its outcome last"
id=$(sed -n 's/.*reply-id=\(<[^>]*>\).*/\1/p' "$T/reply")
[ -n "$id" ] && grep -qF "Message-ID: $id" "$D"/outbox/new/*
ok $? "the reply-id is the Message-ID of the reply sent ($id)"
has "$T/syslog" ".M2.log: message-id=<vac@agence.example.fr>, from=<camille.martin@agence.example.fr>, action=ignore, lang=fr, verdict=screened, status=ignored (" \
    "an ignored message's line, with its reason"
grep '\.M3\.log: ' "$T/syslog" > "$T/review"
has "$T/review" "action=review, " "a message for a person: action=review"
has "$T/review" ", status=review (" "and its reason"
[ "$(grep -c '\.M[123]\.log: ' "$T/syslog")" -eq 3 ]
ok $? "one line per message"
grep -q '[0-9] messages: 1 replied, 1 for review, 1 ignored' "$T/syslog"
ok $? "and the run's summary"
tr -d '\r' < "$T/syslog" | cmp -s - "$T/syslog" && ! grep -q '^$' "$T/syslog"
ok $? "no carriage return, no empty line"

# With -s, syslog whatever stderr is.
before=$(logged 1)
put english.eml
ns "$FR" -s -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once -s exits 0"
[ ! -s "$T/err" ]; ok $? "once -s writes nothing to stderr"
[ "$(logged $((before + 2)))" -gt "$before" ] &&
    grep -q "\.M4\.log: message-id=<english@agence.example.fr>, .*status=replied" "$T/syslog"
ok $? "once -s: the line reaches syslog"

# stderr sent to a file, or -f: that is where the lines go.
before=$(logged 1)
put latin1-qp.eml
ns "$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once with stderr a file exits 0"
grep -q "\.M5\.log: message-id=<.*status=replied" "$T/err"
ok $? "the line is in the file"
sleep 0.2
[ "$(logged 1)" -eq "$before" ]; ok $? "and nothing in syslog"
n=$((n + 1))
sed 's/^Message-ID: <english@/Message-ID: <english-2@/' "$MSG/english.eml" \
    > "$D/Maildir/new/$((1700000000 + n)).M$n.log"
ns "$FR" -v -c "$D/conf.yaml" once -f 2>&1 | cat > "$T/out"
grep -q "\.M6\.log: message-id=<english-2@agence.example.fr>, " "$T/out"
ok $? "once -f: the line goes to stderr, a pipe"
sleep 0.2
[ "$(logged 1)" -eq "$before" ]; ok $? "once -f: nothing in syslog"

# On a terminal, the terminal; with -s, syslog all the same.
if script -qec true /dev/null < /dev/null > /dev/null 2>&1; then
	put para-15.eml
	script -qec "sh $T/ns.sh $FR -v -c $D/conf.yaml once" /dev/null \
	    < /dev/null > "$T/tty"
	grep -q "\.M7\.log: message-id=<para-15@agence.example.fr>, " "$T/tty"
	ok $? "once on a terminal: the line is written there"
	sleep 0.2
	[ "$(logged 1)" -eq "$before" ]; ok $? "once on a terminal: nothing in syslog"
	put para-17.eml
	script -qec "sh $T/ns.sh $FR -s -c $D/conf.yaml once" /dev/null \
	    < /dev/null > "$T/tty"
	[ "$(logged $((before + 2)))" -gt "$before" ] &&
	    grep -q "\.M8\.log: message-id=<para-17@agence.example.fr>, " "$T/syslog"
	ok $? "once -s on a terminal: the line reaches syslog"
	[ "$(tr -d '\r\n' < "$T/tty")" = "" ]; ok $? "and nothing on the terminal"
else
	echo "# no script(1): the terminal's cases are not tried"
fi
done_testing

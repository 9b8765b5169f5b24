#!/bin/sh
# "run", the daemon, against a real Dovecot and SMTP server: a message
# APPENDed while it waits is answered because IDLE woke it (the polling
# interval is far beyond the test); polling when IDLE is off; the IMAP
# server restarted under it; SIGHUP reloads (a broken configuration is
# refused and the old one kept); SIGTERM stops it cleanly; each pass's end
# recorded.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start

# mkconf DIR IDLE POLL
mkconf() {
	lab_conf "$1" "imap:
  idle: $2
  poll_interval: $3"
}
append() {	# append FILE: APPEND to the INBOX, as a delivery would
	"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" "$MSG/$1" "$2" <<'PY'
import imaplib, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
data = open(sys.argv[4], "rb").read().replace(b"Message-ID: <", b"Message-ID: <" + sys.argv[5].encode() + b".")
m.append("INBOX", None, None, data)
m.logout()
PY
}
await() {	# await COUNT SECONDS: until the sink holds COUNT messages
	i=0
	while [ "$(lab_sunk)" -lt "$1" ] && [ $i -lt $(($2 * 20)) ]; do
		sleep 0.05; i=$((i + 1))
	done
	[ "$(lab_sunk)" -ge "$1" ]
}
awaitlog() {	# awaitlog TEXT SECONDS
	i=0
	while ! grep -q "$1" "$T/run.log" 2>/dev/null && [ $i -lt $(($2 * 20)) ]; do
		sleep 0.05; i=$((i + 1))
	done
	grep -q "$1" "$T/run.log"
}
start() {	# start DIR
	"$FR" -vv -c "$1/conf.yaml" run -f > "$T/run.log" 2>&1 &
	RUN=$!
}
stop() {
	kill -TERM $RUN 2>/dev/null
	i=0
	while kill -0 $RUN 2>/dev/null && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	! kill -0 $RUN 2>/dev/null
}

# IDLE: the polling interval is an hour; only IDLE can wake it.
D=$T/idle
mkconf "$D" yes 3600
start "$D"
awaitlog "commands\|IDLE\|started" 10
sleep 1
t0=$(date +%s.%N)
append utf8-qp.eml idle1
await 1 10; ok $? "IDLE: a message APPENDed while the daemon waits is answered"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "# latency from APPEND to the reply at the SMTP server: %.2f s\n", b - a }'
has "$T/run.log" "IDLE woke" "IDLE woke it, not polling"
append latin1-qp.eml idle2
await 2 10; ok $? "IDLE again: a second message is answered"
# The end of each pass is recorded, for monitoring.
i=0
while [ $i -lt 100 ]; do
	t=$("$FR" -c "$D/conf.yaml" stats --prometheus 2> /dev/null |
	    sed -n 's/^floss_responder_last_pass_timestamp_seconds //p')
	[ "${t:-0}" -ge "${t1%.*}" ] && break
	sleep 0.05; i=$((i + 1))
done
[ "${t:-0}" -ge "${t1%.*}" ]; ok $? "the daemon's passes are recorded (stats --prometheus)"

# SIGHUP: a broken configuration is refused, the old one kept.
cp "$D/conf.yaml" "$D/conf.good"
echo "classify: { threshold: lots }" >> "$D/conf.yaml"
kill -HUP $RUN
awaitlog "reload failed" 10; ok $? "SIGHUP with a broken configuration: refused, said so"
append english.eml idle3
await 3 10; ok $? "and the daemon goes on with the old one"
cp "$D/conf.good" "$D/conf.yaml"
kill -HUP $RUN
awaitlog "reloaded" 10; ok $? "SIGHUP with a good configuration: reloaded"
append para-03.eml idle4
await 4 10; ok $? "and goes on"

# The IMAP server restarted under the daemon.
lab_stop_dovecot
sleep 1
lab_start_dovecot
append para-13.eml idle5
await 5 30; ok $? "after the IMAP server restarted, the daemon reconnects and answers"

stop; ok $? "SIGTERM: the daemon stops"
has "$T/run.log" "stopped" "and says so"
grep -q "$LAB_PASS\|smtp-secret" "$T/run.log"; [ $? -ne 0 ]
ok $? "no password in the daemon's debug log"

# Polling, IDLE off.
D=$T/poll
mkconf "$D" no 1
start "$D"
awaitlog "started" 10
append para-15.eml poll1
await 6 10; ok $? "polling (IDLE off, every second): answered"
! grep -q "IDLE woke" "$T/run.log"; ok $? "without IDLE"
stop; ok $? "SIGTERM: stops"
[ "$(lab_sunk)" -eq 6 ]; ok $? "one reply to each message, no more"
done_testing

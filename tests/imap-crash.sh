#!/bin/sh
# Exactly once against the real servers: "once" over a 200-message IMAP
# inbox, killed with SIGKILL at random moments at least 20 times and
# restarted, then run to the end: every message carries exactly one
# outcome keyword, and no message got two replies at the SMTP server.
# Then the mailbox is renumbered (a new UIDVALIDITY) and its keywords
# wiped: nothing is answered twice.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start
# Each reply takes a moment to be accepted, so that kills land mid-send.
lab_stop_smtp
lab_start_smtp --delay 0.02

D=$T/crash
lab_conf "$D" "limits:
  hourly_cap: 0
imap:
  batch: 10"
numbered_messages "$MAILDIR/new" 200 utf8-qp.eml latin1-qp.eml english.eml \
    vacation.eml coordinator.eml para-03.eml para-12.eml list.eml
chown -R 65534:65534 "$MAILDIR"
kill_at_random "$D/conf.yaml" 0.4
[ $kills -ge 20 ]; ok $? "killed with SIGKILL $kills times in $runs runs"
[ $status -eq 0 ]; ok $? "the last run ends cleanly"

lab_outcomes 200 unseen > "$T/out" 2>&1
status=$?
sed 's/^/# /' "$T/out"
[ $status -eq 0 ]; ok $? "every message carries exactly one outcome, none got two replies, none was marked read"

# Renumbered: a new UIDVALIDITY, and the keywords gone.
doveadm -c "$LAB/dovecot.conf" mailbox update -u "$LAB_USER" --uid-validity 4242 INBOX
"$PY" - "$IMAPS_PORT" "$LAB_CA" "$LAB_PASS" <<'PY'
import imaplib, ssl, sys
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]),
    ssl_context=ssl.create_default_context(cafile=sys.argv[2]))
m.login("bot", sys.argv[3])
m.select("INBOX")
m.store("1:*", "-FLAGS", "($AutoReplied $FlossReview $FlossIgnored)")
m.logout()
PY
"$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
ok $? "after the renumbering, once exits 0"
has "$T/err" "answered already" "the log says the messages were answered already"
lab_outcomes 200 unseen > "$T/out" 2>&1
status=$?
sed 's/^/# /' "$T/out"
[ $status -eq 0 ]; ok $? "after the renumbering, no message got a second reply, each carries its outcome again"
# (A message that went to a person after three interrupted tries has no
# reply yet: it may get its first one now.)
done_testing

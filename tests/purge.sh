#!/bin/sh
# journal.keep_days: "purge" and each pass forget what is older -- the
# message of a closed review entry, the row of a message gone from the
# mailbox or that shows its outcome there, the reply history past
# limits.per_sender_days -- and keep what exactly-once needs: the rows of
# messages the mailbox still offers, open entries, recent ones.  "purge
# --dry-run" changes nothing.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

sql() {	# sql DIR QUERY: the first column of the first row
	"$PY" -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()
print(r[0] if r else "")' "$1/journal.db" "$2"
}
run() {	# run DIR SCRIPT: Python with the journal as "c", committed
	"$PY" - "$1/journal.db" <<PY
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
now = int(time.time())
day = 86400
$2
c.commit()
PY
}
outbox() { ls "$1/outbox/new" 2>/dev/null | wc -l | tr -d ' '; }
dump() { "$PY" -c 'import sqlite3, sys
print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$1/journal.db"; }

D=$T/purge
maildir_conf "$D" "journal:
  keep_days: 5
limits:
  per_sender_days: 30"
# A answered and gone from the mailbox, E answered and still there, B for
# a person and dismissed, C for a person and waiting, F dismissed today.
cp "$MSG/utf8-qp.eml" "$D/Maildir/new/1700000001.A.p"
cp "$MSG/latin1-qp.eml" "$D/Maildir/new/1700000002.E.p"
cp "$MSG/interview.eml" "$D/Maildir/new/1700000003.B.p"
cp "$MSG/coordinator.eml" "$D/Maildir/new/1700000004.C.p"
cp "$MSG/spoofed.eml" "$D/Maildir/new/1700000005.F.p"
"$FR" -c "$D/conf.yaml" once
[ "$(outbox "$D")" -eq 2 ]; ok $? "two answered, three filed for a person"
"$FR" -c "$D/conf.yaml" queue dismiss 1 --by bob > /dev/null
"$FR" -c "$D/conf.yaml" queue dismiss 3 --by bob > /dev/null
# Ten days pass for all but F; a reply 10 days old (within
# per_sender_days) and one 40 days old (past it) in the history.
run "$D" "
t = 10 * day
c.execute('update messages set created = created - ?, updated = updated - ? where msgkey != \"1700000005.F.p\"', (t, t))
c.execute('update queue set created = created - ?, handled_at = handled_at - ? where msgkey != \"1700000005.F.p\"', (t, t))
c.execute('update replies set sent = sent - ?', (t,))
c.execute('insert into replies values (\"old@x.example\", \"bluehats\", ?, \"<old@x>\", null)', (now - 40 * day,))
"
rm "$D/Maildir/new/1700000001.A.p"
dump "$D" > "$T/before"
"$FR" -c "$D/conf.yaml" purge --dry-run > "$T/out"
ok $? "purge --dry-run exits 0"
has "$T/out" "would be forgotten after 5 days: 1 messages of closed review entries, 1 closed entries, 3 message rows, 1 reply-history rows" "it says what would go"
dump "$D" > "$T/after"
cmp -s "$T/before" "$T/after"; ok $? "and changes nothing"

"$FR" -c "$D/conf.yaml" purge > "$T/out"
ok $? "purge exits 0"
has "$T/out" "forgotten after 5 days: 1 messages of closed review entries, 1 closed entries, 3 message rows, 1 reply-history rows" "it says what went"
[ "$(sql "$D" "select count(*) from messages where msgkey = '1700000001.A.p'")" -eq 0 ]
ok $? "the row of an old message gone from the mailbox goes"
[ "$(sql "$D" "select count(*) from messages where msgkey = '1700000002.E.p'")" -eq 0 ]
ok $? "the row of an old message that shows its outcome in the mailbox goes"
[ "$(sql "$D" "select count(*) from queue where msgkey = '1700000003.B.p'")" -eq 0 ]
ok $? "an old closed entry whose message shows its outcome goes, with the message"
[ "$(sql "$D" "select (raw is not null) || state from queue where msgkey = '1700000004.C.p'")" = 1open ]
ok $? "an open entry keeps its message"
[ "$(sql "$D" "select (raw is not null) || state from queue where msgkey = '1700000005.F.p'")" = 1dismissed ]
ok $? "a recently closed entry keeps its message"
[ "$(sql "$D" "select count(*) from replies where sender != 'old@x.example'")" -eq 2 ]
ok $? "reply history within limits.per_sender_days stays, past keep_days"
[ "$(sql "$D" "select count(*) from replies where sender = 'old@x.example'")" -eq 0 ]
ok $? "reply history past both goes"
"$FR" -c "$D/conf.yaml" once
[ "$(outbox "$D")" -eq 2 ]; ok $? "nothing is answered again"

# Each pass of once purges too, and says so: the entry of C, dismissed
# ten days ago.
"$FR" -c "$D/conf.yaml" queue dismiss 2 --by bob > /dev/null
run "$D" "
t = 10 * day
c.execute('update messages set created = created - ?, updated = updated - ? where msgkey = \"1700000004.C.p\"', (t, t))
c.execute('update queue set created = created - ?, handled_at = handled_at - ? where msgkey = \"1700000004.C.p\"', (t, t))
"
"$FR" -v -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once exits 0"
has "$T/err" "journal: forgotten after 5 days: 1 messages of closed review entries, 1 closed entries, 1 message rows, 0 reply-history rows" "a pass forgets what is old and closed"
[ "$(sql "$D" "select count(*) from messages")" -eq 1 ]; ok $? "the recent one's row stays"
! cat "$D"/journal.db* | grep -aq "Demande d'entretien pour un reportage"
ok $? "the forgotten message is not left in the file"

# keep_days 0: everything is kept.
printf 'journal:\n  keep_days: 0\n' >> "$D/conf.yaml"
"$FR" -c "$D/conf.yaml" purge > "$T/out"
has "$T/out" "keeps everything" "keep_days 0: purge says the journal keeps everything"
"$FR" help config > "$T/out"
has "$T/out" "journal.keep_days (default: 90)" "help config lists journal.keep_days"

done_testing

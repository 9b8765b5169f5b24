#!/bin/sh
# Two responders on one IMAP folder, each with its own journal (a daemon
# and a cron job, a standby machine): every message is answered once in
# all, whether they start together on a full folder or run side by side
# while mail arrives.  A claim another responder holds is left to it.  A
# lost journal re-answers nothing.  A message whose outcome was stored but
# not its filing is filed by the next pass.
. "${top_srcdir:-.}/tests/lib.sh"
. "$top_srcdir/tests/lab/lab.sh"
PY=${PYTHON:-python3}
lab_start
# Each reply takes a moment, so that the two runs overlap.
lab_stop_smtp
lab_start_smtp --delay 0.01



conf() {	# conf DIR: a responder with its own journal in DIR
	lab_conf "$1" "limits:
  hourly_cap: 0
imap:
  batch: 7
review:
  folder: Operator"
}
conf "$T/a"
conf "$T/b"
msgs="utf8-qp.eml english.eml latin1-qp.eml multi-topic.eml list.eml"

# Together, on 30 messages already there.
numbered_messages "$MAILDIR/new" 30 $msgs
chown -R 65534:65534 "$MAILDIR"
"$FR" -v -c "$T/a/conf.yaml" once > "$T/a.out" 2>&1 &
pa=$!
"$FR" -v -c "$T/b/conf.yaml" once > "$T/b.out" 2>&1 &
pb=$!
wait $pa; sa=$?
wait $pb; sb=$?
[ $sa -eq 0 ] && [ $sb -eq 0 ]; ok $? "two responders at once: both exit 0 ($sa, $sb)"
lab_outcomes 30 > "$T/out" 2>&1
st=$?
sed 's/^/# /' "$T/out"
[ $st -eq 0 ]; ok $? "30 messages, each with one outcome and no claim left, none answered twice"
# When it fails, what each responder did, for the one who reads the log.
[ $st -eq 0 ] || { sed 's/^/# a: /' "$T/a.out"; sed 's/^/# b: /' "$T/b.out"; }
ra=$(grep -c "status=replied" "$T/a.out")
rb=$(grep -c "status=replied" "$T/b.out")
[ "$(lab_sunk)" -eq $((ra + rb)) ]; ok $? "the SMTP server has the $ra + $rb replies the two sent"
[ "$ra" -gt 0 ] && [ "$rb" -gt 0 ] || echo "# (one responder took all: $ra, $rb)"
before=$(lab_sunk)

# Side by side while mail arrives: two daemons, 30 more messages.
DA=$(lab_spawn da "$FR" -v -c "$T/a/conf.yaml" run -f)
DB=$(lab_spawn db "$FR" -v -c "$T/b/conf.yaml" run -f)
i=0
while [ $i -lt 30 ]; do
	i=$((i + 1))
	f=$(echo $msgs | cut -d' ' -f$((i % 5 + 1)))
	# Written in tmp/ and then moved, as a delivery agent does: the
	# daemons may take it from new/ at once.
	sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-late$i@/" "$MSG/$f" \
	    > "$MAILDIR/tmp/$((1800000000 + i)).M$i.late"
	chown 65534:65534 "$MAILDIR/tmp/$((1800000000 + i)).M$i.late"
	mv "$MAILDIR/tmp/$((1800000000 + i)).M$i.late" "$MAILDIR/new/"
	[ $((i % 3)) -eq 0 ] && sleep 0.2
done
# Until every message shows an outcome, 30 seconds at most.
i=0
while [ $i -lt 150 ]; do
	left=$(lab_imap 'print(search("INBOX", "UNKEYWORD $AutoReplied UNKEYWORD $FlossReview UNKEYWORD $FlossIgnored"))')
	[ "$left" = 0 ] && break
	sleep 0.2
	i=$((i + 1))
done
sleep 1
lab_kill "$DA"
lab_kill "$DB"
lab_outcomes 60 > "$T/out" 2>&1
st=$?
sed 's/^/# /' "$T/out"
[ $st -eq 0 ]; ok $? "two daemons while mail arrives: 60 messages, none answered twice"
[ $st -eq 0 ] || { echo "# $left without an outcome after the wait";
	sed 's/^/# da: /' "$LAB/da.out"; sed 's/^/# db: /' "$LAB/db.out"; }
[ "$(lab_sunk)" -gt "$before" ]; ok $? "the late messages were answered ($(lab_sunk) replies in all)"
before=$(lab_sunk)

# A lost journal: nothing is answered again.
rm -f "$T/a/journal.db" "$T/a/journal.db-wal" "$T/a/journal.db-shm"
"$FR" -v -c "$T/a/conf.yaml" once > "$T/out" 2>&1
ok $? "with a new journal, once exits 0"
has "$T/out" "the journal is new" "it says the journal is new"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "and answers nothing again"

# Another responder's claim: left to it.
numbered_messages "$MAILDIR/new" 1 english.eml
mv "$MAILDIR/new/1700000001.M1.crash" "$MAILDIR/new/1900000000.M1.other"
chown -R 65534:65534 "$MAILDIR"
lab_imap 'm.uid("STORE", m.uid("SEARCH", None, "UNKEYWORD $AutoReplied UNKEYWORD $FlossReview UNKEYWORD $FlossIgnored")[1][0].split()[0], "+FLAGS", "($FlossClaim.00000000)")'
"$FR" -v -c "$T/a/conf.yaml" once > "$T/out" 2>&1
ok $? "a message another responder claimed: once exits 0"
has "$T/out" "another responder's: left to it" "the log says it is left to the other"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "and it is not answered"
[ "$(lab_imap 'print(search("INBOX", "KEYWORD $FlossClaim.00000000 UNKEYWORD $AutoReplied UNKEYWORD $FlossReview UNKEYWORD $FlossIgnored"))')" -eq 1 ]
ok $? "it still carries the other's claim and no outcome"
# The claim grows old: the journal is told it was first seen earlier.
age() {	# age HOURS: the claims seen, as if first seen HOURS ago
	$PY -c 'import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
n = db.execute("UPDATE held SET since = ?", (int(time.time()) - int(sys.argv[2]) * 3600,)).rowcount
db.commit()
sys.exit(0 if n == 1 else 1)' "$T/a/journal.db" "$1"
}
age 2; ok $? "the journal notes when the claim was first seen"
"$FR" -v -c "$T/a/conf.yaml" once > "$T/out" 2>&1
ok $? "held for two hours: once exits 0"
has "$T/out" "held by \$FlossClaim.00000000 for 2 hours" "it warns of the claim"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "and still leaves the message to it"
filed=$(lab_imap 'print(search("Operator", "ALL"))')
age 25
"$FR" -v -c "$T/a/conf.yaml" once > "$T/out" 2>&1
ok $? "held for 25 hours: once exits 0"
has "$T/out" "taken to be gone" "it says the other responder is taken to be gone"
[ "$(lab_sunk)" -eq "$before" ]; ok $? "nothing is sent (it may have been answered)"
[ "$(lab_imap 'print(search("INBOX", "KEYWORD $FlossClaim.00000000 KEYWORD $FlossReview"))')" -eq 1 ]
ok $? "the message goes to a person"
[ "$(lab_imap 'print(search("Operator", "ALL"))')" -eq $((filed + 1)) ]
ok $? "and is filed in the review folder"
"$FR" -c "$T/a/conf.yaml" queue list --json > "$T/out" 2>&1
has "$T/out" "another responder" "the review queue says why"

# A filing that fails (the folder refused) is made by the next pass.
lab_conf "$T/c" "review:
  folder: \"~/../outside\""
sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-filed@/" "$MSG/coordinator.eml" \
    > "$MAILDIR/new/1900000001.M2.filed"
chown -R 65534:65534 "$MAILDIR"
"$FR" -v -c "$T/c/conf.yaml" once > "$T/out" 2>&1
has "$T/out" "filing for review" "a folder that cannot be filed into: said"
[ "$(lab_imap 'print(search("INBOX", "KEYWORD $FlossReview HEADER Message-ID filed"))')" -eq 1 ]
ok $? "the message shows its outcome"
sed -i 's|folder: "~/../outside"|folder: Operator|' "$T/c/conf.yaml"
"$FR" -v -c "$T/c/conf.yaml" once > "$T/out" 2>&1
ok $? "the folder fixed, the next pass exits 0"
has "$T/out" "finished now" "it says the filing left undone is made"
[ "$(lab_imap 'print(search("Operator", "HEADER Message-ID filed"))')" -eq 1 ]
ok $? "the message is in the review folder"
[ "$(lab_imap 'print(search("INBOX", "HEADER Message-ID filed KEYWORD $FlossReview"))')" -eq 1 ] &&
    [ "$(lab_imap 'print(search("INBOX", "HEADER Message-ID filed UNKEYWORD $FlossReview"))')" -eq 0 ]
ok $? "and keeps its outcome in the INBOX"
"$FR" -v -c "$T/c/conf.yaml" once > "$T/out" 2>&1
[ "$(lab_imap 'print(search("Operator", "HEADER Message-ID filed"))')" -eq 1 ]
ok $? "a third pass files it no second time"
# Killed between the journal and the filing: the first message of a batch
# goes to a person (the journal says so, the COPY waits for the batch's
# end), the second's reply kills the responder.  The next pass files the
# first in the review folder and does not send the second again.
cat > "$T/killer" <<'SH'
#!/bin/sh
cat > /dev/null
kill -9 $PPID
SH
chmod +x "$T/killer"
lab_conf "$T/k" "imap:
  batch: 10
review:
  folder: Operator
delivery:
  type: sendmail
  path: $T/killer"
sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-killed@/" "$MSG/coordinator.eml" \
    > "$T/first.eml"
sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-killed@/" "$MSG/english.eml" \
    > "$T/second.eml"
lab_deliver "$T/first.eml" 1900000010.M10.kill
lab_deliver "$T/second.eml" 1900000011.M11.kill
"$FR" -v -c "$T/k/conf.yaml" once > "$T/out" 2>&1
[ $? -eq 137 ]; ok $? "killed while sending the second message's reply"
[ "$(lab_imap 'print(search("Operator", "HEADER Message-ID coord-killed"))')" -eq 0 ]
ok $? "the first, for a person, is not in the review folder yet"
sed -i "s|  path: $T/killer|  path: /bin/true|" "$T/k/conf.yaml"
"$FR" -v -c "$T/k/conf.yaml" once > "$T/out" 2>&1
ok $? "the next pass exits 0"
[ "$(lab_imap 'print(search("Operator", "HEADER Message-ID coord-killed"))')" -eq 1 ]
ok $? "it files the first in the review folder"
[ "$(lab_imap 'print(search("INBOX", "HEADER Message-ID english-killed KEYWORD $FlossReview"))')" -eq 1 ]
ok $? "and sends the second to a person, not again to its sender"
done_testing

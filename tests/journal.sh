#!/bin/sh
# The journal holds personal data: it is made readable by its owner only
# (the file, its -wal and -shm, the run lock), even under a lax umask, and
# a journal found wider is narrowed.  A journal of an older version is
# brought up to date.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

mode() { stat -c %a "$1" 2>/dev/null; }

D=$T/perm
maildir_conf "$D" "imap:
  poll_interval: 3600"
cp "$MSG/utf8-qp.eml" "$D/Maildir/new/1700000001.M1.j"
umask 022
"$FR" -c "$D/conf.yaml" run -f > "$T/run.log" 2>&1 &
RUN=$!
i=0
while [ "$(ls "$D/outbox/new" 2>/dev/null | wc -l)" -eq 0 ] && [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
i=0
while { [ ! -e "$D/journal.db-wal" ] || [ ! -e "$D/journal.db-shm" ]; } &&
    [ $i -lt 200 ]; do
	sleep 0.05; i=$((i + 1))
done
[ "$(mode "$D/journal.db")" = 600 ]; ok $? "under umask 022 the journal is 0600 ($(mode "$D/journal.db"))"
[ "$(mode "$D/journal.db-wal")" = 600 ]; ok $? "its -wal too ($(mode "$D/journal.db-wal"))"
[ "$(mode "$D/journal.db-shm")" = 600 ]; ok $? "its -shm too ($(mode "$D/journal.db-shm"))"
[ "$(mode "$D/journal.db.lock")" = 600 ]; ok $? "and the run lock ($(mode "$D/journal.db.lock"))"
kill -TERM $RUN
wait $RUN

chmod 644 "$D/journal.db"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once on a journal made 0644 by hand exits 0"
[ "$(mode "$D/journal.db")" = 600 ]; ok $? "the journal is narrowed to 0600"
has "$T/err" "journal.db: mode 644 narrowed to 600" "and it says so"
"$FR" -c "$D/conf.yaml" queue list > /dev/null 2> "$T/err"
[ ! -s "$T/err" ]; ok $? "a private journal is opened without a word"
umask 077
# A journal of an older version (no operator in the reply history) gets
# the column, keeps its rows, and its automatic replies still count.
D=$T/old
maildir_conf "$D"
"$PY" - "$D/journal.db" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
c.execute("create table replies (sender text not null, topic text not null,"
          " sent integer not null, reply_id text)")
c.execute("insert into replies values ('a@b.example', 'bluehats', ?, '<r@x>')",
          (int(time.time()),))
c.commit()
PY
printf 'limits:\n  hourly_cap: 1\n' >> "$D/conf.yaml"
cp "$MSG/utf8-qp.eml" "$D/Maildir/new/1700000001.M1.j"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once on an older journal exits 0"
[ "$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from replies where operator is null").fetchone()[0])' "$D/journal.db")" = 1 ]
ok $? "the reply history gets the operator column and keeps its row"
[ "$(ls "$D/outbox/new" 2>/dev/null | wc -l)" -eq 0 ]; ok $? "whose reply still counts in the hourly cap"

# Each message's row holds its own facts: a message for a person after one
# answered gets no reply id, reason or topics of the other's.
D=$T/rows
maildir_conf "$D"
cp "$MSG/utf8-qp.eml" "$D/Maildir/new/1700000001.M1.a"
cp "$MSG/coordinator.eml" "$D/Maildir/new/1700000002.M2.b"
cp "$MSG/bounce.eml" "$D/Maildir/new/1700000003.M3.c"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
ok $? "once on a reply, a review and an ignored message exits 0"
"$PY" -c 'import sqlite3, sys
for r in sqlite3.connect(sys.argv[1]).execute("select state, reply_id is not null, verdict from messages order by msgkey"):
    print(*r)' "$D/journal.db" > "$T/rows.txt"
sed 's/^/# /' "$T/rows.txt"
[ "$(cat "$T/rows.txt")" = "replied 1 reply
review 0 person
ignored 0 screened" ]
ok $? "each row has its own reply id and verdict"

grep -q '^UMask=0077$' "$top_srcdir/conf/floss-responder.service.in"
ok $? "the systemd unit sets UMask=0077"

# The journal and its lock are files, never links (which another user
# could point at a file of the one who runs the command).
D=$T/links
maildir_conf "$D"
echo keep > "$T/target"; chmod 644 "$T/target"
ln -s "$T/target" "$D/journal.db"
"$FR" -c "$D/conf.yaml" stats > "$T/out" 2>&1
[ $? -ne 0 ]; ok $? "a journal that is a symbolic link is refused"
has "$T/out" "journal.db: a symbolic link, which the journal is never" "and said so"
[ "$(mode "$T/target")" = 644 ] && [ "$(cat "$T/target")" = keep ]
ok $? "the file it points at is left alone"
rm "$D/journal.db"
ln -s "$T/made-through-a-link" "$D/journal.db.lock"
"$FR" -c "$D/conf.yaml" once > "$T/out" 2>&1
[ $? -ne 0 ] && [ ! -e "$T/made-through-a-link" ]
ok $? "a run lock that is a symbolic link is refused, nothing made where it points"

# Root does not work in another user's journal: what it would create
# there would be root's, and the service could no longer write it.
if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	D=$T/owned
	maildir_conf "$D"
	cp "$MSG/forward.eml" "$D/Maildir/new/"
	chown -R nobody "$D"
	"$FR" -c "$D/conf.yaml" once > "$T/out" 2>&1
	status=$?
	[ $status -ne 0 ]; ok $? "once as root in nobody's state directory fails (exit $status)"
	has "$T/out" "belongs to nobody: run floss-responder as that user" "and says as which user to run it"
	[ ! -e "$D/journal.db" ] && [ ! -e "$D/journal.db.lock" ] &&
	    [ -z "$(ls "$D/outbox" 2>/dev/null)" ]
	ok $? "without writing anything there"
	"$FR" -c "$D/conf.yaml" stats > "$T/out" 2>&1
	[ $? -ne 0 ]; ok $? "stats too"
	# A root directory, but a journal the service made: root's -wal
	# would break it.
	D2=$T/owned-journal
	maildir_conf "$D2"
	"$FR" -c "$D2/conf.yaml" once > /dev/null 2>&1
	chown nobody "$D2/journal.db"
	"$FR" -c "$D2/conf.yaml" stats > "$T/out" 2>&1
	[ $? -ne 0 ] && grep -q "journal.db belongs to nobody" "$T/out"
	ok $? "root refuses a journal that another user owns, in its own directory"
	if command -v runuser > /dev/null && chmod o+x "$T"; then
		runuser -u nobody -- "$FR" -c "$D/conf.yaml" once > "$T/out" 2>&1
		status=$?
		ok $status "as that user, the pass is made"
		[ $status -eq 0 ] || sed "s/^/# /" "$T/out"
	else
		tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP runuser is not installed"
	fi
else
	tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP not root, or no user nobody"
fi

done_testing

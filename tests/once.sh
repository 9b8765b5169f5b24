#!/bin/sh
# "once" over a local Maildir: replies reach the outbox or sendmail, every
# outcome is journalled, a second run sends nothing, the limits hold, two
# runs exclude each other, and an interrupted send is never repeated.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

# mkconf DIR [extra YAML]: a configuration for a Maildir under DIR.
mkconf() { DPATH=${DPATH:-Outbox} maildir_conf "$@"; }
# put DIR FILE [NAME]: delivers a test message into the Maildir.
n=0
put() {
	n=$((n + 1))
	cp "$MSG/$2" "$1/Maildir/new/$((1700000000 + n)).M$n.test${3:-}"
}
# sql DIR QUERY: one value from the journal.
sql() {
	"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
r = c.execute(sys.argv[2]).fetchone()
print(r[0] if r else "")' "$1/journal.db" "$2"
}
outbox() { ls "$1/Outbox/new" 2>/dev/null | wc -l | tr -d ' '; }

# Every test message, no limits: the replies are the golden ones.
D=$T/all
mkconf "$D" "limits:
  per_sender_days: 0
  hourly_cap: 0"
for f in "$MSG"/*.eml; do put "$D" "$(basename "$f")"; done
want=$(grep -c ': reply ' "$top_srcdir/tests/golden/decisions.txt")
"$FR" -c "$D/conf.yaml" once; status=$?
[ $status -eq 0 ]; ok $? "once exits 0 (got $status)"
[ "$(outbox "$D")" -eq "$want" ]; ok $? "one reply each for the $want messages to answer (got $(outbox "$D"))"
[ "$(sql "$D" "select count(*) from messages where state = 'replied'")" -eq "$want" ]
ok $? "the journal says replied for each"
[ "$(sql "$D" "select count(*) from messages where state = 'ignored'")" -eq \
    "$(grep -c ': ignore ' "$top_srcdir/tests/golden/decisions.txt")" ]
ok $? "and ignored for the machines' mail"
[ "$(sql "$D" "select count(*) from messages where state not in ('replied', 'review', 'ignored')")" -eq 0 ]
ok $? "every message has an outcome"
grep -l "In-Reply-To: <utf8qp@agence.example.fr>" "$D"/Outbox/new/* > /dev/null
ok $? "the replies are threaded"
[ "$(sql "$D" "select reply_id from messages where msgkey like '%.M$(ls "$MSG" | grep -n '^utf8-qp.eml$' | cut -d: -f1).test'")" != "" ]
ok $? "the journal keeps the reply's Message-ID"
"$FR" -c "$D/conf.yaml" once
[ "$(outbox "$D")" -eq "$want" ]; ok $? "a second run sends nothing"

# A dry run decides and logs, and sends and writes nothing.
D=$T/dry
mkconf "$D"
put "$D" utf8-qp.eml
"$FR" -v -c "$D/conf.yaml" once --dry-run > "$T/out" 2>&1
ok $? "a dry run exits 0"
has "$T/out" "action=reply, topics=sill-referent" "a dry run says what it would do"
[ "$(outbox "$D")" -eq 0 ]; ok $? "a dry run sends nothing"
[ "$(sql "$D" "select count(*) from messages")" -eq 0 ]; ok $? "a dry run writes no outcome"

# One automatic reply per sender and topic within the window.
D=$T/sender
mkconf "$D"
put "$D" utf8-qp.eml
n=$((n + 1))
sed 's/^Message-ID: <utf8qp@/Message-ID: <utf8qp-again@/' "$MSG/utf8-qp.eml" \
    > "$D/Maildir/new/$((1700000000 + n)).M$n.test"
put "$D" latin1-qp.eml
"$FR" -c "$D/conf.yaml" once
[ "$(outbox "$D")" -eq 2 ]; ok $? "the same question twice from one sender: one reply (got $(outbox "$D"))"
[ "$(sql "$D" "select count(*) from messages where state = 'review' and reason like '%already answered%'")" -eq 1 ]
ok $? "the second goes to a person, with the reason"

# The hourly cap.
D=$T/cap
mkconf "$D" "limits:
  per_sender_days: 0
  hourly_cap: 2"
for f in utf8-qp.eml latin1-qp.eml cp1252-8bit.eml english.eml; do put "$D" $f; done
"$FR" -c "$D/conf.yaml" once
[ "$(outbox "$D")" -eq 2 ]; ok $? "the hourly cap stops automatic replies (got $(outbox "$D"))"
[ "$(sql "$D" "select count(*) from messages where reason like '%cap of 2%'")" -eq 2 ]
ok $? "the rest go to a person"

# The cap counts replies: one reply answering three topics counts once.
D=$T/cap3
mkconf "$D" "limits:
  per_sender_days: 0
  hourly_cap: 2"
cat > "$D/Maildir/new/1600000000.M0.test" <<'EOF'
Return-Path: <dominique@agence.example.fr>
Authentication-Results: mx1.numerique.gouv.fr;
	dmarc=pass (p=none) header.from=agence.example.fr
From: Dominique <dominique@agence.example.fr>
To: floss@numerique.gouv.fr
Subject: Trois questions
Date: Mon, 10 Mar 2025 09:00:00 +0100
Message-ID: <three@agence.example.fr>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,

Trois questions sur notre futur marché de développement :
1. Faut-il exiger la cession des droits de propriété intellectuelle sur le code source ?
2. Quelle licence libre choisir pour publier ce code : EUPL, MIT ou CeCILL ?
3. Comment référencer notre logiciel libre dans le SILL, le socle interministériel de logiciels libres ? Quelle est la procédure de référencement au SILL ?

Merci,
Dominique
EOF
put "$D" utf8-qp.eml
put "$D" latin1-qp.eml
"$FR" -c "$D/conf.yaml" once
[ "$(sql "$D" "select topics from messages where msgkey = '1600000000.M0.test'")" = \
    "procurement-ip,procurement-license,sill-reference" ]
ok $? "a message answered on three topics"
[ "$(outbox "$D")" -eq 2 ]; ok $? "counts as one reply under a cap of 2: the next is answered (got $(outbox "$D"))"
[ "$(sql "$D" "select count(*) from messages where reason like '%cap of 2%'")" -eq 1 ]
ok $? "the third goes to a person"

# Two runs at once: the second stops with EX_TEMPFAIL.
D=$T/lock
mkconf "$D"
put "$D" utf8-qp.eml
"$PY" -c 'import fcntl, sys, time
f = open(sys.argv[1], "a"); fcntl.flock(f, fcntl.LOCK_EX)
print("locked", flush=True); time.sleep(5)' "$D/journal.db.lock" > "$T/lock.out" &
holder=$!
while ! grep -q locked "$T/lock.out" 2>/dev/null; do sleep 0.05; done
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
status=$?
kill $holder 2>/dev/null; wait $holder 2>/dev/null
[ $status -eq 75 ]; ok $? "a run while another holds the lock exits EX_TEMPFAIL (got $status)"
has "$T/err" "another run is in progress" "and says why"
[ "$(outbox "$D")" -eq 0 ]; ok $? "and sends nothing"

# The same message twice (one Message-ID, two files): one reply.
D=$T/twice
mkconf "$D"
put "$D" utf8-qp.eml
put "$D" utf8-qp.eml .copy
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
[ "$(outbox "$D")" -eq 1 ]; ok $? "one message delivered twice: one reply"
[ "$(sql "$D" "select count(*) from messages where reason like '%answered already%'")" -eq 1 ]
ok $? "the copy is recorded as answered already"

# An interrupted send is never repeated: it goes to a person.
D=$T/crash
mkconf "$D"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once --dry-run
"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("insert into messages (mailbox, msgkey, state, tries, created, updated) values (?, ?, ?, 1, 0, 0)",
    ("maildir:" + sys.argv[2], sys.argv[3], "sending"))
c.commit()' "$D/journal.db" "$D/Maildir" "$(ls "$D/Maildir/new" | head -1)"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
[ "$(outbox "$D")" -eq 0 ]; ok $? "a reply found 'sending' at start-up is not sent again"
[ "$(sql "$D" "select state from messages")" = review ]; ok $? "the message goes to a person"
has "$T/err" "not sent again" "and the log says why"

# A message that failed too often goes to a person.
D=$T/tries
mkconf "$D"
put "$D" utf8-qp.eml
"$FR" -c "$D/conf.yaml" once --dry-run
"$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("insert into messages (mailbox, msgkey, state, tries, created, updated) values (?, ?, ?, 3, 0, 0)",
    ("maildir:" + sys.argv[2], sys.argv[3], "trying"))
c.commit()' "$D/journal.db" "$D/Maildir" "$(ls "$D/Maildir/new" | head -1)"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
[ "$(sql "$D" "select state || ' ' || reason from messages")" = "review handling failed 3 times" ]
ok $? "three failed tries: review"

# An oversized message goes to a person unread.
D=$T/big
mkconf "$D" "limits:
  max_size: 1024"
put "$D" attachment.eml
"$FR" -c "$D/conf.yaml" once
[ "$(sql "$D" "select state from messages")" = review ]; ok $? "an oversized message goes to review"
has "$D/journal.db" "over limits.max_size" "with the reason"

# Delivery through sendmail: accepted, deferred, refused.
cat > "$T/sendmail" <<'SH'
#!/bin/sh
printf '%s\n' "$*" >> "$(dirname "$0")/sendmail.args"
cat > "$(dirname "$0")/sendmail.$$"
exit "$(cat "$(dirname "$0")/sendmail.exit")"
SH
chmod +x "$T/sendmail"
D=$T/sm
DELIVERY=sendmail DPATH="$T/sendmail" mkconf "$D"
put "$D" utf8-qp.eml
echo 75 > "$T/sendmail.exit"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
status=$?
[ $status -eq 75 ]; ok $? "sendmail deferring: once exits EX_TEMPFAIL (got $status)"
[ "$(sql "$D" "select state from messages")" = retry ]; ok $? "and the message will be tried again"
has "$T/sendmail.args" "-i -f <> -- camille.martin@agence.example.fr" "the null envelope sender and the recipient"
echo 0 > "$T/sendmail.exit"
"$FR" -c "$D/conf.yaml" once
[ "$(sql "$D" "select state from messages")" = replied ]; ok $? "then accepted: replied"
grep -l "Auto-Submitted: auto-replied" "$T"/sendmail.[0-9]* > /dev/null
ok $? "sendmail got the reply on its input"
D=$T/sm2
DELIVERY=sendmail DPATH="$T/sendmail" mkconf "$D"
put "$D" latin1-qp.eml
echo 67 > "$T/sendmail.exit"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
[ "$(sql "$D" "select state from messages")" = review ]; ok $? "sendmail refusing: the message goes to a person"
done_testing

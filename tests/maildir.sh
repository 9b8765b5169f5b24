#!/bin/sh
# The Maildir as the shared record: each outcome is a keyword letter in the
# message's file name (dovecot-keywords), so a lost journal answers nothing
# again; each message is claimed (a rename) before it is handled, so two
# responders with journals of their own answer each message once, started
# together or with mail arriving while they run; a claim left by a
# responder killed between claim and outcome is left alone by the other and
# settled by its own; a dry run renames nothing.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

# mkconf DIR MAILDIR [extra YAML]: a responder of its own (journal, outbox
# DIR/Outbox) on the Maildir MAILDIR, without limits.
mkconf() {
	DPATH=${DPATH:-Outbox} maildir_conf "$1" "mailbox:
  type: maildir
  path: $2
limits:
  per_sender_days: 0
  hourly_cap: 0
imap:
  poll_interval: 1
${3:-}"
	mkdir -p "$2/new" "$2/cur" "$2/tmp"
}
# arrive MAILDIR FROM TO: messages FROM..TO, each with a Message-ID of its
# own, from the test questions in turn, delivered as an MTA does (written
# in tmp/, then renamed into new/).
arrive() {
	ar_i=$2
	while [ $ar_i -le $3 ]; do
		case $((ar_i % 3)) in
		0) ar_f=utf8-qp.eml ;;
		1) ar_f=latin1-qp.eml ;;
		*) ar_f=english.eml ;;
		esac
		sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-$ar_i@/" \
		    "$MSG/$ar_f" > "$1/tmp/$((1700000000 + ar_i)).M$ar_i.arrive"
		mv "$1/tmp/$((1700000000 + ar_i)).M$ar_i.arrive" "$1/new/"
		ar_i=$((ar_i + 1))
	done
}
# replies OUTBOX...: how many replies were written.
replies() { cat "$@" | grep -c '^In-Reply-To: ' ; }
# inspect MAILDIR JOURNAL|- OUTBOX...: checks the Maildir against
# dovecot-keywords (and the journal: each file's outcome letter is its
# journal state), and counts the replies; prints what it found and fails
# when a file does not show exactly one outcome, or shows a claim, or a
# message was answered twice.
inspect() {
	"$PY" - "$@" <<'PY'
import collections, glob, os, re, sqlite3, sys
md, journal, outboxes = sys.argv[1], sys.argv[2], sys.argv[3:]
names = {}
for line in open(os.path.join(md, "dovecot-keywords")):
    n, name = line.rstrip("\n").split(" ", 1)
    names[chr(ord("a") + int(n))] = name
outcomes = {"$AutoReplied": "replied", "$FlossReview": "review",
    "$FlossIgnored": "ignored"}
state = {}
if journal != "-":
    db = sqlite3.connect(journal)
    state = dict(db.execute("select msgkey, state from messages"))
bad = []
shown = collections.Counter()
for sub in ("new", "cur"):
    for f in os.listdir(os.path.join(md, sub)):
        key, _, info = f.partition(":")
        letters = info[2:] if info.startswith("2,") else ""
        kws = [names.get(c, "?" + c) for c in letters if c.islower()]
        outs = [k for k in kws if k in outcomes]
        claims = [k for k in kws if k.startswith("$FlossClaim.")]
        if sub != "cur" or len(outs) != 1 or claims or "?" in "".join(kws):
            bad.append((sub, f, kws))
            continue
        if list(letters) != sorted(letters):
            bad.append(("unsorted", f))
        shown[outs[0]] += 1
        if state and state.get(key) != outcomes[outs[0]]:
            bad.append(("journal says", state.get(key), f, kws))
ids = collections.Counter()
for box in outboxes:
    for f in glob.glob(os.path.join(box, "new", "*")):
        m = re.search(rb"^In-Reply-To: (<[^>]*>)", open(f, "rb").read(), re.M)
        if m:
            ids[m.group(1)] += 1
twice = [k for k, v in ids.items() if v > 1]
print("shown", dict(shown), "replies", sum(ids.values()), "answered twice",
    len(twice))
for b in bad[:10]:
    print("bad", b)
sys.exit(1 if bad or twice else 0)
PY
}

# A journal lost: the Maildir shows what was done, nothing is done again.
D=$T/lost
M=$D/Maildir
mkconf "$D" "$M"
numbered_messages "$M/new" 30 utf8-qp.eml latin1-qp.eml english.eml \
    vacation.eml coordinator.eml
"$FR" -c "$D/conf.yaml" once 2> "$T/err"; status=$?
[ $status -eq 0 ]; ok $? "once exits 0 (got $status)"
first=$(replies "$D"/Outbox/new/*)
[ "$first" -eq 18 ]; ok $? "18 of the 30 messages answered (got $first)"
inspect "$M" "$D/journal.db" "$D/Outbox" > "$T/out"
ok $? "every message shows one outcome letter, the journal's, and no claim"
sed 's/^/# /' "$T/out"
grep -q '^0 $FlossClaim\.[0-9a-f]\{8\}$' "$M/dovecot-keywords"
ok $? "the claim's keyword, named after the responder, took the first letter"
for kw in '$AutoReplied' '$FlossReview' '$FlossIgnored'; do
	grep -q "^[0-9]* $kw\$" "$M/dovecot-keywords"
	ok $? "dovecot-keywords names $kw"
done
[ ! -e "$M/dovecot-uidlist.lock" ] && [ ! -e "$M/dovecot-keywords.lock" ]
ok $? "no lock left behind"
rm -f "$D"/journal.db*
"$FR" -c "$D/conf.yaml" once 2> "$T/err"; status=$?
[ $status -eq 0 ]; ok $? "with the journal lost, once exits 0 (got $status)"
[ "$(replies "$D"/Outbox/new/*)" -eq "$first" ]
ok $? "no message is answered again (got $(($(replies "$D"/Outbox/new/*) - first)) replies)"
[ "$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from messages").fetchone()[0])' "$D/journal.db")" -eq 0 ]
ok $? "nothing is filed for review nor recorded again"
has "$T/err" "30 messages already show an outcome" "and the log says why"
"$FR" -c "$D/conf.yaml" once 2> "$T/err"
! grep -q "already show" "$T/err"; ok $? "said once: a journal that claimed here does not repeat it"

# Dovecot's lock of the Maildir, left by a process that died: taken over
# (at once when its process is gone, after two seconds when it is empty).
D=$T/stale
M=$D/Maildir
mkconf "$D" "$M"
arrive "$M" 1 3
: > "$M/dovecot-uidlist"		# Dovecot keeps it: renames take the lock
dead=$(sh -c 'echo $$')
printf '%s:%s' "$dead" "$(hostname)" > "$M/dovecot-uidlist.lock"
timeout 20 "$FR" -c "$D/conf.yaml" once 2> "$T/err"; status=$?
[ $status -eq 0 ] && [ "$(replies "$D"/Outbox/new/*)" -eq 3 ]
ok $? "a lock whose process is gone is taken over (got $status)"
arrive "$M" 4 4
: > "$M/dovecot-uidlist.lock"
timeout 20 "$FR" -c "$D/conf.yaml" once 2> "$T/err"; status=$?
[ $status -eq 0 ] && [ "$(replies "$D"/Outbox/new/*)" -eq 4 ]
ok $? "so is an empty one (got $status)"
[ ! -e "$M/dovecot-uidlist.lock" ]; ok $? "and none is left"
rm "$M/dovecot-uidlist"
printf '%s:%s' "$dead" "$(hostname)" > "$M/dovecot-uidlist.lock"
"$FR" -c "$D/conf.yaml" once 2> /dev/null
[ ! -e "$M/dovecot-uidlist.lock" ]; ok $? "a dead process's lock is removed even when no rename needs it"

# A dry run renames nothing and writes no keyword.
D=$T/dry
M=$D/Maildir
mkconf "$D" "$M"
arrive "$M" 1 6
ls -R "$M" > "$T/before"
"$FR" -c "$D/conf.yaml" once --dry-run 2> /dev/null
ls -R "$M" > "$T/after"
cmp -s "$T/before" "$T/after"; ok $? "a dry run renames no message"
[ ! -e "$M/dovecot-keywords" ]; ok $? "and writes no dovecot-keywords"

# Two responders with journals of their own, started together.
M=$T/shared
mkconf "$T/r1" "$M"
mkconf "$T/r2" "$M"
arrive "$M" 1 30
"$FR" -c "$T/r1/conf.yaml" once 2> "$T/err1" &
p1=$!
"$FR" -c "$T/r2/conf.yaml" once 2> "$T/err2" &
p2=$!
wait $p1; s1=$?
wait $p2; s2=$?
[ $s1 -eq 0 ] && [ $s2 -eq 0 ]; ok $? "two responders at once both exit 0 ($s1 $s2)"
inspect "$M" - "$T/r1/Outbox" "$T/r2/Outbox" > "$T/out"
ok $? "every message shows one outcome and was answered once"
sed 's/^/# /' "$T/out"
n1=$(ls "$T/r1/Outbox/new" | wc -l)
n2=$(ls "$T/r2/Outbox/new" | wc -l)
[ $((n1 + n2)) -eq 30 ]; ok $? "30 replies between them ($n1 + $n2)"

# A daemon and cron runs of another responder, mail arriving meanwhile.
M=$T/busy
mkconf "$T/d1" "$M"
mkconf "$T/d2" "$M"
"$FR" -c "$T/d1/conf.yaml" run -f 2> "$T/run.log" &
daemon=$!
i=1
while [ $i -le 90 ]; do
	arrive "$M" $i $((i + 9))
	"$FR" -c "$T/d2/conf.yaml" once 2>> "$T/err2" &
	"$FR" -c "$T/d2/conf.yaml" once 2>> "$T/err2"
	wait $!
	sleep 0.2
	i=$((i + 10))
done
# Until every message shows an outcome (the daemon looks every second).
i=0
while [ "$(ls "$M/new" | wc -l)" -gt 0 ] || ls "$M/cur" | grep -qv ':2,.*[a-z]'; do
	[ $i -lt 100 ] || break
	"$FR" -c "$T/d2/conf.yaml" once 2>> "$T/err2"
	sleep 0.1; i=$((i + 1))
done
kill -TERM $daemon; wait $daemon
inspect "$M" - "$T/d1/Outbox" "$T/d2/Outbox" > "$T/out"
ok $? "a daemon and cron runs, 90 messages arriving: each shows one outcome, none answered twice"
sed 's/^/# /' "$T/out"
n1=$(ls "$T/d1/Outbox/new" | wc -l)
n2=$(ls "$T/d2/Outbox/new" | wc -l)
[ $((n1 + n2)) -eq 90 ]; ok $? "90 replies between them ($n1 + $n2)"

# Killed between the claim and the outcome: the other responder leaves
# the message alone, its own settles it without sending again.
cat > "$T/sendmail" <<'SH'
#!/bin/sh
cat > "$(dirname "$0")/sent.$$"
kill -9 $PPID
SH
chmod +x "$T/sendmail"
M=$T/claimed
DELIVERY=sendmail DPATH="$T/sendmail" mkconf "$T/k1" "$M"
mkconf "$T/k2" "$M"
arrive "$M" 1 1
"$FR" -c "$T/k1/conf.yaml" once 2> /dev/null
ls "$M/cur" | grep -q ':2,a$' && [ "$(sed -n 's/^0 //p' "$M/dovecot-keywords")" = \
    "\$FlossClaim.$("$PY" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select value from meta where key = '"'instance'"'").fetchone()[0])' "$T/k1/journal.db")" ]
ok $? "killed while sending: the message shows the claim of the responder killed"
"$FR" -v -c "$T/k2/conf.yaml" once 2> "$T/err"
[ "$(ls "$T/k2/Outbox/new" 2>/dev/null | wc -l)" -eq 0 ]
ok $? "another responder leaves it alone"
has "$T/err" "1 messages claimed by another responder: left to it" "and says so (-v)"
ls "$M/cur" | grep -q ':2,a$'; ok $? "and its claim in place"
"$FR" -c "$T/k1/conf.yaml" once 2> "$T/err"
[ "$(ls "$T"/sent.* | wc -l)" -eq 1 ]; ok $? "its own responder does not send it again"
has "$T/err" "not sent again" "it says so"
inspect "$M" "$T/k1/journal.db" > "$T/out"
ok $? "and shows the outcome (review) in place of the claim"
sed 's/^/# /' "$T/out"
done_testing

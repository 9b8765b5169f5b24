#!/bin/sh
# Exactly once, whatever the crashes: "once" over 200 messages, killed with
# SIGKILL at random moments at least 20 times and restarted, then run to
# the end.  Every message has exactly one outcome, in the journal and in
# the Maildir (one keyword letter, no claim), and no message got two
# replies.  (sendmail is a script that takes a little time, so that kills
# land in the middle of sends.)
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}

D=$T/crash
mkdir -p "$D/Maildir/new" "$D/Maildir/cur" "$D/Maildir/tmp" "$D/sent"
cat > "$T/sendmail" <<'SH'
#!/bin/sh
f=$(mktemp "$(dirname "$0")/crash/sent/m.XXXXXX")
cat > "$f"
sleep 0.02
exit 0
SH
chmod +x "$T/sendmail"
base_conf "$D"
cat >> "$D/conf.yaml" <<YAML
mailbox:
  type: maildir
  path: Maildir
delivery:
  type: sendmail
  path: $T/sendmail
state:
  path: journal.db
limits:
  per_sender_days: 0
  hourly_cap: 0
YAML
# 200 messages with their own Message-IDs, from the test questions; "once"
# killed at a random moment within 0.3 s of its start.
numbered_messages "$D/Maildir/new" 200 utf8-qp.eml latin1-qp.eml \
    english.eml vacation.eml coordinator.eml
kill_at_random "$D/conf.yaml" 0.3
[ $kills -ge 20 ]; ok $? "killed with SIGKILL $kills times in $runs runs"
[ $status -eq 0 ]; ok $? "the last run ends cleanly"

"$PY" - "$D/journal.db" "$D/sent" "$D/Maildir" > "$T/out" 2>&1 <<'PY'
import collections, glob, os, re, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("select state, count(*) from messages group by state").fetchall()
states = dict(rows)
total = sum(states.values())
assert total == 200, ("outcomes", states)
assert set(states) <= {"replied", "review", "ignored"}, ("unfinished", states)
# The Maildir shows the same: each file one outcome letter, the journal's,
# and no claim left; no lock left.
md = sys.argv[3]
names = dict((chr(ord("a") + int(l.split(" ", 1)[0])), l.rstrip("\n").split(" ", 1)[1])
    for l in open(os.path.join(md, "dovecot-keywords")))
kws = {"$AutoReplied": "replied", "$FlossReview": "review", "$FlossIgnored": "ignored"}
journal = dict(db.execute("select msgkey, state from messages"))
assert not os.listdir(os.path.join(md, "new")), "left in new/"
for f in os.listdir(os.path.join(md, "cur")):
    key, _, info = f.partition(":")
    shown = [names[c] for c in info[2:] if c.islower()]
    assert len(shown) == 1 and journal[key] == kws[shown[0]], (f, shown, journal[key])
assert not os.path.exists(os.path.join(md, "dovecot-uidlist.lock")), "lock left"
replies = collections.Counter()
for f in glob.glob(sys.argv[2] + "/m.*"):
    m = re.search(rb"^In-Reply-To: (<[^>]*>)", open(f, "rb").read(), re.M)
    if m:
        replies[m.group(1)] += 1
twice = [k for k, v in replies.items() if v > 1]
assert not twice, ("replied twice", twice)
replied = states.get("replied", 0)
# Replies handed over for messages whose outcome is review (interrupted
# sends) are at most the number of kills; none is counted twice.
print("states", states, "replies", sum(replies.values()))
assert sum(replies.values()) >= replied
PY
status=$?
sed 's/^/# /' "$T/out"
[ $status -eq 0 ]; ok $? "every message has exactly one outcome, no message got two replies"
done_testing

#!/bin/sh
# The paraphrase set (tests/para: messages written from the topics and the
# documents alone, without reading the rules, with labels.yaml): every
# message decides as the golden file tests/golden/para.txt says, one line a
# message, "file: action topics"; and against the labels, no automatic reply
# goes to machine mail or spam, and reply precision and recall stay at least
# what the golden file's first line records.  A change of decision is a
# change of the golden file, made on purpose:
#   top_builddir=build tests/para.sh --update   (from the tree's root)
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
PARA=$top_srcdir/tests/para
GOLD=$top_srcdir/tests/golden/para.txt

(cd "$PARA" && "$FR" -c "$CONF" classify --json *.eml) > "$T/json"
"$PY" - "$PARA/labels.yaml" "$T/json" > "$T/got" <<'PY'
import json, sys
import yaml
labels = {e["file"]: e for e in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))}
got = {}
for line in open(sys.argv[2], encoding="utf-8"):
    d = json.loads(line)
    got[d["file"]] = d
unsafe = replies = right = answerable = 0
for f, e in labels.items():
    d = got.get(f)
    if d is None:
        continue
    tops, want = d["topics"], e["topics"]
    # Right: the main topic is one asked, and every topic answered is.
    good = bool(tops) and tops[0] in want and all(t in want for t in tops)
    if e["action"] == "reply":
        answerable += 1
    if d["action"] == "reply":
        replies += 1
        if e["action"] in ("ignore", "spam"):
            unsafe += 1
        elif "reply" in e["accept"] and good:
            right += 1
print("score: unsafe %d precision %d recall %d" % (unsafe,
      100 * right // max(replies, 1), 100 * right // max(answerable, 1)))
for f in sorted(got):
    print("%s: %s %s" % (f, got[f]["action"], ",".join(got[f]["topics"])))
PY
if [ "${1:-}" = --update ]; then
	cp "$T/got" "$GOLD"
	echo "# $GOLD written"
	exit 0
fi

[ "$(wc -l < "$T/got")" -eq "$(wc -l < "$GOLD")" ]
ok $? "every message of the set is decided ($(($(wc -l < "$T/got") - 1)))"
set -- $(head -1 "$GOLD")
want_unsafe=$3 want_p=$5 want_r=$7
set -- $(head -1 "$T/got")
echo "# $(head -1 "$T/got") (golden: unsafe $want_unsafe, precision $want_p, recall $want_r)"
[ "$3" -le "$want_unsafe" ]; ok $? "automatic replies to machine mail or spam: $3, at most $want_unsafe"
[ "$5" -ge "$want_p" ]; ok $? "reply precision $5 %, at least $want_p %"
[ "$7" -ge "$want_r" ]; ok $? "reply recall $7 %, at least $want_r %"
tail -n +2 "$GOLD" | while IFS= read -r want; do
	got=$(grep -F -- "${want%%:*}:" "$T/got")
	[ "$got" = "$want" ]
	ok $? "$want"
	[ "$got" = "$want" ] || echo "#   got: $got"
done > "$T/tap"
cat "$T/tap"
# The counter of lib.sh does not cross the pipe: the lines are counted here.
tap_n=$((tap_n + $(grep -c '^ok\|^not ok' "$T/tap")))
tap_failed=$((tap_failed + $(grep -c '^not ok' "$T/tap")))
done_testing

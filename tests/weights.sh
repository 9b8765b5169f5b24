#!/bin/sh
# Weights fitted on labelled mail (classify.weights): check reads them and
# says which are in use, refuses a broken file at file:line:column; classify
# decides by them; learn writes them byte for byte the same from the same
# inputs, keeps the file it replaces, lists with --dry-run the decisions
# they would change, and learns from the operators' decisions in the review
# queue, which stats counts; the shipped conf/weights.yaml is what learn
# makes of the corpora.
. "${top_srcdir:-.}/tests/lib.sh"

D=$T/w
base_conf "$D"
wconf() {	# wconf FILE: a configuration of $D that names the weights FILE
	cp "$D/conf.yaml" "$D/w.conf.yaml"
	printf 'classify:\n  weights: %s\n' "$1" >> "$D/w.conf.yaml"
}

# The rules' weights when no file is named; the shipped file when it is.
"$FR" -c "$D/conf.yaml" check > "$T/out" 2>&1
has "$T/out" "the rules' own weights" "without classify.weights, the rules' weights"
wconf "$top_srcdir/conf/weights.yaml"
"$FR" -c "$D/w.conf.yaml" check > "$T/out" 2>&1
ok $? "the shipped weights pass check"
has "$T/out" "the weights of $top_srcdir/conf/weights.yaml (fitted " "check says which weights are in use"

# A broken file: every error at its place.
kw=$(awk '/^  - id: /{ on = $3 == "procurement-ip"; kw = 0 }
    on && /^    keywords:/{ kw = 1; next }
    on && kw && match($0, /"[^"]*"/) { print substr($0, RSTART, RLENGTH); exit }' \
    "$top_srcdir/conf/rules.yaml")
[ -n "$kw" ]; ok $? "a keyword of procurement-ip in the rules ($kw)"
while IFS='|' read -r name text want; do
	printf -- "$text" > "$D/bad.yaml"
	wconf bad.yaml
	"$FR" -c "$D/w.conf.yaml" check > "$T/out" 2>&1
	[ $? -eq 78 ]; ok $? "$name: refused"
	has "$T/out" "bad.yaml:$want" "$name: said at bad.yaml:$want"
done <<EOF
not a mapping|- a\n|1:1: the weights are a mapping
unknown key|threshold: 8\nfited: 2026-01-01\ntopics: {}\n|2:1: unknown key 'fited'
no threshold|topics: {}\n|1:1: threshold: the classify.threshold
another threshold|threshold: 9\ntopics: {}\n|1:12: fitted for a classify.threshold of 9
unknown topic|threshold: 8\ntopics:\n  sill-everything:\n    scale: 1\n|3:3: 'sill-everything' is not a topic
unknown keyword|threshold: 8\ntopics:\n  procurement-ip:\n    keywords:\n      "nothing of the kind": 3\n|5:7: 'nothing of the kind' is not a keyword of procurement-ip
unknown pair|threshold: 8\ntopics:\n  procurement-ip:\n    pairs:\n      "moon + land": 3\n|5:7: 'moon + land' is not a pair of procurement-ip
not a number|threshold: 8\ntopics:\n  procurement-ip:\n    keywords:\n      $kw:\n        many\n|6:9: 'many' is not a number
out of range|threshold: 8\ntopics:\n  procurement-ip:\n    scale: 0\n|4:12: scale: a number above 0
unknown list|threshold: 8\ntopics:\n  procurement-ip:\n    words: {}\n|4:5: 'words' is not scale, keywords or pairs
EOF

# classify decides by the weights: a topic's keywords made light, a
# question about it waits for a person.
"$FR" -c "$D/conf.yaml" classify "$MSG/attachment.eml" > "$T/out" 2>&1
has "$T/out" "reply procurement-ip" "by the rules' weights, the question is answered"
printf 'threshold: 8\ntopics:\n  procurement-ip:\n    scale: 0.01\n' > "$D/light.yaml"
wconf light.yaml
"$FR" -c "$D/w.conf.yaml" classify "$MSG/attachment.eml" > "$T/out" 2>&1
has "$T/out" "review" "with the topic's keywords made light, it goes to a person"

# learn writes the file, the same bytes from the same inputs, and keeps
# the one it replaces.
wconf learned.yaml
SOURCE_DATE_EPOCH=86400 "$FR" -c "$D/w.conf.yaml" learn --no-journal \
    "$top_srcdir/tests/para" > "$T/out" 2>&1
ok $? "learn exits 0"
has "$T/out" "weights written to $D/learned.yaml" "it writes classify.weights"
has "$D/learned.yaml" "fitted: 1970-01-02" "dated by SOURCE_DATE_EPOCH"
has "$D/learned.yaml" "messages: 151" "with its inputs counted"
"$FR" -c "$D/w.conf.yaml" check > "$T/out" 2>&1
ok $? "what learn writes passes check"
cp "$D/learned.yaml" "$T/first.yaml"
SOURCE_DATE_EPOCH=86400 "$FR" -c "$D/w.conf.yaml" learn --no-journal \
    "$top_srcdir/tests/para" > "$T/out" 2>&1
cmp -s "$D/learned.yaml" "$T/first.yaml"; ok $? "the same inputs, the same file byte for byte"
cmp -s "$D/learned.yaml.prev" "$T/first.yaml"; ok $? "the file replaced is kept as .prev"

# --dry-run: the decisions that would change, and nothing written.
cp "$D/light.yaml" "$D/learned.yaml"
"$FR" -c "$D/w.conf.yaml" learn --dry-run --no-journal \
    "$top_srcdir/tests/para" > "$T/out" 2>&1
ok $? "learn --dry-run exits 0"
has "$T/out" "decisions the new weights change ($D/learned.yaml -> new):" "it lists the decisions that change"
grep -q ": review .* -> reply procurement-ip" "$T/out"
ok $? "among them questions on the topic the light weights sent to a person"
has "$T/out" "for the better, " "and counts them against the labels"
cmp -s "$D/learned.yaml" "$D/light.yaml"; ok $? "nothing written"

# The operators' decisions: a reply sent with topics and a dismissal are
# labels; what the responder decided alone is not.
Q=$T/q
maildir_conf "$Q"
cp "$MSG/coordinator.eml" "$Q/Maildir/new/1700000001.M1.q"
cp "$MSG/interview.eml" "$Q/Maildir/new/1700000002.M2.q"
cp "$MSG/attachment.eml" "$Q/Maildir/new/1700000003.M3.q"
"$FR" -c "$Q/conf.yaml" once > /dev/null 2>&1
"$FR" -c "$Q/conf.yaml" learn --cv 2 "$top_srcdir/tests/para" > "$T/out" 2>&1
has "$T/out" "151 labelled messages (" "no operator decision yet: none from the journal"
COLUMNS=300 "$FR" -c "$Q/conf.yaml" queue list > "$T/list" 2>&1
c=$(grep -i "coordinat" "$T/list" | sed -n 's/^\([0-9][0-9]*\) .*/\1/p' | head -1)
i=$(grep -i "interview\|entretien" "$T/list" | sed -n 's/^\([0-9][0-9]*\) .*/\1/p' | head -1)
[ -n "$c" ] && [ -n "$i" ]; ok $? "two messages wait for a person ($c, $i)"
"$FR" -c "$Q/conf.yaml" queue send "$c" --topic markets-beneficiaries --by op > /dev/null 2>&1
"$FR" -c "$Q/conf.yaml" queue dismiss "$i" --by op > /dev/null 2>&1
"$FR" -c "$Q/conf.yaml" learn --cv 2 "$top_srcdir/tests/para" > "$T/out" 2>&1
has "$T/out" "153 labelled messages (" "a reply sent and a dismissal are two labels more"
has "$T/out" "journal 2)" "said to come from the journal"
"$FR" -c "$Q/conf.yaml" learn --cv 2 --no-journal "$top_srcdir/tests/para" > "$T/out" 2>&1
has "$T/out" "151 labelled messages (" "--no-journal leaves them out"
# stats says how often the operators' topics were not the suggestion.
"$FR" -c "$Q/conf.yaml" stats > "$T/out" 2>&1
has "$T/out" "operators sent 1 reply from the queue, 1 on other topics than suggested (100%)" \
    "stats counts the replies sent on other topics than suggested"
"$FR" -c "$Q/conf.yaml" stats --json > "$T/out" 2>&1
has "$T/out" '"operators": {"sent": 1, "other_topics": 1}' "and says it in JSON"

# The shipped weights are those learn makes of the two corpora.
if [ -d "$top_srcdir/../shared/corpus2" ]; then
	(cd "$top_srcdir" && "$FR" -c conf/floss-responder.yaml learn \
	    --no-journal -o "$T/shipped.yaml" ../shared/corpus \
	    ../shared/corpus2) > "$T/out" 2>&1
	ok $? "the shipped weights are fitted anew"
	grep -v '^fitted:' "$T/shipped.yaml" > "$T/a"
	grep -v '^fitted:' "$top_srcdir/conf/weights.yaml" > "$T/b"
	if cmp -s "$T/a" "$T/b"; then
		ok 0 "conf/weights.yaml is up to date"
	else
		ok 1 "conf/weights.yaml is up to date (run: make weights)"
		diff "$T/b" "$T/a" | head -20 | sed 's/^/# /'
	fi
else
	echo "# no corpora beside the tree: conf/weights.yaml not checked"
fi
done_testing

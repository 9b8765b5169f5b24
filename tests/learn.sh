#!/bin/sh
# "learn --cv K DIR...": the figures of the rules' weights and of weights
# fitted out of fold, on labelled mail, decided again by the classifier,
# with a penalty and a threshold chosen without the fold (the rules'
# weights when no fit decides better);
# the same inputs, the same output; broken labels refused at
# file:line:column.
. "${top_srcdir:-.}/tests/lib.sh"

"$FR" -c "$CONF" learn --cv 3 "$top_srcdir/tests/para" > "$T/out1" 2>&1
ok $? "learn --cv 3 on the paraphrase set exits 0"
has "$T/out1" "151 labelled messages (" "it counts the messages"
has "$T/out1" "tests/para 151), 3 folds" "by source, and the folds"
has "$T/out1" "rules' weights  " "it gives the rules' weights' figures"
has "$T/out1" "fitted, out of fold  " "and the fitted weights', out of fold"
has "$T/out1" "threshold: probability 0." "and the threshold chosen"
has "$T/out1" "  sill-reference  " "topic by topic"
[ ! -e "$top_srcdir/tests/para/weights.yaml" ]; ok $? "--cv writes nothing"
"$FR" -c "$CONF" learn --cv 3 "$top_srcdir/tests/para" > "$T/out2" 2>&1
cmp -s "$T/out1" "$T/out2"; ok $? "the same inputs give the same output"

# The hand weights' figures are the decisions' own: as many replies as
# classify makes on the set.
n=$(cd "$top_srcdir/tests/para" && "$FR" -c "$CONF" classify *.eml | grep -c ': reply ')
grep -q "^rules' weights  *$n " "$T/out1"
ok $? "the rules' weights' replies are classify's ($n)"

# The penalty and the threshold are chosen inside each fold, without it.
has "$T/out1" "  in each fold, chosen without it: probability 0." "the choices of the folds are said"

# Labels that say what the rules' weights decide: no fit decides better,
# so the cross-validation inside each fold keeps the rules' weights, and
# the figures out of fold are theirs.
mkdir -p "$T/same"
cp "$top_srcdir"/tests/para/*.eml "$T/same/"
(cd "$T/same" && "$FR" -c "$CONF" classify *.eml) | awk '
	/^[^ ]/ {
		sub(/:$/, "", $1)
		printf "- file: %s\n  action: %s\n  topics: [%s]\n", $1, $2,
		    $3 ~ /^\[/ ? "" : $3
	}' > "$T/same/labels.yaml"
"$FR" -c "$CONF" learn --cv 3 "$T/same" > "$T/out5" 2>&1
ok $? "learn --cv 3 on labels that are the rules' decisions"
has "$T/out5" "with the rules' weights: the most right" "the rules' weights are chosen"
has "$T/out5" "; the rules' weights (3)" "in each of the 3 folds"
a=$(sed -n "s/^rules' weights  *//p" "$T/out5")
b=$(sed -n 's/^fitted, out of fold  *//p' "$T/out5")
[ -n "$a" ] && [ "$a" = "$b" ]; ok $? "the figures out of fold are the rules' ($a)"

mkdir -p "$T/bad"
printf -- '- file: a.eml\n  action: reply\n  topics: [no-such-topic]\n' > "$T/bad/labels.yaml"
"$FR" -c "$CONF" learn --cv 3 "$T/bad" > "$T/out3" 2>&1
[ $? -eq 65 ]; ok $? "broken labels: EX_DATAERR"
has "$T/out3" "labels.yaml:3:12: 'no-such-topic' is not a topic of the rules" "said at 3:12"

"$FR" -c "$CONF" learn --cv 1 "$top_srcdir/tests/para" > "$T/out4" 2>&1
[ $? -eq 64 ]; ok $? "one fold is no cross-validation: EX_USAGE"
done_testing

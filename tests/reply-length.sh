#!/bin/sh
# Replies as short as the answer allows: the median automatic reply to the
# messages of ../shared/corpus2 is under 40 lines (the lines of its
# text/plain part, tests/tools/reply-lines.py), with the shipped
# configuration.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
CORPUS=${CORPUS:-$top_srcdir/../shared/corpus2}

if [ ! -d "$CORPUS" ]; then
	echo "1..0 # SKIP no messages at $CORPUS"
	exit 0
fi

"$PY" "$top_srcdir/tests/tools/reply-lines.py" "$FR" "$CONF" "$CORPUS" \
    > "$T/lines"
ok $? "every message answered automatically gets its reply"
set -- $(tail -1 "$T/lines")
echo "# $*"
[ "${2:-0}" -ge 90 ]; ok $? "the replies counted: $2"
awk -v m="${4:-999}" 'BEGIN { exit !(m < 40) }'
ok $? "the median reply is under 40 lines: $4"
sort -n "$T/lines" | tail -3 | sed 's/^/# longest: /'

# The count is the text part's: one reply counted by hand.
f=$(sed -n 1p "$T/lines" | cut -d' ' -f2)
"$FR" -c "$CONF" reply "$f" | "$PY" -c '
import email, email.policy, sys
m = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
sys.stdout.write(m.get_body(("plain",)).get_content())' > "$T/one.txt"
[ "$(sed -n 1p "$T/lines" | cut -d' ' -f1)" -eq "$(wc -l < "$T/one.txt")" ]
ok $? "a reply's count is the lines of its text part"

done_testing

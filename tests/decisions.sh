#!/bin/sh
# The decisions on the project's test messages against the golden file
# tests/golden/decisions.txt: one line per message, "file: action topics
# [lang]".  A new case is a new message and a new line.
. "${top_srcdir:-.}/tests/lib.sh"

while IFS= read -r want; do
	file=${want%%:*}
	got=$(cd "$MSG" && "$FR" -c "$CONF" classify "$file" | head -1)
	[ "$got" = "$want" ]
	ok $? "$want"
	[ "$got" = "$want" ] || echo "#   got: $got"
done < "$top_srcdir/tests/golden/decisions.txt"
done_testing

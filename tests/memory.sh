#!/bin/sh
# Memory bounded by the message: for each hostile shape of message
# (tests/tools/hostile: blank lines, short lines, one line, deep quoting,
# thousands of parts, a huge field, many fields, HTML, nested blockquotes,
# base64, quoted-printable, mojibake) of 10 MB, classify, reply and once
# (a Maildir) peak at no more than three times the message's size over
# what they take for a small message.
. "${top_srcdir:-.}/tests/lib.sh"

PEAK="$top_builddir/tests/peak"
HOSTILE="$top_srcdir/tests/tools/hostile"
SIZE=10000000
SHAPES="blank short oneline quotes parts header headers html blockquote
    base64 qp mojibake"

# Under AddressSanitizer the memory is the sanitizer's, not the program's.
if ASAN_OPTIONS=help=1 "$FR" --version 2>&1 | grep -q AddressSanitizer; then
	echo "1..0 # SKIP memory is not representative under AddressSanitizer"
	exit 0
fi

peak() {	# peak COMMAND...: kb, the peak RSS in KB; st, the exit status
	"$PEAK" "$T/kb" "$@" > "$T/out" 2>&1
	st=$?
	kb=$(cat "$T/kb" 2>/dev/null || echo 0)
}

# within WHAT MESSAGE BASELINE: ok when kb - BASELINE <= 3 x the size.
within() {
	lim=$(($(wc -c < "$2") * 3 / 1024))
	over=$((kb - $3))
	[ "$st" -eq 0 ] && [ "$over" -le "$lim" ]
	ok $? "$1: $over KB over the baseline, at most $lim (status $st)"
}

# once on a Maildir holding one message, the journal new.
once() {	# once DIR MESSAGE
	maildir_conf "$1"
	cp "$2" "$1/Maildir/new/1700000000.M1.memory"
	peak "$FR" -c "$1/conf.yaml" once
}

peak "$FR" -c "$CONF" classify "$MSG/english.eml"
base_classify=$kb
peak "$FR" -c "$CONF" reply "$MSG/english.eml"
base_reply=$kb
once "$T/base" "$MSG/english.eml"
base_once=$kb
echo "# baseline: classify $base_classify KB, reply $base_reply KB," \
    "once $base_once KB"

for s in $SHAPES; do
	"$HOSTILE" "$s" $SIZE > "$T/$s.eml"
	peak "$FR" -c "$CONF" classify "$T/$s.eml"
	within "classify, $s" "$T/$s.eml" "$base_classify"
	# Every shape but the parts (past the limit: review) is answered,
	# so that composing the reply is measured too.
	if [ "$s" = parts ]; then
		peak "$FR" -c "$CONF" reply --suggest "$T/$s.eml"
	else
		peak "$FR" -c "$CONF" reply "$T/$s.eml"
	fi
	within "reply, $s" "$T/$s.eml" "$base_reply"
	once "$T/once-$s" "$T/$s.eml"
	within "once, $s" "$T/$s.eml" "$base_once"
	# The message was read: answered, or filed for review.
	[ -n "$(ls "$T/once-$s/outbox" 2>/dev/null)" ] || [ "$s" = parts ]
	ok $? "once, $s: answered"
	rm -rf "$T/once-$s" "$T/$s.eml"
done

# Text of windows-1252 characters of three UTF-8 bytes each: decoded, it
# is cut at twice the message's size, and the message goes to a person.
"$HOSTILE" cp1252 $SIZE > "$T/cp1252.eml"
peak "$FR" -c "$CONF" classify --json "$T/cp1252.eml"
within "classify, cp1252" "$T/cp1252.eml" "$base_classify"
grep -q '"action": *"review".*text past the limits' "$T/out"
ok $? "classify, cp1252: review, the text past the limits"
done_testing

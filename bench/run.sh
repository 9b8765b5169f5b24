#!/bin/sh
# The core's speed against GNU grep -F on the same bytes: the batch of
# messages (100,000 by default, made by repeating the files given, or the
# development corpus, or the project's test messages), classified by the
# whole core, then grep -F -c with 300 keywords over the raw bytes and
# grep -F -o over the folded text.  Run from the build directory:
#   bench/run.sh [-n count] [FILE...]
set -e
srcdir=$(cd "$(dirname "$0")/.." && pwd)
n=100000
if [ "${1:-}" = -n ]; then n=$2; shift 2; fi
if [ $# -eq 0 ]; then
	if [ -d "$srcdir/../shared/corpus" ]; then
		set -- "$srcdir"/../shared/corpus/*.eml
	else
		set -- "$srcdir"/tests/msg/*.eml "$srcdir"/demo/messages/*.eml
	fi
fi
t=$(mktemp -d "${TMPDIR:-/tmp}/floss-bench.XXXXXX")
trap 'rm -rf "$t"' 0 1 2 15

echo "== floss-responder core ($# distinct messages, $n in all)"
bench/bench-classify -c "$srcdir/conf/floss-responder.yaml" -n "$n" \
    -k "$t/kw" -f "$t/folded" -r "$t/raw" "$@"
# 300 keywords, as grep -F takes them.
head -300 "$t/kw" | sed 's/ *$//' > "$t/kw300"
mb=$(($(wc -c < "$t/raw") / 1000000))
fmb=$(($(wc -c < "$t/folded") / 1000000))

rate() {	# rate SECONDS MB COUNT
	awk -v s="$1" -v mb="$2" -v n="$3" \
	    'BEGIN { printf "%.2f s: %.1f MB/s, %.0f messages/s\n", s, mb / s, n / s }'
}
secs() {	# the best wall time of three runs of a command, in seconds
	best=
	for r in 1 2 3; do
		s=$(date +%s.%N)
		"$@" > /dev/null
		e=$(date +%s.%N)
		best=$(awk -v s="$s" -v e="$e" -v b="$best" \
		    'BEGIN { t = e - s; if (b == "" || t < b) b = t; print b }')
	done
	echo "$best"
}
echo "== grep -F -c, 300 keywords, over the raw bytes ($mb MB), best of 3"
# (grep stops at the first match when its output is /dev/null: pipe it.)
rate "$(secs sh -c "LC_ALL=C grep -F -c -f '$t/kw300' '$t/raw' | wc -l")" "$mb" "$n"
echo "== grep -F -o, 300 keywords, over the folded text ($fmb MB), best of 3"
rate "$(secs sh -c "LC_ALL=C grep -F -o -f '$t/kw300' '$t/folded' | wc -l")" "$fmb" "$n"

#!/bin/sh
# Runs each libFuzzer target of a build made with --enable-fuzzing for a
# bounded time on its seeds (tests/fuzz/seeds/NAME, and the regressions),
# one after the other, as TAP: a target fails on any finding -- a crash,
# a sanitizer report, a leak, an input that takes over 10 s, or memory
# over the limit.  Inputs are of 8 KB at most (the shipped files, larger,
# are seeds cut short).  What it finds is kept in DIR/findings/NAME/, the
# inputs it grew in DIR/corpus/NAME/ (a later run starts from them).
#
#   tests/fuzz/run.sh [-t SECONDS] [-m MB] DIR [NAME...]
#
# DIR holds the fuzz-NAME programs (build-fuzz/tests/fuzz); the names are
# message, config, rules, entities and weights by default.
set -u
src=$(cd "$(dirname "$0")" && pwd)
seconds=15
rss=2048
while getopts t:m: ch; do
	case $ch in
	t) seconds=$OPTARG ;;
	m) rss=$OPTARG ;;
	*) echo "usage: run.sh [-t SECONDS] [-m MB] DIR [NAME...]" >&2; exit 64 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { echo "usage: run.sh [-t SECONDS] [-m MB] DIR [NAME...]" >&2; exit 64; }
dir=$(cd "$1" && pwd) || exit 66
shift
[ $# -gt 0 ] || set -- message config rules entities weights

n=0
status=0
total=0
for t in "$@"; do
	n=$((n + 1))
	mkdir -p "$dir/corpus/$t" "$dir/findings/$t"
	set -- -max_total_time="$seconds" -rss_limit_mb="$rss" -timeout=10 \
	    -max_len=8192 \
	    -print_final_stats=1 -artifact_prefix="$dir/findings/$t/"
	[ -f "$src/$t.dict" ] && set -- "$@" -dict="$src/$t.dict"
	set -- "$@" "$dir/corpus/$t" "$src/seeds/$t"
	[ -d "$src/regressions/$t" ] && set -- "$@" "$src/regressions/$t"
	log="$dir/findings/$t.log"
	"$dir/fuzz-$t" "$@" > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	runs=${runs:-0}
	total=$((total + runs))
	if [ $rc -eq 0 ]; then
		echo "ok $n - fuzz-$t: $runs runs in ${seconds} s, no finding"
	else
		echo "not ok $n - fuzz-$t: a finding after $runs runs (exit $rc), in $dir/findings/$t/"
		grep -m1 '^INFO: Seed:' "$log" | sed 's/^/# /'
		grep -A40 -m1 -E '^==[0-9]+==|^fuzz-|SUMMARY|runtime error' "$log" | sed 's/^/# /'
		status=1
	fi
done
echo "# $total runs in all"
echo "1..$n"
exit $status

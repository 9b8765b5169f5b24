# Shared by the shell tests: TAP output, the program, and a private
# temporary directory removed on exit.

: "${top_srcdir:=.}"
: "${top_builddir:=.}"
top_srcdir=$(cd "$top_srcdir" && pwd)
top_builddir=$(cd "$top_builddir" && pwd)
FR="$top_builddir/src/floss-responder"
CONF="$top_srcdir/conf/floss-responder.yaml"
MSG="$top_srcdir/tests/msg"

# base_conf DIR: DIR/conf.yaml, the shipped configuration with the rules
# and replies of the source tree; a test appends its own sections (a key
# given again overrides the first).
base_conf() {
	mkdir -p "$1"
	sed -e "s|^rules: rules.yaml|rules: $top_srcdir/conf/rules.yaml|" \
	    -e "s|^entities: entities.yaml|entities: $top_srcdir/conf/entities.yaml|" \
	    -e "s|^replies: ../replies|replies: $top_srcdir/replies|" \
	    "$CONF" > "$1/conf.yaml"
}

# maildir_conf DIR [extra YAML]: a configuration for a Maildir under DIR,
# replies written by ${DELIVERY:-outbox} to ${DPATH:-outbox}, the journal
# in DIR.
maildir_conf() {
	mkdir -p "$1/Maildir/new" "$1/Maildir/cur" "$1/Maildir/tmp"
	base_conf "$1"
	cat >> "$1/conf.yaml" <<YAML
mailbox:
  type: maildir
  path: Maildir
delivery:
  type: ${DELIVERY:-outbox}
  path: ${DPATH:-outbox}
state:
  path: journal.db
YAML
	[ -z "${2:-}" ] || printf '%s\n' "$2" >> "$1/conf.yaml"
}

tap_n=0
tap_failed=0
ok() {	# ok CONDITION-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}
has() {	# has FILE TEXT DESCRIPTION
	if grep -qF -- "$2" "$1"; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "# missing: $2"
		sed 's/^/#   /' "$1" | head -20
	fi
}
# numbered_messages DIR N FILE...: N messages in DIR (a Maildir's new/)
# made from the test messages FILE... in turn, each with its own
# Message-ID.
numbered_messages() {
	nm_dir=$1 nm_n=$2
	shift 2
	nm_i=0
	while [ $nm_i -lt "$nm_n" ]; do
		for nm_f in "$@"; do
			[ $nm_i -lt "$nm_n" ] || break
			nm_i=$((nm_i + 1))
			sed "s/^Message-ID: <\([^@]*\)@/Message-ID: <\1-$nm_i@/" \
			    "$MSG/$nm_f" \
			    > "$nm_dir/$((1700000000 + nm_i)).M$nm_i.crash"
		done
	done
}

# kill_at_random CONF SECONDS: "once" killed with SIGKILL at a random
# moment within SECONDS of its start, until it was killed 20 times (200
# runs at most), then run twice to the end.  Sets kills, runs, and status
# (the last run's exit status).
kill_at_random() {
	kills=0
	runs=0
	while [ $kills -lt 20 ] && [ $runs -lt 200 ]; do
		runs=$((runs + 1))
		"$FR" -c "$1" once 2>/dev/null &
		kr_pid=$!
		sleep "$(awk -v s="$runs" -v t="$2" \
		    'BEGIN { srand(s); printf "%.3f", rand() * t }')"
		kill -9 $kr_pid 2>/dev/null && kills=$((kills + 1))
		wait $kr_pid 2>/dev/null
	done
	"$FR" -c "$1" once 2>/dev/null
	"$FR" -c "$1" once 2>/dev/null
	status=$?
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
}

T=$(mktemp -d "${TMPDIR:-/tmp}/floss-test.XXXXXX")
trap 'rm -rf "$T"' 0 1 2 15

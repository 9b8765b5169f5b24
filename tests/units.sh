#!/bin/sh
# The systemd units, as built with the installed paths: the daemon's and
# once's share one sandbox, systemd-analyze verifies them, and "security"
# rates each 3.0 or lower (OK), with the shipped drop-ins for sendmail and
# for a Maildir elsewhere too.
. "${top_srcdir:-.}/tests/lib.sh"

U="$top_builddir/conf"
S="$top_srcdir/conf"

skip() {	# skip DESCRIPTION: a check whose tool is missing
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

for u in floss-responder.service floss-responder-once.service; do
	[ -s "$U/$u" ] && ! grep -n '@[a-zA-Z_]*@' "$U/$u"
	ok $? "$u is built, its paths substituted"
	grep -q '^ExecStart=/.*/floss-responder -c /.*/floss-responder.yaml ' "$U/$u"
	ok $? "$u runs the installed program on the installed configuration"
done
grep -q ' run$' "$U/floss-responder.service"; ok $? "the daemon's unit runs run"
grep -q ' once$' "$U/floss-responder-once.service"; ok $? "once's unit runs once"

# sandbox UNIT: its settings from UMask= to [Install] (or the end).
sandbox() {
	sed -n '/^UMask=/,/^\[Install\]/p' "$1" | grep -v '^\[Install\]'
}
sandbox "$U/floss-responder.service" > "$T/s1"
sandbox "$U/floss-responder-once.service" > "$T/s2"
[ "$(grep -c '=' "$T/s1")" -gt 20 ] && cmp -s "$T/s1" "$T/s2"
ok $? "the daemon's and once's units have one sandbox"
for k in UMask=0077 StateDirectoryMode=0700 LimitCORE=0 \
    CapabilityBoundingSet= NoNewPrivileges=yes ProtectSystem=strict \
    ProtectHome=yes SystemCallFilter=@system-service LockPersonality=yes \
    RestrictNamespaces=yes ProtectProc=invisible; do
	grep -qx -- "$k" "$T/s1"
	ok $? "the sandbox sets $k"
done
grep -q '^RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX$' "$T/s1" &&
    grep -q '^MemoryMax=' "$T/s1"
ok $? "the sandbox restricts address families and memory"

if ! command -v systemd-analyze > /dev/null 2>&1; then
	skip "systemd-analyze is not installed (tools/install-deps)"
	done_testing
	exit
fi

# Verified as they are, the program they name being the one built here.
mkdir "$T/v"
for u in floss-responder.service floss-responder-once.service; do
	sed "s|^ExecStart=[^ ]*|ExecStart=$FR|" "$U/$u" > "$T/v/$u"
done
cp "$S/floss-responder-once.timer" "$T/v/"
(cd "$T/v" && systemd-analyze verify --man=no floss-responder.service \
    floss-responder-once.service floss-responder-once.timer) > "$T/verify" 2>&1
[ $? -eq 0 ] && [ ! -s "$T/verify" ]
ok $? "systemd-analyze verify: the units and the timer are sound"
sed 's/^/# /' "$T/verify" | head -10

# exposure UNIT: the overall exposure systemd-analyze security gives it,
# times ten (an integer), in $x.
exposure() {
	(cd "$(dirname "$1")" &&
	    systemd-analyze security --offline=true "$(basename "$1")") \
	    > "$T/security" 2>&1
	x=$(sed -n 's/.*Overall exposure level for .*: \([0-9]*\)\.\([0-9]\) .*/\1\2/p' \
	    "$T/security")
	[ -n "$x" ] || x=999
}
if ! systemd-analyze security --help 2>&1 | grep -q -- --offline; then
	skip "systemd-analyze security has no --offline (systemd 250 and later)"
	done_testing
	exit
fi
for u in floss-responder.service floss-responder-once.service; do
	exposure "$T/v/$u"
	[ "$x" -le 30 ]
	ok $? "systemd-analyze security rates $u $((x / 10)).$((x % 10)), 3.0 at most"
	[ "$x" -le 30 ] || sed 's/^/# /' "$T/security" | grep '✗'
done

# A drop-in applied: its settings after the unit's (the lines left
# commented as examples taken too).
for d in sendmail maildir; do
	mkdir -p "$T/$d"
	{ cat "$T/v/floss-responder.service"
	  sed 's/^#\([A-Z][A-Za-z]*=\)/\1/' "$S/$d.conf"; } \
	    > "$T/$d/floss-responder.service"
	grep -q '^\[Service\]' "$S/$d.conf"
	ok $? "$d.conf is a drop-in of the [Service] section"
	exposure "$T/$d/floss-responder.service"
	[ "$x" -le 30 ]
	ok $? "with $d.conf, systemd-analyze security rates it $((x / 10)).$((x % 10))"
done

done_testing

#!/bin/sh
# The Debian package, built from the source tree (its files known to git,
# as they are in the work tree): dpkg-buildpackage builds the source and
# the binary package, lintian finds neither error nor warning in them.
# With --install (as root, on a machine of its own: CI), the package is
# installed with apt, used as an administrator would, then purged, and
# nothing of it must be left.
#
#     tests/package.sh [--install]
#
# It needs dpkg-dev, debhelper and lintian (tools/install-deps
# --package); without them it skips.  TAP output.
. "${top_srcdir:-.}/tests/lib.sh"

install=no
[ "${1:-}" = --install ] && install=yes

skip() {	# skip DESCRIPTION
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# Without its tools it skips, unless --install says this is the machine
# that must check the package (CI): there it fails.
for t in dpkg-buildpackage dh lintian git; do
	if ! command -v $t > /dev/null; then
		[ $install = yes ] && echo "Bail out! $t is not installed" &&
		    exit 1
		echo "1..0 # SKIP $t is not installed (tools/install-deps --package)"
		exit 0
	fi
done

# A copy of the tree's files, so that the build leaves the tree alone and
# writes its packages into $T.
mkdir -p "$T/src"
(cd "$top_srcdir" && git ls-files -z) |
    tar -C "$top_srcdir" --null --ignore-failed-read -T - -cf - |
    tar -C "$T/src" -xf -
version=$(cd "$T/src" && dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
deb="$T/floss-responder_${version}_$arch.deb"

(cd "$T/src" && dpkg-buildpackage -us -uc) > "$T/build.log" 2>&1
ok $? "dpkg-buildpackage -us -uc builds the source and binary packages"
[ -f "$deb" ] && [ -f "$T/floss-responder_$version.dsc" ]
ok $? "the .deb and the .dsc of version $version are there"
if grep -n 'warning:' "$T/build.log" > "$T/warnings"; then
	ok 1 "the build gives no compiler warning under Debian's flags"
	sed 's/^/#   /' "$T/warnings" | head -20
else
	ok 0 "the build gives no compiler warning under Debian's flags"
fi
grep -q '^PASS: tests/test-' "$T/build.log" &&
    ! grep -q '^FAIL: ' "$T/build.log"
ok $? "the build runs the unit tests, and they pass"

lintian --fail-on error,warning "$T/floss-responder_${version}_$arch.changes" \
    > "$T/lintian" 2>&1
status=$?
ok $status "lintian on the .deb and the .dsc: no error, no warning"
[ $status -eq 0 ] || sed 's/^/#   /' "$T/lintian"

# The maintainer scripts systemd's units get (they cannot be run here,
# without systemd): a fresh install starts nothing (the units are not
# enabled), an upgrade restarts what runs, a removal stops it.
dpkg-deb -e "$deb" "$T/control"
! grep -q 'deb-systemd-invoke.*stop' "$T/control/preinst" 2>/dev/null
ok $? "an upgrade does not stop the units before unpacking (preinst)"
grep -q '_dh_action=restart' "$T/control/postinst" &&
    grep -q 'deb-systemd-invoke $_dh_action' "$T/control/postinst" &&
    grep -q 'daemon-reload' "$T/control/postinst"
ok $? "postinst reloads systemd and restarts on upgrade"
grep -q 'deb-systemd-invoke stop' "$T/control/prerm" 2>/dev/null
ok $? "prerm stops the units on removal"
grep -q 'systemd-sysusers.*floss-responder' "$T/control/postinst"
ok $? "postinst creates the system user"

if [ $install = no ]; then
	skip "installing and purging the package: --install, as root"
	done_testing
	exit
fi
if [ "$(id -u)" -ne 0 ] || dpkg-query -W floss-responder > /dev/null 2>&1
then
	echo "Bail out! --install: run as root, floss-responder not installed"
	exit 1
fi

DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" > "$T/apt" 2>&1
status=$?
ok $status "apt-get install ./floss-responder_${version}_$arch.deb"
[ $status -eq 0 ] || sed 's/^/#   /' "$T/apt" | tail -20
floss-responder --version > "$T/out" 2>&1
has "$T/out" "floss-responder ${version%%-*}" "floss-responder --version"
floss-responder check > "$T/out" 2>&1
ok $? "check with the packaged configuration"
has "$T/out" "/etc/floss-responder/floss-responder.yaml: ok" \
    "the packaged configuration is the default one"
runuser -u floss-responder -- floss-responder check > "$T/out" 2>&1
ok $? "check as the system user the package creates"
[ "$(stat -c '%a %U %G' /var/lib/floss-responder)" = \
    "700 floss-responder floss-responder" ]
ok $? "the state directory is the user's, mode 700"
dpkg-query -W -f='${Conffiles}\n' floss-responder > "$T/out"
has "$T/out" "/etc/floss-responder/floss-responder.yaml " \
    "the configuration is a conffile"
has "$T/out" "/etc/floss-responder/rules.yaml " "the rules are a conffile"
man -w floss-responder > /dev/null 2>&1 &&
    man -w 5 floss-responder.yaml > /dev/null 2>&1
ok $? "man -w finds floss-responder(8) and floss-responder.yaml(5)"
[ -f /usr/share/bash-completion/completions/floss-responder ]
ok $? "the bash completion is where bash-completion looks"
[ -f /usr/share/doc/floss-responder/README.gz ] ||
    [ -f /usr/share/doc/floss-responder/README ]
ok $? "the README is in /usr/share/doc/floss-responder"
for u in floss-responder.service floss-responder-once.timer; do
	s=$(systemctl is-enabled $u 2>/dev/null)
	[ "$s" = disabled ]
	ok $? "$u is installed and not enabled ($s)"
done
if systemd-analyze security --offline=true \
    /lib/systemd/system/floss-responder.service > "$T/out" 2>&1; then
	level=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$T/out")
	awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 3.0) }'
	ok $? "systemd-analyze security rates the installed unit $level (3.0 or less)"
else
	skip "systemd-analyze security --offline=true is not available"
fi

# The administrator's settings, in conf.d/, read after the installed file.
mkdir -p /etc/floss-responder/conf.d
printf 'classify:\n  threshold: high\n' > /etc/floss-responder/conf.d/local.yaml
floss-responder check > "$T/out" 2>&1
[ $? -eq 78 ] && grep -q "^/etc/floss-responder/conf.d/local.yaml:2:14:" "$T/out"
ok $? "the packaged configuration reads conf.d/ (an error there is said there)"
printf 'identity:\n  name: Essai local\n' > /etc/floss-responder/conf.d/local.yaml
floss-responder check > "$T/out" 2>&1
ok $? "and a right setting there passes"

# A reply of the administrator's own, in /etc, survives an upgrade (here
# the same package installed again).
mkdir -p /etc/floss-responder/replies/fr
awk '{ print } /^---$/ && ++n == 2 { exit }' \
    /usr/share/floss-responder/replies/fr/bluehats.md \
    > /etc/floss-responder/replies/fr/bluehats.md
echo "Un paragraphe écrit par l'administrateur." \
    >> /etc/floss-responder/replies/fr/bluehats.md
floss-responder check > "$T/out" 2>&1
has "$T/out" "(1 of them and 0 frames from /etc/floss-responder/replies)" \
    "check counts the reply in /etc/floss-responder/replies"
DEBIAN_FRONTEND=noninteractive apt-get install -y --reinstall "$deb" \
    > "$T/apt" 2>&1
ok $? "the package installed again"
grep -q "écrit par l'administrateur" /etc/floss-responder/replies/fr/bluehats.md
ok $? "the administrator's reply is left alone"
grep -q "Essai local" /etc/floss-responder/conf.d/local.yaml
ok $? "and the settings in conf.d/"

# One pass as the service would make it, on a Maildir of the state
# directory: the sample message answered, its reply in the outbox.
d=/var/lib/floss-responder/try
mkdir -p $d/M/new $d/M/cur $d/M/tmp
cp "$top_srcdir/demo/messages/01-vendor.eml" $d/M/new/
{ sed -e 's|^rules: rules.yaml|rules: /etc/floss-responder/rules.yaml|' \
      /etc/floss-responder/floss-responder.yaml
  printf 'mailbox:\n  type: maildir\n  path: %s/M\n' $d
  printf 'delivery:\n  type: outbox\n  path: %s/O\n' $d
  printf 'state:\n  path: %s/journal.db\n' $d
} > $d/conf.yaml
chown -R floss-responder:floss-responder $d
floss-responder -c $d/conf.yaml once -f > "$T/out" 2>&1
[ $? -ne 0 ] && grep -q "belongs to floss-responder" "$T/out"
ok $? "once as root on the service's journal stops and says as whom to run it"
runuser -u floss-responder -- floss-responder -c $d/conf.yaml once -f \
    > "$T/out" 2>&1
status=$?
ok $status "once, as the system user, on a Maildir"
[ $status -eq 0 ] || sed 's/^/#   /' "$T/out" | head -20
n=$(find $d/O/new -type f 2>/dev/null | wc -l)
[ "$n" -eq 1 ]
ok $? "the sample message is answered ($n reply in the outbox)"

DEBIAN_FRONTEND=noninteractive apt-get purge -y floss-responder \
    > "$T/apt" 2>&1
ok $? "apt-get purge floss-responder"
! dpkg-query -W -f='${Status}\n' floss-responder 2>/dev/null |
    grep -q installed
ok $? "the package is gone from dpkg's database"
left=
for f in /etc/floss-responder /var/lib/floss-responder \
    /usr/bin/floss-responder /usr/share/floss-responder \
    /lib/systemd/system/floss-responder.service \
    /usr/lib/tmpfiles.d/floss-responder.conf \
    /usr/lib/sysusers.d/floss-responder.conf \
    /usr/share/bash-completion/completions/floss-responder; do
	[ -e $f ] && left="$left $f"
done
[ -z "$left" ]
ok $? "nothing is left of it${left:+:$left}"

done_testing

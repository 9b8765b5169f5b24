#!/bin/sh
# The man pages: their lists of commands and of configuration keys are the
# program's own tables, as "help commands --roff" and "help config --roff"
# give them; the pages built with the installed paths are clean under
# mandoc's and groff's checks and render with man -l; "make man" (the
# merge of man/merge.awk) puts a table back in its place.
. "${top_srcdir:-.}/tests/lib.sh"

P8="$top_srcdir/man/floss-responder.8.in"
P5="$top_srcdir/man/floss-responder.yaml.5.in"
B8="$top_builddir/man/floss-responder.8"
B5="$top_builddir/man/floss-responder.yaml.5"

skip() {	# skip DESCRIPTION: a check whose tool is missing
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# generated PAGE: the lines between the marks, marks included.
generated() {
	sed -n '/^\.\\" BEGIN generated/,/^\.\\" END generated/p' "$1"
}

# Each page holds exactly what the program prints of its table.
"$FR" help commands --roff > "$T/commands.roff"
ok $? "help commands --roff exits 0"
generated "$P8" > "$T/page8"
diff -u "$T/commands.roff" "$T/page8" > "$T/diff8"
st=$?
ok $st "floss-responder.8.in lists the commands as the command table (make man)"
[ $st -eq 0 ] || sed 's/^/# /' "$T/diff8" | head -40
"$FR" help config --roff > "$T/config.roff"
ok $? "help config --roff exits 0"
generated "$P5" > "$T/page5"
diff -u "$T/config.roff" "$T/page5" > "$T/diff5"
st=$?
ok $st "floss-responder.yaml.5.in lists the keys as the configuration table (make man)"
[ $st -eq 0 ] || sed 's/^/# /' "$T/diff5" | head -40

# The same, said by names: the keys of "help config" are the keys of the
# built (5) page, the commands of "help commands" those of the (8) page.
"$FR" help config | sed -n 's/^\([a-z_][a-z_.]*\).*/\1/p' > "$T/keys"
[ "$(wc -l < "$T/keys")" -gt 40 ]; ok $? "help config lists the keys"
generated "$B5" | sed -n 's/^\\fB\([^\\]*\)\\fR.*/\1/p' > "$T/keys5"
diff "$T/keys" "$T/keys5" > "$T/diffk"
ok $? "the built floss-responder.yaml(5) lists exactly the keys of the table"
sed 's/^/# /' "$T/diffk" | head -10
"$FR" help commands | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' > "$T/cmds"
generated "$B8" | sed -n 's/^\.BR* \([a-z]*\).*/\1/p' > "$T/cmds8"
[ -s "$T/cmds" ] && diff "$T/cmds" "$T/cmds8" > /dev/null
ok $? "the built floss-responder(8) lists exactly the commands of the table"

# The built pages name the installed paths: nothing left to substitute,
# and the default configuration is the program's.
! grep -n '@[a-zA-Z_]*@' "$B8" "$B5"
ok $? "the built pages have their paths substituted"
conf=$("$FR" --help | sed -n 's/.*configuration (default \(.*\))$/\1/p')
[ -n "$conf" ] && grep -qF -- "$(printf '%s' "$conf" | sed 's/-/\\-/g')" "$B8" &&
    grep -qF -- "$(printf '%s' "$conf" | sed 's/-/\\-/g')" "$B5"
ok $? "the pages name the default configuration file, $conf"

# Clean under mandoc's lint (every level, style included) and groff's
# warnings; readable with man -l.
if command -v mandoc > /dev/null 2>&1; then
	mandoc -T lint "$B8" "$B5" > "$T/lint" 2>&1
	st=$?
	[ $st -eq 0 ] && [ ! -s "$T/lint" ]
	ok $? "mandoc -T lint reports nothing"
	sed 's/^/# /' "$T/lint" | head -20
else
	skip "mandoc is not installed (tools/install-deps)"
fi
if command -v groff > /dev/null 2>&1; then
	groff -man -ww -z "$B8" "$B5" > "$T/groff" 2>&1
	[ $? -eq 0 ] && [ ! -s "$T/groff" ]
	ok $? "groff -man -ww reports nothing"
	sed 's/^/# /' "$T/groff" | head -20
else
	skip "groff is not installed"
fi
if command -v man > /dev/null 2>&1; then
	MANWIDTH=80 man -l "$B8" > "$T/man8" 2>&1
	ok $? "man -l renders floss-responder.8"
	for s in NAME SYNOPSIS COMMANDS "EXIT STATUS" FILES SIGNALS EXAMPLES; do
		grep -q "^$s" "$T/man8"
		ok $? "floss-responder(8) has the section $s"
	done
	grep -q '^       queue list' "$T/man8" ||
	    grep -q '^       queue' "$T/man8"
	ok $? "floss-responder(8) renders the command queue"
	MANWIDTH=80 man -l "$B5" > "$T/man5" 2>&1
	ok $? "man -l renders floss-responder.yaml.5"
	grep -q '^       classify.threshold (default: 8)$' "$T/man5"
	ok $? "floss-responder.yaml(5) renders a key with its default"
else
	skip "man is not installed"
fi

# The merge behind "make man": a stale table is replaced, the page's own
# text kept; a table the page has no place for is an error.
sed 's/^Decide each message: reply/Decided long ago: reply/' "$P8" > "$T/stale.8"
! cmp -s "$T/stale.8" "$P8"; ok $? "a page made stale for the test"
awk -f "$top_srcdir/man/merge.awk" "$T/commands.roff" "$T/stale.8" \
    > "$T/merged.8" 2> "$T/err"
ok $? "merge.awk exits 0"
cmp -s "$T/merged.8" "$P8"
ok $? "merge.awk puts the table back, the page's own text unchanged"
sed '/BEGIN generated: help commands --roff: purge/,/END generated/d' \
    "$P8" > "$T/short.8"
awk -f "$top_srcdir/man/merge.awk" "$T/commands.roff" "$T/short.8" \
    > "$T/merged.8" 2> "$T/err"
[ $? -ne 0 ]; ok $? "merge.awk fails when a command has no place in the page"
has "$T/err" "help commands --roff: purge" "and names it"

done_testing

#!/bin/sh
# The bash completion script, as "help completion" writes it from the
# command table: loaded in bash, it completes the commands, their words
# and options, the values of --lang and --topic, and paths.
. "${top_srcdir:-.}/tests/lib.sh"

if ! command -v bash > /dev/null; then
	echo "1..0 # SKIP bash is not installed"
	exit 0
fi
"$FR" help completion > "$T/completion" 2>&1
ok $? "help completion exits 0"
bash -n "$T/completion"
ok $? "the script is valid bash"

# complete WORD...: what the script offers for the last word.
complete_line() {
	PATH="$top_builddir/src:$PATH" bash -c '
	. "$1"; shift
	COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	_floss_responder
	[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$T/completion" "$@"
}

complete_line floss-responder cl > "$T/out"
[ "$(cat "$T/out")" = classify ]
ok $? "a command's name"
complete_line floss-responder "" > "$T/out"
"$FR" help commands | awk '/^  [a-z]/ { print $1 }' | sort > "$T/want"
comm -13 "$T/out" "$T/want" > "$T/missing"
[ ! -s "$T/missing" ] && [ -s "$T/want" ]
ok $? "every command of the command table ($(wc -l < "$T/want"))"
complete_line floss-responder -c "$CONF" queue "" > "$T/out"
[ "$(tr '\n' ' ' < "$T/out")" = "dismiss edit list send show " ]
ok $? "queue's subcommands, after -c FILE"
complete_line floss-responder queue send 4 --l > "$T/out"
[ "$(cat "$T/out")" = --lang ]
ok $? "a command's option"
complete_line floss-responder queue send 4 --lang "" > "$T/out"
[ "$(tr '\n' ' ' < "$T/out")" = "en fr " ]
ok $? "the values of --lang"
complete_line floss-responder -c "$CONF" queue send 4 --topic markets-s > "$T/out"
[ "$(cat "$T/out")" = markets-software ]
ok $? "the topics' ids for --topic, from the configuration named"
complete_line floss-responder stats --pro > "$T/out"
[ "$(cat "$T/out")" = --prometheus ]
ok $? "stats --prometheus"
mkdir "$T/d" && : > "$T/d/question.eml"
(cd "$T/d" && complete_line floss-responder classify --json qu) > "$T/out"
[ "$(cat "$T/out")" = question.eml ]
ok $? "classify's operands are paths"
(cd "$T/d" && complete_line floss-responder check qu) > "$T/out"
[ ! -s "$T/out" ]
ok $? "check takes no path"
complete_line floss-responder -c "$CONF" le > "$T/out"
[ "$(cat "$T/out")" = learn ]
ok $? "a command's name after -c FILE"
complete_line floss-responder queue send 4 "" > "$T/out"
[ ! -s "$T/out" ]
ok $? "a command's words right after it only"
mkdir "$T/d/a dir"
(cd "$T/d" && complete_line floss-responder classify "a d") > "$T/out"
[ "$(cat "$T/out")" = "a dir" ]
ok $? "a path with a space is one word"
complete_line floss-responder --v > "$T/out"
[ "$(tr '\n' ' ' < "$T/out")" = "--verbose --version " ]
ok $? "the program's options"
complete_line floss-responder -c "$CONF" queue send 4 --topic = > "$T/out"
"$FR" -c "$CONF" help topics | cut -d' ' -f1 | sort > "$T/want"
cmp -s "$T/out" "$T/want" && [ -s "$T/want" ]
ok $? "--topic=: every topic's id (bash parts the word at '=')"
complete_line floss-responder --config = "$CONF" queue send 4 --topic = \
    markets-s > "$T/out"
[ "$(cat "$T/out")" = markets-software ]
ok $? "--topic=VALUE after --config=FILE"
complete_line floss-responder queue list --lang = e > "$T/out"
[ "$(cat "$T/out")" = en ]
ok $? "--lang=VALUE"
(cd "$T/d" && complete_line floss-responder --config = qu) > "$T/out"
[ "$(cat "$T/out")" = question.eml ]
ok $? "--config=PATH"
done_testing

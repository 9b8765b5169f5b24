#!/bin/sh
# Every link and every figure of the replies comes from the documents in
# ../shared/docs: a link is an absolute https link one of them gives (or
# their relative links resolved, as docs/README.md says), and every date,
# count, duration or version number is one of theirs
# (tests/tools/reply-docs.py).  A reply file with a figure or a link the
# documents do not have fails, naming the file and what was not found.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
DOCS=${DOCS:-$top_srcdir/../shared/docs}
TOOL=$top_srcdir/tests/tools/reply-docs.py

if [ ! -d "$DOCS" ]; then
	echo "1..0 # SKIP no documents at $DOCS"
	exit 0
fi

# The shipped replies: each file's links and figures, all found.
"$PY" "$TOOL" "$DOCS" "$top_srcdir"/replies/*/*.md > "$T/out"
ok $? "every link and figure of replies/ is in the documents"
while IFS='	' read -r status file what; do
	f=${file#"$top_srcdir/"}
	if [ "$status" = ok ]; then ok 0 "$f: $what"; else ok 1 "$f: $what"; fi
done < "$T/out"
n=$(grep -c '^ok' "$T/out")
[ "$n" -eq "$(ls "$top_srcdir"/replies/*/*.md | wc -l)" ]
ok $? "all $n reply files checked"
# The facts the market's overview gives are there to be checked.
grep -q "markets-about.md	[0-9]* links, [3-9][0-9] figures" "$T/out"
ok $? "the markets' overview has its figures (resolution times, Debian periods)"

# bad NAME TEXT WANT: a reply file whose body is TEXT fails, and the
# failure names the file and WANT.
bad() {
	printf -- '---\ntitle: T\nsources: [x]\n---\n%s\n' "$2" > "$T/$1.md"
	"$PY" "$TOOL" "$DOCS" "$T/$1.md" > "$T/$1.out"
	st=$?
	[ $st -eq 1 ]; ok $? "$1: refused (status $st)"
	has "$T/$1.out" "fail	$T/$1.md	$3" "$1: the file and the figure or link are named"
}
bad count "Le marché couvre le support de 351 logiciels." "figure 351 is in no document"
bad version "Debian 13 est couverte." "figure 13 is in no document"
bad date "Linagora en est titulaire depuis le 3 octobre 2024." "date 2024-10-03 is in no document"
bad month "Le marché devrait se terminer en août 2028." "date 2028-08 is in no document"
bad link "Voir [la liste](https://code.gouv.fr/fr/utiliser/nulle-part/)." "link https://code.gouv.fr/fr/utiliser/nulle-part/ is in no document"
bad relative "Voir [le SILL](/fr/sill/)." "link /fr/sill/ is not an absolute https link"
bad http "Voir <http://www.qsos.org/>." "link http://www.qsos.org/ is not an absolute https link"

# A wrong figure in a copy of a shipped reply is found among the right ones.
sed 's/350/351/' "$top_srcdir/replies/fr/markets-about.md" \
    > "$T/markets-about.md"
"$PY" "$TOOL" "$DOCS" "$T/markets-about.md" > "$T/copy.out"
[ $? -eq 1 ]; ok $? "a shipped reply with one figure changed is refused"
[ "$(wc -l < "$T/copy.out")" -eq 1 ]; ok $? "for that figure alone"
has "$T/copy.out" "figure 351 is in no document" "and it is named"

# A number in words is a figure too.
printf -- '---\ntitle: T\nsources: [x]\n---\n%s\n' \
    "Le marché de support dure trois ans ; the expertise market has seven lots." \
    > "$T/words.md"
"$PY" "$TOOL" "$DOCS" "$T/words.md" > "$T/words.out"
has "$T/words.out" "0 links, 2 figures" "numbers in words are read as figures"

# Right ones pass: the forms the documents write differently.
printf -- '---\ntitle: T\nsources: [x]\n---\n%s\n' \
    "Debian 10 du 1er juillet 2024 au 30 juin 2027 ; [liste](https://code.gouv.fr/fr/utiliser/marches-logiciels-libres-liste-logiciels) ; septembre 2028 ; EUPL 1.2." \
    > "$T/good.md"
"$PY" "$TOOL" "$DOCS" "$T/good.md" > "$T/good.out"
ok $? "dates, versions and a link without its final / that the documents give pass"

done_testing

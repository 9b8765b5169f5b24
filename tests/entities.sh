#!/bin/sh
# conf/entities.yaml is what tools/gen-entities.py makes of the pages in
# ../shared/docs: regenerating it changes nothing, and it holds every
# beneficiary and every software of the pages, each recognised by every
# name it has.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
DOCS=${DOCS:-$top_srcdir/../shared/docs}
E=$top_srcdir/conf/entities.yaml

# Every organisation and every software is recognised by each of its
# names, as written and in the usual variants (see tests/tools/names.py).
mkdir -p "$T/names"
"$PY" "$top_srcdir/tests/tools/names.py" "$FR" "$CONF" "$E" "$T/names" \
    > "$T/names.out"
ok $? "the questions about every name are classified"
while IFS='	' read -r status what why; do
	if [ "$status" = ok ]; then ok 0 "$what"; else ok 1 "$what: $why"; fi
done < "$T/names.out"
n=$(grep -c '^ok' "$T/names.out")
[ "$n" -gt 1200 ]; ok $? "$n names and variants checked"

if [ ! -d "$DOCS" ]; then
	echo "# no documents at $DOCS: the file is not regenerated"
	done_testing
	exit
fi

"$PY" "$top_srcdir/tools/gen-entities.py" "$DOCS" > "$T/entities.yaml"
ok $? "the script runs on the documents"
cmp -s "$T/entities.yaml" "$E"; ok $? "and gives the committed conf/entities.yaml unchanged"
[ $? -eq 0 ] || diff "$E" "$T/entities.yaml" | head -20 | sed 's/^/# /'

B=$DOCS/site-utiliser--marches-logiciels-libres.md
S=$DOCS/site-utiliser--marches-logiciels-libres-liste-logiciels.md
n=$(grep -c '^- ' "$S")
[ "$(grep -c '^    - name: ' "$E")" -eq $((n + 15)) ]
ok $? "all $n software of the page and the 15 organisations are there"
for acr in ANSES CNAF CNRS ABM ANS IHEDN INRIA INPI IRSN; do
	grep -q "acronym: \"$acr\"" "$E"; ok $? "organisation $acr"
done
grep -A6 '"Centre national de la recherche scientifique"' "$E" > "$T/cnrs"
has "$T/cnrs" "market: support" "CNRS: the support market"
has "$T/cnrs" "market: expertise" "CNRS: the expertise market"
has "$T/cnrs" '"cnrs.fr"' "CNRS: its domain"
grep -A6 '"Réseau Canopé"' "$E" > "$T/canope"
has "$T/canope" 'only: "uniquement sur le lot Moodle"' "Réseau Canopé: the Moodle lot only"
grep -q "market: support" "$T/canope"; [ $? -ne 0 ]; ok $? "Réseau Canopé: not the support market"
has "$E" "date: 2022-01-18" "the lists' date"
for s in GLPI PostgreSQL LibreOffice Moodle "Joomla !" "LemonLDAP::NG"; do
	grep -qF -- "- name: \"$s" "$E"; ok $? "software $s"
done
grep -A1 '"PostgreSQL' "$E" | grep -q '"Postgres"'; ok $? "PostgreSQL also as Postgres"
# A common noun names no organisation: "notre ministère" from an agency
# under a ministry is not the ministries.
sed -n '/^beneficiaries:/,/^software:/p' "$E" | grep -i -o '"\(ministère\|ministères\|université\|universités\|agence\|hôpital\|établissement\)"' > "$T/common"
[ ! -s "$T/common" ]; ok $? "no organisation is named by a common noun ($(tr '\n' ' ' < "$T/common"))"

# A page that is not what the script expects: a clear error, no output.
mkdir -p "$T/bad"
printf 'no front matter\n' > "$T/bad/site-utiliser--marches-logiciels-libres.md"
"$PY" "$top_srcdir/tools/gen-entities.py" "$T/bad" > "$T/out" 2> "$T/err"
[ $? -ne 0 ]; ok $? "a page without front matter: the script fails"
has "$T/err" "no front matter" "and says why"
done_testing

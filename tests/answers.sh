#!/bin/sh
# Replies that know the documents: the organisations and software a
# question names, or the sender's organisation, answered from the lists of
# conf/entities.yaml, with the lists' date and link; when no organisation
# is identified, that the message does not tell (never that the sender is
# not on the lists); software the lists do not know, "could not check";
# each link once in a reply; values escaped.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
base_conf "$T"
C=$T/conf.yaml
BEN="https://code.gouv.fr/fr/utiliser/marches-logiciels-libres/"
SW="https://code.gouv.fr/fr/utiliser/marches-logiciels-libres-liste-logiciels/"

# q NAME FROM SUBJECT BODY: a question from an authenticated sender.
q() {
	d=${2#*@}
	cat > "$T/$1.eml" <<MSG
Return-Path: <$2>
Authentication-Results: mx1.numerique.gouv.fr; dkim=pass header.d=$d;
 dmarc=pass header.from=$d; spf=pass smtp.mailfrom=$2
From: A Person <$2>
To: floss@numerique.gouv.fr
Subject: $3
Date: Mon, 10 Mar 2025 09:00:00 +0100
Message-ID: <$1@$d>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Bonjour,

$4

Cordialement,
A Person
MSG
}

# answer NAME [CONF]: the reply's two parts in $T/NAME.out, the decision
# in $T/NAME.json.
answer() {
	"$FR" -c "${2:-$C}" classify --json "$T/$1.eml" > "$T/$1.json"
	"$FR" -c "${2:-$C}" reply "$T/$1.eml" > "$T/$1.reply" &&
	    "$PY" "$top_srcdir/tests/tools/parts.py" "$T/$1.reply" > "$T/$1.out"
	ok $? "$1: a reply is composed"
}

q cnrs julie.martin@cnrs.fr "Sommes-nous bénéficiaires du marché de support ?" \
    "Notre établissement est-il bénéficiaire du marché interministériel de support logiciels libres ?"
answer cnrs
has "$T/cnrs.json" '"topics": ["markets-beneficiaries"]' "cnrs: the beneficiaries' topic"
has "$T/cnrs.json" '"organisations": [{"name": "Centre national de la recherche scientifique", "acronym": "CNRS", "from": "sender", "markets": [{"market": "support", "lot": null}, {"market": "expertise", "lot": null}]}]' "cnrs: --json names the CNRS, from the sender's domain, both markets"
has "$T/cnrs.json" "organisation CNRS (sender's domain cnrs.fr)" "cnrs: and the reason says so"
has "$T/cnrs.out" "TEXT: Bonjour, Merci pour votre message." "cnrs: the reply opens as usual"
has "$T/cnrs.out" "Le CNRS figure parmi les bénéficiaires des deux marchés, de support et d'expertise." "cnrs: @cnrs.fr gets the personalised sentence"
grep "^HTML:" "$T/cnrs.out" > "$T/cnrs.html"
has "$T/cnrs.html" "<p>Le CNRS figure parmi les bénéficiaires des deux marchés, de support et d'expertise. Ces listes" "cnrs: in the HTML part too"
has "$T/cnrs.out" "Ces listes sont celles de la page de code.gouv.fr datée du 18 janvier 2022." "cnrs: the lists' date"
grep -q "Votre message ne nous permet pas" "$T/cnrs.out"; [ $? -ne 0 ]; ok $? "cnrs: an organisation identified, no 'does not tell'"
has "$T/cnrs.out" "marché de support : le Conseil constitutionnel" "cnrs: the general answer follows"

q inria paul@inria.fr "Marché de support : sommes-nous bénéficiaires ?" \
    "Pouvons-nous recourir au marché interministériel de support logiciels libres ? Sommes-nous bien bénéficiaires ?"
answer inria
has "$T/inria.out" "L'INRIA figure parmi les bénéficiaires du marché de support, mais pas du marché d'expertise." "inria: @inria.fr, the support market only"

q sub anne@ibmc.cnrs.fr "Bénéficiaire du marché de support ?" \
    "Notre laboratoire est-il bénéficiaire du marché de support logiciels libres ?"
answer sub
has "$T/sub.out" "Le CNRS figure parmi" "sub: a subdomain (ibmc.cnrs.fr) is the CNRS too"

q ministry marc@culture.gouv.fr "Bénéficiaire du marché de support ?" \
    "Notre direction est-elle bénéficiaire du marché de support logiciels libres ?"
answer ministry
has "$T/ministry.out" "Les ministères français figurent parmi les bénéficiaires des deux marchés" "ministry: a ministry's domain, the plural sentence"

q unlisted lea@univ-exemple.fr "Sommes-nous bénéficiaires du marché de support ?" \
    "Notre université est-elle bénéficiaire du marché interministériel de support logiciels libres ?"
answer unlisted
has "$T/unlisted.json" '"unlisted_domain": "univ-exemple.fr"' "unlisted: --json gives the unlisted domain"
has "$T/unlisted.out" "Votre message ne nous permet pas de savoir si votre organisme figure sur les listes des bénéficiaires des deux marchés, publiées sur code.gouv.fr. S'il dépend d'un ministère, répondez à ce message : une personne vous dira s'il peut y recourir." "unlisted: a university's domain tells nothing: the message does not tell, a person answers for a ministry's body"
grep -q "ne figure pas sur les listes\|D'après le domaine" "$T/unlisted.out"; [ $? -ne 0 ]; ok $? "unlisted: never 'not on the lists' from a domain"
grep -q "figurent\? parmi" "$T/unlisted.out"; [ $? -ne 0 ]; ok $? "unlisted: and no beneficiary sentence"
grep "^HTML:" "$T/unlisted.out" > "$T/unlisted.html"
[ "$(grep -o "href=\"$BEN\"" "$T/unlisted.html" | wc -l)" -eq 1 ]; ok $? "unlisted: the lists' link once, the answer's own"

q unlisted2 lea@univ-exemple.fr "Les universités sont-elles bénéficiaires ?" \
    "Les universités sont-elles bénéficiaires du marché de support ? Nous sommes sous tutelle du ministère de l'enseignement supérieur : est-ce que ça compte comme ministère ?"
answer unlisted2
grep -q "ministères français figurent" "$T/unlisted2.out"; [ $? -ne 0 ]; ok $? "unlisted2: 'ministère' alone names no ministry"
has "$T/unlisted2.out" "Votre message ne nous permet pas de savoir si votre organisme figure sur les listes" "unlisted2: the message does not tell"

q webmail jean@gmail.com "Sommes-nous bénéficiaires du marché de support ?" \
    "Mon organisme est-il bénéficiaire du marché interministériel de support logiciels libres ?"
answer webmail
grep -q "figure\(nt\)\? parmi\|votre organisme ne figure pas\|datent du" "$T/webmail.out"; [ $? -ne 0 ]
ok $? "webmail: nothing recognised, no sentence about an organisation"
has "$T/webmail.out" "marché d'expertise : le Conseil constitutionnel, la Cour des comptes" "webmail: the general answer"
grep -q "{{" "$T/webmail.reply"; [ $? -ne 0 ]; ok $? "webmail: no placeholder left in the reply"

q canope jean@gmail.com "Réseau Canopé et le marché d'expertise" \
    "Le Réseau Canopé est-il bénéficiaire du marché d'expertise logiciels libres ?"
answer canope
has "$T/canope.out" "Réseau Canopé bénéficie du marché d'expertise, pour le seul lot Moodle." "canope: Réseau Canopé, the Moodle lot only"

q named julie.martin@cnrs.fr "La Cour des comptes est-elle bénéficiaire ?" \
    "La Cour des comptes est-elle bénéficiaire du marché de support logiciels libres ? Nous montons un projet commun."
answer named
has "$T/named.out" "La Cour des comptes figure parmi les bénéficiaires du marché d'expertise, mais pas du marché de support." "named: the organisation the text names"
has "$T/named.out" "mais pas du marché de support. Le CNRS figure parmi" "named: then the sender's own, by his domain"

q two jean@gmail.com "Périmètre du marché de support : Keycloak, Nextcloud" \
    "Pourriez-vous me confirmer que Keycloak et Nextcloud figurent bien au périmètre du marché interministériel de support ?"
answer two
has "$T/two.json" '"software": [{"name": "Keycloak", "listed": true}, {"name": "Nextcloud", "listed": true}]' "two: --json lists both software"
has "$T/two.out" "Keycloak et Nextcloud figurent sur la liste des logiciels couverts par le marché de support." "two: both in one sentence"
has "$T/two.out" "Cette liste est celle de la page de code.gouv.fr datée du 18 janvier 2022." "two: the list's date"
grep "^HTML:" "$T/two.out" > "$T/two.html"
[ "$(grep -o "href=\"$SW\"" "$T/two.html" | wc -l)" -eq 1 ]; ok $? "two: the list's link once"
[ "$(grep "^TEXT:" "$T/two.out" | grep -o 'Keycloak et Nextcloud figurent sur la liste' | wc -l)" -eq 1 ]; ok $? "two: said once in the text part"

q notlisted jean@gmail.com "Zimbra est-il couvert ?" \
    "Est-ce que Zimbra est couvert par le marché de support logiciels libres ?"
answer notlisted
has "$T/notlisted.json" '{"name": "Zimbra", "listed": false}' "notlisted: --json says Zimbra is not listed"
has "$T/notlisted.out" "Zimbra ne figure pas à ce jour sur la liste des logiciels couverts par le marché de support" "notlisted: a software not on the list"

q both jean@gmail.com "Bénéficiaires et logiciels couverts" \
    "La CNAF est-elle bénéficiaire du marché de support ? Et GLPI est-il couvert par le marché de support ? Quels logiciels sont couverts ?"
"$FR" -c "$C" reply --suggest "$T/both.eml" | "$PY" "$top_srcdir/tests/tools/parts.py" > "$T/both.out"
has "$T/both.out" "La CNAF figure parmi les bénéficiaires du marché de support, mais pas du marché d'expertise." "both: the organisation"
[ "$(grep "^TEXT:" "$T/both.out" | grep -o 'GLPI figure sur la liste' | wc -l)" -eq 1 ]; ok $? "both: GLPI said once though two sections may say it"
# A combined reply gives each link once.
grep "^HTML:" "$T/both.out" | grep -o 'href="[^"]*"' | sort | uniq -d > "$T/both.twice"
[ ! -s "$T/both.twice" ]; ok $? "both: no link twice in the combined reply ($(tr '\n' ' ' < "$T/both.twice"))"
grep "^HTML:" "$T/both.out" | grep -o 'href="[^"]*"' | sort -u > "$T/both.links"
has "$T/both.links" "href=\"$BEN\"" "both: the lists' link is there"
has "$T/both.links" "href=\"$SW\"" "both: the software list's link is there"

q english alex@gmail.com "Is CNRS a beneficiary of the support market?" \
    "Hello, is CNRS a beneficiary of the interministerial free software support market? Is GLPI covered by the support market? Thank you for your help, we would like to know."
answer english
has "$T/english.out" "CNRS is among the beneficiaries of both markets, support and expertise." "english: the English sentence"
has "$T/english.out" "These lists are those of the code.gouv.fr page dated 18 January 2022." "english: the date in English"
has "$T/english.out" "GLPI is on the list of the software covered by the support market" "english: the software sentence in English"
q kernel ann@example.org "Software covered by the support market" \
    "Hello, is the software Debian covered by the support market? What about GLPI? Thanks"
answer kernel
has "$T/kernel.out" "Debian kernel and GLPI are on the list" "english: a software the page names in French, in English"
grep -q "Noyau" "$T/kernel.out"; [ $? -ne 0 ]; ok $? "english: no French name in an English reply"

# Bodies the lists do not name, each asking whether it may use the
# markets, with "ministère" in its words: no ministries' sentence, no "not
# on the lists" from its domain, but that the message does not tell.
q hospital direction.si@chu-exemple.fr "Accès aux marchés logiciels libres" \
    "Notre hôpital peut-il utiliser le marché de support logiciels libres ? Notre ministère de tutelle est celui de la santé."
q agency c.durand@agence-exemple.fr "Sommes-nous bénéficiaires ?" \
    "Notre agence, placée sous la tutelle de notre ministère, est-elle bénéficiaire du marché interministériel de support ? Notre ministère nous a parlé de ce marché."
for who in hospital agency unlisted; do
	[ "$who" = unlisted ] || answer $who
	grep -q "ministères français figurent parmi\|ne figure pas sur les listes\|D'après le domaine" "$T/$who.out"
	[ $? -ne 0 ]; ok $? "$who: no ministries' sentence, nothing inferred from the domain"
	has "$T/$who.out" "Votre message ne nous permet pas de savoir si votre organisme figure sur les listes des bénéficiaires" "$who: the message does not tell"
	has "$T/$who.out" "S'il dépend d'un ministère, répondez à ce message : une personne vous dira s'il peut y recourir." "$who: a person answers for a body of a ministry"
	has "$T/$who.json" '"organisations": []' "$who: --json identifies no organisation"
done

# Eligibility asked beside the overview of the markets, which is the main
# topic: the answer for the sender opens it, whoever he is.
q overview paul@inria.fr "Les marchés interministériels logiciels libres" \
    "Comment fonctionnent les marchés interministériels de support et d'expertise, quels sont leurs titulaires, et faut-il une démarche pour en bénéficier ?"
answer overview
has "$T/overview.json" '"topics": ["markets-about"]' "overview: filed under the overview alone"
has "$T/overview.out" "Les marchés interministériels de support et d'expertise ------------------------------------------------------- L'INRIA figure parmi les bénéficiaires du marché de support, mais pas du marché d'expertise. Ces listes sont celles de la page" "overview: the answer for the INRIA, by its domain, opens the section"
q overview2 lea@univ-exemple.fr "Les marchés interministériels logiciels libres" \
    "Comment fonctionnent les marchés interministériels de support et d'expertise, quels sont leurs titulaires, et faut-il une démarche pour en bénéficier ?"
answer overview2
has "$T/overview2.out" "------------------------------------------------------- Votre message ne nous permet pas de savoir si votre organisme figure sur les listes" "overview2: an unknown sender: the message does not tell"
q overview3 lea@univ-exemple.fr "Les marchés interministériels logiciels libres" \
    "Comment fonctionnent les marchés interministériels de support et d'expertise, et quels en sont les titulaires ?"
answer overview3
grep -q "ne nous permet pas\|figurent\? parmi" "$T/overview3.out"; [ $? -ne 0 ]; ok $? "overview3: the overview alone asks nothing of the sender: no sentence"

# Products the lists do not know, named as software: "could not check";
# words that are no product are left alone.
q unknown jean@gmail.com "Logiciels couverts par le marché de support" \
    "Le logiciel Frobnicator est-il couvert par le marché de support ? Et les outils GLPI, Quuxbase et Zimbra ?"
answer unknown
has "$T/unknown.out" "GLPI figure sur la liste des logiciels couverts par le marché de support. Zimbra ne figure pas à ce jour sur la liste des logiciels couverts par le marché de support. Nous n'avons pas pu vérifier si Frobnicator et Quuxbase figurent sur la liste des logiciels couverts par le marché de support. Cette liste est celle" "unknown: listed, not listed, not known: one sentence each"
q unknown2 alex@gmail.com "Support market coverage" \
    "Hello, is the software Blorptool covered by the interministerial support market? Thank you."
answer unknown2
has "$T/unknown2.out" "We could not check whether Blorptool is on the list of the software covered by the support market." "unknown2: in English"
q words jean@gmail.com "Marché de support" \
    "Cela est-il couvert par le marché de support ? Notre Direction utilise GLPI depuis Janvier, avec Madame Dupont. Bjr, Nextcloud est-il couvert ?"
answer words
grep -q "pas pu vérifier" "$T/words.out"; [ $? -ne 0 ]; ok $? "words: no 'could not check' about words that are no product"
has "$T/words.out" "GLPI et Nextcloud figurent sur la liste" "words: the software known are answered"

# A person's reply (the suggestion an operator sends): neither the notice
# that it is automatic nor the sentence that asks to reply to it.
"$FR" -c "$C" reply --suggest "$T/hospital.eml" | "$PY" "$top_srcdir/tests/tools/parts.py" > "$T/hsug.out"
has "$T/hsug.out" "Votre message ne nous permet pas de savoir si votre organisme figure" "suggest: the sentence about the organisation"
grep -q "automatiquement\|S'il dépend d'un ministère\|il nous semble" "$T/hsug.out"; [ $? -ne 0 ]; ok $? "suggest: no automatic sentence"
has "$T/hsug.out" "Voici les informations publiées par la mission logiciels libres sur votre question." "suggest: a person's introduction"
"$FR" -c "$C" reply --suggest --markdown "$T/hospital.eml" > "$T/hsug.md"
grep -q "automatiquement\|S'il dépend d'un ministère" "$T/hsug.md"; [ $? -ne 0 ]; ok $? "suggest --markdown: no automatic sentence"
has "$T/hospital.out" "Cette réponse a été envoyée automatiquement" "the automatic reply says it is"

# The golden reply: two organisations (one by the text, one by a
# subdomain of the sender), three software (one by a variant, one not on
# the list), in a section each with its date.
"$FR" -c "$C" reply "$MSG/entities.eml" | "$PY" -c 'import email, email.policy, sys
m = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
sys.stdout.write(m.get_body(("plain",)).get_content())' > "$T/golden.txt"
cmp -s "$T/golden.txt" "$top_srcdir/tests/golden/reply-entities.txt"
ok $? "the reply to tests/msg/entities.eml is tests/golden/reply-entities.txt"
diff "$top_srcdir/tests/golden/reply-entities.txt" "$T/golden.txt" | head -20 | sed 's/^/# /'

# From the review queue (approval mode): what the operator is shown and
# what is sent say the same sentences as an automatic reply.
Q=$T/queue
maildir_conf "$Q" "approval:
  all: yes"
cp "$T/cnrs.eml" "$Q/Maildir/new/1700000001.M1.answers"
"$FR" -c "$Q/conf.yaml" once 2>/dev/null
"$FR" -c "$Q/conf.yaml" queue show 1 > "$T/qshow.out"
has "$T/qshow.out" "Le CNRS figure parmi les bénéficiaires des deux marchés" "queue show: the suggestion names the organisation"
"$FR" -c "$Q/conf.yaml" queue send 1 --by test > /dev/null 2>&1
"$PY" "$top_srcdir/tests/tools/parts.py" "$(ls "$Q"/outbox/new/* | head -1)" > "$T/qsend.out"
has "$T/qsend.out" "Le CNRS figure parmi les bénéficiaires des deux marchés, de support et d'expertise." "queue send: the reply sent names it too"

# Escaping: a name with Markdown and HTML in it stays text everywhere.
sed -e 's|^  list:$|  list:\n    - name: "<b>Foo_*bar*</b> \& [x](https://evil.example/)"|' \
    "$top_srcdir/conf/entities.yaml" > "$T/esc-entities.yaml"
sed -e "s|^entities: .*|entities: $T/esc-entities.yaml|" "$C" > "$T/esc.yaml"
q esc jean@gmail.com "Logiciel couvert ?" \
    "Est-ce que <b>Foo_*bar*</b> & [x](https://evil.example/) est couvert par le marché de support ?"
answer esc "$T/esc.yaml"
has "$T/esc.out" "TEXT: Bonjour" "esc: a reply"
grep "^HTML:" "$T/esc.out" > "$T/esc.html"
has "$T/esc.html" "<p>&lt;b&gt;Foo_*bar*&lt;/b&gt; &amp; [x](https://evil.example/) figure sur la" "esc: HTML-escaped in the HTML part"
grep -q "<b>Foo\|href=\"https://evil" "$T/esc.html"; [ $? -ne 0 ]; ok $? "esc: no tag, no link from the value"
grep "^TEXT:" "$T/esc.out" > "$T/esc.text"
has "$T/esc.text" "<b>Foo_*bar*</b> & [x](https://evil.example/) figure sur la" "esc: as written in the text part"
"$FR" -c "$T/esc.yaml" reply --markdown "$T/esc.eml" > "$T/esc.md"
has "$T/esc.md" '\<b\>Foo\_\*bar\*\</b\> & \[x\](https://evil.example/) figure sur la' "esc: Markdown-escaped in what an operator edits"

# Without entities: the general answer, no sentence.
sed -e "s|^entities: .*|entities: \"\"|" "$C" > "$T/none.yaml"
answer cnrs "$T/none.yaml"
grep -q "Le CNRS figure\|datent du" "$T/cnrs.out"; [ $? -ne 0 ]; ok $? "none: without entities, no sentence"
has "$T/cnrs.out" "marché de support : le Conseil constitutionnel" "none: the general answer"
has "$T/cnrs.json" '"entities": {"organisations": [], "software": [], "unlisted_domain": null}' "none: --json recognises nothing"

# Names matched in their case only.
q lower jean@gmail.com "Marché de support" \
    "Nous utilisons git depuis 3 ans : est-il couvert par le marché de support ?"
"$FR" -c "$C" classify --json "$T/lower.eml" > "$T/lower.json"
has "$T/lower.json" '"software": []' "lower: 'git' and 'ans' are words, not Git or the ANS"
has "$T/lower.json" '"organisations": []' "lower: no organisation"

# Errors: file:line:column.
printf 'beneficiaries:\n  date: 2022-01-18\n  url: https://a.example/\n  organisations:\n    - name: X\n      markets: [support]\n' > "$T/bad-entities.yaml"
sed -e "s|^entities: .*|entities: $T/bad-entities.yaml|" "$C" > "$T/bad.yaml"
"$FR" -c "$T/bad.yaml" check > "$T/bad.out" 2>&1
[ $? -eq 78 ]; ok $? "a broken entities file: check exits 78"
has "$T/bad.out" "bad-entities.yaml:5:7: label must map fr and en" "and says where: line 5, column 7"
has "$T/bad.out" "bad-entities.yaml:6:17: a market is a mapping" "every error: line 6, column 17"
cp -r "$top_srcdir/replies" "$T/replies"
sed -i 's|^org_both: "{org} figure|org_both: "{organisation} figure|' "$T/replies/fr/_frame.md"
printf '\n{{organisation}}\n' >> "$T/replies/fr/markets-software.md"
sed -e "s|^replies: .*|replies: $T/replies|" "$C" > "$T/badr.yaml"
"$FR" -c "$T/badr.yaml" check > "$T/badr.out" 2>&1
[ $? -eq 78 ]; ok $? "broken sentences: check exits 78"
line=$(grep -n '^org_both:' "$T/replies/fr/_frame.md" | cut -d: -f1)
has "$T/badr.out" "_frame.md:$line:11: org_both: unknown placeholder {organisation}" "an unknown placeholder, with its place"
line=$(grep -n '^{{organisation}}' "$T/replies/fr/markets-software.md" | cut -d: -f1)
has "$T/badr.out" "markets-software.md:$line:1: '{{' starts none of {{organisations}}, {{software}}" "a misspelt slot in a reply, with its place"
done_testing

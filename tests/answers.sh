#!/bin/sh
# Replies that know the documents: the organisations and software a
# question names, or the sender's organisation, answered from the lists of
# conf/entities.yaml, with the lists' date and link; the general answer
# when nothing is recognised; values escaped.
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
has "$T/cnrs.html" "<p>Le CNRS figure parmi les bénéficiaires des deux marchés, de support et d'expertise.</p>" "cnrs: in the HTML part too"
has "$T/cnrs.out" "Les listes des bénéficiaires datent du 18 janvier 2022." "cnrs: the lists' date"
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
has "$T/unlisted.out" "D'après le domaine de votre adresse (univ-exemple.fr), votre organisme ne figure pas sur les listes des bénéficiaires des deux marchés, publiées sur code.gouv.fr" "unlisted: an organisation not on the lists is told so"
has "$T/unlisted.out" "<a href=\"$BEN\">code.gouv.fr</a>" "unlisted: with the lists' link"
grep -q "figure parmi" "$T/unlisted.out"; [ $? -ne 0 ]; ok $? "unlisted: and no beneficiary sentence"

q unlisted2 lea@univ-exemple.fr "Les universités sont-elles bénéficiaires ?" \
    "Les universités sont-elles bénéficiaires du marché de support ? Nous sommes sous tutelle du ministère de l'enseignement supérieur : est-ce que ça compte comme ministère ?"
answer unlisted2
has "$T/unlisted2.out" "Les ministères français figurent parmi les bénéficiaires des deux marchés, de support et d'expertise. - D'après le domaine de votre adresse (univ-exemple.fr), votre organisme ne figure pas sur les listes" "unlisted2: the ministries the text names, and the sender's organisation after them"

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
has "$T/named.out" "mais pas du marché de support. - Le CNRS figure parmi" "named: then the sender's own, by his domain"

q two jean@gmail.com "Périmètre du marché de support : Keycloak, Nextcloud" \
    "Pourriez-vous me confirmer que Keycloak et Nextcloud figurent bien au périmètre du marché interministériel de support ?"
answer two
has "$T/two.json" '"software": [{"name": "Keycloak", "listed": true}, {"name": "Nextcloud", "listed": true}]' "two: --json lists both software"
has "$T/two.out" "<li>Keycloak figure sur la <a href=\"$SW\">liste des logiciels couverts par le marché de support</a>.</li>" "two: Keycloak answered, with the list's link"
has "$T/two.out" "<li>Nextcloud figure sur la <a href=\"$SW\">liste des logiciels couverts par le marché de support</a>.</li>" "two: Nextcloud answered"
has "$T/two.out" "Cette liste date du 18 janvier 2022." "two: the list's date"
[ "$(grep -o 'Keycloak figure sur la liste' "$T/two.out" | wc -l)" -eq 1 ]; ok $? "two: each once in the text part"

q notlisted jean@gmail.com "Zimbra est-il couvert ?" \
    "Est-ce que Zimbra est couvert par le marché de support logiciels libres ?"
answer notlisted
has "$T/notlisted.json" '{"name": "Zimbra", "listed": false}' "notlisted: --json says Zimbra is not listed"
has "$T/notlisted.out" "Zimbra ne figure pas à ce jour sur la liste des logiciels couverts par le marché de support" "notlisted: a software not on the list"

q both jean@gmail.com "Bénéficiaires et logiciels couverts" \
    "La CNAF est-elle bénéficiaire du marché de support ? Et GLPI est-il couvert par le marché de support ? Quels logiciels sont couverts ?"
"$FR" -c "$C" reply --suggest "$T/both.eml" | "$PY" "$top_srcdir/tests/tools/parts.py" > "$T/both.out"
has "$T/both.out" "La CNAF figure parmi les bénéficiaires du marché de support, mais pas du marché d'expertise." "both: the organisation"
[ "$(grep -o 'GLPI figure sur la liste' "$T/both.out" | wc -l)" -eq 1 ]; ok $? "both: GLPI said once though two sections may say it"

q english alex@gmail.com "Is CNRS a beneficiary of the support market?" \
    "Hello, is CNRS a beneficiary of the interministerial free software support market? Is GLPI covered by the support market? Thank you for your help, we would like to know."
answer english
has "$T/english.out" "CNRS is among the beneficiaries of both markets, support and expertise." "english: the English sentence"
has "$T/english.out" "The lists of beneficiaries date from 18 January 2022." "english: the date in English"
has "$T/english.out" "GLPI is on the list of the software covered by the support market" "english: the software sentence in English"

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

#!/bin/sh
# What the replies say: the facts of the documents people ask for are in
# them, what no document says is not, English replies speak English, and
# topics answered in one reply do not say the same thing twice.
. "${top_srcdir:-.}/tests/lib.sh"
PY=${PYTHON:-python3}
R=$top_srcdir/replies

# says FILE TEXT DESCRIPTION: FILE (its lines joined, no-break spaces read
# as spaces) holds TEXT.
says() {
	tr '\n' ' ' < "$R/$1" | sed 's/\xc2\xa0/ /g' | tr -s ' ' > "$T/joined"
	has "$T/joined" "$2" "$1: $3"
}
# never_says FILE TEXT DESCRIPTION: it does not.
never_says() {
	tr '\n' ' ' < "$R/$1" | sed 's/\xc2\xa0/ /g' | tr -s ' ' > "$T/joined"
	! grep -qiF -- "$2" "$T/joined"; ok $? "$1: $3"
}

# The markets' overview: resolution times by criticality, the software
# that can be made critical, the Debian periods, the studies, the kinds
# of ticket; and no way of ordering no document gives.
says fr/markets-about.md "logiciel critique : rappel 1 HO ; réponse à une demande d'information 1 / 5 JO ; contournement 2 / 5 JO ; solution définitive 10 / 20 JO" "resolution times, critical software"
says fr/markets-about.md "autre logiciel : rappel 1 HO ; réponse à une demande d'information 8 / 8 JO ; contournement 5 / 10 JO ; solution définitive 40 / 60 JO" "resolution times, other software"
says fr/markets-about.md "350 logiciels en trois versions, dont 80 peuvent être désignés comme critiques" "the 80 software that can be critical"
says fr/markets-about.md "Debian 9 du 1er juillet 2022 au 30 juin 2025, Debian 10 du 1er juillet 2024 au 30 juin 2027" "the Debian periods"
says fr/markets-about.md "<https://gitlab.adullact.net/marche-sll/etudes-de-veille>" "the published studies"
says fr/markets-about.md "demande d'information" "information requests"
says fr/markets-about.md "demande de support" "support requests"
says en/markets-about.md "critical software: answer to an information request 1 / 5, workaround 2 / 5, final fix 10 / 20;" "resolution times, in English"
says en/markets-about.md "other software: answer to an information request 8 / 8, workaround 5 / 10, final fix 40 / 60." "resolution times, other software, in English"
says en/markets-about.md "called back within 1 working hour" "the callback, in English words"
says en/markets-about.md "80 of which can be designated as critical" "the 80 critical software, in English"
says en/markets-about.md "Debian 9 from 1 July 2022 to 30 June 2025" "the Debian periods, in English"
for l in fr en; do
	never_says $l/markets-about.md "passent par le coordinateur" "no order through the coordinator"
	never_says $l/markets-about.md "go through your organisation's coordinator" "no order through the coordinator"
	never_says $l/markets-beneficiaries.md "ne peut pas recourir" "no exclusion no document states"
	never_says $l/markets-beneficiaries.md "Only the organisations" "no exclusion no document states"
done

# Procurement: the licences the guide lists, the legal basis it cites,
# no "yes" of its own, the SaaS case as the guide's example.
says fr/procurement-license.md "Licence Ouverte 2.0" "Licence Ouverte 2.0"
says en/procurement-license.md "Licence Ouverte 2.0" "Licence Ouverte 2.0"
says fr/procurement-license.md "Dans l'exemple du guide" "the SaaS case is the guide's example"
says en/procurement-license.md "In the guide's example" "the SaaS case is the guide's example"
never_says fr/procurement-license.md "Oui" "no unsourced yes"
never_says en/procurement-license.md "Yes" "no unsourced yes"
says fr/procurement-buy.md "principes d'égalité de traitement du Code de la commande publique" "the principle the guide cites"
says fr/procurement-buy.md "(https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2011-09-30/350431)" "the Conseil d'État's decision"
says en/procurement-buy.md "(https://www.conseil-etat.fr/fr/arianeweb/CE/decision/2011-09-30/350431)" "the Conseil d'État's decision"

# The SILL is paused: nobody is invited to create an account, and the
# site's providers are spoken of in the past.
for l in fr en; do
	never_says $l/sill-referent.md "compte" "no account to create"
	never_says $l/sill-referent.md "account" "no account to create"
	never_says $l/sill-providers.md "recense " "the providers' listing in the past"
	never_says $l/sill-providers.md "site also lists" "the providers' listing in the past"
done
says fr/sill-providers.md "recensait des prestataires" "the SILL listed providers"
says en/sill-providers.md "listed service providers" "the SILL listed providers"

# The SILL's overview leaves to the listing answer that its software is
# already used by a public body.
never_says fr/sill-about.md "déjà utilisé" "the use by a public body is said by sill-reference"
never_says en/sill-about.md "already used" "the use by a public body is said by sill-reference"

# English: "free software" has no article, and no French name where an
# English one exists.
for f in "$R"/en/*.md; do
	e=en/${f##*/}
	never_says "$e" "a free software" "no \"a free software\""
	never_says "$e" "a specific free software" "no \"a specific free software\""
	never_says "$e" "Noyau" "no French software name"
done

# Topics answered in one reply: a link or a sentence of both is in a
# paragraph they hold alike, which the reply gives once.
for l in fr en; do
	for pair in sill-reference:sill-about sill-referent:sill-about \
	    sill-equivalent:sill-about sill-reference:sill-referent \
	    ospo-list:ospo-mailing-list bluehats:ospo-mailing-list \
	    bluehats:ospo-list markets-about:markets-beneficiaries \
	    markets-about:markets-software markets-about:markets-contributions \
	    markets-beneficiaries:markets-software \
	    markets-software:markets-contributions \
	    procurement-buy:procurement-ip procurement-ip:procurement-license \
	    procurement-buy:procurement-license; do
		a=${pair%:*} b=${pair#*:}
		"$PY" "$top_srcdir/tests/tools/reply-overlap.py" "$R/$l" "$a" "$b" \
		    > "$T/overlap" 2>&1
		ok $? "$l: $a and $b say nothing twice"
		sed 's/^/# /' "$T/overlap"
	done
done

done_testing

#!/bin/sh
# Who is answered: the recipient is the address the mail host
# authenticated.  A From that names no one sender for sure, a verdict for
# another domain, a fail from any trusted MX, or no verdict at all go to a
# person; a Reply-To outside the From's domain is not followed.
. "${top_srcdir:-.}/tests/lib.sh"

CRLF=$(printf '\r')
AR="Authentication-Results:"
PASS="$AR mx1.numerique.gouv.fr; dmarc=pass header.from=agence.example.fr"

# m NAME HEADER...: a question (tests/msg/utf8-qp.eml's) under these
# header lines, with the Return-Path of the From.
m() {
	n=$1
	shift
	{
		echo "Return-Path: <camille.martin@agence.example.fr>$CRLF"
		for h in "$@"; do
			echo "$h$CRLF"
		done
		sed -n '/^To:/,$p' "$MSG/utf8-qp.eml"
	} > "$T/$n.eml"
}

# decided NAME ACTION RULE [CONF]: classify --json says so.
decided() {
	"$FR" -c "${4:-$CONF}" classify --json "$T/$1.eml" > "$T/$1.json"
	grep -q "\"action\": \"$2\"" "$T/$1.json" &&
	    grep -q "\"rule\": $3" "$T/$1.json"
	d_status=$?
	ok $d_status "$1: $2, rule $3"
	[ $d_status -eq 0 ] || sed 's/^/#   /' "$T/$1.json"
}

# no_reply NAME: reply sends nothing.
no_reply() {
	"$FR" -c "$CONF" reply "$T/$1.eml" > "$T/$1.out" 2>&1
	[ $? -eq 1 ]; ok $? "$1: no reply"
}

# reply_to NAME ADDRESS [CONF]: the reply goes to that address alone.
reply_to() {
	"$FR" -c "${3:-$CONF}" reply "$T/$1.eml" > "$T/$1.out" 2>&1
	ok $? "$1: a reply"
	grep -q "^To: <$2>$CRLF\$" "$T/$1.out"
	ok $? "$1: To: <$2>"
	[ "$(grep -c '^To:' "$T/$1.out")" -eq 1 ]; ok $? "$1: one To:"
	grep -q "evil.example" "$T/$1.out"
	[ $? -ne 0 ]; ok $? "$1: evil.example is not written to"
}

# The plain case is answered.
m plain "$PASS" "From: Camille Martin <camille.martin@agence.example.fr>"
decided plain reply null
reply_to plain camille.martin@agence.example.fr

# The From forms that another reader takes for another address.
m comment "$PASS" \
    "From: <camille.martin@agence.example.fr> (see <victim@evil.example>)"
decided comment review '"unclear-from"'
has "$T/comment.json" "can be read as another address" "comment: the reason"
no_reply comment
m group "$PASS" \
    "From: team: <camille.martin@agence.example.fr>, <victim@evil.example>;"
decided group review '"unclear-from"'
has "$T/group.json" "is a group" "group: the reason"
no_reply group
m two "$PASS" \
    "From: camille.martin@agence.example.fr, victim@evil.example"
decided two review '"unclear-from"'
has "$T/two.json" "holds more than one address" "two: the reason"
no_reply two
m quoted "$PASS" \
    "From: \"Camille, <victim@evil.example>\""\
" <camille.martin@agence.example.fr>"
decided quoted review '"unclear-from"'
no_reply quoted
m stray "$PASS" "From: <camille.martin@agence.example.fr>> victim@evil.example"
decided stray review '"unclear-from"'
has "$T/stray.json" "cannot be read" "stray: the reason"

# The verdict must be for the From's domain, and no trusted MX may fail.
m other "$AR mx1.numerique.gouv.fr; dmarc=pass header.from=evil.example" \
    "From: Camille Martin <camille.martin@agence.example.fr>"
decided other review '"untrusted-sender"'
has "$T/other.json" "header.from=evil.example" "other: the reason names it"
m mx2fail "$PASS" \
    "$AR mx2.numerique.gouv.fr; dmarc=fail header.from=agence.example.fr" \
    "From: Camille Martin <camille.martin@agence.example.fr>"
decided mx2fail review '"untrusted-sender"'
has "$T/mx2fail.json" "from mx2.numerique.gouv.fr: dmarc=fail" \
    "mx2fail: the second MX named"
no_reply mx2fail

# No verdict: review, unless trust.without_verdict relaxes it.
m none "From: Camille Martin <camille.martin@agence.example.fr>"
decided none review '"untrusted-sender"'
has "$T/none.json" "no authentication verdict" "none: the reason"
base_conf "$T/relaxed"
printf 'trust:\n  without_verdict: return-path\n' >> "$T/relaxed/conf.yaml"
decided none reply null "$T/relaxed/conf.yaml"
reply_to none camille.martin@agence.example.fr "$T/relaxed/conf.yaml"

# One authserv-id as a string, as before: the other MX is not read.
base_conf "$T/one"
printf 'trust:\n  authserv_id: mx2.numerique.gouv.fr\n' >> "$T/one/conf.yaml"
decided plain review '"untrusted-sender"' "$T/one/conf.yaml"
m mx2pass \
    "$AR mx2.numerique.gouv.fr; dmarc=pass header.from=agence.example.fr" \
    "From: Camille Martin <camille.martin@agence.example.fr>"
decided mx2pass reply null "$T/one/conf.yaml"

# Reply-To: followed in the From's domain only.
m rtother "$PASS" "From: Camille Martin <camille.martin@agence.example.fr>" \
    "Reply-To: victim@evil.example"
reply_to rtother camille.martin@agence.example.fr
base_conf "$T/always"
printf 'reply:\n  to: always\n' >> "$T/always/conf.yaml"
reply_to rtother camille.martin@agence.example.fr "$T/always/conf.yaml"
m rtsame "$PASS" "From: Camille Martin <camille.martin@agence.example.fr>" \
    "Reply-To: Secrétariat <secretariat@agence.example.fr>"
reply_to rtsame secretariat@agence.example.fr
m rttwo "$PASS" "From: Camille Martin <camille.martin@agence.example.fr>" \
    "Reply-To: secretariat@agence.example.fr, victim@evil.example"
reply_to rttwo camille.martin@agence.example.fr

# A list item that is not a name: file:line:column.
base_conf "$T/bad"
printf 'trust:\n  authserv_id: [mx1.example, {x: 1}]\n' >> "$T/bad/conf.yaml"
"$FR" -c "$T/bad/conf.yaml" check > "$T/bad.out" 2>&1
[ $? -eq 78 ]; ok $? "a bad authserv_id item: EX_CONFIG"
has "$T/bad.out" "conf.yaml:$(wc -l < "$T/bad/conf.yaml"):30:" \
    "a bad authserv_id item: its line and column"
has "$T/bad.out" "trust.authserv_id: a name is expected" \
    "a bad authserv_id item: what is wrong"

# help config shows the list form and the new key.
"$FR" help config > "$T/help" 2>&1
has "$T/help" "[mx1.example, mx2.example]" "help config: authserv_id is a list"
has "$T/help" "trust.without_verdict (default: review)" \
    "help config: trust.without_verdict"

done_testing

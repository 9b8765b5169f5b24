#!/bin/sh
# "check": the shipped configuration passes; broken configurations, rules and
# replies are refused with file:line:column, every error in one run.
. "${top_srcdir:-.}/tests/lib.sh"

"$FR" -c "$CONF" check > "$T/out" 2>&1
ok $? "the shipped configuration, rules and replies pass"
has "$T/out" "ok: " "check says what it loaded"

# The rules name every topic of the specification, with its action.
spec="$top_srcdir/../shared/spec/topics.yaml"
if [ -f "$spec" ] && "${PYTHON:-python3}" -c 'import yaml' 2>/dev/null; then
	"${PYTHON:-python3}" - "$spec" "$top_srcdir/conf/rules.yaml" > "$T/out" 2>&1 <<'PY'
import sys, yaml
spec = {t["id"]: t["action"] for t in yaml.safe_load(open(sys.argv[1]))["topics"]}
rules = {t["id"]: t["action"] for t in yaml.safe_load(open(sys.argv[2]))["topics"]}
assert spec == rules, (spec, rules)
PY
	ok $? "conf/rules.yaml has the topics and actions of spec/topics.yaml"
else
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP no spec/topics.yaml beside the project"
fi

# A broken configuration: three errors, all reported.
mkdir -p "$T/c1"
cp -r "$top_srcdir/tests/conf/replies" "$top_srcdir/tests/conf/rules.yaml" "$T/c1/"
cat > "$T/c1/bad.yaml" <<'YAML'
identity:
  address: not an address
classify:
  threshold: high
  colour: blue
rules: rules.yaml
replies: replies
YAML
"$FR" -c "$T/c1/bad.yaml" check > "$T/out" 2>&1
status=$?
[ $status -eq 78 ]; ok $? "a broken configuration exits with EX_CONFIG (got $status)"
has "$T/out" "bad.yaml:2:12: identity.address: 'not an address' is not a mail address" "bad address at line 2, column 12"
has "$T/out" "bad.yaml:4:14: classify.threshold: 'high' is not a number" "bad number at line 4, column 14"
has "$T/out" "bad.yaml:5:3: unknown key 'classify.colour'" "unknown key at line 5, column 3"
has "$T/out" "3 errors" "all three errors in one run"
"$FR" -c "$T/c1/bad.yaml" check --json > "$T/out" 2> "$T/err"
[ $? -eq 78 ]; ok $? "check --json: EX_CONFIG too"
[ ! -s "$T/err" ]; ok $? "every error in the JSON, nothing on stderr"
sed "s|$T/c1/|DIR/|g" "$T/out" | diff -u "$top_srcdir/tests/golden/check-errors.json" - > "$T/diff"
ok $? "each error with its file, line, column and message, as tests/golden/check-errors.json"
sed 's/^/# /' "$T/diff" | head -20
"$FR" -c "$CONF" check --json > "$T/out"
ok $? "check --json on the shipped configuration exits 0"
"${PYTHON:-python3}" -c 'import json, sys
o = json.load(open(sys.argv[1]))
assert o["ok"] is True and o["errors"] == [], o
assert o["config"] == sys.argv[2], o
for k in ("topics", "signals", "keywords", "names", "matcher_states", "replies"):
	assert isinstance(o[k], int) and o[k] > 0, k
e = o["entities"]
assert e is None or (e["organisations"] > 0 and e["software"] > 0), e
assert o["weights"] is None or set(o["weights"]) == {"path", "fitted_on", "keywords"}, o
assert len(open(sys.argv[1]).read().splitlines()) == 1' "$T/out" "$CONF" "$top_srcdir/conf/rules.yaml"
ok $? "one object: what was loaded, as check says it"
"$FR" -c "$CONF" check > "$T/text" 2> /dev/null
"${PYTHON:-python3}" -c 'import json, sys
o = json.load(open(sys.argv[1]))
t = open(sys.argv[2]).read()
assert "%d topics and %d signals, %d keywords, %d names (%d matcher states), %d replies" % (o["topics"], o["signals"], o["keywords"], o["names"], o["matcher_states"], o["replies"]) in t, t' "$T/out" "$T/text"
ok $? "the same figures as the text"

# The screens' phrases that classify's scan looks for with the keywords
# (not with stemming) are not counted as keywords.
mkdir -p "$T/st/conf"
cp "$top_srcdir/conf/floss-responder.yaml" "$top_srcdir/conf/entities.yaml" "$T/st/conf/"
sed 's/^stemming: false/stemming: true/' "$top_srcdir/conf/rules.yaml" > "$T/st/conf/rules.yaml"
ln -s "$top_srcdir/replies" "$T/st/replies"
"$FR" -c "$T/st/conf/floss-responder.yaml" check --json > "$T/stem" 2> /dev/null
"${PYTHON:-python3}" -c 'import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
assert a["keywords"] == b["keywords"] and a["matcher_states"] != b["matcher_states"], (a, b)' "$T/out" "$T/stem"
ok $? "as many keywords with stemming as without, whose matcher holds the screens' phrases too"

# YAML that does not parse.
printf 'identity:\n  address: [a@b.example\n' > "$T/c1/syntax.yaml"
"$FR" -c "$T/c1/syntax.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "a YAML syntax error exits with EX_CONFIG"
grep -q 'syntax.yaml:[0-9]*:[0-9]*: ' "$T/out"; ok $? "and names file:line:column"

# classify.follow_ups: review or new, nothing else.
for v in answer new; do
	cat > "$T/c1/follow.yaml" <<YAML
identity:
  address: floss@example.org
classify:
  follow_ups: $v
rules: rules.yaml
replies: replies
YAML
	"$FR" -c "$T/c1/follow.yaml" check > "$T/out-$v" 2>&1
	echo $? > "$T/status-$v"
done
[ "$(cat "$T/status-answer")" -eq 78 ]; ok $? "classify.follow_ups: answer is refused"
has "$T/out-answer" "follow.yaml:4:15: classify.follow_ups: 'answer' is not one of the choices" "and said at line 4, column 15"
[ "$(cat "$T/status-new")" -eq 0 ]; ok $? "classify.follow_ups: new is taken"

# Broken rules and replies, together.
mkdir -p "$T/c2"
cp -r "$top_srcdir/tests/conf/replies" "$T/c2/"
cat > "$T/c2/conf.yaml" <<'YAML'
identity:
  address: responder@test.example
rules: rules.yaml
replies: replies
YAML
cat > "$T/c2/rules.yaml" <<'YAML'
topics:
  - id: alpha
    action: reply
    keywords:
      8: ["alpha question", "al*pha"]
      heavy: ["alpha"]
  - id: beta
    action: maybe
    keywords:
      4: ["beta", "BÊTA"]
  - id: gamma
    action: review
    keywords:
      4: ["гамма"]
stopwords:
  fr: [le]
  en: [the]
YAML
cat > "$T/c2/replies/fr/alpha.md" <<'MD'
---
title: Alpha
colour: blue
---
See [the page](/fr/relative/) and ![img](https://code.gouv.fr/x.png).
MD
printf -- '---\ntitle: [unclosed\n---\nbody\n' > "$T/c2/replies/en/alpha.md"
printf -- 'no front matter\n' > "$T/c2/replies/fr/beta.md"
printf -- '---\ntitle: Stray\n---\nbody\n' > "$T/c2/replies/fr/delta.md"
"$FR" -c "$T/c2/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "broken rules and replies exit with EX_CONFIG"
has "$T/out" "rules.yaml:5:29: 'al*pha': '*' is allowed only at the end" "a misplaced '*' at 5:29"
has "$T/out" "rules.yaml:6:7: 'heavy' is not a number" "a weight that is not a number at 6:7"
has "$T/out" "rules.yaml:8:13: beta: action must be reply or review" "a bad action at 8:13"
has "$T/out" "rules.yaml:10:19: 'BÊTA' is already a keyword of this topic" "a duplicate after folding at 10:19"
has "$T/out" "rules.yaml:14:11: 'гамма': only Latin letters and digits can be matched" "a keyword the matcher cannot fold at 14:11"
# A directory where a file is named (the rules, a CA file): said, no crash.
mkdir -p "$T/c5"
printf 'identity:\n  address: a@test.example\nrules: %s\nimap:\n  ca_file: %s\n' \
    "$T" "$T" > "$T/c5/conf.yaml"
"$FR" -c "$T/c5/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "a directory for the rules and the CA file: EX_CONFIG"
has "$T/out" "$T: not a regular file" "and it says the directory is not a file"

# Lexicons, pairs, asks and stemming, each mistake at its place.
mkdir -p "$T/c4"
cp "$T/c2/conf.yaml" "$T/c4/conf.yaml"
cat > "$T/c4/rules.yaml" <<'YAML'
stemming: perhaps
asks: "how"
objects:
  list: ["list", "LIST"]
  two words: ["x"]
intents:
  enter: ["enter"]
topics:
  - id: alpha
    action: reply
    pairs:
      8: ["list + leave", "list enter", "box + enter"]
      0: ["list + enter"]
stopwords:
  fr: [le]
  en: [the]
YAML
"$FR" -c "$T/c4/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "broken lexicons and pairs exit with EX_CONFIG"
has "$T/out" "rules.yaml:1:11: stemming must be true or false" "stemming neither true nor false at 1:11"
has "$T/out" "rules.yaml:2:7: asks must be a list" "asks that is not a list at 2:7"
has "$T/out" "rules.yaml:4:18: 'LIST' is already a keyword of this object" "a word twice in an object at 4:18"
has "$T/out" "rules.yaml:5:3: a name of objects is a word" "an object's name with a space at 5:3"
has "$T/out" "rules.yaml:12:11: 'leave' is not one of the intents" "a pair with an unknown intent at 12:11"
has "$T/out" "rules.yaml:12:27: a pair is written \"object + intent\"" "a pair without '+' at 12:27"
has "$T/out" "rules.yaml:12:41: 'box' is not one of the objects" "a pair with an unknown object at 12:41"
has "$T/out" "rules.yaml:13:7: a pair's weight must be above 0" "a pair's weight of 0 at 13:7"
"$FR" -c "$T/c2/conf.yaml" check > "$T/out" 2>&1
# The rules are broken, so the replies are not read in this run: fix them.
cp "$top_srcdir/tests/conf/rules.yaml" "$T/c2/rules.yaml"
"$FR" -c "$T/c2/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "broken replies exit with EX_CONFIG"
has "$T/out" "replies/fr/alpha.md:3:1: unknown key 'colour'" "an unknown front matter key at 3:1"
has "$T/out" "replies/fr/alpha.md:5:5: link '/fr/relative/' is not an absolute https:// or mailto: address" "a relative link at 5:5"
has "$T/out" "replies/fr/alpha.md:5:35: images are not allowed in a reply" "an image at 5:35"
has "$T/out" "replies/en/alpha.md:3:1: did not find expected ',' or ']'" "a front matter syntax error at 3:1"
has "$T/out" "replies/fr/beta.md:1:1: a reply starts with a front matter" "a reply without front matter at 1:1"
has "$T/out" "delta.md: no topic 'delta'" "a reply for no topic"
# replies_local: a file there replaces the reply directory's file of the
# same name; the others stay the reply directory's.
base_conf "$T/c5"
echo 'replies_local: local' >> "$T/c5/conf.yaml"
"$FR" -c "$T/c5/conf.yaml" check > "$T/out" 2>&1
ok $? "replies_local naming a directory that is not there: the shipped replies"
! grep -q "frames\? from" "$T/out"; ok $? "check counts no local reply"
mkdir -p "$T/c5/local/fr"
awk '{ print } /^---$/ && ++n == 2 { exit }' \
    "$top_srcdir/replies/fr/sill-reference.md" > "$T/c5/local/fr/sill-reference.md"
echo "Notre texte local sur le socle, relu par la mission." \
    >> "$T/c5/local/fr/sill-reference.md"
"$FR" -c "$T/c5/conf.yaml" check > "$T/out" 2>&1
ok $? "a local reply passes check"
has "$T/out" "(1 of them and 0 frames from $T/c5/local)" "check says how many replies are local, and where"
"$FR" -c "$T/c5/conf.yaml" check --json > "$T/out" 2>&1
has "$T/out" '"replies_local": 1, "frames_local": 0' "check --json counts the local reply"
mkdir -p "$T/c5/local/en"
cp "$top_srcdir/replies/en/_frame.md" "$T/c5/local/en/"
"$FR" -c "$T/c5/conf.yaml" check > "$T/out" 2>&1
has "$T/out" "(1 of them and 1 frame from $T/c5/local)" "a frame is counted apart from the replies"
rm "$T/c5/local/en/_frame.md"
"$FR" -c "$T/c5/conf.yaml" reply "$MSG/forward.eml" > "$T/out" 2>&1
has "$T/out" "Notre texte local sur le socle" "the reply uses the local file"
"$FR" -c "$CONF" reply "$MSG/forward.eml" > "$T/out" 2>&1
! grep -q "Notre texte local" "$T/out"; ok $? "the shipped configuration does not"
printf -- '---\ntitle: [broken\n---\nTexte.\n' > "$T/c5/local/fr/sill-reference.md"
mkdir -p "$T/c5/local/en"
printf -- '---\ntitle: Nothing\n---\nText.\n' > "$T/c5/local/en/nothing.md"
ln -s "$T/c5/local/fr/nowhere.md" "$T/c5/local/fr/bluehats.md"
: > "$T/c5/local/sill-about.md"
"$FR" -c "$T/c5/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "a broken local reply exits with EX_CONFIG"
has "$T/out" "$T/c5/local/fr/bluehats.md: No such file or directory" "a dangling link there is an error, not the shipped reply"
has "$T/out" "sill-about.md: replies go in the directory of their language (fr/, en/)" "and a file beside the languages' directories"
has "$T/out" "$T/c5/local/fr/sill-reference.md:3:1:" "the error names the local file, line and column"
has "$T/out" "nothing.md: no topic 'nothing'" "a local file for no topic is an error"
# The password files the logins need: missing, or readable by others, a
# warning (the configuration itself is right: exit 0).
base_conf "$T/c6"
cat >> "$T/c6/conf.yaml" <<YAML
mailbox:
  type: imap
imap:
  password_file: $T/c6/imap-password
smtp:
  password_file: $T/c6/smtp-password
YAML
"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
ok $? "missing password files: check still exits 0"
has "$T/err" "warning: $T/c6/imap-password: imap.password_file: No such file or directory: the login will fail" "a missing IMAP password file is a warning"
has "$T/err" "warning: $T/c6/smtp-password: smtp.password_file:" "a missing SMTP password file too"
echo secret > "$T/c6/imap-password"; chmod 644 "$T/c6/imap-password"
echo secret > "$T/c6/smtp-password"; chmod 600 "$T/c6/smtp-password"
"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
has "$T/err" "imap.password_file: readable by every user (mode 644): chmod o-r it" "a password file every user can read is a warning"
! grep -q "smtp.password_file" "$T/err"; ok $? "a password file of mode 600 is not"
chmod 640 "$T/c6/smtp-password"
"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
! grep -q "smtp.password_file" "$T/err"; ok $? "nor one its group reads (root and the service's group)"
if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	# Root reads every file: the service is the journal's directory's
	# owner, and must read the password.
	mkdir "$T/c6/state"; chown nobody "$T/c6/state"
	printf 'state:\n  path: state/journal.db\n' >> "$T/c6/conf.yaml"
	chmod 600 "$T/c6/smtp-password"
	"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
	has "$T/err" "smtp.password_file: not readable by nobody, who owns the journal's directory and so runs the service: chown nobody it" "as root, a password the service cannot read is a warning"
	chown nobody "$T/c6/smtp-password"
	"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
	! grep -q "smtp.password_file" "$T/err"; ok $? "and none once it is the service's"
else
	tap_n=$((tap_n + 2)); echo "ok $((tap_n - 1)) # SKIP not root"; echo "ok $tap_n # SKIP not root"
fi
"$FR" -c "$T/c6/conf.yaml" check --json > "$T/out" 2> "$T/err"
"${PYTHON:-python3}" -c 'import json, sys
o = json.load(open(sys.argv[1]))
assert o["ok"] is True, o
assert len(o["warnings"]) >= 1 and "mode 644" in o["warnings"][0], o["warnings"]' "$T/out"
ok $? "check --json lists the warnings"
chmod 600 "$T/c6/imap-password"
printf 'mailbox:\n  type: maildir\ndelivery:\n  type: outbox\n' >> "$T/c6/conf.yaml"
rm "$T/c6/imap-password" "$T/c6/smtp-password"
"$FR" -c "$T/c6/conf.yaml" check > "$T/out" 2> "$T/err"
[ ! -s "$T/err" ]; ok $? "no login, no warning about its password"
# include: the files of a directory read after the main one, in name
# order, a key given there replacing the main file's (a list whole).
base_conf "$T/c7"
echo 'include: local.d' >> "$T/c7/conf.yaml"
"$FR" -c "$T/c7/conf.yaml" check > "$T/out" 2>&1
ok $? "include naming a directory that is not there: none"
mkdir "$T/c7/local.d"
cat > "$T/c7/local.d/20-later.yaml" <<'YAML'
identity:
  address: questions@example.gouv.fr
YAML
cat > "$T/c7/local.d/10-first.yaml" <<'YAML'
identity:
  address: first@example.gouv.fr
  name: Equipe locale
YAML
echo 'identity: {address: ignored@example.gouv.fr}' > "$T/c7/local.d/notes.txt"
printf 'identity:\n  name: Equipe yml\n' > "$T/c7/local.d/15-name.yml"
printf '# Nothing set here.\n#classify:\n#  threshold: 9\n' > "$T/c7/local.d/17-empty.yaml"
"$FR" -c "$T/c7/conf.yaml" reply "$MSG/forward.eml" > "$T/out" 2>&1
has "$T/out" "From: Equipe yml <questions@example.gouv.fr>" "the included files' keys replace the main file's, in name order, *.yaml and *.yml only; a file of comments only is none"
printf 'trust:\n  authserv_id: [mx.elsewhere.example]\n' > "$T/c7/local.d/30-trust.yaml"
"$FR" -c "$T/c7/conf.yaml" classify "$MSG/forward.eml" > "$T/out" 2>&1
status=$?
[ $status -eq 0 ] && grep -q "untrusted-sender: no authentication verdict" "$T/out" &&
    ! grep -q "^[^ ]*: reply" "$T/out"
ok $? "a list given again is replaced, not added to (the main file's MX no longer trusted)"
printf 'classify:\n  threshold: high\n' > "$T/c7/local.d/40-bad.yaml"
printf 'include: other.d\n' > "$T/c7/local.d/50-include.yaml"
"$FR" -c "$T/c7/conf.yaml" check > "$T/out" 2>&1
[ $? -eq 78 ]; ok $? "an error in an included file: EX_CONFIG"
has "$T/out" "$T/c7/local.d/40-bad.yaml:2:14: classify.threshold: 'high' is not a number" "it is said with the included file's line and column"
has "$T/out" "50-include.yaml:1:1: include is read in $T/c7/conf.yaml only" "an included file cannot include, said at its line"
! grep -q "^$T/c7/local.d/[0-3]" "$T/out"; ok $? "and no other file is blamed for it"
printf 'classify:\n  margin: [1, 2]\n' >> "$T/c7/conf.yaml"
"$FR" -c "$T/c7/conf.yaml" check > "$T/out" 2>&1
grep -q "conf.yaml:.*classify.margin" "$T/out" && grep -q "40-bad.yaml:2:14" "$T/out"
ok $? "the main file's errors and the included files' in one run"
done_testing

#!/usr/bin/env python3
"""Writes one question a name of conf/entities.yaml, and its variants, runs
"floss-responder classify --json" on them all at once, and prints one line
a check: "ok<TAB>what" or "not ok<TAB>what<TAB>why".

    names.py FLOSS-RESPONDER CONFIG ENTITIES DIR

Each organisation and software is asked about by every name it has, as
written, and -- unless the name is one to be matched in its case only --
in lower case, in capitals and without accents; a name matched in its case
only must not be recognised in lower case."""

import json
import os
import subprocess
import sys
import unicodedata

import yaml

fr, conf, path, out = sys.argv[1:5]
data = yaml.safe_load(open(path, encoding="utf-8"))


def plain(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


cases = []     # (file, kind, name on the list, written, expected)
for kind, items in (("organisations",
                     data["beneficiaries"]["organisations"]),
                    ("software", data["software"]["list"] +
                     [{"name": n} for n in data["software"]["unlisted"]])):
    for it in items:
        names = ([it["acronym"]] if it.get("acronym") else []) + \
            [it["name"]] + it.get("names", [])
        exact = set(it.get("exact", []))
        for n in names:
            forms = {n: True}
            if n in exact:
                if n.lower() != n:
                    forms[n.lower()] = False
            else:
                for v in (n.lower(), n.upper(), plain(n)):
                    forms.setdefault(v, True)
            for w, want in forms.items():
                f = os.path.join(out, "%d.eml" % len(cases))
                cases.append((f, kind, it["name"], w, want))
                with open(f, "w", encoding="utf-8") as fh:
                    fh.write("From: A Person <a.person@gmail.com>\n"
                             "To: floss@numerique.gouv.fr\n"
                             "Subject: Une question\n"
                             "Content-Type: text/plain; charset=utf-8\n\n"
                             "Bonjour,\n\nEst-ce que %s est couvert par le"
                             " marché de support ?\n\nMerci\n" % w)

res = subprocess.run([fr, "-c", conf, "classify", "--json"] +
                     [c[0] for c in cases], stdout=subprocess.PIPE,
                     check=False)
lines = res.stdout.decode("utf-8").splitlines()
if len(lines) != len(cases):
    print("not ok\tclassify --json answered %d of %d questions\t%s" %
          (len(lines), len(cases), res.returncode))
    sys.exit(0)
by_file = {}
for line in lines:
    d = json.loads(line)
    by_file[d["file"]] = d["entities"]
for f, kind, name, written, want in cases:
    got = [e["name"] for e in by_file[f][kind]]
    what = "%s %s written \"%s\"%s" % (kind, name, written,
                                       "" if want else " (not recognised)")
    if (name in got) == want:
        print("ok\t%s" % what)
    else:
        print("not ok\t%s\tgot %s" % (what, got or "nothing"))

#!/usr/bin/env python3
"""Loading the rules as they grow: the shipped rules, then the same with each
keyword list N times as long (each keyword again with a made-up word after it),
timed by `floss-responder check` (best of 5), to show that loading grows with
the rules' size.  A benchmark, not a test: it reports.

usage: bench/rules-scale.py [FLOSS-RESPONDER [FACTOR...]]   (from the tree's root)
"""
import os, re, shutil, subprocess, sys, tempfile, time

import yaml

fr = sys.argv[1] if len(sys.argv) > 1 else "build/src/floss-responder"
factors = [int(a) for a in sys.argv[2:]] or [1, 10]
tmp = tempfile.mkdtemp(prefix="rules-scale.")
rules = yaml.safe_load(open("conf/rules.yaml", encoding="utf-8"))


def grow(lists, n):
    out = {}
    for w, kws in lists.items():
        out[w] = [k for k in kws] + ["%s zq%dx" % (k, i) for i in
                                     range(1, n) for k in kws
                                     if not k.endswith("*")]
    return out


def timed(conf):
    best = None
    for _ in range(5):
        t = time.perf_counter()
        r = subprocess.run([fr, "-c", conf, "check"], capture_output=True,
                           text=True)
        d = time.perf_counter() - t
        if r.returncode != 0:
            sys.exit(r.stderr)
        best = d if best is None else min(best, d)
    return best, r.stdout.strip().splitlines()[-1]


base = None
for n in factors:
    g = dict(rules)
    g["topics"] = [dict(t, keywords=grow(t["keywords"], n)) if "keywords" in t
                   else t for t in rules["topics"]]
    g["signals"] = [dict(t, keywords=grow(t["keywords"], n)) if "keywords" in t
                    else t for t in rules["signals"]]
    for lex in ("objects", "intents"):
        if lex in rules:
            g[lex] = grow(rules[lex], n)
    if "asks" in rules:
        g["asks"] = grow({0: rules["asks"]}, n)[0]
    d = os.path.join(tmp, "x%d" % n)
    os.makedirs(d)
    with open(os.path.join(d, "rules.yaml"), "w", encoding="utf-8") as f:
        yaml.safe_dump(g, f, allow_unicode=True)
    conf = open("conf/floss-responder.yaml", encoding="utf-8").read()
    conf = re.sub(r"(?m)^(\s*rules:\s*).*$", r"\g<1>" + os.path.join(d, "rules.yaml"), conf)
    for k in ("replies", "entities"):
        conf = re.sub(r"(?m)^(\s*%s:\s*)(?!/)(.*)$" % k,
                      lambda m: m.group(1) + os.path.abspath(os.path.join("conf", m.group(2))), conf)
    with open(os.path.join(d, "conf.yaml"), "w", encoding="utf-8") as f:
        f.write(conf)
    t, line = timed(os.path.join(d, "conf.yaml"))
    base = base or t
    print("%3dx rules: check %.0f ms (%.1fx the first): %s" % (n, t * 1000, t / base, line))
shutil.rmtree(tmp)

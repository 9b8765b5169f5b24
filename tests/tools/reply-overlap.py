#!/usr/bin/env python3
"""reply-overlap.py DIR A B: what two reply files of DIR (topics A and B,
answered together in one reply) say twice.  A link of both, or a sentence
of both, must be in a paragraph that both files hold identically (the
paragraph a reply gives once); prints one line per link or sentence that
is not, and exits 1 if there is one."""

import re
import sys

LINK = re.compile(r"\]\(([^)\s]+)\)|<(https?://[^>\s]+)>")


def paragraphs(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    if s.startswith("---\n"):
        s = s[s.index("\n---\n", 4) + 5:]
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", s) if p.strip()]


def links(p):
    return {a or b for a, b in LINK.findall(p)}


def sentences(p):
    p = LINK.sub(" ", p)
    return {s.strip() for s in re.split(r"(?<=[.!?;:])\s+", p)
            if len(s.strip()) > 30}


d, a, b = sys.argv[1:4]
pa, pb = paragraphs("%s/%s.md" % (d, a)), paragraphs("%s/%s.md" % (d, b))
shared = set(pa) & set(pb)
bad = 0
for what, get in (("link", links), ("sentence", sentences)):
    ia = set().union(*(get(p) for p in pa if p not in shared)) if pa else set()
    ib = set().union(*(get(p) for p in pb if p not in shared)) if pb else set()
    for x in sorted(ia & ib):
        print("%s and %s both give the %s %s" % (a, b, what, x))
        bad += 1
sys.exit(1 if bad else 0)

#!/usr/bin/env python3
"""reply-docs.py DOCS FILE...: every link and every figure of the reply
files (replies/<lang>/*.md: the Markdown body and the front matter's
sentences) must come from the documents in DOCS.

A link must be an absolute https link that one of the documents gives:
written out, as a Markdown or Org link, or relative ("/fr/contact/",
"../marches-logiciels-libres/") and resolved against the page's own
address, as DOCS/README.md explains; the pages' own addresses count too.
Two links that differ by a final "/" are the same.

A figure is a date ("18 janvier 2022", "1 July 2024", "octobre 2024",
"30/06/25", "2022-01-18"), a number ("350", "12", "1.2", "323-2-1") or a
number written in words ("trois", "seven").  A date must be a date of the
documents, in whatever form they write it; a number must be a number of
the documents.  Placeholders ({date}, {{software}}) are the program's and
are left out.

Prints, for each file, "ok<TAB>FILE<TAB>N links, M figures" or one line
"fail<TAB>FILE<TAB>WHAT" per link or figure not found; exits 1 when one is
not found, 2 on a usage error."""

import os
import re
import sys
import urllib.parse

try:
    import yaml
except ImportError:
    yaml = None

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4,
    "mai": 5, "juin": 6, "juillet": 7, "août": 8, "aout": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10,
    "november": 11, "december": 12,
}
# Numbers in words ("un", "one", "neuf" and "second" are other words too).
WORDS = {
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "dix": 10, "onze": 11, "douze": 12, "vingt": 20,
    "cent": 100, "mille": 1000,
    "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
    "hundred": 100, "thousand": 1000,
}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(
    r"(?<!\w)(1er|\d{1,2})\s+(%s)\s+(\d{4})(?!\d)" % MONTH_RE, re.I)
MONTH_YEAR = re.compile(r"(?<!\w)(%s)\s+(\d{4})(?!\d)" % MONTH_RE, re.I)
ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
SLASH = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?![\d/])")
NUMBER = re.compile(r"(?<!\d)\d+(?:[.,]\d+)*(?:-\d+)*")
WORD = re.compile(r"(?<!\w)(%s)(?!\w)" % "|".join(WORDS), re.I)
URL = re.compile(r"https?://[^\s<>()\[\]`\"']+")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
ORG_LINK = re.compile(r"\[\[([^\]]+)\](?:\[[^\]]*\])?\]")
PLACEHOLDER = re.compile(r"\{\{?[a-z_]+\}?\}")


def norm(url):
    u = urllib.parse.urlsplit(url.strip())
    path = u.path.rstrip("/")
    return urllib.parse.urlunsplit((u.scheme.lower(), u.netloc.lower(),
                                    path, u.query, u.fragment))


def year(y):
    y = int(y)
    return y + 2000 if y < 100 else y


def dates(text):
    """The dates of a text, as (y, m, d) or (y, m), and the text with
    them blanked out."""
    found = []

    def take(m, value):
        found.append(value)
        return " " * (m.end() - m.start())

    def dmy(m):
        d = 1 if m.group(1).lower() == "1er" else int(m.group(1))
        return take(m, (year(m.group(3)), MONTHS[m.group(2).lower()], d))

    text = DAY_MONTH_YEAR.sub(dmy, text)
    text = ISO.sub(lambda m: take(m, (int(m.group(1)), int(m.group(2)),
                                      int(m.group(3)))), text)
    text = SLASH.sub(lambda m: take(m, (year(m.group(3)), int(m.group(2)),
                                        int(m.group(1)))), text)
    text = MONTH_YEAR.sub(lambda m: take(m, (int(m.group(2)),
                                             MONTHS[m.group(1).lower()])),
                          text)
    return found, text


def numbers(text):
    out = [m.group(0) for m in NUMBER.finditer(text)]
    out += [str(WORDS[m.group(1).lower()]) for m in WORD.finditer(text)]
    return out


def front_matter(path):
    with open(path, encoding="utf-8") as f:
        s = f.read()
    if s.startswith("---\n"):
        end = s.find("\n---\n", 4)
        if end >= 0:
            return s[4:end], s[end + 5:]
    return "", s


def page_addresses(docs):
    """The address of each page: DOCS/README.md's table, a front matter
    permalink, or the address of the site page with the same title."""
    addr = {}
    readme = os.path.join(docs, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\|\s*([^|\s]+)\s*\|\s*(/[^\s|]*)", line)
                if m:
                    addr[m.group(1)] = "https://code.gouv.fr" + m.group(2)
    titles = {}
    for name in sorted(os.listdir(docs)):
        if not name.endswith(".md") or name == "README.md":
            continue
        fm, _ = front_matter(os.path.join(docs, name))
        m = re.search(r"^permalink:\s*(\S+)", fm, re.M)
        if m:
            addr[name] = "https://code.gouv.fr" + m.group(1)
        m = re.search(r"^title:\s*(.+)$", fm, re.M)
        if m:
            titles.setdefault(m.group(1).strip(), []).append(name)
    for same in titles.values():
        known = [addr[n] for n in same if n in addr]
        for n in same:
            if n not in addr and known:
                addr[n] = known[0]
    return addr


def load_docs(docs):
    links, found_dates, found_numbers = set(), set(), set()
    addr = page_addresses(docs)
    for a in addr.values():
        links.add(norm(a))
    for name in sorted(os.listdir(docs)):
        path = os.path.join(docs, name)
        if name == "README.md" or not os.path.isfile(path):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        base = addr.get(name, "https://code.gouv.fr/fr/")
        targets = [m.group(1) for m in MD_LINK.finditer(text)]
        targets += [m.group(1) for m in ORG_LINK.finditer(text)]
        targets += [m.group(1) for m in AUTOLINK.finditer(text)]
        targets += [m.group(0) for m in URL.finditer(text)]
        for t in targets:
            if t.startswith(("#", "*", "mailto:")):
                continue
            links.add(norm(urllib.parse.urljoin(base, t)))
        ds, rest = dates(text)
        for d in ds:
            found_dates.add(d)
            found_dates.add(d[:2])
        found_numbers.update(numbers(rest))
    return links, found_dates, found_numbers


def reply_texts(path):
    """The sentences of a reply file: its body, and the front matter's
    strings but the list of sources."""
    fm, body = front_matter(path)
    texts = [body]
    if fm and yaml is not None:
        data = yaml.safe_load(fm) or {}
        for k, v in data.items():
            if k != "sources" and isinstance(v, str):
                texts.append(v)
    elif fm:
        for line in fm.splitlines():
            if not line.startswith(("sources:", "#")):
                texts.append(line.partition(":")[2])
    return texts


def check(path, links, found_dates, found_numbers):
    problems, nlinks, nfigures = [], 0, 0
    for text in reply_texts(path):
        text = PLACEHOLDER.sub(" ", text)
        text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
        targets = []

        def cut(m):
            targets.append(m.group(1))
            return "]"

        text = MD_LINK.sub(cut, text)
        text = AUTOLINK.sub(lambda m: cut(m) and " ", text)
        for m in URL.finditer(text):
            targets.append(m.group(0))
        text = URL.sub(" ", text)
        for t in targets:
            nlinks += 1
            if not t.startswith("https://"):
                problems.append("link %s is not an absolute https link" % t)
            elif norm(t) not in links:
                problems.append("link %s is in no document" % t)
        ds, rest = dates(text)
        for d in ds:
            nfigures += 1
            if d not in found_dates:
                problems.append("date %s is in no document" %
                                "-".join("%02d" % x for x in d))
        for n in numbers(rest):
            nfigures += 1
            if n not in found_numbers:
                problems.append("figure %s is in no document" % n)
    return problems, nlinks, nfigures


def main():
    if len(sys.argv) < 3:
        print("usage: reply-docs.py DOCS FILE...", file=sys.stderr)
        sys.exit(2)
    links, found_dates, found_numbers = load_docs(sys.argv[1])
    bad = 0
    for path in sys.argv[2:]:
        problems, nl, nf = check(path, links, found_dates, found_numbers)
        for p in problems:
            print("fail\t%s\t%s" % (path, p))
        if not problems:
            print("ok\t%s\t%d links, %d figures" % (path, nl, nf))
        bad += len(problems)
    sys.exit(1 if bad else 0)


main()

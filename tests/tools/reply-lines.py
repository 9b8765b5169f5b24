#!/usr/bin/env python3
"""reply-lines.py PROGRAM CONF DIR...: the length of the automatic replies
to the messages of each DIR (its *.eml).  Every message the program
classifies "reply" is answered with "reply FILE"; the lines of the reply's
text/plain part are counted.  Prints one line "LINES FILE" per reply, then
"replies N median M" (the median of the counts; the mean of the two middle
ones when N is even).  Exits 1 when a reply cannot be composed."""

import email
import email.policy
import glob
import json
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: reply-lines.py PROGRAM CONF DIR...")
    prog, conf = sys.argv[1], sys.argv[2]
    files = []
    for d in sys.argv[3:]:
        files += sorted(glob.glob(os.path.join(d, "*.eml")))
    if not files:
        sys.exit("reply-lines.py: no message in %s" % " ".join(sys.argv[3:]))
    out = subprocess.run([prog, "-c", conf, "classify", "--json"] + files,
                         stdout=subprocess.PIPE, check=True).stdout
    counts = []
    for line in out.decode("utf-8", "replace").splitlines():
        d = json.loads(line)
        if d.get("action") != "reply":
            continue
        r = subprocess.run([prog, "-c", conf, "reply", d["file"]],
                           stdout=subprocess.PIPE)
        if r.returncode != 0:
            print("%s: no reply composed" % d["file"], file=sys.stderr)
            sys.exit(1)
        m = email.message_from_bytes(r.stdout, policy=email.policy.default)
        part = m.get_body(("plain",))
        text = part.get_content() if part is not None else ""
        n = len(text.rstrip("\n").split("\n")) if text.strip() else 0
        counts.append(n)
        print("%d %s" % (n, d["file"]))
    counts.sort()
    k = len(counts)
    if k == 0:
        print("replies 0 median 0")
        return
    med = counts[k // 2] if k % 2 else (counts[k // 2 - 1] + counts[k // 2]) / 2
    print("replies %d median %g" % (k, med))


main()

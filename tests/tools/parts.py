#!/usr/bin/env python3
"""Prints the text and HTML parts of a reply (a file, or standard input),
each on one line with its runs of white space made one space:
"TEXT: ..." then "HTML: ...".  Tests look for sentences in them whatever
the line breaks."""

import email
import email.policy
import re
import sys

f = open(sys.argv[1], "rb") if len(sys.argv) > 1 else sys.stdin.buffer
m = email.message_from_binary_file(f, policy=email.policy.default)
for kind in ("plain", "html"):
    part = m.get_body((kind,))
    text = part.get_content() if part is not None else ""
    print("%s: %s" % ("TEXT" if kind == "plain" else "HTML",
                      re.sub(r"\s+", " ", text)))

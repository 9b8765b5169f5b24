#!/usr/bin/env python3
"""Write the paraphrase set (p-NNN.eml and labels.yaml) from messages.txt.

usage: make.py [DIR]   (default: the directory of this script)

messages.txt is a list of blocks, one per message (numbered in the order of the
SHA-1 of their slugs, so that topics and kinds are mixed):

    === slug                      (a name for the writer; files are numbered in order)
    from: Name <local@domain>
    subject: the Subject, as the sender typed it
    lang: fr | en
    enc: 8bit | qp | b64 | latin1 | latin1-qp | html | alt | raw
    label: reply | review | ignore | spam
    accept: reply, review         (optional; default: reply -> reply, review -> review,
                                   ignore -> ignore, spam -> review, ignore)
    topics: id, id                (optional; main first)
    why: what the message exercises
    date: 2025-03-04 10:12        (optional, Europe/Paris; default: spread over 2025-2026)
    hdr: Name: value              (optional, repeatable: extra headers of the sender)
    auth: value | none            (optional: the Authentication-Results value, or none)
    rpath: <address>              (optional: the Return-Path; default the From address)
    msgid: <id@host>              (optional)
    relay: host                   (optional: the host the MX received it from; default smtp.<domain>)
    to: address                   (optional: the To field; default floss@numerique.gouv.fr)
    ---
    the body, as the sender wrote it

enc: 8bit/qp/b64 are text/plain UTF-8; latin1 is ISO-8859-1 8bit, latin1-qp the same
quoted-printable; html is a text/html body (written as HTML); alt is text/plain and a
text/html built from it (multipart/alternative); raw means the body section starts with
its own MIME headers (Content-Type ...), a blank line, then the body.
Every file is written with CRLF line endings.
"""
import base64
import datetime
import hashlib
import html
import os
import quopri
import sys
import zoneinfo
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
START = datetime.datetime(2025, 1, 8, 9, 14, tzinfo=PARIS)


def parse(path):
    msgs = []
    cur = None
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("=== "):
            cur = {"slug": line[4:].strip(), "hdr": [], "body": []}
            msgs.append(cur)
            i += 1
            while lines[i] != "---":
                k, _, v = lines[i].partition(":")
                k = k.strip()
                v = v.strip()
                if k == "hdr":
                    cur["hdr"].append(v)
                elif k:
                    if k in cur:
                        sys.exit("%s: %s given twice in %s" % (path, k, cur["slug"]))
                    cur[k] = v
                i += 1
            i += 1
            while i < len(lines) and not lines[i].startswith("=== "):
                cur["body"].append(lines[i])
                i += 1
            while cur["body"] and cur["body"][-1] == "":
                cur["body"].pop()
            continue
        if line.strip() and not line.startswith("#"):
            sys.exit("%s: text outside a message: %r" % (path, line))
        i += 1
    return msgs


def enc_header(value, charset="utf-8"):
    try:
        value.encode("ascii")
        return value
    except UnicodeEncodeError:
        return Header(value, charset, maxlinelen=76, header_name="Subject").encode(linesep="\r\n")


def enc_from(value, charset="utf-8"):
    name, addr = parseaddr(value)
    if not name:
        return addr
    try:
        name.encode("ascii")
        return formataddr((name, addr))
    except UnicodeEncodeError:
        return formataddr((name, addr), charset=charset)


def qp(data):
    out = quopri.encodestring(data).decode("ascii")
    return out


def to_html(text):
    paras = text.split("\n\n")
    parts = []
    for p in paras:
        parts.append("<p>" + "<br>\n".join(html.escape(l) for l in p.split("\n")) + "</p>")
    return ("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\"></head>\n"
            "<body>\n<div style=\"font-family: Calibri, sans-serif; font-size: 11pt\">\n" +
            "\n".join(parts) + "\n</div>\n</body></html>")


def body_part(m, text, tag):
    enc = m.get("enc", "8bit")
    if enc == "8bit":
        return ["Content-Type: text/plain; charset=utf-8; format=flowed",
                "Content-Transfer-Encoding: 8bit"], text
    if enc == "qp":
        return ["Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable"], qp(text.encode("utf-8"))
    if enc == "b64":
        b = base64.encodebytes(text.replace("\n", "\r\n").encode("utf-8")).decode("ascii")
        return ["Content-Type: text/plain; charset=utf-8",
                "Content-Transfer-Encoding: base64"], b
    if enc == "latin1":
        return ["Content-Type: text/plain; charset=iso-8859-1",
                "Content-Transfer-Encoding: 8bit"], text
    if enc == "latin1-qp":
        return ["Content-Type: text/plain; charset=iso-8859-1",
                "Content-Transfer-Encoding: quoted-printable"], qp(text.encode("iso-8859-1"))
    if enc == "html":
        return ["Content-Type: text/html; charset=utf-8",
                "Content-Transfer-Encoding: quoted-printable"], qp(text.encode("utf-8"))
    if enc == "alt":
        b = "----=_Part_%s" % tag[:16]
        h = to_html(text)
        s = ("This is a multi-part message in MIME format.\n\n"
             "--%s\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
             "%s\n--%s\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
             "%s\n--%s--\n") % (b, qp(text.encode("utf-8")), b, qp(h.encode("utf-8")), b)
        return ["Content-Type: multipart/alternative;", "\tboundary=\"%s\"" % b], s
    if enc == "raw":
        head, _, rest = text.partition("\n\n")
        return head.split("\n"), rest
    sys.exit("unknown enc %s in %s" % (enc, m["slug"]))


def build(m, n):
    name = "p-%03d.eml" % n
    tag = hashlib.sha1((m["slug"] + name).encode()).hexdigest()
    frm = m["from"]
    _, addr = parseaddr(frm)
    domain = addr.rpartition("@")[2].lower()
    if "date" in m:
        d = datetime.datetime.strptime(m["date"], "%Y-%m-%d %H:%M").replace(tzinfo=PARIS)
    else:
        minutes = int(tag[:4], 16) % 540
        d = START + datetime.timedelta(days=int(n * 3.9)) + datetime.timedelta(minutes=minutes)
        if d.weekday() == 6:
            d += datetime.timedelta(days=1)
    recv = d + datetime.timedelta(seconds=3 + int(tag[4:6], 16) % 50)
    rpath = m.get("rpath", "<%s>" % addr)
    msgid = m.get("msgid", "<%s.%s@%s>" % (tag[:12].upper(), tag[12:20], domain))
    charset = "iso-8859-1" if m.get("enc", "").startswith("latin1") else "utf-8"
    ip = "198.51.100.%d" % (int(tag[6:8], 16) % 250 + 2)
    text = "\n".join(m["body"]) + "\n"
    h = [
        "Return-Path: %s" % rpath,
        "Delivered-To: floss@numerique.gouv.fr",
        "Received: from mx1.numerique.gouv.fr",
        "\tby mbox2.numerique.gouv.fr with LMTP id %s" % tag[20:34],
        "\tfor <floss@numerique.gouv.fr>; %s" % format_datetime(recv + datetime.timedelta(seconds=1)),
    ]
    auth = m.get("auth")
    if auth is None:
        auth = ("mx1.numerique.gouv.fr; dkim=pass header.d=%s; spf=pass smtp.mailfrom=%s;"
                " dmarc=pass (policy=none) header.from=%s") % (domain, addr, domain)
    if auth != "none":
        first, _, rest = auth.partition("; ")
        h.append("Authentication-Results: %s;" % first.rstrip(";"))
        items = [x.strip() for x in rest.split("; ") if x.strip()]
        for j, x in enumerate(items):
            h.append("\t%s%s" % (x.rstrip(";"), ";" if j < len(items) - 1 else ""))
    relay = m.get("relay", "smtp.%s" % domain if domain else "unknown")
    h += [
        "Received: from %s (%s [%s])" % (relay, relay, ip),
        "\tby mx1.numerique.gouv.fr (Postfix) with ESMTPS id %s" % tag[34:40].upper(),
        "\tfor <floss@numerique.gouv.fr>; %s" % format_datetime(recv),
        "From: %s" % enc_from(frm, charset),
        "To: %s" % m.get("to", "floss@numerique.gouv.fr"),
        "Subject: %s" % enc_header(m.get("subject", ""), charset),
        "Date: %s" % format_datetime(d),
        "Message-ID: %s" % msgid,
    ]
    for x in m["hdr"]:
        k, _, v = x.partition(":")
        h.append("%s: %s" % (k, enc_header(v.strip(), charset)))
    h.append("MIME-Version: 1.0")
    ct, body = body_part(m, text, tag)
    h += ct
    out = "\n".join(h) + "\n\n" + body
    if not out.endswith("\n"):
        out += "\n"
    raw = out.replace("\r\n", "\n").replace("\n", "\r\n")
    return name, raw.encode(charset if charset != "utf-8" else "utf-8")


def yq(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    here = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    msgs = parse(os.path.join(here, "messages.txt"))
    # the files are numbered in an order that mixes the topics (fixed by the slugs)
    msgs.sort(key=lambda m: hashlib.sha1(m["slug"].encode()).hexdigest())
    labels = []
    seen = set()
    for n, m in enumerate(msgs, 1):
        for k in ("from", "lang", "label", "why"):
            if k not in m:
                sys.exit("%s: no %s" % (m["slug"], k))
        name, data = build(m, n)
        with open(os.path.join(here, name), "wb") as f:
            f.write(data)
        action = m["label"]
        default = {"reply": "reply", "review": "review", "ignore": "ignore", "spam": "review, ignore"}
        accept = [x.strip() for x in m.get("accept", default[action]).split(",")]
        topics = [x.strip() for x in m.get("topics", "").split(",") if x.strip()]
        if m["slug"] in seen:
            sys.exit("slug %s twice" % m["slug"])
        seen.add(m["slug"])
        labels.append("- file: %s\n  action: %s\n  accept: [%s]\n  topics: [%s]\n  lang: %s\n  why: %s\n" % (
            name, action, ", ".join(accept), ", ".join(topics), m["lang"], yq(m["why"])))
    with open(os.path.join(here, "labels.yaml"), "w", encoding="utf-8") as f:
        f.write("# The paraphrase set: labels in the format of the corpus README (made by make.py).\n")
        f.write("".join(labels))
    print("%d messages" % len(msgs))


if __name__ == "__main__":
    main()

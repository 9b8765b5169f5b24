#!/usr/bin/python3
"""An SMTP server for floss-responder's tests: it accepts mail on a
loopback port and writes each message, byte for byte, to OUT/NNNNNN.eml
with its envelope in OUT/NNNNNN.json.  Plain, STARTTLS or implicit TLS,
AUTH PLAIN/LOGIN; a recipient starting with "reject" gets 550, one
starting with "defer" gets 451; OUT/defer-all makes every RCPT 451;
OUT/drop-next makes the next message be kept and its connection closed
without an answer to its data (the client cannot tell whether it left);
--delay makes each message take that long to be accepted.
Runs until SIGTERM or SIGINT."""
import argparse
import asyncio
import json
import os
import signal
import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


class Sink:
    def __init__(self, out, delay=0.0):
        self.out = out
        self.delay = delay
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(self.out, "defer-all")) or address.startswith("defer"):
            return "451 4.3.0 try again later"
        if address.startswith("reject"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        self.n += 1
        base = os.path.join(self.out, "%06d-%d" % (self.n, os.getpid()))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({
                "mail_from": envelope.mail_from or "<>",
                "rcpt_tos": envelope.rcpt_tos,
                "helo": session.host_name,
                "tls": session.ssl is not None,
                "auth": session.auth_data.login.decode() if session.auth_data else None,
            }, f)
        os.rename(base + ".eml.tmp", base + ".eml")
        drop = os.path.join(self.out, "drop-next")
        if os.path.exists(drop):
            os.remove(drop)
            server.transport.abort()
        return "250 2.0.0 accepted"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--smtps", action="store_true")
    ap.add_argument("--auth", help="user:password")
    ap.add_argument("--delay", type=float, default=0.0,
                    help="seconds to wait before accepting each message")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    ctx = None
    if a.tls:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(a.tls[0], a.tls[1])

        def sni(sock, name, c):  # the name the client asked for, if any
            with open(os.path.join(a.out, "sni"), "a") as f:
                f.write("%s\n" % (name or ""))
        ctx.sni_callback = sni
    users = {}
    if a.auth:
        u, p = a.auth.split(":", 1)
        users[u] = p

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = users.get(auth_data.login.decode()) == auth_data.password.decode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    kw = dict(hostname="127.0.0.1", port=a.port, decode_data=False)
    if a.auth:
        kw.update(authenticator=authenticator, auth_required=False, auth_require_tls=False)
    if ctx and a.smtps:
        kw["ssl_context"] = ctx
    elif ctx:
        kw.update(tls_context=ctx, require_starttls=False)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    c = Controller(Sink(a.out, a.delay), **kw)
    c.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    c.stop()


if __name__ == "__main__":
    main()

"""A real SMTP server for tests, on a free port of 127.0.0.1, and the mail settings
that point Django's SMTP backend at it.

aiosmtpd's ``Controller`` runs it when aiosmtpd is installed (the issue asks for
it); otherwise a small SMTP server of our own, on the standard library's
``socketserver``, answers the same commands (EHLO/HELO, MAIL, RCPT, DATA, RSET,
NOOP, QUIT), so the tests still send through a socket and read what arrived.
Either way ``refuse(address, times)`` makes the next RCPT for ``address`` answer
"451 try again later" that many times (a send that fails, to test retries).
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

REFUSAL = "451 4.3.0 Try again later"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Mailbox:
    """What the server received, and the refusals it still owes."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.raw: list[bytes] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._refusals: dict[str, int] = {}

    def refuse(self, address: str, times: int = 1) -> None:
        with self.lock:
            self._refusals[address.lower()] = times

    def should_refuse(self, address: str) -> bool:
        with self.lock:
            left = self._refusals.get(address.lower(), 0)
            if left <= 0:
                return False
            self._refusals[address.lower()] = left - 1
            return True

    def deliver(self, sender: str, recipients: list[str], data: bytes) -> None:
        with self.lock:
            self.raw.append(data)
            self.envelopes.append((sender, list(recipients)))

    @property
    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = list(self.raw)
        return [message_from_bytes(data, policy=policy.default) for data in raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]


class SmtpServer:
    def __init__(self, mailbox: Mailbox, port: int) -> None:
        self.mailbox = mailbox
        self.port = port
        self.host = "127.0.0.1"
        self.kind = ""
        self._stop: Any = None

    # --- The mail settings for Django's SMTP backend ---------------------------

    @property
    def mailers(self) -> dict[str, dict[str, object]]:
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {
                    "host": self.host,
                    "port": self.port,
                    "use_tls": False,
                    "timeout": 10,
                },
            }
        }

    def refuse(self, address: str, times: int = 1) -> None:
        self.mailbox.refuse(address, times)

    @property
    def messages(self) -> list[EmailMessage]:
        return self.mailbox.messages

    def to(self, address: str) -> list[EmailMessage]:
        return self.mailbox.to(address)


# --- aiosmtpd --------------------------------------------------------------------


class _AiosmtpdHandler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.mailbox.should_refuse(address):
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mailbox.deliver(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            bytes(envelope.original_content),
        )
        return "250 Message accepted for delivery"


def _start_aiosmtpd(server: SmtpServer) -> bool:
    try:
        from aiosmtpd.controller import Controller
    except ImportError:
        return False
    controller = Controller(
        _AiosmtpdHandler(server.mailbox), hostname=server.host, port=server.port
    )
    controller.start()
    server.kind = "aiosmtpd"
    server._stop = controller.stop
    return True


# --- A small SMTP server of our own (when aiosmtpd is not installed) --------------


class _SmtpSession(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def _say(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self._say("220 localhost test SMTP ready")
        sender = ""
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self._say("250-localhost")
                self._say("250-8BITMIME")
                self._say("250 SMTPUTF8")
            elif verb == "HELO":
                self._say("250 localhost")
            elif verb == "MAIL":
                sender = command.split(":", 1)[1].strip().strip("<>").split(">")[0]
                recipients = []
                self._say("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().split(">")[0].strip("<")
                if self.mailbox.should_refuse(address):
                    self._say(REFUSAL)
                else:
                    recipients.append(address)
                    self._say("250 OK")
            elif verb == "DATA":
                if not recipients:
                    self._say("503 5.5.1 No valid recipients")
                    continue
                self._say("354 End data with <CR><LF>.<CR><LF>")
                data: list[bytes] = []
                while (part := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    data.append(part[1:] if part.startswith(b"..") else part)
                self.mailbox.deliver(sender, recipients, b"".join(data))
                self._say("250 Message accepted for delivery")
            elif verb == "RSET":
                sender, recipients = "", []
                self._say("250 OK")
            elif verb == "NOOP":
                self._say("250 OK")
            elif verb == "QUIT":
                self._say("221 Bye")
                return
            else:
                self._say("502 5.5.2 Command not recognised")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def _start_own(server: SmtpServer) -> None:
    session = type("Session", (_SmtpSession,), {"mailbox": server.mailbox})
    tcp = _Server((server.host, server.port), session)
    thread = threading.Thread(target=tcp.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        tcp.shutdown()
        tcp.server_close()
        thread.join(timeout=5)

    server.kind = "socketserver"
    server._stop = stop


@contextmanager
def smtp_server_running() -> Iterator[SmtpServer]:
    server = SmtpServer(Mailbox(), free_port())
    if not _start_aiosmtpd(server):
        _start_own(server)
    try:
        yield server
    finally:
        server._stop()

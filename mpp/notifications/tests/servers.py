"""Local servers that speak the channels' protocols, for the adapters' tests: an HTTP server
answering as the WhatsApp Cloud API or Fonnte would (scripted answers, every request kept), and
a real SMTP server (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Answer:
    status: int
    body: Any  # JSON-serialisable, or bytes as they are
    hold: threading.Event | None = None  # wait for this before answering (a slow gateway)


@dataclass
class Gateway:
    """An HTTP server on a free port of 127.0.0.1 answering the scripted `answers` in order (the
    last one again when they run out); `received` holds every request."""

    answers: list[Answer] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def free_port() -> int:
    """A port nothing listens on (bound then closed: a connection to it is refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_gateway(gateway: Gateway) -> Iterator[Gateway]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server calls it by this name
            length = int(self.headers.get("Content-Length") or 0)
            gateway.received.append(
                Received("POST", self.path, dict(self.headers.items()), self.rfile.read(length))
            )
            index = min(len(gateway.received), len(gateway.answers)) - 1
            answer = gateway.answers[index]
            if answer.hold is not None:
                answer.hold.wait(10)
            body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body)
            data = body if isinstance(body, bytes) else body.encode("utf-8")
            try:
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (its timeout): nothing to answer
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gateway.port = server.server_address[1]
    # A short poll: shutdown() waits for the loop to notice, 0.5 s by default at every test.
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        for answer in gateway.answers:
            if answer.hold is not None:
                answer.hold.set()
        server.shutdown()
        server.server_close()


class Mailbox:
    """What the SMTP server received; `reply` makes it refuse the next RCPT with that line."""

    def __init__(self) -> None:
        self.messages: list[tuple[Envelope, EmailMessage]] = []
        self.rcpt_reply: str | None = None

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if self.rcpt_reply is not None:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        parsed = message_from_bytes(envelope.content or b"", policy=policy.default)
        self.messages.append((envelope, parsed))  # type: ignore[arg-type]
        return "250 Message accepted"


def run_smtp() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()

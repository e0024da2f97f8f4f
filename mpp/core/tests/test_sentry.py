"""Server errors go to a Sentry-compatible DSN when SENTRY_DSN is set, with NIK- and phone-like
numbers masked and no cookies or client address, tagged with the request id (docs/adr/0024).
The receiver is a small local HTTP server speaking the part of Sentry's protocol a client uses
(it takes envelopes): the third party, not our code, is what stands in."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import brotli
import pytest

from mpp.core.sentry import before_send
from mpp.core.tests.serving import free_port, serve

NIK = "6402064708950001"
PHONE = "081234567890"


def test_every_text_of_a_report_is_masked_and_tagged_with_the_request_id():
    event = {
        "message": f"NIK {NIK} tidak ditemukan",
        "request": {"query_string": f"nik={NIK}&hp={PHONE}"},
        "exception": {"values": [{"stacktrace": {"frames": [{"vars": {"nik": f"'{NIK}'"}}]}}]},
        "breadcrumbs": {"values": [{"message": f"telepon {PHONE}"}]},
        "level": "error",
        "count": 3,
    }
    sent = before_send(event, {})
    text = json.dumps(sent, ensure_ascii=False)
    assert NIK not in text and PHONE not in text
    assert "6402••••••••0001" in text and "0••••••••890" in text
    assert sent["level"] == "error" and sent["count"] == 3
    assert "request_id" not in sent.get("tags", {})  # outside a request: none to give


class Receiver(BaseHTTPRequestHandler):
    """Takes what a Sentry client posts and keeps it, decoded."""

    received: list[bytes]
    arrived: threading.Condition

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        with self.arrived:
            self.received.append(body)
            self.arrived.notify_all()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[int, type[Receiver]]]:
    handler = type("ThisTestsReceiver", (Receiver,), {})
    handler.received = []
    handler.arrived = threading.Condition()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], handler
    server.shutdown()
    server.server_close()


def events(envelopes: list[bytes]) -> list[dict[str, Any]]:
    """The events in Sentry envelopes (a header line, then item header and payload lines)."""
    found = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                found.append(json.loads(payload))
    return found


def test_a_server_error_reaches_the_dsn_without_personal_data(receiver):
    port, handler = receiver
    closed_database = f"postgres://mpp@127.0.0.1:{free_port()}/mpp"
    env = {
        "DATABASE_URL": closed_database,  # /healthz then fails: a real server error
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/1",
        "MPP_JOBS_IMMEDIATE": "1",
    }
    with serve(env) as served:
        status, headers, _body = served.exchange(
            "GET", f"/healthz?nik={NIK}&hp={PHONE}", headers={"Cookie": "sessionid=rahasia"}
        )
        assert status == 500
        with handler.arrived:
            handler.arrived.wait_for(lambda: events(handler.received), timeout=30)
    raw = b"".join(handler.received).decode()
    assert NIK not in raw and PHONE not in raw and "rahasia" not in raw
    event = events(handler.received)[0]
    assert event["request"]["query_string"] == "nik=6402••••••••0001&hp=0••••••••890"
    assert event["request"]["headers"].get("Cookie") in (None, "[Filtered]")  # "rahasia": above
    assert "REMOTE_ADDR" not in event["request"].get("env", {})
    assert "ip_address" not in event.get("user", {})
    assert event["tags"]["request_id"] == headers["x-request-id"]

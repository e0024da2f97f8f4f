"""The kiosk slip on a network thermal printer: a TCP listener on 127.0.0.1 is the printer."""

from __future__ import annotations

import re
import socket
import sys
import threading
from collections.abc import Iterator

import pytest
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.queueing.models import Ticket
from mpp.queueing.printing import LINE_WIDTH, ascii_fold, slip_bytes

ESC_POS_INIT = b"\x1b@"
QR_COMMAND = b"\x1d(k"  # GS ( k: the printer draws the QR code itself
FULL_CUT = b"\x1dV\x00"  # GS V 0
RASTER = b"\x1dv0\x00"  # GS v 0: a raster image (the mall's badge)
INVERT_ON, INVERT_OFF = b"\x1dB\x01", b"\x1dB\x00"  # GS B n: white on black
NIK = re.compile(rb"\d{16}")  # Nomor Induk Kependudukan: 16 digits
PHONE = re.compile(rb"(?:\+62|\b0)8\d{7,}")  # an Indonesian mobile number
NOTICE = "Printer tidak dapat dihubungi — tunjukkan layar ini atau pindai kode QR."
PAPER_NOTICE = "Kertas printer habis — tunjukkan layar ini atau pindai kode QR."
PAPER_QUERY = b"\x10\x04\x04"  # DLE EOT 4: the roll paper sensor's status
# The status byte: bits 1 and 4 are always set; 2-3 say "near its end", 5-6 "no paper".
PAPER_OK, PAPER_LOW, PAPER_OUT = b"\x12", b"\x1e", b"\x72"


class FakePrinter:
    """A network printer on a free loopback port: takes one connection and keeps its bytes.

    It answers the paper sensor's query (DLE EOT 4) with `paper`, one status byte as an ESC/POS
    printer sends it, or not at all when `paper` is None."""

    def __init__(self, paper: bytes | None = PAPER_OK) -> None:
        self.paper = paper
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(10)
        self.port: int = self.server.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self.server.accept()
        except OSError:  # closed by the test, or nobody came within 10 s
            return
        received = b""
        answered = False
        with connection:
            connection.settimeout(10)
            while chunk := connection.recv(4096):
                received += chunk
                if not answered and PAPER_QUERY in received and self.paper is not None:
                    connection.sendall(self.paper)
                    answered = True
        self.received = received

    def job(self) -> bytes:
        """What was printed (after the paper query), once the kiosk has closed the connection."""
        self.thread.join(timeout=10)
        query, found, printed = self.received.partition(PAPER_QUERY)
        assert found and query == b"", "the paper sensor is asked first"
        return printed

    def close(self) -> None:
        self.server.close()
        self.thread.join(timeout=10)


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter()
    yield fake
    fake.close()


def closed_port() -> int:
    """A loopback port that nothing listens on: connecting is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def akta(kukar) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(slug="akta-kelahiran")


def kiosk_with_printer(host: str, port: int):  # type: ignore[no-untyped-def]
    user = make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.cetak")
    profile = user.staff_profile  # type: ignore[attr-defined]
    profile.printer_host, profile.printer_port = host, port
    profile.save(update_fields=["printer_host", "printer_port"])
    return user


def issue_at_kiosk(client, service, key="k-1"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("queueing:kiosk-issue", args=["mpp-kukar", service.pk]),
        {"priority": "none", "idempotency_key": key},
    )


def raster_image(data: bytes) -> tuple[int, int, bytes, bytes]:
    """The slip's raster image (GS v 0): its width in dots, height, dots, and the slip without
    it."""
    start = data.index(RASTER)
    width_bytes = int.from_bytes(data[start + 4 : start + 6], "little")
    height = int.from_bytes(data[start + 6 : start + 8], "little")
    end = start + 8 + width_bytes * height
    return width_bytes * 8, height, data[start + 8 : end], data[:start] + data[end:]


def printed_lines(data: bytes) -> list[str]:
    """The text lines of a slip: the logo, the QR block and the one-byte-parameter commands
    removed."""
    data = raster_image(data)[3]
    before, _, rest = data.partition(QR_COMMAND)
    after = rest.rsplit(b"\x1d(k\x03\x001Q0", 1)[-1]  # the last GS ( k prints the symbol
    text = re.sub(rb"\x1b@|\x1b[!aEtd-].|\x1d[VB].", b"", before + b"\n" + after, flags=re.S)
    return text.decode("ascii").split("\n")


def test_a_kiosk_with_a_network_printer_prints_the_slip_there(client, monday, akta, printer):
    client.force_login(kiosk_with_printer("127.0.0.1", printer.port))
    issued = issue_at_kiosk(client, akta)
    data = printer.job()
    ticket = Ticket.objects.get()
    assert issued.status_code == 302 and "cetak" not in issued["Location"]
    assert data.startswith(ESC_POS_INIT)
    assert ticket.display_number.encode() in data
    assert b"Penerbitan Akta Kelahiran" in data
    assert b"Senin, 30 November 2026 09.00" in data  # WITA, Indonesian names
    assert QR_COMMAND in data and ticket.code.encode() in data  # the phone page in the QR
    assert b"Pindai untuk memantau antrean\n" in data  # fits the 32 columns
    assert data.rstrip(b"\x00").endswith(FULL_CUT.rstrip(b"\x00"))
    assert not NIK.search(data) and not PHONE.search(data)
    slip = client.get(issued["Location"]).content.decode()
    assert ticket.display_number in slip and NOTICE not in slip
    assert "data-print-on-load" not in slip  # the network printer printed it; no browser dialogue


def test_an_unreachable_printer_shows_the_notice_and_the_ticket_stands(client, monday, akta):
    client.force_login(kiosk_with_printer("127.0.0.1", closed_port()))
    issued = issue_at_kiosk(client, akta)
    assert issued.status_code == 302 and issued["Location"].endswith("?cetak=gagal")
    slip = client.get(issued["Location"]).content.decode()
    ticket = Ticket.objects.get()
    assert NOTICE in slip and ticket.display_number in slip and "<svg" in slip
    slip_url = reverse("queueing:kiosk-slip", args=["mpp-kukar", ticket.code])
    assert issued["Location"] == f"{slip_url}?cetak=gagal"  # a flag, no personal data


def test_a_printer_out_of_paper_gets_no_slip_and_the_kiosk_says_so(client, monday, akta, caplog):
    printer = FakePrinter(paper=PAPER_OUT)
    try:
        client.force_login(kiosk_with_printer("127.0.0.1", printer.port))
        issued = issue_at_kiosk(client, akta)
        assert printer.job() == b""  # asked for its paper, then sent nothing
    finally:
        printer.close()
    ticket = Ticket.objects.get()  # the number stands: the screen and its QR code show it
    assert issued["Location"].endswith(f"/{ticket.code}/?cetak=kertas")
    slip = client.get(issued["Location"]).content.decode()
    assert PAPER_NOTICE in slip and NOTICE not in slip and ticket.display_number in slip
    assert "out of paper" in caplog.text


@pytest.mark.parametrize("paper", [PAPER_LOW, None], ids=["near-its-end", "no-status-answer"])
def test_a_printer_low_on_paper_or_silent_about_it_still_prints(
    client, monday, akta, caplog, paper
):
    printer = FakePrinter(paper=paper)
    try:
        client.force_login(kiosk_with_printer("127.0.0.1", printer.port))
        issued = issue_at_kiosk(client, akta)
        data = printer.job()
    finally:
        printer.close()
    assert "cetak" not in issued["Location"]
    assert data.startswith(ESC_POS_INIT) and Ticket.objects.get().display_number.encode() in data
    assert ("near its end" in caplog.text) == (paper == PAPER_LOW)


def test_a_server_without_the_printer_extra_says_so_and_the_ticket_stands(
    client, monday, akta, printer, monkeypatch, caplog
):
    """python-escpos is the optional `printer` extra: without it every page still serves, and a
    kiosk configured with a printer shows its slip on screen while the log says what to install."""
    for name in [m for m in sys.modules if m == "escpos" or m.startswith("escpos.")] + ["escpos"]:
        monkeypatch.setitem(sys.modules, name, None)  # `import escpos...` raises ImportError
    client.force_login(kiosk_with_printer("127.0.0.1", printer.port))
    issued = issue_at_kiosk(client, akta)
    ticket = Ticket.objects.get()
    assert issued["Location"].endswith(f"/{ticket.code}/?cetak=paket")
    slip = client.get(issued["Location"]).content.decode()
    assert "Printer belum dapat dipakai di server ini" in slip and ticket.display_number in slip
    assert "pip install 'mpp[printer]'" in caplog.text and "python-escpos" in caplog.text
    printer.close()
    assert printer.received == b""  # nothing reached the printer


def test_a_double_tap_prints_one_slip(client, monday, akta, printer):
    user = kiosk_with_printer("127.0.0.1", printer.port)
    client.force_login(user)
    first = issue_at_kiosk(client, akta, key="tap")
    printer.job()
    # Were the repeat printed, it would go to this closed port and come back with the notice.
    user.staff_profile.printer_port = closed_port()  # type: ignore[attr-defined]
    user.staff_profile.save(update_fields=["printer_port"])  # type: ignore[attr-defined]
    again = issue_at_kiosk(client, akta, key="tap")
    assert again["Location"] == first["Location"] and Ticket.objects.count() == 1


def test_a_kiosk_without_a_printer_keeps_the_browser_slip(client, monday, akta):
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.peramban"))
    issued = issue_at_kiosk(client, akta)
    slip = client.get(issued["Location"]).content.decode()
    assert "data-print-on-load" in slip and NOTICE not in slip


def test_the_slip_folds_accents_and_fits_32_columns(monday, issue):
    ticket = issue().ticket
    ticket.queue.waiting_area = "Ruang tunggu Café Lantai 2 — dekat loket Disdukcapil dan Imigrasi"
    ticket.mall.tagline = "Layanan “satu atap” · cepat, mudah, gratis"
    data = slip_bytes(ticket, phone_url="https://mpp.example/antrean/t/kode/")
    lines = printed_lines(data)
    assert all(len(line) <= LINE_WIDTH and line.isprintable() for line in lines), lines
    text = " ".join(lines)
    assert "Cafe Lantai 2 - dekat" in text and 'Layanan "satu atap" - cepat' in text
    assert ticket.display_number in lines  # on a line of its own, in double size
    assert "Senin, 30 November 2026 09.00" in lines


def test_the_slip_prints_the_malls_badge_before_its_name(monday, issue):
    """Issue 18: the logo did not print. The badge is a 96-dot raster, centred, with ink on it
    and white around it, before the mall's name."""
    data = slip_bytes(issue().ticket, phone_url="https://mpp.example/antrean/t/kode/")
    width, height, dots, _ = raster_image(data)
    assert (width, height) == (96, 96)
    assert data.index(b"\x1ba\x01") < data.index(RASTER) < data.index(b"Mal Pelayanan Publik")
    black = sum(bin(byte).count("1") for byte in dots)
    assert 0.08 < black / (width * height) < 0.6  # a drawn badge, neither blank nor solid


@pytest.mark.parametrize(
    ("priority", "label"),
    [
        (Ticket.Priority.ELDERLY, "Lansia"),
        (Ticket.Priority.CHILD, "Anak-anak"),
        (Ticket.Priority.DISASTER_VICTIM, "Korban bencana alam atau sosial"),
    ],
)
def test_a_priority_slip_names_its_class_for_the_guard(monday, issue, priority, label):
    """Issue 18: a guard checks the priority class on the slip: printed white on black under the
    number; an ordinary slip has no such line."""
    data = slip_bytes(issue(priority=priority).ticket, phone_url="https://mpp.example/t/")
    text = " ".join(line.strip() for line in printed_lines(data))
    assert f"PRIORITAS: {label}" in text  # on as many 32-column lines as it needs
    on = data.index(INVERT_ON)
    assert (
        on
        < data.index(b"PRIORITAS")
        < data.index(label.split()[-1].encode())
        < data.index(INVERT_OFF)
    )
    ordinary = slip_bytes(issue().ticket, phone_url="https://mpp.example/t/")
    assert b"PRIORITAS" not in ordinary and INVERT_ON not in ordinary


def test_ascii_fold_keeps_indonesian_text_printable():
    assert ascii_fold("Kafé — Lt. 2") == "Kafe - Lt. 2"
    assert ascii_fold("Ñusantara’s “Mal”") == 'Nusantara\'s "Mal"'
    assert ascii_fold("nama\x1b@jahat") == "nama @jahat"  # no printer command from a name
    assert ascii_fold("日本") == "??"

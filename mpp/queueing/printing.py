"""The kiosk's 58 mm ticket slip as ESC/POS commands, printed on a network thermal printer.

Without a network printer the kiosk prints the HTML slip through the browser (kiosk_slip.html);
both show the same things and no personal data: a ticket carries none.
"""

from __future__ import annotations

import logging
import textwrap
import unicodedata
from typing import TYPE_CHECKING

from django.utils import dateformat
from django.utils.translation import gettext as _

from mpp.queueing.exceptions import OutOfPaper, PrinterUnavailable
from mpp.queueing.models import Ticket
from mpp.queueing.queries import ticket_status

if TYPE_CHECKING:
    from escpos.printer import Dummy, Network

logger = logging.getLogger(__name__)

# 58 mm paper is 384 dots wide; font A is 12 dots a character: 32 characters a line, and 16 at
# double width (the ticket number).
LINE_WIDTH = 32
BIG_LINE_WIDTH = LINE_WIDTH // 2

# python-escpos's "default" profile (Epson TM-T88 commands) rather than its 58 mm profiles
# (POS-5890, ZJ-5870): those declare no paper cut and no native QR code, so escpos would drop
# both, while common 58 mm network printers with a cutter do both (check the model's manual).
# The width above is ours, not the profile's.
PROFILE = "default"

# Before a slip the printer is asked for its paper sensor (DLE EOT 4, ESC/POS real-time status:
# one byte back at once). Printers that do not answer on raw TCP get the slip after this wait.
# python-escpos's own `paper_status()` sleeps a whole second before reading the answer.
STATUS_WAIT = 0.3  # seconds

# Characters of Indonesian text that Unicode does not decompose to ASCII.
ASCII_LOOKALIKES = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    | {"\u00b7": "-", "\u2022": "-", "\u00a0": " "}
)


def ascii_fold(text: str) -> str:
    """ "Kafé — Lt. 2" -> "Kafe - Lt. 2": the printer's code page (CP437) has few accents and
    python-escpos would switch code pages mid-line for them, so fold; what cannot be folded
    prints as "?", and control characters (an ESC typed into a name would be a printer
    command) as spaces."""
    folded = unicodedata.normalize("NFKD", text.translate(ASCII_LOOKALIKES))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    printable = "".join(ch if ch.isprintable() else " " for ch in plain)
    return printable.encode("ascii", "replace").decode("ascii")


def _lines(printer: Dummy, text: str, *, width: int = LINE_WIDTH) -> None:
    for line in textwrap.wrap(ascii_fold(text), width) or [""]:
        printer.textln(line)


def slip_bytes(ticket: Ticket, *, phone_url: str) -> bytes:
    """The slip as ESC/POS bytes: mall name, the number in double size, service, where to wait,
    people ahead, issue time in the mall's time zone, a QR code of `phone_url`, then a cut.

    Every text line fits LINE_WIDTH and is ASCII; the QR code is drawn by the printer (GS ( k)."""
    # Imported here: python-escpos brings Pillow, qrcode and python-barcode, which every other
    # page of the platform would otherwise load at start-up for nothing.
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    status = ticket_status(ticket)
    mall = ticket.mall
    # The mall's zone (its region's: WITA for Kukar), not the server's TIME_ZONE.
    issued = ticket.issued_at.astimezone(mall.zone)
    printer = Dummy(profile=PROFILE)
    printer.hw("INIT")
    printer.set(align="center", bold=True)
    _lines(printer, mall.name)
    printer.set(bold=False)
    if mall.tagline:
        _lines(printer, mall.tagline)
    printer.ln()
    printer.set(double_width=True, double_height=True, bold=True)
    _lines(printer, status["number"], width=BIG_LINE_WIDTH)
    printer.set(normal_textsize=True, bold=False)
    _lines(printer, status["service"])
    printer.ln()
    printer.set(align="left")
    _lines(printer, _("Tunggu di:") + " " + (ticket.queue.waiting_area or ticket.queue.name))
    _lines(printer, _("%(n)s orang di depan Anda") % {"n": status["ahead"]})
    _lines(printer, dateformat.format(issued, "l, j F Y H.i"))
    printer.ln()
    printer.set(align="center")  # a native QR code follows the alignment
    printer.qr(phone_url, ec=QR_ECLEVEL_M, size=6, native=True)
    printer.ln()
    _lines(printer, _("Pindai untuk memantau antrean"))
    printer.cut()
    return bytes(printer.output)


def print_slip(ticket: Ticket, *, host: str, port: int, phone_url: str, timeout: float = 3) -> None:
    """Print the slip on a network printer (raw TCP, "JetDirect", usually port 9100).

    Raises PrinterUnavailable when the printer cannot be reached or does not take the slip
    within `timeout` seconds. Call it after the ticket's transaction has committed: the ticket
    exists whatever the printer does, and no row lock waits on a printer."""
    # Built first in a Dummy, then sent in one write (`_raw(d.output)`, as python-escpos's
    # documentation shows): the queries are done before the socket opens, and the socket is
    # open for one sendall rather than for some forty small writes.
    from escpos.exceptions import DeviceNotFoundError
    from escpos.printer import Network

    data = slip_bytes(ticket, phone_url=phone_url)
    printer = Network(host, port=port, timeout=timeout)
    try:
        printer.open()
        paper = paper_status(printer, timeout=timeout)
        if paper == "out":
            logger.warning("kiosk printer %s:%s is out of paper", host, port)
            raise OutOfPaper(_("Kertas printer habis."))
        if paper == "low":
            logger.warning("kiosk printer %s:%s: paper roll near its end", host, port)
        printer._raw(data)
    except (DeviceNotFoundError, OSError) as error:  # refused, unreachable, timed out, reset
        logger.warning("kiosk printer %s:%s unavailable: %s", host, port, error)
        raise PrinterUnavailable(
            _("Printer %(host)s:%(port)s tidak dapat dihubungi.") % {"host": host, "port": port}
        ) from error
    finally:
        printer.close()


def paper_status(printer: Network, *, timeout: float) -> str | None:
    """ "ok", "low" (near its end), "out", or None when the printer did not answer in time.

    The byte's fixed bits and the sensor bits are python-escpos's masks (`paper_status()`)."""
    from escpos.constants import (
        RT_MASK_LOWPAPER,
        RT_MASK_NOPAPER,
        RT_STATUS_PAPER,
    )

    device = printer.device
    printer._raw(RT_STATUS_PAPER)
    device.settimeout(STATUS_WAIT)
    try:
        answer = device.recv(1)
    except TimeoutError:
        return None
    finally:
        device.settimeout(timeout)
    if not answer:
        return None
    if answer[0] & RT_MASK_NOPAPER == RT_MASK_NOPAPER:
        return "out"
    if answer[0] & RT_MASK_LOWPAPER == RT_MASK_LOWPAPER:
        return "low"
    return "ok"

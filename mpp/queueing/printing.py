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

from mpp.queueing.exceptions import OutOfPaper, PrinterNotInstalled, PrinterUnavailable
from mpp.queueing.models import CallEstimate, Ticket
from mpp.queueing.queries import ticket_status

if TYPE_CHECKING:
    from escpos.printer import Dummy, Network
    from PIL import Image

    from mpp.malls.models import Mall

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


def _require_escpos() -> None:
    """python-escpos is the optional `printer` extra (ADR 0022): a host installed without it
    serves every page, and a kiosk configured with a network printer is told why nothing
    prints (its slip page is shown instead), not an ImportError."""
    try:
        import escpos.printer  # noqa: F401
    except ImportError as error:
        refused = PrinterNotInstalled(
            _(
                "Printer termal belum dapat dipakai: paket python-escpos belum terpasang di "
                "server. Pasang dengan: pip install 'mpp[printer]'."
            )
        )
        logger.error("%s (%s)", refused, error)  # the operator reads why in the server's log
        raise refused from error


def _lines(printer: Dummy, text: str, *, width: int = LINE_WIDTH) -> None:
    for line in textwrap.wrap(ascii_fold(text), width) or [""]:
        printer.textln(line)


# The mall's badge on the slip: 96 dots (12 mm) square, drawn black on white (a thermal printer
# has no grey), the same shape and letters as its SVG logo (malls/logo.svg).
LOGO_DOTS = 96


def logo_image(mall: Mall) -> Image.Image:
    """The mall's badge as a 1-bit image for the printer: its initials in a rounded frame with
    the bar under them. A mall's own SVG logo is not drawn: the server has no SVG rasteriser,
    and the badge is what the kiosk's screen shows for every mall of the region's data."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("1", (LOGO_DOTS, LOGO_DOTS), 1)
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((2, 2, LOGO_DOTS - 3, LOGO_DOTS - 3), radius=18, outline=0, width=6)
    draw.rounded_rectangle((14, 68, LOGO_DOTS - 15, 76), radius=4, fill=0)
    initials = ascii_fold(mall.initials)
    font = ImageFont.load_default(size=30 if len(initials) > 2 else 38)
    draw.text((LOGO_DOTS / 2, 42), initials, fill=0, font=font, anchor="mm", stroke_width=1)
    return image


def raster(image: Image.Image) -> bytes:
    """GS v 0: a 1-bit image, a row of bytes per line of dots, 1 = black. (python-escpos's
    `image()` prints a warning on stdout for each slip with the default profile.)"""
    width_bytes = (image.width + 7) // 8
    header = b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + image.height.to_bytes(2, "little")
    return header + bytes(b ^ 0xFF for b in image.tobytes())  # PIL's "1": 1 = white


def slip_bytes(ticket: Ticket, *, phone_url: str) -> bytes:
    """The slip as ESC/POS bytes: the mall's badge, its name, the number in double size, the
    priority class (framed, for the guard to check), service, where to wait, people ahead,
    issue time in the mall's time zone, a QR code of `phone_url`, then a cut.

    Every text line fits LINE_WIDTH and is ASCII; the badge is a raster image (GS v 0), the QR
    code is drawn by the printer (GS ( k)."""
    # Imported here: python-escpos brings Pillow, qrcode and python-barcode, which every other
    # page of the platform would otherwise load at start-up for nothing; it is also optional.
    _require_escpos()
    from escpos.constants import QR_ECLEVEL_M
    from escpos.printer import Dummy

    status = ticket_status(ticket, shown=CallEstimate.Shown.SLIP)
    mall = ticket.mall
    # The mall's zone (its region's: WITA for Kukar), not the server's TIME_ZONE.
    issued = ticket.issued_at.astimezone(mall.zone)
    printer = Dummy(profile=PROFILE)
    printer.hw("INIT")
    printer.set(align="center")  # a raster image follows the alignment
    printer._raw(raster(logo_image(mall)))
    printer.set(align="center", bold=True)
    _lines(printer, mall.name)
    printer.set(bold=False)
    if mall.tagline:
        _lines(printer, mall.tagline)
    printer.ln()
    printer.set(double_width=True, double_height=True, bold=True)
    _lines(printer, status["number"], width=BIG_LINE_WIDTH)
    printer.set(normal_textsize=True, bold=False)
    if ticket.is_priority:
        # White on black, the whole line: a guard sees the priority class from a step away.
        printer.set(bold=True, invert=True)
        _lines(printer, f" {_('PRIORITAS')}: {ticket.get_priority_display()} ")
        printer.set(bold=False, invert=False)
    _lines(printer, status["service"])
    printer.ln()
    printer.set(align="left")
    _lines(printer, _("Tunggu di:") + " " + (ticket.queue.waiting_area or ticket.queue.name))
    _lines(printer, _("%(n)s orang di depan Anda") % {"n": status["ahead"]})
    if status["estimate"]:
        _lines(printer, _("Perkiraan dipanggil") + " " + status["estimate"]["label"])
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
    _require_escpos()
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

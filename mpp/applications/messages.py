"""What the citizen of an application is told, through the message outbox
(mpp.notifications.outbox, docs/adr/0033): the receipt, and that it is ready to collect.

Short, Indonesian, plain; the receipt code, the service and dates only: never a name nor a
NIK (the application holds neither). Each message has a once-only key, so a step retried
sends nothing twice; keys name the application's row id, never the phone or the code.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.applications.models import Application
from mpp.notifications import outbox
from mpp.notifications.links import public_url


def tracking_link(application: Application) -> str:
    """The tracking page's address: absolute on the deployment's first public host (messages
    leave the site), the path alone on a local demo."""
    return public_url(reverse("applications:track", kwargs={"code": application.code}))


def due_text(application: Application) -> str:
    if application.due_date is None:
        return _("tanpa batas waktu tetap (mengikuti jadwal instansi)")
    return date_format(application.due_date, "l, j F Y")


def received(application: Application) -> None:
    """The receipt: the code, the service, the due date and the tracking link."""
    if not application.phone:
        return
    text = _(
        "Berkas Anda diterima. Kode tanda terima %(code)s, %(service)s di %(mall)s. "
        "Perkiraan selesai: %(due)s. Pantau: %(link)s"
    ) % {
        "code": application.grouped_code,
        "service": application.service.name,
        "mall": application.mall.short_name,
        "due": due_text(application),
        "link": tracking_link(application),
    }
    outbox.send(
        kind="application.received",
        key=f"application:{application.pk}:received",
        text=text,
        phone=application.phone,
        mall=application.mall,
    )


def ready(application: Application) -> None:
    """Ready to collect: where and when, and the code to bring."""
    if not application.phone:
        return
    text = _(
        "Permohonan %(code)s (%(service)s) siap diambil di %(place)s, %(time)s. Bawa tanda "
        "terima. %(link)s"
    ) % {
        "code": application.grouped_code,
        "service": application.service.name,
        "place": application.pickup_place,
        "time": application.pickup_time,
        "link": tracking_link(application),
    }
    outbox.send(
        kind="application.ready",
        key=f"application:{application.pk}:ready",
        text=text,
        phone=application.phone,
        mall=application.mall,
    )

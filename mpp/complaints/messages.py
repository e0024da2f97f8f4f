"""What complaints send through the message outbox (mpp.notifications.outbox): the complainant
is told of a public reply or a dismissal when they left a contact; the mall's supervisors are
e-mailed when a complaint is late. Short, Indonesian, never the complaint's text (it may hold
what the complainant would not want on a lock screen) and never a contact in a key."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mpp.accounts.models import Role
from mpp.complaints.access import deployment_region
from mpp.complaints.models import Complaint, Reply, Status
from mpp.notifications import outbox
from mpp.notifications.links import public_url


def _to_complainant(complaint: Complaint, *, kind: str, key: str, text: str) -> None:
    contact = complaint.contact
    if complaint.is_anonymous or not contact:
        return
    is_email = "@" in contact
    outbox.send(
        kind=kind,
        text=text,
        key=key,
        phone="" if is_email else contact,
        email=contact if is_email else "",
        subject=_("Pengaduan %(code)s") % {"code": complaint.grouped_code},
        mall=complaint.mall,
    )


def replied(complaint: Complaint, reply: Reply) -> None:
    text = _("Pengaduan %(code)s mendapat tanggapan. Bacalah di %(url)s") % {
        "code": complaint.grouped_code,
        "url": public_url(reverse("complaints:track", args=[complaint.code])),
    }
    _to_complainant(
        complaint,
        kind="complaint.replied",
        key=f"complaint:{complaint.pk}:reply:{reply.pk}",
        text=text,
    )


def dismissed(complaint: Complaint) -> None:
    text = _("Pengaduan %(code)s tidak dapat diproses. Alasannya di %(url)s") % {
        "code": complaint.grouped_code,
        "url": public_url(reverse("complaints:track", args=[complaint.code])),
    }
    _to_complainant(
        complaint, kind="complaint.dismissed", key=f"complaint:{complaint.pk}:dismissed", text=text
    )


def supervisors_of(complaint: Complaint) -> list[object]:
    """Who hears of a late complaint: its mall's supervisors, or for a complaint with no mall
    the regency administrators of the deployment's region."""
    users = get_user_model()._default_manager.filter(is_active=True).exclude(email="")
    if complaint.mall_id is not None:
        found = users.filter(
            staff_profile__role=Role.MALL_SUPERVISOR, staff_profile__mall_id=complaint.mall_id
        )
    else:
        region = deployment_region()
        found = users.filter(
            staff_profile__role=Role.REGENCY_ADMIN,
            staff_profile__region_id=region.pk if region is not None else 0,
        )
    return list(found.order_by("pk"))


def escalated(complaint: Complaint) -> None:
    """One e-mail per supervisor, each once (the key names the complaint and the person)."""
    if complaint.status == Status.RECEIVED:
        late = _("belum diverifikasi; batasnya %(day)s") % {
            "day": date_format(complaint.verify_by, "j F Y")
        }
    else:
        late = _("belum dijawab %(tenant)s; batasnya %(day)s") % {
            "tenant": complaint.tenant.short_name if complaint.tenant else "",
            "day": date_format(complaint.answer_by, "j F Y") if complaint.answer_by else "",
        }
    text = _("Pengaduan %(code)s %(late)s. Buka %(url)s") % {
        "code": complaint.grouped_code,
        "late": late,
        "url": public_url(reverse("complaints:staff-detail", args=[complaint.pk])),
    }
    for user in supervisors_of(complaint):
        outbox.send(
            kind="complaint.escalated",
            text=text,
            key=f"complaint:{complaint.pk}:escalated:{user.pk}",  # type: ignore[attr-defined]
            email=user.email,  # type: ignore[attr-defined]
            subject=_("Pengaduan terlambat: %(code)s") % {"code": complaint.grouped_code},
            mall=complaint.mall,
        )

"""The 3D hall's page: a small HTML shell that loads the three.js bundle (built from
mpp/metapers/js/hall.js) and hands it the URLs and the Indonesian strings it needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from mpp.metapers.directory import access_hall
from mpp.metapers.models import FRONT_DESK
from mpp.queueing.models import Queue


def _letters_by_tenant(mall_id: int) -> dict[str, list[str]]:
    """The queue letters each tenant's tickets wait in at the mall: the board snapshot counts
    waiting tickets per letter, the hall shows them per booth (a Mini MPP's one front queue
    is every booth's)."""
    letters: dict[str, list[str]] = {}
    for tenant_id, letter in Queue.objects.filter(mall_id=mall_id).values_list("tenants", "letter"):
        if tenant_id is not None:
            letters.setdefault(str(tenant_id), []).append(letter)
    return letters


def _front_letters(mall_id: int) -> list[str]:
    """The letters of the queues the mall's front counters serve: the front desk's badge
    counts every ticket waiting in them."""
    return sorted(
        set(
            Queue.objects.filter(
                counters__mall_id=mall_id, counters__tenant__isnull=True
            ).values_list("letter", flat=True)
        )
    )


def _strings() -> dict[str, str]:
    """What the bundle writes on signs, badges and the booth panel (JavaScript has no gettext
    here: the page translates and hands the words over)."""
    return {
        "counter": _("Loket %(n)s"),
        "counters": _("Loket %(first)s–%(last)s"),
        "waiting": _("%(n)s menunggu"),
        "waiting_short": _("menunggu"),
        "officer_on": _("petugas di loket"),
        "officer_off": _("belum ada petugas di loket"),
        "live_unknown": _("jumlah antrean belum termuat"),
        "front_desk": str(FRONT_DESK),
        "front_desk_hint": _(
            "Melayani semua instansi di mal ini. Pilih instansinya di daftar untuk mengambil "
            "nomor antrean atau bertanya kepada petugas."
        ),
        "at_front_desk": _("Dilayani di Loket Pelayanan"),
        "visitors": _("%(n)s pengunjung di aula"),
        "portal_to": _("Portal ke %(name)s"),
        "portal_hint": _("Layanan lain tersedia di MPP kabupaten."),
        "no_webgl": _(
            "Perangkat ini tidak dapat menampilkan grafis 3D. Gunakan daftar ruang dan instansi."
        ),
        "load_failed": _("Aula 3D gagal dimuat. Periksa koneksi, atau gunakan daftar."),
    }


@require_safe
def hall_3d(request: HttpRequest, slug: str) -> HttpResponse:
    """The 3D hall: 404 for an unknown mall or one without a hall. The bundle starts at once:
    the list page, which works without JavaScript, is where a visitor chooses to come here."""
    hall = access_hall(slug)
    mall = hall.mall
    config: dict[str, Any] = {
        "scene": reverse("metapers:scene", args=[mall.slug]),
        "board": f"/api/v1/malls/{mall.pk}/board",
        "ws": f"/ws/mal/{mall.slug}/",
        "presence": f"/ws/metapers/{mall.slug}/",
        "letters": _letters_by_tenant(mall.pk),
        "frontLetters": _front_letters(mall.pk),
        # Where the front desk's "take a number" leads: the list, to choose the tenant.
        "hallList": reverse("metapers:hall", args=[mall.slug]),
        # The booth page's path with a placeholder tenant: the bundle appends the tenant's slug.
        "tenantBase": reverse("metapers:booth", args=[mall.slug, "x"])[: -len("x/")],
        "hallPattern": reverse("metapers:hall-3d", args=["__slug__"]),
        "strings": _strings(),
    }
    return render(request, "metapers/hall_3d.html", {"mall": mall, "hall": hall, "config": config})

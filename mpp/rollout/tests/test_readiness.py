"""The readiness checklist: items from the template, marking them with evidence, owners and
due dates, the page and its evidence downloads (issue 19)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.urls import reverse

from mpp.core.models import AuditEntry
from mpp.malls.models import Mall
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import ReadinessItem
from mpp.rollout.readiness import ensure_items, mark_item, open_mandatory_items, plan_item
from mpp.rollout.tests import readiness_world as w

DONE = ReadinessItem.Status.DONE


@pytest.fixture
def monday(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(w.MONDAY_9, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(kukar, monday):  # type: ignore[no-untyped-def]
    return w.build(kukar)


def _fresh(item: ReadinessItem) -> ReadinessItem:
    return ReadinessItem.objects.select_related("template", "mall").get(pk=item.pk)


def test_ensure_items_copies_owner_and_due_date_once(world):
    lokasi = world.items["lokasi"]
    assert lokasi.owner == world.camat and lokasi.due_date == dt.date(2026, 12, 31)
    assert len(world.items) == 5
    assert ensure_items(world.mall) == 0  # nothing missing any more
    assert ensure_items(Mall.objects.get(slug="mpp-kukar")) == 0  # the MPP has no checklist


def test_open_mandatory_items_leave_out_optional_and_done_ones(world, cast):
    mark_item(world.items["listrik"], actor=cast.regency_admin(), status=DONE, detail="PLN 24 jam")
    codes = {i.template.code for i in open_mandatory_items(world.mall)}
    assert codes == {"lokasi", "renovasi", "perbup"}


def test_done_without_the_document_the_template_asks_for_is_refused(world, cast):
    with pytest.raises(RolloutRefused) as refused:
        mark_item(world.items["lokasi"], actor=cast.regency_admin(), status=DONE)
    assert refused.value.code == "evidence_required"
    assert "dokumen PDF" in refused.value.message
    assert _fresh(world.items["lokasi"]).status == "open"
    assert not AuditEntry.objects.filter(action="rollout.item_marked").exists()


def test_done_with_a_pdf_records_who_when_and_the_file_audited(world, cast):
    admin = cast.regency_admin()
    item = mark_item(
        world.items["lokasi"], actor=admin, status=DONE, note="BA 12/2026", evidence_upload=w.pdf()
    )
    assert item.status == DONE and item.done_by == admin and item.done_at is not None
    assert item.evidence_type == "application/pdf" and item.evidence_name == "berita-acara.pdf"
    assert item.evidence_file.startswith(f"rollout/evidence/{world.mall.pk}/")
    assert item.evidence_file.endswith(".pdf")
    with default_storage.open(item.evidence_file, "rb") as stored:
        assert stored.read() == w.PDF_BYTES
    entry = AuditEntry.objects.get(action="rollout.item_marked", object_id=str(item.pk))
    assert entry.actor == admin and entry.mall_id == world.mall.pk
    assert entry.data["from"] == "open" and entry.data["to"] == "done"


def test_a_file_whose_bytes_are_not_a_pdf_is_refused_whatever_its_name(world, cast):
    with pytest.raises(RolloutRefused) as refused:
        mark_item(
            world.items["lokasi"],
            actor=cast.regency_admin(),
            status=DONE,
            evidence_upload=w.fake_pdf(),
        )
    assert refused.value.code == "evidence_type"
    assert not default_storage.exists(f"rollout/evidence/{world.mall.pk}")
    assert _fresh(world.items["lokasi"]).evidence_file == ""


def test_a_photo_item_takes_a_png_not_a_pdf(world, cast):
    admin = cast.regency_admin()
    with pytest.raises(RolloutRefused) as refused:
        mark_item(world.items["renovasi"], actor=admin, status=DONE, evidence_upload=w.pdf())
    assert refused.value.code == "evidence_type" and "JPEG atau PNG" in refused.value.message
    item = mark_item(world.items["renovasi"], actor=admin, status=DONE, evidence_upload=w.png())
    assert item.evidence_type == "image/png"


class _Unread:
    """An upload that fails the test if a byte of it is read or its position moved."""

    name, size = "besar.pdf", 50 * 1024 * 1024

    def read(self, *args: object) -> bytes:
        raise AssertionError("read before the size was checked")

    seek = read


def test_an_oversized_evidence_file_is_refused_before_it_is_read(world, cast, settings):
    with pytest.raises(RolloutRefused) as refused:
        mark_item(
            world.items["lokasi"],
            actor=cast.regency_admin(),
            status=DONE,
            evidence_upload=_Unread(),
        )
    assert refused.value.code == "evidence_too_large"
    assert "terlalu besar" in refused.value.message
    settings.MPP_UPLOAD_MAX_BYTES = 40  # the bound is the setting's
    with pytest.raises(RolloutRefused) as refused:
        mark_item(
            world.items["lokasi"], actor=cast.regency_admin(), status=DONE, evidence_upload=w.pdf()
        )
    assert refused.value.code == "evidence_too_large"


def test_a_decree_needs_its_number_and_a_date_not_in_the_future(world, cast):
    admin, perbup = cast.regency_admin(), world.items["perbup"]
    with pytest.raises(RolloutRefused) as refused:
        mark_item(perbup, actor=admin, status=DONE, decree_number="12 Tahun 2026")
    assert refused.value.code == "evidence_required"
    with pytest.raises(RolloutRefused) as refused:
        mark_item(
            perbup, actor=admin, status=DONE, decree_number="12", decree_date=dt.date(2026, 12, 1)
        )
    assert refused.value.code == "decree_date_future"
    item = mark_item(
        perbup,
        actor=admin,
        status=DONE,
        decree_number="12 Tahun 2026",
        decree_date=dt.date(2026, 11, 2),
    )
    assert item.status == DONE and item.decree_number == "12 Tahun 2026"


def test_reopening_a_done_item_clears_who_and_when(world, cast):
    admin = cast.regency_admin()
    mark_item(world.items["listrik"], actor=admin, status=DONE)
    item = mark_item(world.items["listrik"], actor=admin, status="blocked", note="genset rusak")
    assert item.status == "blocked" and item.done_by is None and item.done_at is None
    assert AuditEntry.objects.filter(action="rollout.item_marked").count() == 2


def test_a_phone_number_typed_in_a_note_is_masked(world, cast):
    item = mark_item(
        world.items["listrik"], actor=cast.regency_admin(), status="in_progress",
        note="hubungi 0812-3456-7890",
    )  # fmt: skip
    assert "3456" not in item.note


def test_a_due_date_before_the_item_was_created_is_refused(world, cast, monday):
    admin, item = cast.regency_admin(), world.items["renovasi"]
    with pytest.raises(RolloutRefused) as refused:
        plan_item(item, actor=admin, due_date=dt.date(2026, 11, 29))
    assert refused.value.code == "due_before_creation"
    assert (
        "tidak boleh sebelum tanggal butir ini dibuat (30 November 2026)" in refused.value.message
    )
    planned = plan_item(item, actor=admin, owner=world.camat, due_date=dt.date(2026, 11, 30))
    assert planned.owner == world.camat and planned.due_date == dt.date(2026, 11, 30)
    entry = AuditEntry.objects.get(action="rollout.item_planned")
    assert entry.data["from"]["owner"] == "dinas-pu" and entry.data["to"]["owner"] == "camat"


# --- the page -------------------------------------------------------------------------------


def _page(slug: str = w.PREPARING) -> str:
    return reverse("rollout:readiness", kwargs={"slug": slug})


def _item_url(world, code: str, suffix: str = "") -> str:  # type: ignore[no-untyped-def]
    name = {"": "rollout:readiness-item", "plan": "rollout:readiness-plan"}[suffix]
    return reverse(name, kwargs={"slug": world.mall.slug, "pk": world.items[code].pk})


def test_the_page_lists_items_with_owner_and_overdue_in_words(client, world, cast, monday):
    plan_item(world.items["renovasi"], actor=cast.regency_admin(), due_date=dt.date(2026, 12, 1))
    monday.move_to(dt.datetime(2026, 12, 3, 9, 0, tzinfo=w.WITA))
    client.force_login(cast.leadership())
    page = client.get(_page())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Renovasi selesai" in html and "Dinas PU" in html
    assert "terlambat" in html  # not colour alone
    assert 'data-item-form="lokasi"' not in html  # leadership reads, does not update


def test_the_page_keeps_a_bounded_number_of_queries(
    client, world, cast, django_assert_max_num_queries
):
    for user in (cast.regency_admin(), w.liaison(world.camat, "camat.kueri")):
        client.force_login(user)
        with django_assert_max_num_queries(30):
            assert client.get(_page()).status_code == 200


def test_only_a_decree_item_asks_for_a_decree_number(client, world, cast):
    client.force_login(cast.regency_admin())
    html = client.get(_page()).content.decode()
    assert f'name="item-{world.items["perbup"].pk}-decree_number"' in html
    assert f'name="item-{world.items["lokasi"].pk}-decree_number"' not in html


def test_an_owner_liaison_marks_its_item_done_with_a_pdf_on_the_page(client, world, cast):
    user = w.liaison(world.camat, "camat.kenohan", district_id=world.mall.district_id)
    client.force_login(user)
    prefix = f"item-{world.items['lokasi'].pk}"
    response = client.post(
        _item_url(world, "lokasi"),
        {f"{prefix}-status": "done", f"{prefix}-evidence": w.pdf(), f"{prefix}-note": "BA"},
    )
    assert response.status_code == 302
    item = _fresh(world.items["lokasi"])
    assert item.status == DONE and item.done_by == user


def test_the_page_says_why_an_item_was_refused(client, world, cast):
    client.force_login(cast.regency_admin())
    prefix = f"item-{world.items['lokasi'].pk}"
    response = client.post(_item_url(world, "lokasi"), {f"{prefix}-status": "done"})
    assert response.status_code == 400
    assert (
        "hanya dapat ditandai selesai dengan bukti berupa dokumen PDF" in response.content.decode()
    )


def test_who_may_not_update_an_item_gets_403(client, world, cast):
    prefix = f"item-{world.items['lokasi'].pk}"
    data = {f"{prefix}-status": "in_progress"}
    other_agency = w.liaison(world.pu, "pu.uji")
    other_district = w.liaison(world.camat, "camat.lain", district_id=_another_district(world))
    for user in (other_agency, other_district, cast.leadership()):
        client.force_login(user)
        assert client.post(_item_url(world, "lokasi"), data).status_code == 403
    client.force_login(cast.outsider())
    assert client.get(_page()).status_code == 403
    assert _fresh(world.items["lokasi"]).status == "open"


def _another_district(world) -> int:  # type: ignore[no-untyped-def]
    return Mall.objects.exclude(district=world.mall.district).filter(kind="mini_mpp")[0].district_id


def test_unknown_malls_and_items_of_another_mall_are_404(client, world, cast):
    client.force_login(cast.regency_admin())
    assert client.get(_page("tidak-ada")).status_code == 404
    other = reverse(
        "rollout:readiness-item",
        kwargs={"slug": "mini-mpp-loa-kulu", "pk": world.items["lokasi"].pk},
    )
    assert client.post(other, {}).status_code == 404


def test_dpmptsp_changes_owner_and_due_date_on_the_page(client, world, cast):
    client.force_login(cast.regency_admin())
    prefix = f"plan-{world.items['renovasi'].pk}"
    bad = client.post(
        _item_url(world, "renovasi", "plan"),
        {f"{prefix}-owner": world.camat.pk, f"{prefix}-due_date": "2026-11-01"},
    )
    assert (
        bad.status_code == 400
        and "tidak boleh sebelum tanggal butir ini dibuat" in bad.content.decode()
    )
    good = client.post(
        _item_url(world, "renovasi", "plan"),
        {f"{prefix}-owner": world.camat.pk, f"{prefix}-due_date": "2027-01-15"},
    )
    assert good.status_code == 302
    assert _fresh(world.items["renovasi"]).due_date == dt.date(2027, 1, 15)
    client.force_login(w.liaison(world.pu, "pu.rencana"))
    assert client.post(_item_url(world, "renovasi", "plan"), {}).status_code == 403


def test_evidence_is_served_to_readers_as_a_download_with_safe_headers(client, world, cast):
    mark_item(
        world.items["lokasi"], actor=cast.regency_admin(), status=DONE, evidence_upload=w.pdf()
    )
    url = reverse(
        "rollout:readiness-evidence",
        kwargs={"slug": world.mall.slug, "pk": world.items["lokasi"].pk},
    )
    client.force_login(cast.auditor())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == w.PDF_BYTES
    client.force_login(cast.officer_dukcapil())
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(cast.auditor())
    none = reverse(
        "rollout:readiness-evidence",
        kwargs={"slug": world.mall.slug, "pk": world.items["renovasi"].pk},
    )
    assert client.get(none).status_code == 404


# --- the page's layout: the table is the overview, each item's forms folded below it ---------


def _details(html: str) -> dict[str, bool]:
    """Each folded item form on the page: its item code and whether it is open."""
    return {
        code: bool(is_open)
        for code, is_open in re.findall(r'<details[^>]*data-item-details="([^"]+)"( open)?', html)
    }


def test_each_item_form_is_folded_and_the_table_title_leads_to_it(client, world, cast):
    client.force_login(cast.regency_admin())
    html = client.get(_page()).content.decode()
    assert _details(html) == dict.fromkeys(world.items, False)
    lokasi = world.items["lokasi"]
    assert f'<a href="#butir-{lokasi.pk}">Lokasi disepakati</a>' in html
    assert f'id="butir-{lokasi.pk}"' in html
    assert "Perbarui: Lokasi disepakati</summary>" in html
    # A refused form comes back to its own item (the action's fragment).
    assert f'action="{_item_url(world, "lokasi")}#butir-{lokasi.pk}"' in html


def test_a_liaison_sees_only_its_own_items_forms_and_links(client, world):
    client.force_login(w.liaison(world.pu, "pu.lipat"))
    html = client.get(_page()).content.decode()
    assert _details(html) == {"renovasi": False}
    assert f'href="#butir-{world.items["lokasi"].pk}"' not in html  # no form to lead to
    assert "Lokasi disepakati" in html  # still in the overview
    assert 'href="#h-update" data-to-updates>Ke formulir pembaruan (1 butir)</a>' in html


def test_who_updates_nothing_gets_no_update_section(client, world, cast):
    client.force_login(cast.leadership())
    html = client.get(_page()).content.decode()
    assert "data-item-updates" not in html and "data-to-updates" not in html
    assert _details(html) == {}
    assert "rollout/readiness.js" not in html


def test_a_refused_item_comes_back_open_the_others_folded(client, world, cast):
    client.force_login(cast.regency_admin())
    prefix = f"item-{world.items['lokasi'].pk}"
    response = client.post(_item_url(world, "lokasi"), {f"{prefix}-status": "done"})
    assert response.status_code == 400
    opened = _details(response.content.decode())
    assert opened["lokasi"] is True
    assert not any(v for k, v in opened.items() if k != "lokasi")
    bad_plan = client.post(_item_url(world, "renovasi", "plan"), {})
    assert bad_plan.status_code == 400 and _details(bad_plan.content.decode())["renovasi"]


def test_the_saved_notice_shows_in_the_saved_items_open_form(client, world, cast):
    client.force_login(cast.regency_admin())
    prefix = f"item-{world.items['listrik'].pk}"
    response = client.post(
        _item_url(world, "listrik"), {f"{prefix}-status": "in_progress"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"#butir-{world.items['listrik'].pk}")
    assert _details(html)["listrik"] is True and not _details(html)["lokasi"]
    assert html.count("“Listrik” disimpan.") == 1
    assert re.search(r"data-item-saved>“Listrik” disimpan\.</p>", html)
    assert not _details(client.get(_page()).content.decode())["listrik"]  # shown once

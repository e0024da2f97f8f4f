"""The keyboard entry screen for paper survey sheets: /survei/kertas/<mall_id>/."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from mpp.catalog.models import Service, Tenant
from mpp.core.models import AuditEntry
from mpp.surveys.models import Response

pytestmark = pytest.mark.django_db


def url(mall_id: int) -> str:
    return reverse("surveys:paper", args=[mall_id])


@pytest.fixture
def clerk(client, monday, cast):  # type: ignore[no-untyped-def]
    """MPP Kukar's supervisor, logged in, on Monday morning."""
    client.force_login(cast.supervisor_mpp())
    return client


def sheet(client, mall, **answers: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A fresh form's fields (with its nonce) for one Disdukcapil sheet of today."""
    page = client.get(url(mall.pk))
    assert page.status_code == 200
    data = {
        "nonce": page.context["nonce"],
        "instansi": str(Tenant.objects.get(slug="disdukcapil").pk),
        "layanan": str(Service.objects.get(slug="akta-kelahiran").pk),
        "tanggal": "2026-11-30",
        "waktu": "08-12",
        "jenis_kelamin": "P",
        "usia": "34",
        "pendidikan": "SMA",
        "pekerjaan": "Swasta",
        "saran": "Ruang tunggu kurang kursi",
    }
    data.update(answers)
    return data


PRINTED = {  # what the clerk types, field by field in the printed order: Q8 is U9, Q9 is U8
    "U1": "4",
    "U2": "3",
    "U3": "3",
    "U4": "4",
    "U5": "3",
    "U6": "4",
    "U7": "4",
    "U9": "2",
    "U8": "1",
}


def test_it_shows_the_fields_in_the_printed_order_with_code_and_name(clerk, mall_mpp):
    html = clerk.get(url(mall_mpp.pk)).content.decode()
    q8 = html.index("8. U9 Sarana dan Prasarana")
    q9 = html.index("9. U8 Penanganan Pengaduan")
    assert html.index("1. U1 Persyaratan") < html.index("7. U7 Perilaku Pelaksana") < q8 < q9
    assert 'name="nonce"' in html and "surveys/paper.js" in html


def test_a_typed_sheet_is_saved_under_the_element_codes(clerk, mall_mpp):
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, **PRINTED))
    assert response.status_code == 302
    saved = Response.objects.get()
    assert (saved.u8, saved.u9) == (1, 2)  # not swapped by the printed order
    assert saved.answers() == {k: int(v) for k, v in PRINTED.items()}
    assert saved.channel == Response.Channel.PAPER
    assert saved.tenant.slug == "disdukcapil" and saved.service.slug == "akta-kelahiran"
    assert (saved.sex, saved.age, saved.education, saved.occupation) == ("P", 34, "SMA", "Swasta")
    assert saved.suggestion == "Ruang tunggu kurang kursi"
    assert (
        AuditEntry.objects.filter(action="survey.paper_response", mall_id=mall_mpp.pk).count() == 1
    )


def test_after_saving_the_form_is_empty_with_the_same_tenant_and_day(clerk, mall_mpp):
    first = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, **PRINTED), follow=True)
    assert "Tersimpan: lembar ke-1 hari ini." in first.content.decode()
    form = first.context["form"]
    assert form.initial["instansi"] == str(Tenant.objects.get(slug="disdukcapil").pk)
    assert form.initial["tanggal"] == "2026-11-30" and form.initial["waktu"] == "08-12"
    assert "U1" not in form.initial  # answers are not carried over
    assert form.fields["U1"].widget.attrs.get("autofocus")  # hands stay on the digits
    second = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, U3="2"), follow=True)
    assert "Tersimpan: lembar ke-2 hari ini." in second.content.decode()
    assert Response.objects.count() == 2


def test_profile_and_service_may_be_left_blank(clerk, mall_mpp):
    data = sheet(clerk, mall_mpp, U1="3")
    for name in ("layanan", "waktu", "jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran"):
        data[name] = ""
    assert clerk.post(url(mall_mpp.pk), data).status_code == 302
    saved = Response.objects.get()
    assert saved.service is None and saved.age is None and saved.u1 == 3 and saved.u2 is None


@pytest.mark.parametrize("typed", ["5", "x", "0"])
def test_an_answer_outside_1_to_4_is_refused_naming_the_element(clerk, mall_mpp, typed):
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, **{**PRINTED, "U9": typed}))
    assert response.status_code == 400
    assert response.context["form"].errors["U9"] == ["Jawaban unsur U9 harus 1, 2, 3 atau 4."]
    html = response.content.decode()
    assert "Jawaban unsur U9 harus 1, 2, 3 atau 4." in html
    assert f'name="U9" value="{typed}"' in html  # what was typed is kept
    assert 'name="U1" value="4"' in html
    assert Response.objects.count() == 0


def test_every_bad_answer_is_named_at_once(clerk, mall_mpp):
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, U2="7", U5="y"))
    assert set(response.context["form"].errors) == {"U2", "U5"}


def test_a_sheet_with_no_answer_is_refused(clerk, mall_mpp):
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp))
    assert response.status_code == 400
    assert "Jawablah sedikitnya satu pertanyaan." in response.content.decode()
    assert Response.objects.count() == 0


def test_a_service_of_another_tenant_is_refused_next_to_the_service(clerk, mall_mpp):
    other = Service.objects.get(slug="skck-baru")
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, U1="3", layanan=str(other.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["layanan"] == [
        "Layanan itu bukan milik instansi yang dipilih."
    ]
    assert Response.objects.count() == 0


def test_a_future_date_or_a_bad_age_is_refused_next_to_its_field(clerk, mall_mpp):
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, U1="3", tanggal="2026-12-01"))
    assert response.context["form"].errors["tanggal"] == [
        "Tanggal survei tidak boleh di masa depan."
    ]
    response = clerk.post(url(mall_mpp.pk), sheet(clerk, mall_mpp, U1="3", usia="7"))
    assert response.context["form"].errors["usia"] == ["Usia harus antara 10 dan 120 tahun."]
    assert Response.objects.count() == 0


def test_the_same_form_sent_twice_is_saved_once(clerk, mall_mpp):
    data = sheet(clerk, mall_mpp, **PRINTED)
    first = clerk.post(url(mall_mpp.pk), data)
    second = clerk.post(url(mall_mpp.pk), data, follow=True)
    assert first.status_code == 302
    assert "Kiriman ganda diabaikan" in second.content.decode()
    assert Response.objects.count() == 1


def test_a_refused_form_keeps_no_spent_nonce_and_can_be_corrected(clerk, mall_mpp):
    data = sheet(clerk, mall_mpp, **{**PRINTED, "U4": "5"})
    refused = clerk.post(url(mall_mpp.pk), data)
    corrected = {**data, "U4": "4", "nonce": refused.context["nonce"]}
    assert clerk.post(url(mall_mpp.pk), corrected).status_code == 302
    assert Response.objects.get().u4 == 4


def test_a_forged_nonce_saves_nothing(clerk, mall_mpp):
    data = sheet(clerk, mall_mpp, **PRINTED)
    response = clerk.post(url(mall_mpp.pk), {**data, "nonce": "abc:def:ghi"})
    assert response.status_code == 400
    assert "kedaluwarsa" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_regency_admin_may_type_sheets_of_any_mall(client, monday, cast, mall_loakulu):
    client.force_login(cast.regency_admin())
    assert client.get(url(mall_loakulu.pk)).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client, mall_mpp):
    response = client.get(url(mall_mpp.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_a_tenant_officer_may_not_type_sheets(client, cast, mall_mpp):
    client.force_login(cast.officer_dukcapil())
    assert client.get(url(mall_mpp.pk)).status_code == 403
    assert client.post(url(mall_mpp.pk), {"U1": "4"}).status_code == 403


def test_the_supervisor_of_another_mall_may_not_type_sheets(client, cast, mall_mpp):
    client.force_login(cast.supervisor_loakulu())
    assert client.get(url(mall_mpp.pk)).status_code == 403


def test_an_unknown_mall_is_404(clerk):
    assert clerk.get(url(999_999)).status_code == 404


def test_the_entry_page_costs_a_bounded_number_of_queries(
    clerk, mall_mpp, django_assert_max_num_queries
):
    clerk.get(url(mall_mpp.pk))  # the session and the user are read once per request anyway
    with django_assert_max_num_queries(12):
        assert clerk.get(url(mall_mpp.pk)).status_code == 200


def test_after_a_tenant_is_chosen_only_its_services_at_this_mall_are_offered(clerk, mall_mpp):
    dukcapil = Tenant.objects.get(slug="disdukcapil")
    form = clerk.get(url(mall_mpp.pk), {"instansi": dukcapil.pk}).context["form"]
    offered = {pk for group, options in form.fields["layanan"].choices[1:] for pk, _n in options}
    expected = set(
        Service.objects.active()
        .offered_at(mall_mpp)
        .filter(tenant=dukcapil)
        .values_list("pk", flat=True)
    )
    assert offered == expected and 0 < len(offered) < Service.objects.count()
    assert {group for group, _options in form.fields["layanan"].choices[1:]} == {
        dukcapil.short_name
    }


def test_the_answer_boxes_sit_in_one_column(clerk, mall_mpp):
    html = clerk.get(url(mall_mpp.pk)).content.decode()
    # A grid of label | box | hint: every box starts at the same x whatever its label's length.
    assert ".paper .answers .row{display:grid" in html and '<fieldset class="answers">' in html

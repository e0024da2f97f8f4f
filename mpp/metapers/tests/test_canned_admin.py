"""A tenant's officers keep their chat's canned answers in the admin; nobody else's."""

from __future__ import annotations

from mpp.catalog.models import Tenant
from mpp.metapers.models import CannedAnswer

URL = "/admin/metapers/cannedanswer/"


def test_an_officer_adds_a_canned_answer_for_their_tenant(client, cast):
    dukcapil = Tenant.objects.get(slug="disdukcapil")
    client.force_login(cast.officer_dukcapil())
    posted = client.post(
        f"{URL}add/",
        {"tenant": dukcapil.pk, "title": "Syarat akta", "text": "Bawa surat keterangan lahir."},
    )
    assert posted.status_code == 302
    assert CannedAnswer.objects.get().tenant == dukcapil


def test_an_officer_cannot_add_for_or_see_another_tenant(client, cast):
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    other = CannedAnswer.objects.create(tenant=imigrasi, title="Paspor", text="Bawa KTP.")
    client.force_login(cast.officer_dukcapil())
    refused = client.post(f"{URL}add/", {"tenant": imigrasi.pk, "title": "x", "text": "y"})
    assert refused.status_code == 200  # the form refuses the tenant
    assert CannedAnswer.objects.count() == 1
    assert "Paspor" not in client.get(URL).content.decode()
    assert client.get(f"{URL}{other.pk}/change/").status_code == 302  # to the admin index


def test_a_supervisor_has_no_canned_answers(client, cast):
    client.force_login(cast.supervisor_mpp())
    assert client.get(URL).status_code == 403


def test_demo_canned_answers_are_given_once_per_tenant(kukar):
    from mpp.metapers.demo import CANNED, ensure_demo_canned_answers

    tenants = Tenant.objects.filter(region=kukar).count()
    assert ensure_demo_canned_answers(kukar) == tenants * len(CANNED)
    assert ensure_demo_canned_answers(kukar) == 0

"""The floor plans' admin as a Mini MPP supervisor: their own hall and booths only (21 halls and
467 booths were listed to them), and no counter or portal of another mall (issue 16)."""

from __future__ import annotations

from django.urls import reverse

from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.metapers.models import Booth, Hall
from mpp.queueing.models import Counter


def test_a_mini_mpp_supervisor_lists_only_their_hall_and_its_booths(
    client, cast, halls, mall_loakulu
):
    client.force_login(cast.supervisor_loakulu())
    hall_list = client.get(reverse("admin:metapers_hall_changelist")).context["cl"].queryset
    assert [h.mall_id for h in hall_list] == [mall_loakulu.pk]
    booths = client.get(reverse("admin:metapers_booth_changelist")).context["cl"].queryset
    own = Booth.objects.filter(room__hall__mall=mall_loakulu)
    assert sorted(b.pk for b in booths) == sorted(own.values_list("pk", flat=True))
    assert Booth.objects.count() > own.count() and Hall.objects.count() > 1


def test_a_booth_takes_no_counter_of_another_mall(client, cast, halls, mall_loakulu, mall_mpp):
    desk = Booth.objects.get(room__hall__mall=mall_loakulu, tenant__isnull=True)
    spots = set(desk.spots.values_list("counter_id", flat=True))
    foreign = Counter.objects.create(mall=mall_mpp, number=98)  # no booth holds it yet
    for person in [cast.supervisor_loakulu(), cast.regency_admin()]:
        client.force_login(person)
        page = client.get(change_url(desk))
        data = _form_data(page)
        data["spots-0-counter"] = foreign.pk
        response = client.post(change_url(desk), data)
        assert response.status_code == 200, person
        page_text = response.content.decode()
        refused = [
            "Pilihan ini tidak tersedia bagi Anda",
            "ada di MPP Kukar, bukan di Mini MPP Loa Kulu",
        ]
        assert any(r in page_text for r in refused), person
        assert set(desk.spots.values_list("counter_id", flat=True)) == spots


def test_the_portal_to_the_mpp_is_the_regency_administrators(client, cast, halls, mall_loakulu):
    hall = Hall.objects.get(mall=mall_loakulu)
    client.force_login(cast.supervisor_loakulu())
    assert "portal_to" not in client.get(change_url(hall)).context["adminform"].form.fields
    client.force_login(cast.regency_admin())
    assert "portal_to" in client.get(change_url(hall)).context["adminform"].form.fields

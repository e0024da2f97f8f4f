"""Upgrading to final periods keeps what an installation published: past years become final
through their last reported quarter, the current year stays provisional (docs/adr/0007)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.utils import timezone

upgrade = importlib.import_module("mpp.investment.migrations.0005_existing_years_final")


def test_it_marks_past_years_final_through_their_last_quarter(small_dataset, kukar):
    from mpp.investment.models import FinalPeriod, Realization

    this_year = timezone.localdate().year
    Realization.objects.filter(year=2025, end_quarter=2).update(year=this_year)
    FinalPeriod.objects.all().delete()

    upgrade.mark_past_years_final(apps, None)

    marked = {(f.region_id, f.year): f.through for f in FinalPeriod.objects.all()}
    assert marked == {(kukar.pk, 2024): 3, (kukar.pk, 2025): 1}


def test_a_year_already_marked_keeps_dpmptsps_word(small_dataset, kukar):
    from mpp.investment.models import FinalPeriod

    FinalPeriod.objects.all().delete()
    FinalPeriod.objects.create(region=kukar, year=2025, through=1, marked_at=timezone.now())

    upgrade.mark_past_years_final(apps, None)

    assert FinalPeriod.objects.get(region=kukar, year=2025).through == 1
    assert FinalPeriod.objects.get(region=kukar, year=2024).through == 3

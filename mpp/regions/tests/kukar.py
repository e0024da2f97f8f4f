"""Kukar's region in the test database, whatever ran before in this test process."""

from __future__ import annotations

from mpp.malls.models import Region


def kukar_loaded() -> Region:
    """Kukar's region, loaded again if a transactional test flushed the database (on a test
    process of pytest-xdist, any test file may follow one), with the reference data of the
    migrations that such a flush also empties."""
    from mpp.investment.sectors import ensure_sectors
    from mpp.regions.loader import load_region
    from mpp.surveys.national import ensure as national_questionnaire

    region = Region.objects.filter(slug="kukar").first()
    if region is None:
        load_region("kukar")
        region = Region.objects.get(slug="kukar")
    ensure_sectors()
    national_questionnaire()
    return region

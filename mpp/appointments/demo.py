"""The demo's booking (issue 21): a few services open to booking at MPP Kukar and the operating
Mini MPPs, with the default rules, so /janji/ works after `make demo`. A service already set up
is left as it is (admin edits survive reruns)."""

from __future__ import annotations

from mpp.appointments.models import BookableService, BookingSettings
from mpp.catalog.models import MallService
from mpp.malls.models import Mall, Region

# (service slug, counters, minutes per citizen): MPP Kukar's busiest counters.
AT_MPP = [
    ("perekaman-ktp-el", 2, 15),
    ("akta-kelahiran", 2, 12),
    ("paspor-biasa-baru", 2, 20),
    ("sim-a-perpanjangan", 1, 15),
]
# Every Mini MPP: its front counter, one officer.
AT_MINI_MPP = [("akta-kelahiran", 1, 15), ("perekaman-ktp-el", 1, 15)]


def load_demo_booking(region: Region) -> int:
    """Bookable services made (0 on a rerun)."""
    made = 0
    for mall in Mall.objects.filter(region=region, status=Mall.Status.OPERATING):
        BookingSettings.objects.get_or_create(mall=mall)
        plan = AT_MPP if mall.kind == Mall.Kind.MPP else AT_MINI_MPP
        for slug, counters, minutes in plan:
            offering = MallService.objects.filter(mall=mall, service__slug=slug).first()
            if offering is None:
                continue  # not offered at this mall: nothing to book
            _row, created = BookableService.objects.get_or_create(
                mall=mall,
                service_id=offering.service_id,
                defaults={"counters": counters, "minutes_per_citizen": minutes},
            )
            made += int(created)
    return made

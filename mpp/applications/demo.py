"""The demo's applications (issue 22): a few at MPP Kukar in different states, so the tracking
page (/permohonan/<kode>/) and the staff's list have something to show after `make demo`. Made
once: a rerun finds them by their demo marker and adds none."""

from __future__ import annotations

import datetime as dt

from mpp.applications import actions, deadlines
from mpp.applications.models import Application, Status
from mpp.catalog.models import Service
from mpp.malls import calendar
from mpp.malls.models import Mall, Region

# Kept in ticket_code, where a real application keeps its ticket's code: finds them on a rerun.
DEMO_MARKER = "demo"

# (service slug, working days ago received, steps after "diterima", note of a return)
PLAN: list[tuple[str, int, tuple[str, ...], str]] = [
    ("akta-kelahiran", 0, (), ""),
    ("penerbitan-kk-baru", 2, ("diverifikasi",), ""),
    ("paspor-biasa-baru", 6, ("diverifikasi", "diproses"), ""),
    (
        "akta-kematian",
        3,
        ("dikembalikan",),
        "Surat keterangan kematian dari kelurahan/desa belum dilampirkan.",
    ),
    ("kartu-identitas-anak", 4, ("diverifikasi", "diproses", "siap_diambil"), ""),
    ("perubahan-kk", 9, ("diverifikasi", "diproses", "selesai", "diambil"), ""),
    ("akta-kelahiran", 15, ("diverifikasi", "diproses"), ""),  # long past its due date
]


def load_demo_applications(region: Region) -> list[Application]:
    """The demo applications made (none on a rerun, or when MPP Kukar is not loaded)."""
    mall = Mall.objects.filter(region=region, kind=Mall.Kind.MPP).select_related("region").first()
    if mall is None or Application.objects.filter(ticket_code=DEMO_MARKER).exists():
        return []
    now = mall.local_now()
    made = []
    for slug, working_days_ago, steps, note in PLAN:
        service = Service.objects.filter(slug=slug, offerings__mall=mall).first()
        if service is None:
            continue
        received_on = _working_day_before(region, now.date(), working_days_ago)
        application = actions.open_application(
            mall=mall,
            service=service,
            acting_user=None,
            received_on=received_on,
            ticket_code=DEMO_MARKER,
        )
        for status in steps:
            application = actions.move(
                application=application,
                status=status,
                acting_user=None,
                note=note if status == Status.RETURNED else "",
            )
        made.append(_spread_over_days(application, received_on, now))
    return made


def _working_day_before(region: Region, today: dt.date, n: int) -> dt.date:
    """The working day `n` working days before `today` (today itself, if a working day, for 0)."""
    holidays = calendar.holidays_in(region, today - dt.timedelta(days=3 * n + 30), today)
    day = today
    while not calendar.is_working_day(day, holidays):
        day -= dt.timedelta(days=1)
    for _step in range(n):
        day -= dt.timedelta(days=1)
        while not calendar.is_working_day(day, holidays):
            day -= dt.timedelta(days=1)
    return day


def _spread_over_days(
    application: Application, received_on: dt.date, now: dt.datetime
) -> Application:
    """The actions stamp every step with the moment the demo runs; a demo history reads better
    with a receipt at 08.40 on its day and each later step on a following working day (or
    earlier today), and with the due moments recomputed from those times as the actions would."""
    zone = now.tzinfo
    received_at = dt.datetime.combine(received_on, dt.time(8, 40), tzinfo=zone)
    received_at = min(received_at, now - dt.timedelta(minutes=30))
    steps = list(application.steps.order_by("at", "id"))
    region = application.mall.region
    times = [received_at]
    for number in range(1, len(steps)):
        day = calendar.add_working_days(region, received_on, number)
        moment = dt.datetime.combine(day, dt.time(10, 15), tzinfo=zone)
        times.append(min(moment, now - dt.timedelta(minutes=len(steps) - number)))
    for step, moment in zip(steps, times, strict=True):
        step.at = moment
        step.save(update_fields=["at"])
        if step.status == Status.RETURNED:
            application.pauses.update(started_at=moment)
            application.paused_since = moment
        if step.status in (Status.DONE, Status.READY) and application.completed_at:
            application.completed_at = moment
        if step.status == Status.COLLECTED:
            application.collected_at = moment
    application.received_at = received_at
    pauses = list(application.pauses.values_list("started_at", "ended_at"))
    application.due_date, application.due_at, application.warn_at = deadlines.schedule(
        region=region,
        unit=application.duration_unit,
        value=application.duration_value,
        received_at=received_at,
        pauses=pauses,
    )
    application.save()
    return application

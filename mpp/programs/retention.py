"""Anonymising a past programme's personal data after its retention period (issue 20, item 9;
UU 27/2022 Art. 43: personal data is erased once its purpose is fulfilled).

A programme is due when its last akad date plus `programme.retention_days` is before today.
Its people lose name, NIK, birth date, address, village and relation; its registrations their
phone and the KUA's free-text reasons; its uploaded documents are deleted from storage. What
stays: the registration codes (the draw's published proof must stay verifiable), statuses,
dates, the fee, its bearer and the bank receipt number (a financial record, kept under the
archive rules of state revenue), marriage book numbers and civil tasks, so the report's figures
are the same before and after.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from mpp.core import clock
from mpp.core.db import write_transaction
from mpp.core.models import audit
from mpp.programs.models import Document, Person, Programme, Registration

ANONYMOUS_NAME = "—"


def due_programmes(today: dt.date) -> list[Programme]:
    """Programmes not yet anonymised whose last akad + retention_days is before `today`."""
    candidates = Programme.objects.filter(anonymised_at__isnull=True).annotate(
        last_akad=Max("sessions__date")
    )
    return [
        p
        for p in candidates.exclude(last_akad__isnull=True)
        if p.last_akad + dt.timedelta(days=p.retention_days) < today  # type: ignore[attr-defined]
    ]


def anonymise_programme(programme: Programme, *, acting_user: object | None = None) -> bool:
    """Clear the personal data of `programme`'s registrations (False: done before). The files
    go once the transaction has committed (a rollback keeps rows and files)."""
    with write_transaction():
        now = clock.now()
        taken = Programme.objects.filter(pk=programme.pk, anonymised_at__isnull=True).update(
            anonymised_at=now
        )
        if not taken:  # another run got here first
            return False
        Person.objects.filter(programme=programme).update(
            name=ANONYMOUS_NAME, nik="", birth_date=None, address="", village=None, relation=""
        )
        registrations = Registration.objects.filter(programme=programme)
        count = registrations.update(phone="", return_reason="", anonymised_at=now)
        documents = Document.objects.filter(registration__programme=programme)
        paths = list(documents.exclude(file="").values_list("file", flat=True))
        documents.update(file="", file_name="", file_type="", note="")
        audit(
            actor=acting_user,
            action="programs.programme.anonymised",
            obj=programme,
            mall_id=programme.mall_id,
            data={"registrations": count, "files": len(paths)},
        )
        transaction.on_commit(lambda: _delete_files(paths), robust=True)
    return True


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        default_storage.delete(path)


def anonymise_past_registrations(*, today: dt.date) -> int:
    """Anonymise every programme past its retention period; the number of programmes. Run
    daily by the worker (programs.jobs); running it again changes nothing."""
    return sum(anonymise_programme(programme) for programme in due_programmes(today))

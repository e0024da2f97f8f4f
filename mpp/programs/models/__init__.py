"""Public programmes: a public event with registration, eligibility, documents, verification, a
ceremony, prizes and follow-up (issue 20, docs/adr/0032). The first is the Syawal mass wedding
(nikah massal) with the KUA; the next (isbat nikah, a mobile KTP drive) reuses the programme,
its sessions, its prizes and its civil-registry follow-up.

programs stands on malls, catalog and queueing (the follow-up becomes tickets in Disdukcapil's
queue at the event's mall); nothing below imports it.
"""

from mpp.programs.models.programme import (
    RESERVED_SLUGS,
    TARIFF_IDR,
    AkadSession,
    FeeBearer,
    Kua,
    KuaOfficer,
    Prize,
    Programme,
    TariffBasis,
)
from mpp.programs.models.registration import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CivilTask,
    Document,
    DocumentKind,
    Person,
    Registration,
    new_access_key,
    new_code,
    nik_validator,
    phone_validator,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "RESERVED_SLUGS",
    "TARIFF_IDR",
    "AkadSession",
    "CivilTask",
    "Document",
    "DocumentKind",
    "FeeBearer",
    "Kua",
    "KuaOfficer",
    "Person",
    "Prize",
    "Programme",
    "Registration",
    "TariffBasis",
    "new_access_key",
    "new_code",
    "nik_validator",
    "phone_validator",
]

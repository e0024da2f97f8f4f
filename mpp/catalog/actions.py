"""State changes of the catalogue with consequences: each atomic and audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from mpp.catalog.exceptions import CatalogError
from mpp.catalog.models import MallService, MallTenant, Service
from mpp.core.events import Event, group_name, publish
from mpp.core.models import audit
from mpp.malls.models import Mall


def set_service_offering(
    *, mall: Mall, service: Service, offered: bool, acting_user: object
) -> bool:
    """Offer (or withdraw) `service` at `mall`; returns True when something changed.

    Invariants: a Mini MPP offers only front-counter services (MallService.clean); a service is
    offered only where its tenant is present, so the tenant is added to the mall when needed.
    The caller has checked that `acting_user` may edit `mall` (malls.access).
    """
    with transaction.atomic():
        # Lock the mall row: two supervisors (or a double click) changing the same mall's
        # offerings run one after the other, so the check below sees the other's result.
        # On SQLite, BEGIN IMMEDIATE already serialises writers and the lock is a no-op. FOR NO
        # KEY UPDATE: a ticket's foreign key to the mall does not wait for it (docs/adr/0025).
        Mall.objects.select_for_update(no_key=True).filter(pk=mall.pk).first()
        existing = MallService.objects.filter(mall=mall, service=service).first()
        if offered == (existing is not None):
            return False
        if offered:
            offering = MallService(mall=mall, service=service)
            try:
                offering.full_clean()
            except ValidationError as exc:
                raise CatalogError(" ".join(exc.messages)) from exc
            offering.save()
            MallTenant.objects.get_or_create(mall=mall, tenant_id=service.tenant_id)
        else:
            existing.delete()  # type: ignore[union-attr]
        audit(
            actor=acting_user,
            action="offering.added" if offered else "offering.removed",
            obj=service,
            mall_id=mall.pk,
            data={"mall": mall.slug},
        )
        publish(
            group_name("mall", mall.pk),
            Event("offering.changed", {"service_id": service.pk, "offered": offered}),
        )
    return True

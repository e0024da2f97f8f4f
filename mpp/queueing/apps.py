from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "mpp.queueing"
    label = "queueing"
    verbose_name = _("Antrean")

    def ready(self) -> None:
        from mpp.catalog.models import MallService, MallTenant, Service, Tenant
        from mpp.core.refcache import invalidate_on_change
        from mpp.malls.models import Holiday, Mall, OpeningHours, Region
        from mpp.queueing.models import Queue, QueueSettings

        # What issuing a ticket reads is kept in memory (queueing.refs) and dropped on change.
        invalidate_on_change(
            Region, Mall, OpeningHours, Holiday, Tenant, Service, MallTenant, MallService,
            Queue, QueueSettings,
        )  # fmt: skip

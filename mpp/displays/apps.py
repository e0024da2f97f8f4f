from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisplaysConfig(AppConfig):
    """Display boards (TV per mall): pages and scripts over the queue's snapshot and events."""

    name = "mpp.displays"
    label = "displays"
    verbose_name = _("Papan tampilan")

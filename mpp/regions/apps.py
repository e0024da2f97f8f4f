from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    """Region data packages (one folder each) and the commands that load them; no models."""

    name = "mpp.regions"
    label = "regions"
    verbose_name = _("Paket data wilayah")

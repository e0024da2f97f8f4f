from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetapersConfig(AppConfig):
    name = "mpp.metapers"
    label = "metapers"
    verbose_name = _("Metapers (MPP virtual)")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MallsConfig(AppConfig):
    name = "mpp.malls"
    label = "malls"
    verbose_name = _("Wilayah dan gedung MPP")

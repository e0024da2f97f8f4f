from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "mpp.surveys"
    label = "surveys"
    verbose_name = _("Survei kepuasan masyarakat")

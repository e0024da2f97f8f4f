from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mpp.accounts"
    label = "accounts"
    verbose_name = _("Petugas dan peran")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from mpp.accounts.models import ApiToken, StaffProfile
        from mpp.core.refcache import invalidate_on_change

        # API tokens and their owners are kept in memory (accounts.tokens): a revoked token,
        # a deactivated user or a changed role takes effect on the next request.
        invalidate_on_change(ApiToken, get_user_model(), StaffProfile)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the role-aware site (INSTALLED_APPS names it instead)."""

    default = False  # not the default configuration of mpp.accounts
    default_site = "mpp.accounts.admin_scope.StaffAdminSite"

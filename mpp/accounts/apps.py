from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mpp.accounts"
    label = "accounts"
    verbose_name = _("Petugas dan peran")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from mpp.accounts.models import StaffProfile

        # Whatever deactivates an account or removes its role (the admin, a command, the shell)
        # revokes its API tokens; a new password does too (accounts.passwords).
        post_save.connect(
            _revoke_when_deactivated, sender=get_user_model(), dispatch_uid="accounts:deactivated"
        )
        post_delete.connect(
            _revoke_when_profile_removed, sender=StaffProfile, dispatch_uid="accounts:no-profile"
        )


def _revoke_when_deactivated(sender: Any, instance: Any, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if kwargs.get("raw") or instance.is_active or (fields and "is_active" not in fields):
        return
    from mpp.accounts.actions import RevokeReason, revoke_api_tokens_of

    revoke_api_tokens_of(instance.pk, reason=RevokeReason.DEACTIVATED)


def _revoke_when_profile_removed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from mpp.accounts.actions import RevokeReason, revoke_api_tokens_of

    revoke_api_tokens_of(instance.user_id, reason=RevokeReason.PROFILE_REMOVED)


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the role-aware site (INSTALLED_APPS names it instead)."""

    default = False  # not the default configuration of mpp.accounts
    default_site = "mpp.accounts.admin_scope.StaffAdminSite"

"""Changes to staff accounts with consequences: revoking API tokens."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction

from mpp.accounts.models import ApiToken
from mpp.core.models import audit


class RevokeReason(StrEnum):
    """Why tokens were revoked, as written in the audit trail."""

    BY_HAND = "by_hand"  # the owner signed out (API) or someone revoked it in the admin
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 - a reason, not a password
    DEACTIVATED = "deactivated"
    PROFILE_REMOVED = "profile_removed"


def revoke_api_token(token: ApiToken, *, acting_user: object | None) -> None:
    """Revoke one token: deleted, so it stops working in every process at once (its deletion
    drops the tokens kept in memory, accounts.apps)."""
    with transaction.atomic():
        audit(
            actor=acting_user,
            action="api_token.revoked",
            obj=token,
            data={"owner": token.user_id, "prefix": token.prefix, "reason": RevokeReason.BY_HAND},
        )
        # Not token.delete(): the object may be the one kept in memory for other requests.
        ApiToken.objects.filter(pk=token.pk).delete()


def revoke_api_tokens_of(
    user_id: int, *, reason: RevokeReason, acting_user: object | None = None
) -> int:
    """Revoke every token of one account (password changed, deactivated, role removed); returns
    how many there were. Nothing is written when there were none."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user_id=user_id).only("pk", "user_id", "prefix"))
        for token in tokens:
            audit(
                actor=acting_user,
                action="api_token.revoked",
                obj=token,
                data={"owner": user_id, "prefix": token.prefix, "reason": reason},
            )
        if tokens:
            ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
    return len(tokens)

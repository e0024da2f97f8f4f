"""Access helpers of the chats: every 403/404 about a conversation is decided here, once.

Who reads what:
- the visitor: their own conversations, by the random key in their signed cookie (no account);
- a tenant officer: their tenant's conversations at the malls they serve, and may act on them;
- a mall supervisor: every conversation at their mall, read only — they oversee the quality of
  service at the mall, but answering is the tenant's job (and a second voice would confuse);
- everyone else (regency admin, leadership, auditors, kiosks): 403. A chat is between a citizen
  and a tenant; aggregate figures, not texts, are what the region reads.
Unknown conversations are 404 for everyone; known ones outside the reader's scope are 403.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from mpp.accounts.access import staff_profile
from mpp.accounts.models import Role
from mpp.catalog.models import MallTenant
from mpp.malls.access import access_public_mall
from mpp.metapers.models import CannedAnswer, Conversation

VISITOR_COOKIE = "mpp_tanya"
_SALT = "metapers.chat"
VISITOR_COOKIE_AGE = 30 * 24 * 3600  # a month: a question may wait for the tenant's day


def new_visitor_key() -> str:
    """256 random bits, URL-safe (43 characters, Conversation.visitor_key)."""
    return secrets.token_urlsafe(32)


def visitor_key_from_cookies(cookies: Mapping[str, str]) -> str | None:
    """The visitor key of a signed cookie (pages and websockets alike), or None."""
    holder = HttpRequest()  # the public API of signed cookies lives on the request
    holder.COOKIES = dict(cookies)
    key = holder.get_signed_cookie(
        VISITOR_COOKIE, default=None, salt=_SALT, max_age=VISITOR_COOKIE_AGE
    )
    return key if isinstance(key, str) else None


def visitor_key_of(request: HttpRequest) -> str | None:
    return visitor_key_from_cookies(request.COOKIES)


def remember_visitor(response: HttpResponse, key: str) -> None:
    """Keep the key in a signed, HTTP-only cookie: scripts never see it; the browser sends it
    with the page's requests and its websocket handshake (same origin)."""
    response.set_signed_cookie(
        VISITOR_COOKIE,
        key,
        salt=_SALT,
        max_age=VISITOR_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def access_chat_desk(slug: str, tenant_slug: str) -> MallTenant:
    """The tenant present at the mall a visitor asks: 404 for an unknown mall, or a tenant
    unknown or not serving at this mall."""
    mall = access_public_mall(slug=slug)
    at_mall = (
        MallTenant.objects.select_related("tenant")
        .filter(mall=mall, tenant__slug=tenant_slug)
        .first()
    )
    if at_mall is None:
        raise Http404(_("Instansi ini tidak melayani di mal ini."))
    at_mall.mall = mall
    return at_mall


def access_conversation_for_visitor(conversation_id: int, visitor_key: str | None) -> Conversation:
    conversation = (
        Conversation.objects.select_related("mall", "tenant").filter(pk=conversation_id).first()
    )
    if conversation is None:
        raise Http404(_("Percakapan tidak ditemukan."))
    if not visitor_key or not secrets.compare_digest(conversation.visitor_key, visitor_key):
        raise PermissionDenied(_("Percakapan ini bukan milik Anda."))
    return conversation


@dataclass(frozen=True)
class InboxScope:
    """What a staff member's inbox holds: tenant None means every tenant (a supervisor)."""

    tenant_id: int | None
    mall_ids: list[int]
    can_act: bool

    @property
    def tenant_ids(self) -> list[int] | None:
        return None if self.tenant_id is None else [self.tenant_id]


def inbox_scope_of(user: object) -> InboxScope | None:
    profile = staff_profile(user)
    if profile is None:
        return None
    if profile.role == Role.TENANT_OFFICER and profile.tenant_id:
        malls = list(profile.malls.values_list("pk", flat=True))
        return InboxScope(tenant_id=profile.tenant_id, mall_ids=malls, can_act=True)
    if profile.role == Role.MALL_SUPERVISOR and profile.mall_id:
        return InboxScope(tenant_id=None, mall_ids=[profile.mall_id], can_act=False)
    return None


def access_inbox(user: object) -> InboxScope:
    """The inbox of a signed-in user: 403 unless a tenant officer or a mall supervisor."""
    scope = inbox_scope_of(user)
    if scope is None:
        raise PermissionDenied(_("Kotak obrolan hanya untuk petugas instansi dan pengawas mal."))
    return scope


def _in_scope(scope: InboxScope | None, conversation: Conversation) -> bool:
    return (
        scope is not None
        and conversation.mall_id in scope.mall_ids
        and (scope.tenant_id is None or scope.tenant_id == conversation.tenant_id)
    )


def access_conversation_for_staff(
    user: object, conversation_id: int, *, to_act: bool = False
) -> Conversation:
    """A conversation a staff member may read (`to_act`: answer, claim, hand over, close)."""
    conversation = (
        Conversation.objects.select_related("mall", "tenant", "officer")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404(_("Percakapan tidak ditemukan."))
    scope = inbox_scope_of(user)
    if not _in_scope(scope, conversation):
        raise PermissionDenied(_("Percakapan ini milik instansi atau mal lain."))
    if to_act and not (scope and scope.can_act):
        raise PermissionDenied(_("Pengawas mal hanya dapat membaca percakapan."))
    return conversation


def access_conversation(request: HttpRequest, conversation_id: int) -> Conversation:
    """For the snapshot both sides read: the visitor by key, else staff in scope."""
    key = visitor_key_of(request)
    conversation = Conversation.objects.filter(pk=conversation_id).only("visitor_key").first()
    if conversation is not None and key and secrets.compare_digest(conversation.visitor_key, key):
        return access_conversation_for_visitor(conversation_id, key)
    return access_conversation_for_staff(request.user, conversation_id)


def may_join_conversation(user: object, cookies: Mapping[str, str], conversation_id: int) -> bool:
    """The websocket's check: the conversation's visitor, or staff who may read it."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return False
    key = visitor_key_from_cookies(cookies)
    if key and secrets.compare_digest(conversation.visitor_key, key):
        return True
    return _in_scope(inbox_scope_of(user), conversation)


def access_canned(conversation: Conversation, canned_id: int) -> CannedAnswer:
    """A canned answer of the conversation's tenant: 404 if unknown or another tenant's."""
    canned = CannedAnswer.objects.filter(pk=canned_id, tenant_id=conversation.tenant_id).first()
    if canned is None:
        raise Http404(_("Jawaban siap pakai tidak ditemukan."))
    return canned

""" "Tanya petugas" pages: the visitor's chat, the officers' inbox and conversation page.

Every form works without JavaScript (post, then redirect); chat.js sends the same forms with
`Accept: application/json` and gets the conversation's snapshot (or the error) as JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.core import clock
from mpp.metapers import actions
from mpp.metapers import chat as chats  # its reads; the view `chat` below is the page
from mpp.metapers.access import (
    access_canned,
    access_chat_desk,
    access_conversation,
    access_conversation_for_staff,
    access_inbox,
    new_visitor_key,
    remember_visitor,
    visitor_key_of,
)
from mpp.metapers.chat import ChatRefused
from mpp.metapers.models import CannedAnswer, Conversation

MASKED_WARNING = gettext_lazy(
    "Jangan kirim NIK atau nomor telepon di obrolan. Angka yang mirip NIK atau nomor telepon "
    "sudah kami samarkan."
)


class ReplyForm(forms.Form):
    text = forms.CharField(required=False, strip=False)
    canned = forms.IntegerField(required=False, min_value=1)


class HandOverForm(forms.Form):
    to = forms.IntegerField(required=False, min_value=1)  # empty: back to the tenant's pool


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refused(request: HttpRequest, refused: ChatRefused, page: Any) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"error": str(refused), "code": refused.code}, status=refused.status)
    return page(status=refused.status, error=str(refused))


def _bad_form(request: HttpRequest, form: forms.Form, page: Any) -> HttpResponse:
    field, errors = next(iter(form.errors.items()))
    return _refused(request, ChatRefused(f"{field}: {errors[0]}", code="invalid"), page)


@require_http_methods(["GET", "HEAD", "POST"])
def chat(request: HttpRequest, slug: str, tenant_slug: str) -> HttpResponse:
    """A visitor's chat with a tenant's officers at a mall: the page, and posting a message."""
    desk = access_chat_desk(slug, tenant_slug)
    key = visitor_key_of(request)

    def page(status: int = 200, error: str = "") -> HttpResponse:
        conversation = chats.current_conversation(desk.mall, desk.tenant, key)
        context = {
            "mall": desk.mall,
            "tenant": desk.tenant,
            "conversation": conversation,
            "error": error,
            "warning": MASKED_WARNING,
            # Issue 18, item 11: with nobody at the chat, say when officers answer.
            "answers_at": None
            if chats.officers_online(desk.mall, desk.tenant)
            else chats.when_officers_answer(desk.mall, desk.tenant, clock.now()),
            "chat_messages": chats.messages_for_display(conversation) if conversation else [],
        }
        return render(request, "metapers/chat.html", context, status=status)

    if request.method in ("GET", "HEAD"):
        return page()
    key = key or new_visitor_key()
    try:
        posted = actions.post_visitor_message(
            mall=desk.mall,
            tenant=desk.tenant,
            visitor_key=key,
            text=request.POST.get("text", ""),
            address=request.META.get("REMOTE_ADDR", ""),
        )
    except ChatRefused as refused:
        return _refused(request, refused, page)
    if _wants_json(request):
        response: HttpResponse = JsonResponse(chats.snapshot(posted.conversation), status=201)
    else:
        if posted.message.was_masked:
            messages.warning(request, str(MASKED_WARNING))
        response = redirect(request.path)
    remember_visitor(response, key)
    return response


@require_safe
def chat_snapshot(request: HttpRequest, pk: int) -> JsonResponse:
    """The conversation's messages, for its visitor or staff who may read it."""
    conversation = access_conversation(request, pk)
    return JsonResponse(chats.snapshot(conversation), json_dumps_params={"ensure_ascii": False})


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """The waiting and open conversations of the officer's tenant at their malls."""
    scope = access_inbox(request.user)
    conversations = chats.inbox_conversations(tenant_ids=scope.tenant_ids, malls=scope.mall_ids)
    return render(request, "metapers/inbox.html", {"conversations": conversations, "scope": scope})


@login_required
@require_safe
def inbox_list(request: HttpRequest) -> HttpResponse:
    """The inbox's list alone: inbox.js reloads it on every event."""
    scope = access_inbox(request.user)
    conversations = chats.inbox_conversations(tenant_ids=scope.tenant_ids, malls=scope.mall_ids)
    return render(request, "metapers/_inbox_list.html", {"conversations": conversations})


def _officer_page(request: HttpRequest, conversation: Conversation) -> Callable[..., HttpResponse]:
    def page(status: int = 200, error: str = "") -> HttpResponse:
        conversation.refresh_from_db()
        context = {
            "conversation": conversation,
            "mall": conversation.mall,
            "tenant": conversation.tenant,
            "officer_view": True,
            "error": error,
            "can_act": access_inbox(request.user).can_act,
            "chat_messages": chats.messages_for_display(conversation),
            "canned_answers": CannedAnswer.objects.filter(tenant_id=conversation.tenant_id),
            "colleagues": chats.colleagues_of(conversation).exclude(user_id=request.user.pk or 0),
        }
        return render(request, "metapers/chat.html", context, status=status)

    return page


@login_required
@require_safe
def officer_chat(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access_conversation_for_staff(request.user, pk)
    return _officer_page(request, conversation)()


def _done(request: HttpRequest, conversation: Conversation) -> HttpResponse:
    if _wants_json(request):
        conversation.refresh_from_db()
        return JsonResponse(chats.snapshot(conversation))
    return redirect(reverse("metapers:officer-chat", kwargs={"pk": conversation.pk}))


@login_required
@require_POST
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access_conversation_for_staff(request.user, pk, to_act=True)
    try:
        actions.claim_conversation(conversation=conversation, acting_user=request.user)
    except ChatRefused as refused:
        return _refused(request, refused, _officer_page(request, conversation))
    return _done(request, conversation)


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """A typed reply, or a canned answer of the tenant (`canned`)."""
    conversation = access_conversation_for_staff(request.user, pk, to_act=True)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, form, _officer_page(request, conversation))
    canned_id = form.cleaned_data["canned"]
    canned = access_canned(conversation, canned_id) if canned_id else None
    try:
        actions.post_officer_reply(
            conversation=conversation,
            text=form.cleaned_data["text"],
            canned=canned,
            acting_user=request.user,
        )
    except ChatRefused as refused:
        return _refused(request, refused, _officer_page(request, conversation))
    return _done(request, conversation)


@login_required
@require_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """To a named colleague of the same tenant at this mall, or back to the tenant's pool."""
    conversation = access_conversation_for_staff(request.user, pk, to_act=True)
    form = HandOverForm(request.POST)
    if not form.is_valid():
        return _bad_form(request, form, _officer_page(request, conversation))
    try:
        actions.hand_over_conversation(
            conversation=conversation,
            acting_user=request.user,
            to_officer_id=form.cleaned_data["to"],
        )
    except ChatRefused as refused:
        return _refused(request, refused, _officer_page(request, conversation))
    if _wants_json(request):
        return _done(request, conversation)
    messages.success(request, _("Percakapan dialihkan."))
    return redirect(reverse("metapers:inbox"))


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    conversation = access_conversation_for_staff(request.user, pk, to_act=True)
    try:
        actions.close_conversation(conversation=conversation, acting_user=request.user)
    except ChatRefused as refused:
        return _refused(request, refused, _officer_page(request, conversation))
    return _done(request, conversation)

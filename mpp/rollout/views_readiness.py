"""The readiness page of each mall under /persiapan/kesiapan/<slug>/: the Mini MPP's checklist
(owner, due date, status, who marked it done, evidence) as the overview, then one folded
`<details>` per item the viewer may update (the owner's progress form; for DPMPTSP also the owner
and due-date form), opened when it holds errors, was just saved, or the address's fragment
targets it; the status change through the go-live gate, the trial day, and the status history.
No-JS forms; every write is one action (readiness, gate, trials)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from mpp.core import clock
from mpp.core.usercontent import USER_FILE_CSP
from mpp.malls.models import Mall
from mpp.rollout import gate, readiness, trials
from mpp.rollout.access import access_rollout_reader, may_update_item
from mpp.rollout.access_readiness import (
    access_item,
    access_readiness_editor,
    access_readiness_reader,
)
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.forms_readiness import ItemForm, PlanForm, StatusForm, TrialForm
from mpp.rollout.models import MallStatusChange, ReadinessItem, TrialDay


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The region's malls, each with its status and a link to its readiness page."""
    profile = access_rollout_reader(request.user)
    malls = Mall.objects.filter(region_id=profile.region_id).select_related("district")
    return render(request, "rollout/readiness_index.html", {"malls": malls})


@login_required
@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    profile, mall = access_readiness_reader(request.user, slug=slug)
    return _render(request, mall, is_editor=profile.is_regency_admin)


@login_required
@require_POST
def item_update(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An owner's progress on one item (access.may_update_item)."""
    profile, mall = access_readiness_reader(request.user, slug=slug)
    item = access_item(mall, pk)
    if not may_update_item(request.user, item):
        raise PermissionDenied(_("Butir ini hanya dapat diubah DPMPTSP atau instansi pemiliknya."))
    form = ItemForm(request.POST, request.FILES, item=item)
    if not form.is_valid():
        return _render(
            request, mall, is_editor=profile.is_regency_admin, forms={item.pk: form}, status=400
        )
    data = form.cleaned_data
    try:
        readiness.mark_item(
            item,
            actor=request.user,
            status=data["status"],
            note=data["note"],
            detail=data["detail"],
            evidence_upload=data["evidence"] or None,
            decree_number=data.get("decree_number", ""),
            decree_date=data.get("decree_date"),
        )
    except RolloutRefused as refused:
        return _render(
            request,
            mall,
            is_editor=profile.is_regency_admin,
            forms={item.pk: form},
            refused_item=(item.pk, refused.message),
            status=400,
        )
    messages.success(
        request, _("“%(t)s” disimpan.") % {"t": item.template.title}, extra_tags=_item_tag(item)
    )
    return redirect(f"{_url(mall)}#butir-{item.pk}")


@login_required
@require_POST
def item_plan(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """DPMPTSP changes an item's owner and due date."""
    _profile, mall = access_readiness_editor(request.user, slug=slug)
    item = access_item(mall, pk)
    form = PlanForm(request.POST, item=item, region=mall.region)
    if form.is_valid():
        try:
            readiness.plan_item(
                item,
                actor=request.user,
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
            )
        except RolloutRefused as refused:
            form.add_error("due_date", refused.message)
    if not form.is_valid():
        return _render(request, mall, is_editor=True, plan_forms={item.pk: form}, status=400)
    messages.success(
        request,
        _("Pemilik dan tenggat “%(t)s” disimpan.") % {"t": item.template.title},
        extra_tags=_item_tag(item),
    )
    return redirect(f"{_url(mall)}#butir-{item.pk}")


@login_required
@require_POST
def status_change(request: HttpRequest, slug: str) -> HttpResponse:
    """DPMPTSP changes the mall's status through the go-live gate."""
    _profile, mall = access_readiness_editor(request.user, slug=slug)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _render(request, mall, is_editor=True, status_form=form, status=400)
    try:
        gate.set_mall_status(
            mall,
            form.cleaned_data["status"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    except RolloutRefused as refused:
        code = 409 if refused.status == 409 else 400
        return _render(
            request, mall, is_editor=True, status_form=form, gate_refusal=refused, status=code
        )
    messages.success(request, _("Status %(m)s disimpan.") % {"m": mall.short_name})
    return redirect(f"{_url(mall)}#status")


@login_required
@require_POST
def trial_start(request: HttpRequest, slug: str) -> HttpResponse:
    """DPMPTSP opens today's trial day at a preparing Mini MPP."""
    _profile, mall = access_readiness_editor(request.user, slug=slug)
    form = TrialForm(request.POST)
    if not form.is_valid():
        return _render(request, mall, is_editor=True, status=400)
    try:
        trials.start_trial(mall, actor=request.user, note=form.cleaned_data["note"])
    except RolloutRefused as refused:
        messages.error(request, refused.message)
        return _render(request, mall, is_editor=True, status=400)
    messages.success(
        request,
        _("Hari uji coba dibuka: kios dan petugas %(m)s dapat mengambil nomor hari ini.")
        % {"m": mall.short_name},
    )
    return redirect(f"{_url(mall)}#uji-coba")


@login_required
@require_safe
def evidence(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """An item's evidence file, for those who read the rollout: a download (PDF) or an image
    shown as itself, its type the one we read from its first bytes (nosniff), and nothing in
    it may run (core.usercontent.USER_FILE_CSP)."""
    _profile, mall = access_readiness_reader(request.user, slug=slug)
    item = access_item(mall, pk)
    kind = readiness.BY_CONTENT_TYPE.get(item.evidence_type)
    if not item.evidence_file or kind is None or not default_storage.exists(item.evidence_file):
        raise Http404(_("Butir ini belum memiliki berkas bukti."))
    response = FileResponse(
        default_storage.open(item.evidence_file, "rb"),
        as_attachment=kind is readiness.PDF,
        filename=f"bukti-{mall.slug}-{item.template.code}.{kind.extension}",
        content_type=kind.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = USER_FILE_CSP
    response["Cache-Control"] = "private, no-store"
    return response


# --- the page -------------------------------------------------------------------------------


def _url(mall: Mall) -> str:
    return reverse("rollout:readiness", kwargs={"slug": mall.slug})


ITEM_TAG = "butir-"


def _item_tag(item: ReadinessItem) -> str:
    """The message's mark: the page shows it inside that item's folded form, not at the top."""
    return f"{ITEM_TAG}{item.pk}"


def _render(
    request: HttpRequest,
    mall: Mall,
    *,
    is_editor: bool,
    forms: dict[int, ItemForm] | None = None,
    plan_forms: dict[int, PlanForm] | None = None,
    status_form: StatusForm | None = None,
    gate_refusal: RolloutRefused | None = None,
    refused_item: tuple[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = clock.now().astimezone(mall.zone).date()
    forms, plan_forms = forms or {}, plan_forms or {}
    notices, saved = _split_messages(request)
    rows: list[dict[str, Any]] = []
    for item in readiness.items_of(mall):
        may_update = may_update_item(request.user, item)
        form = forms.get(item.pk) or (ItemForm(item=item) if may_update else None)
        plan_form = plan_forms.get(item.pk) or (
            PlanForm(item=item, region=mall.region) if is_editor else None
        )
        error = refused_item[1] if refused_item and refused_item[0] == item.pk else ""
        updatable = form is not None or plan_form is not None
        rows.append(
            {
                "item": item,
                "overdue": item.is_overdue(today),
                "may_update": may_update,
                "updatable": updatable,
                "form": form,
                "plan_form": plan_form,
                "error": error,
                "saved": saved.get(item.pk, []) if updatable else [],
                # Folded unless it has something to say: errors, a refusal, or "saved".
                "open": bool(
                    error or item.pk in forms or item.pk in plan_forms or saved.get(item.pk)
                ),
            }
        )
    shown = {r["item"].pk for r in rows if r["updatable"]}
    notices += [m for pk, ms in saved.items() if pk not in shown for m in ms]
    done = sum(1 for r in rows if r["item"].status == ReadinessItem.Status.DONE)
    context = {
        "mall": mall,
        "rows": rows,
        "updatable_rows": [r for r in rows if r["updatable"]],
        "notices": notices,
        "done": done,
        "is_mini": mall.kind == Mall.Kind.MINI_MPP,
        "is_editor": is_editor,
        "today": today,
        "problems": gate.gate_problems(mall),
        "status_form": status_form or StatusForm(initial={"status": mall.status}),
        "gate_refusal": gate_refusal,
        "open_items": (gate_refusal.extra.get("open_items", []) if gate_refusal else []),
        "trial_today": trials.open_trial(mall, today),
        "trials": TrialDay.objects.filter(mall=mall)[:10],
        "may_open_trial": is_editor
        and mall.kind == Mall.Kind.MINI_MPP
        and mall.status == Mall.Status.PREPARING,
        "trial_form": TrialForm(),
        "history": MallStatusChange.objects.filter(mall=mall).select_related("actor")[:20],
    }
    return render(request, "rollout/readiness.html", context, status=status)


def _split_messages(request: HttpRequest) -> tuple[list[Any], dict[int, list[Any]]]:
    """The page's messages: those for the whole page, and those of one item by its id."""
    notices: list[Any] = []
    saved: dict[int, list[Any]] = {}
    for message in messages.get_messages(request):
        tag = message.extra_tags or ""
        if tag.startswith(ITEM_TAG) and tag[len(ITEM_TAG) :].isdigit():
            saved.setdefault(int(tag[len(ITEM_TAG) :]), []).append(message)
        else:
            notices.append(message)
    return notices, saved

"""The staff roster's pages (issue 19, item 3), for DPMPTSP and BKPSDM only: the regency's
Mini MPPs with their staff and local share, one Mini MPP's staff, a member's record and
postings. Everybody else gets 403 (the board shows them counts, without names)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.malls.models import Mall
from mpp.rollout import roster
from mpp.rollout.access import (
    access_assignment,
    access_roster_mall,
    access_staff_editor,
    access_staff_member,
)
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.forms_roster import AssignForm, EndAssignmentForm, MemberForm
from mpp.rollout.models import Assignment, StaffMember


@login_required
@require_safe
def roster_overview(request: HttpRequest) -> HttpResponse:
    """Every Mini MPP of the region: staff on duty today, how many live in its kecamatan, and
    the regency's share; then the members without a posting."""
    profile = access_staff_editor(request.user)
    region = profile.region
    today = roster.today_in(region)
    malls = list(
        Mall.objects.filter(region=region, kind=Mall.Kind.MINI_MPP)
        .select_related("district")
        .order_by("district__code")
    )
    counts = roster.staff_counts([m.pk for m in malls], today)
    empty = roster.StaffCount(0, 0)
    rows = [(mall, counts.get(mall.pk, empty)) for mall in malls]
    # Without a posting today or ahead (a posting starting next week is no gap to fill).
    running = Assignment.objects.filter(member=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    unposted = (
        StaffMember.objects.filter(region=region)
        .exclude(Exists(running))
        .select_related("domicile_village__district")
    )
    return render(
        request,
        "rollout/roster.html",
        {
            "region": region,
            "today": today,
            "rows": rows,
            "total": roster.regency_count(counts),
            "unposted": list(unposted[:200]),
        },
    )


@login_required
@require_safe
def roster_mall(request: HttpRequest, mall_id: int) -> HttpResponse:
    """One Mini MPP's staff on duty (masked NIP, domicile, local or not) and past postings."""
    profile, mall = access_roster_mall(request.user, mall_id)
    today = roster.today_in(profile.region)
    current = list(roster.active_assignments([mall.pk], today))
    rows = [(a, roster.mask_nip(a.member.nip), roster.is_local(a.member, mall)) for a in current]
    past = (
        Assignment.objects.filter(mall=mall, end_date__lt=today)
        .select_related("member")
        .order_by("-end_date", "pk")[:50]
    )
    count = roster.staff_counts([mall.pk], today).get(mall.pk, roster.StaffCount(0, 0))
    return render(
        request,
        "rollout/roster_mall.html",
        {
            "mall": mall,
            "today": today,
            "rows": rows,
            "count": count,
            "past": list(past),
            "end_form": EndAssignmentForm(today=today, initial={"end_date": today.isoformat()}),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    """Add a person to the roster (posting them is the next step, on their page)."""
    profile = access_staff_editor(request.user)
    form = MemberForm(request.POST or None, region=profile.region)
    if request.method == "POST":
        member = _save(request, form, profile.region, None)
        if member is not None:
            messages.success(request, _("Pegawai ditambahkan. Tugaskan ke Mini MPP di bawah."))
            return redirect("rollout:roster-member", member_id=member.pk)
        return render(request, "rollout/roster_member_form.html", {"form": form}, status=400)
    return render(request, "rollout/roster_member_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    """A member's record (changeable) and postings, with the form that posts them."""
    profile, member = access_staff_member(request.user, member_id)
    form = MemberForm(request.POST or None, region=profile.region, member=member)
    if request.method == "POST":
        if _save(request, form, profile.region, member) is not None:
            messages.success(request, _("Data pegawai disimpan."))
            return redirect("rollout:roster-member", member_id=member.pk)
        return _member_page(request, member, form=form, status=400)
    return _member_page(request, member, form=form)


@login_required
@require_POST
def assign(request: HttpRequest, member_id: int) -> HttpResponse:
    """Post a member at a Mini MPP (one at a time: a clash is refused and named)."""
    profile, member = access_staff_member(request.user, member_id)
    form = AssignForm(request.POST, region=profile.region, today=roster.today_in(profile.region))
    if form.is_valid():
        try:
            assignment = roster.assign(
                member,
                form.cleaned_data["mall"],
                position=form.cleaned_data["position"],
                start_date=form.cleaned_data["start_date"],
                actor=request.user,
            )
        except RolloutRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("%(name)s ditugaskan di %(mall)s.")
                % {"name": member.full_name, "mall": assignment.mall.short_name},
            )
            return redirect("rollout:roster-member", member_id=member.pk)
    return _member_page(request, member, assign_form=form, status=400)


@login_required
@require_POST
def end(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """End a posting on its last day served."""
    profile, assignment = access_assignment(request.user, assignment_id)
    form = EndAssignmentForm(request.POST, today=roster.today_in(profile.region))
    if form.is_valid():
        try:
            roster.end_assignment(
                assignment, end_date=form.cleaned_data["end_date"], actor=request.user
            )
        except RolloutRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(
                request,
                _("Penugasan %(name)s di %(mall)s diakhiri.")
                % {"name": assignment.member.full_name, "mall": assignment.mall.short_name},
            )
            return redirect("rollout:roster-mall", mall_id=assignment.mall_id)
    return render(
        request,
        "rollout/roster_end_refused.html",
        {"assignment": assignment, "form": form},
        status=400,
    )


def _save(
    request: HttpRequest, form: MemberForm, region: Any, member: StaffMember | None
) -> StaffMember | None:
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return roster.save_member(
            region=region,
            actor=request.user,
            member=member,
            full_name=data["full_name"],
            nip=data["nip"],
            employment=data["employment"],
            domicile_village=data["domicile_village"],
            user=data.get("user"),
        )
    except ValidationError as error:  # a race with another save of the same NIP
        form.add_error(None, error)
        return None


def _member_page(
    request: HttpRequest,
    member: StaffMember,
    *,
    form: MemberForm | None = None,
    assign_form: AssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    region = member.region
    today = roster.today_in(region)
    postings = list(
        member.assignments.select_related("mall__district").order_by("-start_date", "-pk")
    )
    running = [p for p in postings if p.end_date is None or p.end_date >= today]
    return render(
        request,
        "rollout/roster_member.html",
        {
            "member": member,
            "masked_nip": roster.mask_nip(member.nip),
            "form": form or MemberForm(region=region, member=member),
            "assign_form": assign_form or AssignForm(region=region, today=today),
            "end_form": EndAssignmentForm(today=today, initial={"end_date": today.isoformat()}),
            "postings": [(p, roster.is_local(member, p.mall)) for p in postings],
            "running": running,
            "today": today,
        },
        status=status,
    )

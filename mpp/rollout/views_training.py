"""Operator training pages under /persiapan/pelatihan/ (issue 19, item 4): the curriculum, the
sessions with their participants, attendance grid and scores grid, a participant's record, the
certificate PDF; and the public verification page /sertifikat/<code>/. DPMPTSP edits, BKPSDM
reads (access_training). The rules live in rollout.training; these views fetch, parse, call
and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from mpp.accounts.access import staff_profile
from mpp.rollout import training
from mpp.rollout.access_training import (
    access_certificate,
    access_training,
    access_training_member,
    access_training_session,
)
from mpp.rollout.certificates import certificate_pdf
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.forms_training import (
    AttendanceForm,
    ParticipantsForm,
    ScoresForm,
    SessionForm,
    attendance_cell,
    score_field,
)
from mpp.rollout.models import (
    Assessment,
    Attendance,
    Certificate,
    TrainingModule,
    TrainingSession,
)


def _may_edit(request: HttpRequest) -> bool:
    profile = staff_profile(request.user)
    return profile is not None and profile.is_regency_admin


def _refused(request: HttpRequest, refused: RolloutRefused, back: str) -> HttpResponse:
    """A refusal of the rules, in its own Indonesian words, with its status."""
    context = {"message": str(refused), "back": back}
    return render(request, "rollout/training_refused.html", context, status=refused.status)


@login_required
@require_safe
def curriculum(request: HttpRequest) -> HttpResponse:
    """The region's modules (which a counter needs) and its sessions."""
    profile = access_training(request.user)
    modules = TrainingModule.objects.filter(region_id=profile.region_id).order_by("order", "code")
    sessions = (
        TrainingSession.objects.filter(region_id=profile.region_id)
        .select_related("venue")
        .annotate(people=Count("participants", distinct=True))
    )
    return render(
        request,
        "rollout/training.html",
        {"modules": modules, "sessions": sessions, "may_edit": _may_edit(request)},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    """DPMPTSP plans a session: title, venue, dates, trainer, modules."""
    profile = access_training(request.user, edit=True)
    form = SessionForm(request.POST or None, region=profile.region)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = training.create_session(
                    region=profile.region,
                    title=data["title"],
                    venue=data["venue"],
                    start_date=data["start_date"],
                    end_date=data["end_date"],
                    trainer=data["trainer"],
                    modules=data["modules"],
                    actor=request.user,
                )
            except RolloutRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Sesi pelatihan dibuat. Tambahkan pesertanya."))
                return redirect("rollout:training-session", session_id=session.pk)
        return render(request, "rollout/training_session_form.html", {"form": form}, status=400)
    return render(request, "rollout/training_session_form.html", {"form": form})


def _participant_rows(session: TrainingSession) -> list[dict[str, Any]]:
    """Each participant: days attended, modules of the session passed, the certificate or
    why not yet (a bounded number of queries whatever the count)."""
    module_ids = set(session.modules.values_list("pk", flat=True))
    members = list(session.participants.order_by("full_name"))
    days = dict(
        Attendance.objects.filter(session=session, present=True)
        .values("member_id")
        .annotate(n=Count("pk"))
        .values_list("member_id", "n")
    )
    passed: dict[int, set[int]] = {}
    for member_id, module_id in Assessment.objects.filter(
        member__in=members, passed=True, module_id__in=module_ids
    ).values_list("member_id", "module_id"):
        passed.setdefault(member_id, set()).add(module_id)
    certificates = {c.member_id: c for c in Certificate.objects.filter(session=session)}
    return [
        {
            "member": m,
            "days": days.get(m.pk, 0),
            "passed": len(passed.get(m.pk, set())),
            "certificate": certificates.get(m.pk),
            "eligible": days.get(m.pk, 0) > 0 and passed.get(m.pk, set()) >= module_ids,
        }
        for m in members
    ]


@login_required
@require_safe
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session: its modules, its participants and their progress; DPMPTSP adds people."""
    _profile, session = access_training_session(request.user, session_id)
    may_edit = _may_edit(request)
    return render(
        request,
        "rollout/training_session.html",
        {
            "session": session,
            "modules": session.modules.order_by("order", "code"),
            "rows": _participant_rows(session),
            "form": ParticipantsForm(session=session) if may_edit else None,
            "may_edit": may_edit,
        },
    )


@login_required
@require_POST
def session_participants(request: HttpRequest, session_id: int) -> HttpResponse:
    """DPMPTSP adds staff members of the region to the session."""
    _profile, session = access_training_session(request.user, session_id, edit=True)
    form = ParticipantsForm(request.POST, session=session)
    if not form.is_valid():
        return render(request, "400.html", {"form_errors": form.errors}, status=400)
    added = training.add_participants(session, form.cleaned_data["members"], actor=request.user)
    messages.success(request, _("%(n)d peserta ditambahkan.") % {"n": added})
    return redirect("rollout:training-session", session_id=session.pk)


@login_required
@require_POST
def session_participant_remove(
    request: HttpRequest, session_id: int, member_id: int
) -> HttpResponse:
    """DPMPTSP takes someone off the session (refused once records exist)."""
    _profile, session = access_training_session(request.user, session_id, edit=True)
    _profile, member = access_training_member(request.user, member_id, edit=True)
    try:
        training.remove_participant(session, member, actor=request.user)
    except RolloutRefused as refused:
        return _refused(request, refused, reverse("rollout:training-session", args=[session.pk]))
    messages.success(request, _("%(n)s dikeluarkan dari sesi.") % {"n": member.full_name})
    return redirect("rollout:training-session", session_id=session.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """The attendance grid: a row per participant, a column per day of the session."""
    _profile, session = access_training_session(
        request.user, session_id, edit=request.method == "POST"
    )
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            return render(request, "400.html", {"form_errors": form.errors}, status=400)
        try:
            changed = training.set_attendance(
                session, form.cleaned_data["hadir"], actor=request.user
            )
        except RolloutRefused as refused:
            back = reverse("rollout:training-attendance", args=[session.pk])
            return _refused(request, refused, back)
        messages.success(request, _("Kehadiran disimpan (%(n)d perubahan).") % {"n": changed})
        return redirect("rollout:training-attendance", session_id=session.pk)
    days = training.session_days(session)
    present = set(
        Attendance.objects.filter(session=session, present=True).values_list("member_id", "day")
    )
    rows = [
        {
            "member": m,
            "cells": [
                {"day": d, "name": attendance_cell(m.pk, d), "checked": (m.pk, d) in present}
                for d in days
            ],
        }
        for m in session.participants.order_by("full_name")
    ]
    context = {"session": session, "days": days, "rows": rows, "may_edit": _may_edit(request)}
    return render(request, "rollout/training_attendance.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def session_scores(request: HttpRequest, session_id: int) -> HttpResponse:
    """The scores grid: a row per participant, a column per module (0–100, blank: not yet)."""
    _profile, session = access_training_session(
        request.user, session_id, edit=request.method == "POST"
    )
    members = list(session.participants.order_by("full_name"))
    modules = list(session.modules.order_by("order", "code"))
    recorded = {
        (a.member_id, a.module_id): a.score for a in Assessment.objects.filter(session=session)
    }
    initial = {score_field(m, mod): s for (m, mod), s in recorded.items()}
    form = ScoresForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        members=members,
        modules=modules,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changed = 0
            try:
                for member, module, score in form.scores():
                    if recorded.get((member.pk, module.pk)) != score:
                        training.record_assessment(
                            member, module, score=score, session=session, actor=request.user
                        )
                        changed += 1
            except RolloutRefused as refused:
                back = reverse("rollout:training-scores", args=[session.pk])
                return _refused(request, refused, back)
            messages.success(request, _("Nilai disimpan (%(n)d perubahan).") % {"n": changed})
            return redirect("rollout:training-scores", session_id=session.pk)
        status = 400
    rows = [
        {"member": m, "cells": [form[score_field(m.pk, mod.pk)] for mod in modules]}
        for m in members
    ]
    context = {
        "session": session,
        "modules": modules,
        "rows": rows,
        "form": form,
        "may_edit": _may_edit(request),
    }
    return render(request, "rollout/training_scores.html", context, status=status)


@login_required
@require_POST
def certificate_issue(request: HttpRequest, session_id: int, member_id: int) -> HttpResponse:
    """DPMPTSP issues a participant's certificate (refused until they qualify)."""
    _profile, session = access_training_session(request.user, session_id, edit=True)
    _profile, member = access_training_member(request.user, member_id, edit=True)
    try:
        certificate = training.issue_certificate(member, session, request.user)
    except RolloutRefused as refused:
        return _refused(request, refused, reverse("rollout:training-session", args=[session.pk]))
    messages.success(request, _("Sertifikat %(no)s diterbitkan.") % {"no": certificate.number})
    return redirect("rollout:training-session", session_id=session.pk)


@login_required
@require_safe
def member_record(request: HttpRequest, member_id: int) -> HttpResponse:
    """One participant's training: sessions, days attended, scores, modules still needed for
    a counter and for the front desk, certificates."""
    profile, member = access_training_member(request.user, member_id)
    assessments = (
        Assessment.objects.filter(member=member)
        .select_related("module", "session")
        .order_by("module__order", "-assessed_at")
    )
    passed = training.passed_modules(member)
    required = training.required_modules(profile.region, front_desk=True)
    sessions = member.training_sessions.select_related("venue").annotate(
        days=Count("attendance", filter=Q(attendance__member=member, attendance__present=True))
    )
    context = {
        "member": member,
        "assessments": assessments,
        "sessions": sessions,
        "required": [{"module": m, "passed": m.pk in passed} for m in required],
        "certificates": member.certificates.select_related("session").order_by("-issued_at"),
    }
    return render(request, "rollout/training_member.html", context)


@login_required
@require_safe
def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The certificate as a PDF (DPMPTSP and BKPSDM hand it to the participant)."""
    certificate = access_certificate(request.user, certificate_id)
    response = HttpResponse(certificate_pdf(request, certificate), content_type="application/pdf")
    name = "sertifikat-" + certificate.number.replace("/", "-").lower()
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_safe
def certificate_check(request: HttpRequest, code: str) -> HttpResponse:
    """Public: whether a certificate with this check code exists, and for whom (masked) and
    which session. Nothing else of the person is shown."""
    certificate = (
        Certificate.objects.select_related("member", "session__venue", "session__region")
        .filter(code=code.upper())
        .first()
    )
    if certificate is None:
        raise Http404(_("Sertifikat dengan kode ini tidak ada."))
    session = certificate.session
    context = {
        "certificate": certificate,
        "name": training.masked_name(certificate.member.full_name),
        "session": session,
        "modules": session.modules.order_by("order", "code"),
    }
    response = render(request, "rollout/certificate_check.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response

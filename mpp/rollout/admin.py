"""Admin of the Mini MPP rollout (docs/adr/0031), scoped like every admin of ours
(accounts.admin_scope): rows of the user's region; DPMPTSP (the regency administrator) alone
changes them.

- The staff roster (members, postings) and the per-person training records (attendance,
  scores, certificates) are personal data: only DPMPTSP and BKPSDM see them
  (access.sees_staff_personal_data); the NIP is never shown in full.
- A rule-bearing change goes through its action, so the admin cannot bypass a rule the pages
  keep: a readiness item's status and evidence through readiness.mark_item (done needs its
  evidence), its owner and due date through readiness.plan_item; a posting through
  roster.assign / roster.end_assignment; a member's record through roster.save_member.
- What the actions or other pages write is read-only here: status changes (the go-live gate),
  trial day counts (queueing), who marked an item done, attendance, scores and certificates
  (the training pages).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mpp.accounts.access import staff_profile
from mpp.accounts.admin_scope import ScopedAdmin, is_regency_admin, is_superuser
from mpp.accounts.models import Role
from mpp.rollout import readiness, roster
from mpp.rollout.access import READERS, sees_staff_personal_data
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.forms_roster import MemberForm
from mpp.rollout.models import (
    Agency,
    AgencyMember,
    Assessment,
    Assignment,
    Attendance,
    Certificate,
    ChecklistTemplateItem,
    MallStatusChange,
    ReadinessItem,
    RolloutPlan,
    StaffMember,
    TrainingModule,
    TrainingSession,
    TrialDay,
)


def _reads_rollout(request: HttpRequest) -> bool:
    profile = staff_profile(request.user)
    return is_superuser(request) or (profile is not None and profile.role in READERS)


def _sees_personal_data(request: HttpRequest) -> bool:
    return is_superuser(request) or sees_staff_personal_data(request.user)


def _region_id(request: HttpRequest) -> int | None:
    profile = staff_profile(request.user)
    return None if profile is None else profile.region_id


class RolloutAdmin(ScopedAdmin):
    """Rows of the region, for the rollout's readers (DPMPTSP, leadership, auditors, agency
    liaisons); DPMPTSP changes them. `region_path`: the ORM path to the row's region."""

    region_path = "region"
    # True: personal data (DPMPTSP and BKPSDM only).
    personal = False
    # Fields nobody edits here (written by actions or other pages).
    always_readonly: tuple[str, ...] = ()

    def _may_read(self, request: HttpRequest) -> bool:
        return _sees_personal_data(request) if self.personal else _reads_rollout(request)

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request):
            return qs
        if not self._may_read(request):
            return qs.none()
        return qs.filter(**{f"{self.region_path}__id": _region_id(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_read(request)

    def editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if not is_regency_admin(request):
            return False
        return (
            obj is None
            or self.visible(request, self.model._default_manager.filter(pk=obj.pk)).exists()
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_regency_admin(request) and self._may_read(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # history of the rollout: correct a row, do not remove it

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [*super().get_readonly_fields(request, obj), *self.always_readonly]

    def get_exclude(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """The region is the editor's own (a superuser picks it)."""
        excluded = list(super().get_exclude(request, obj) or [])
        if self.region_path == "region" and not is_superuser(request):
            excluded.append("region")
        return excluded

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if self.region_path == "region" and not getattr(obj, "region_id", None):
            obj.region_id = _region_id(request)
        super().save_model(request, obj, form, change)

    def _users_of_region(self, request: HttpRequest, role: str | None = None) -> QuerySet[Any]:
        users = get_user_model()._default_manager.filter(staff_profile__isnull=False)
        if not is_superuser(request):
            users = users.filter(staff_profile__region_id=_region_id(request) or 0)
        if role is not None:
            users = users.filter(staff_profile__role=role)
        return users


class ReadOnlyRolloutAdmin(RolloutAdmin):
    """Rows written by an action or another page: shown, never changed here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


def _page_link(url_name: str, *args: Any, label: Any) -> str:
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:
        return "—"
    return format_html('<a href="{}">{}</a>', url, label)


# --- plan, agencies, checklist template -------------------------------------------------------


@admin.register(RolloutPlan)
class RolloutPlanAdmin(RolloutAdmin):
    list_display = ["region", "target_date", "training_required_to_open"]


@admin.register(Agency)
class AgencyAdmin(RolloutAdmin):
    list_display = ["name", "short_name", "code", "kind", "manages_staff"]
    list_filter = ["kind", "manages_staff"]
    search_fields = ["name", "short_name", "code"]


@admin.register(AgencyMember)
class AgencyMemberAdmin(RolloutAdmin):
    region_path = "agency__region"
    list_display = ["user", "agency", "district"]
    list_select_related = ["user", "agency", "district"]

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "user":  # a liaison account of the region
            return self._users_of_region(request, Role.AGENCY_LIAISON)
        return super().choices_for(request, db_field)


@admin.register(ChecklistTemplateItem)
class ChecklistTemplateItemAdmin(RolloutAdmin):
    list_display = ["order", "code", "title", "owner", "mandatory", "evidence", "due_date"]
    list_filter = ["mandatory", "evidence"]
    search_fields = ["code", "title"]
    list_select_related = ["owner"]


# --- readiness of each Mini MPP ---------------------------------------------------------------


class MallRolloutAdmin(RolloutAdmin):
    """Rows of a mall: the region's for the rollout's readers, their own mall's for a mall's
    staff (a supervisor sees how their Mini MPP is getting ready, and changes nothing)."""

    mall_path = "mall"
    region_path = "mall__region"

    def visible(self, request: HttpRequest, qs: QuerySet[Any]) -> QuerySet[Any]:
        if is_superuser(request) or _reads_rollout(request):
            return RolloutAdmin.visible(self, request, qs)
        return ScopedAdmin.visible(self, request, qs)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or staff_profile(request.user) is not None


@admin.register(ReadinessItem)
class ReadinessItemAdmin(MallRolloutAdmin):
    """Owner and due date through readiness.plan_item; status, note, detail and decree through
    readiness.mark_item (done only with the evidence its template asks for). A file is uploaded
    on the readiness page (bounded and type-checked there), never here."""

    refusals = (RolloutRefused,)
    list_display = ["mall", "template", "owner", "due_date", "status", "done_at"]
    list_filter = ["status", "owner"]
    list_select_related = ["mall", "template", "owner"]
    search_fields = ["template__title", "mall__short_name"]
    fields = [
        "mall",
        "template",
        "page",
        "owner",
        "due_date",
        "status",
        "note",
        "detail",
        "decree_number",
        "decree_date",
        "evidence_name",
        "evidence_type",
        "done_by",
        "done_at",
        "created_at",
        "updated_at",
    ]
    always_readonly = (
        "mall",
        "template",
        "page",
        "evidence_name",
        "evidence_type",
        "done_by",
        "done_at",
        "created_at",
        "updated_at",
    )
    PLANNED = ("owner", "due_date")
    MARKED = ("status", "note", "detail", "decree_number", "decree_date")

    @admin.display(description=_("halaman kesiapan"))
    def page(self, obj: ReadinessItem) -> str:
        return _page_link(
            "rollout:readiness", obj.mall.slug, label=_("Buka halaman kesiapan (unggah bukti)")
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # every Mini MPP's items come from the region's template (ensure_items)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        """The page's link only for who may open it (a mall supervisor may not)."""
        fields = list(super().get_fields(request, obj))
        return fields if _reads_rollout(request) else [f for f in fields if f != "page"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        item = ReadinessItem.objects.select_related("template", "mall", "owner").get(pk=obj.pk)
        changed = set(form.changed_data)
        if changed & set(self.PLANNED):
            item = readiness.plan_item(
                item,
                actor=request.user,
                owner=obj.owner if "owner" in changed else None,
                due_date=obj.due_date if "due_date" in changed else None,
            )
        if changed & set(self.MARKED):
            item = readiness.mark_item(
                item,
                actor=request.user,
                status=obj.status,
                note=obj.note,
                detail=obj.detail,
                decree_number=obj.decree_number,
                decree_date=obj.decree_date,
            )
        for name in ("done_by_id", "done_at", "status", "updated_at"):
            setattr(obj, name, getattr(item, name))

    def _audit(self, request: HttpRequest, action: str, obj: Model, message: Any) -> None:
        """plan_item and mark_item write their own audit entries."""


@admin.register(MallStatusChange)
class MallStatusChangeAdmin(MallRolloutAdmin):
    """The gate's record (rollout.gate): read-only."""

    list_display = ["at", "mall", "from_status", "to_status", "actor"]
    list_filter = ["to_status"]
    list_select_related = ["mall", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(TrialDay)
class TrialDayAdmin(MallRolloutAdmin):
    """Opened on the readiness page (trials.start_trial); the counts are queueing's. Only the
    note may be corrected here."""

    list_display = ["day", "mall", "tickets_issued", "tickets_called", "opened_by"]
    list_select_related = ["mall", "opened_by"]
    always_readonly = ("mall", "day", "opened_by", "tickets_issued", "tickets_called")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


# --- the staff roster (personal data) ---------------------------------------------------------


class StaffMemberAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The record with the roster's rules (MemberForm): a NIP left empty keeps the stored one,
    which is never shown in full."""

    class Meta:
        model = StaffMember
        fields = ["full_name", "employment", "nip", "domicile_village", "user"]

    region: Any = None  # set by the admin's get_form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        member = self.instance if self.instance.pk else None
        region = self.region or (member.region if member is not None else None)
        rules = MemberForm(region=region, member=member) if region is not None else None
        if "nip" in self.fields:
            self.initial["nip"] = ""
            self.fields["nip"].required = False
            if rules is not None:
                self.fields["nip"].help_text = rules.fields["nip"].help_text
        if "domicile_village" in self.fields:  # its choices: the region's (VillageAdmin)
            village = self.fields["domicile_village"]
            rules_field = MemberForm.base_fields["domicile_village"]
            village.help_text = rules_field.help_text
            village.error_messages = {**village.error_messages, **rules_field.error_messages}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        member = self.instance if self.instance.pk else None
        region = self.region or (member.region if member is not None else None)
        if region is None or "employment" not in data or "domicile_village" not in data:
            return data
        nip = "".join(str(data.get("nip") or "").split())
        if not nip and member is not None and data["employment"] != "honorer":
            nip = member.nip
        data["nip"] = nip
        for name, faults in roster.member_errors(
            region=region,
            nip=nip,
            employment=data["employment"],
            domicile_village=data["domicile_village"],
            member=member,
            user=data.get("user"),
        ).items():
            for fault in faults:
                if name in self.fields:
                    self.add_error(name, fault)
        return data


@admin.register(StaffMember)
class StaffMemberAdmin(RolloutAdmin):
    """Saved through roster.save_member (its checks and its audit entry)."""

    personal = True
    form = StaffMemberAdminForm
    list_display = ["full_name", "masked_nip", "employment", "domicile_village", "roster_page"]
    list_filter = ["employment"]
    search_fields = ["full_name"]
    list_select_related = ["domicile_village"]
    always_readonly = ("roster_page",)

    @admin.display(description=_("NIP"))
    def masked_nip(self, obj: StaffMember) -> str:
        return roster.mask_nip(obj.nip) or "—"

    @admin.display(description=_("halaman pegawai"))
    def roster_page(self, obj: StaffMember) -> str:
        if not obj.pk:
            return "—"
        return _page_link("rollout:roster-member", obj.pk, label=_("Buka"))

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = ["full_name", "employment", "nip", "domicile_village", "user"]
        if obj is not None:
            fields.append("roster_page")
        if is_superuser(request):
            fields.insert(0, "region")
        if not self.has_change_permission(request, obj):  # shown, never the full NIP
            fields = ["masked_nip" if f == "nip" else f for f in fields]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_change_permission(request, obj):
            fields.append("masked_nip")
        return fields

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form: Any = super().get_form(request, obj, change=change, **kwargs)
        profile = staff_profile(request.user)
        form.region = getattr(obj, "region", None) or (profile.region if profile else None)
        return form

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "user":  # the member's own staff account, of the region
            return self._users_of_region(request)
        return super().choices_for(request, db_field)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = form.cleaned_data
        region = data.get("region") or form.region
        saved = roster.save_member(
            region=region,
            actor=request.user,
            member=StaffMember.objects.get(pk=obj.pk) if change else None,
            full_name=data["full_name"],
            nip=data["nip"],
            employment=data["employment"],
            domicile_village=data["domicile_village"],
            user=data.get("user"),
        )
        obj.pk, obj.region_id, obj.nip = saved.pk, saved.region_id, saved.nip

    def _audit(self, request: HttpRequest, action: str, obj: Model, message: Any) -> None:
        """roster.save_member writes the audit entry (field names, no personal data)."""


class AssignmentAddForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Assignment
        fields = ["member", "mall", "position", "start_date"]


class AssignmentChangeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Assignment
        fields = ["end_date"]


@admin.register(Assignment)
class AssignmentAdmin(RolloutAdmin):
    """Made by roster.assign (one Mini MPP at a time), ended by roster.end_assignment; the
    rest of a posting is read-only."""

    personal = True
    region_path = "member__region"
    refusals = (RolloutRefused,)
    list_display = ["member", "mall", "position", "start_date", "end_date"]
    list_filter = ["mall"]
    list_select_related = ["member", "mall"]
    search_fields = ["member__full_name", "position"]

    def mall_of(self, obj: object) -> Any:
        return getattr(obj, "mall", None)

    def get_form(
        self, request: HttpRequest, obj: Model | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs["form"] = AssignmentChangeForm if obj is not None else AssignmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if obj is None:
            return ["member", "mall", "position", "start_date"]
        return ["member", "mall", "position", "start_date", "end_date", "assigned_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        if obj is None:
            return []
        return ["member", "mall", "position", "start_date", "assigned_by"] + (
            ["end_date"] if getattr(obj, "end_date", None) else []
        )

    def choices_for(self, request: HttpRequest, db_field: Any) -> QuerySet[Any] | None:
        if db_field.name == "mall":  # only a Mini MPP takes staff
            chosen = super().choices_for(request, db_field)
            base = chosen if chosen is not None else db_field.remote_field.model.objects.all()
            return base.filter(kind="mini_mpp")  # type: ignore[no-any-return]
        return super().choices_for(request, db_field)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            made = roster.assign(
                obj.member,
                obj.mall,
                position=obj.position,
                start_date=obj.start_date,
                actor=request.user,
            )
            obj.pk, obj.assigned_by_id = made.pk, made.assigned_by_id
            return
        if "end_date" in form.changed_data and obj.end_date is not None:
            stored = Assignment.objects.get(pk=obj.pk)
            roster.end_assignment(stored, end_date=obj.end_date, actor=request.user)

    def _audit(self, request: HttpRequest, action: str, obj: Model, message: Any) -> None:
        """roster.assign and roster.end_assignment write the audit entries."""


# --- training ---------------------------------------------------------------------------------


@admin.register(TrainingModule)
class TrainingModuleAdmin(RolloutAdmin):
    list_display = ["order", "code", "title", "hours", "pass_mark", "required_to_open_counter"]
    list_filter = ["required_to_open_counter", "for_front_desk_only"]
    search_fields = ["code", "title"]


@admin.register(TrainingSession)
class TrainingSessionAdmin(RolloutAdmin):
    """Participants are added and removed on the training page (a participant with records
    stays); here a session's title, place, dates, trainer and modules."""

    list_display = ["title", "venue", "start_date", "end_date", "trainer"]
    list_select_related = ["venue"]
    search_fields = ["title", "trainer"]

    def get_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        fields = ["title", "venue", "start_date", "end_date", "trainer", "modules"]
        if is_superuser(request):
            fields.insert(0, "region")
        if obj is not None:
            fields.append("participant_count")
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "participant_count"]

    @admin.display(description=_("peserta"))
    def participant_count(self, obj: TrainingSession) -> int:
        return obj.participants.count() if obj.pk else 0


class PersonalReadOnlyAdmin(ReadOnlyRolloutAdmin):
    personal = True


@admin.register(Attendance)
class AttendanceAdmin(PersonalReadOnlyAdmin):
    """Recorded on the training page (training.set_attendance)."""

    region_path = "session__region"
    list_display = ["session", "member", "day", "present"]
    list_select_related = ["session", "member"]


@admin.register(Assessment)
class AssessmentAdmin(PersonalReadOnlyAdmin):
    """Recorded on the training page (training.record_assessment)."""

    region_path = "member__region"
    list_display = ["member", "module", "score", "passed", "assessed_at"]
    list_filter = ["passed"]
    list_select_related = ["member", "module"]


@admin.register(Certificate)
class CertificateAdmin(PersonalReadOnlyAdmin):
    """Issued on the training page (training.issue_certificate)."""

    region_path = "member__region"
    list_display = ["number", "member", "session", "issued_at"]
    list_select_related = ["member", "session"]
    search_fields = ["number"]

"""Forms of the operator training pages: a new session, its participants, the attendance grid
and the scores grid. Each grid's cells are named after the participant (and the day or module),
so one POST carries the whole grid."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mpp.malls.models import Mall, Region
from mpp.rollout.models import StaffMember, TrainingModule, TrainingSession


class SessionForm(forms.ModelForm):  # type: ignore[type-arg]
    """A new session of the region: the venue one of its malls, the modules its curriculum's."""

    class Meta:
        model = TrainingSession
        fields = ["title", "venue", "start_date", "end_date", "trainer", "modules"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "modules": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.region = region
        venue, modules = self.fields["venue"], self.fields["modules"]
        assert isinstance(venue, forms.ModelChoiceField)
        assert isinstance(modules, forms.ModelMultipleChoiceField)
        venue.queryset = Mall.objects.filter(region=region)
        modules.queryset = TrainingModule.objects.filter(region=region).order_by("order", "code")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        if start and end and (end - start).days > 60:
            self.add_error("end_date", _("Satu sesi paling lama 61 hari."))
        return data


class ParticipantsForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Tambah peserta"),
        queryset=StaffMember.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, session: TrainingSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["members"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = StaffMember.objects.filter(region_id=session.region_id).exclude(
            training_sessions=session
        )


def attendance_cell(member_id: int, day: dt.date) -> str:
    return f"{member_id}:{day.isoformat()}"


class CellsField(forms.Field):
    """A list of strings (every value of the name in the POST)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(v) for v in value] if value else []


class AttendanceForm(forms.Form):
    """The grid's ticked cells, "<member id>:<YYYY-MM-DD>" each; the action checks that each
    names a participant and a day within the session (a day outside is refused, not dropped)."""

    hadir = CellsField(required=False)

    def clean_hadir(self) -> set[tuple[int, dt.date]]:
        cells: set[tuple[int, dt.date]] = set()
        values = self.cleaned_data["hadir"]
        if len(values) > 5000:
            raise forms.ValidationError(_("Terlalu banyak isian kehadiran."))
        for value in values:
            member, _sep, day = str(value).partition(":")
            try:
                if not member.isdigit() or len(member) > 18:
                    raise ValueError
                cells.add((int(member), dt.date.fromisoformat(day)))
            except ValueError:
                raise forms.ValidationError(
                    _("Isian kehadiran tidak sah: %(v)s.") % {"v": str(value)[:40]}
                ) from None
        return cells


def score_field(member_id: int, module_id: int) -> str:
    return f"nilai_{member_id}_{module_id}"


class ScoresForm(forms.Form):
    """One optional score (0–100) per participant and module of the session."""

    def __init__(
        self,
        *args: Any,
        members: list[StaffMember],
        modules: list[TrainingModule],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cells: list[tuple[StaffMember, TrainingModule, str]] = []
        for member in members:
            for module in modules:
                name = score_field(member.pk, module.pk)
                self.fields[name] = forms.IntegerField(
                    label=_("Nilai %(n)s, %(m)s") % {"n": member.full_name, "m": module.title},
                    min_value=0,
                    max_value=100,
                    required=False,
                )
                self.cells.append((member, module, name))

    def scores(self) -> list[tuple[StaffMember, TrainingModule, int]]:
        """The cells filled in."""
        return [
            (member, module, self.cleaned_data[name])
            for member, module, name in self.cells
            if self.cleaned_data.get(name) is not None
        ]

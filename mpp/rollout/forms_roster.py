"""Forms of the staff roster's pages; the rules themselves live in rollout.roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mpp.accounts.models import Role
from mpp.malls.models import Mall, Region, Village
from mpp.rollout import roster
from mpp.rollout.models import StaffMember

DATE_FORMATS = ["%Y-%m-%d"]
DATE_ERRORS = {
    "required": _("Isi tanggal."),
    "invalid": _("Tanggal tidak sah; gunakan format TTTT-BB-HH."),
}


class VillageChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A desa/kelurahan named with its kecamatan (two villages may share a name)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} — {obj.district.name}"


def region_villages(region: Region) -> QuerySet[Village]:
    return (
        Village.objects.filter(district__region=region)
        .select_related("district")
        .order_by("district__name", "name")
    )


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A staff account named by its user name and, when known, the person's name."""

    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name()
        return f"{obj.get_username()} ({name})" if name else str(obj.get_username())


def region_accounts(region: Region) -> QuerySet[Any]:
    """Accounts that open counters: officers and mall supervisors of the region."""
    return (
        get_user_model()
        ._default_manager.filter(
            is_active=True,
            staff_profile__region=region,
            staff_profile__role__in=[Role.TENANT_OFFICER, Role.MALL_SUPERVISOR],
        )
        .order_by("username")
    )


class MemberForm(forms.Form):
    """A staff member's record. On a change the NIP field starts empty: left empty, the stored
    NIP stays (the page never shows a NIP in full)."""

    full_name = forms.CharField(
        label=_("Nama lengkap"),
        max_length=120,
        error_messages={"required": _("Nama lengkap wajib diisi.")},
    )
    employment = forms.ChoiceField(
        label=_("Status kepegawaian"),
        choices=StaffMember.Employment.choices,
        error_messages={"required": _("Pilih status kepegawaian.")},
    )
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        required=False,
        help_text=_("18 angka, untuk PNS dan PPPK; kosong untuk honorer/non-ASN."),
    )
    domicile_village = VillageChoiceField(
        label=_("Desa/kelurahan domisili"),
        queryset=Village.objects.none(),
        help_text=_(
            "Sesuai alamat di Kartu Keluarga. Jangan diambil dari NIK: kode wilayah NIK "
            "menunjukkan tempat NIK diterbitkan, bukan tempat tinggal sekarang. Formulir ini "
            "tidak meminta NIK."
        ),
        error_messages={
            "required": _("Pilih desa/kelurahan domisili sesuai Kartu Keluarga."),
            "invalid_choice": _(
                "Desa/kelurahan itu tidak ada di wilayah ini; domisili harus desa/kelurahan "
                "di kabupaten ini."
            ),
        },
    )

    user = AccountChoiceField(
        label=_("Akun petugas"),
        queryset=get_user_model()._default_manager.none(),
        required=False,
        help_text=_(
            "Akun yang dipakai pegawai ini untuk membuka loket: pelatihan yang lulus dihitung "
            "untuk akun ini. Kosongkan bila belum punya akun."
        ),
        error_messages={"invalid_choice": _("Pilih akun petugas wilayah ini.")},
    )

    def __init__(
        self, *args: Any, region: Region, member: StaffMember | None = None, **kwargs: Any
    ) -> None:
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": member.full_name,
                "employment": member.employment,
                "domicile_village": member.domicile_village_id,
                "user": member.user_id,
            }
        super().__init__(*args, **kwargs)
        self.region, self.member = region, member
        field = self.fields["domicile_village"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = region_villages(region)
        account = self.fields["user"]
        assert isinstance(account, forms.ModelChoiceField)
        account.queryset = region_accounts(region)
        if member is not None and member.nip:
            self.fields["nip"].help_text = _(
                "Tersimpan: %(nip)s. Kosongkan untuk tetap memakai NIP itu; isi 18 angka untuk "
                "menggantinya."
            ) % {"nip": roster.mask_nip(member.nip)}

    def clean_nip(self) -> str:
        return "".join(str(self.cleaned_data.get("nip") or "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        employment = data.get("employment")
        if employment and "domicile_village" in data and "nip" in data:
            nip = data["nip"]
            if not nip and self.member is not None and employment != StaffMember.Employment.HONORER:
                nip = self.member.nip  # left empty: the stored NIP stays
            data["nip"] = nip
            errors = roster.member_errors(
                region=self.region,
                nip=nip,
                employment=employment,
                domicile_village=data["domicile_village"],
                member=self.member,
                user=data.get("user"),
            )
            for name, faults in errors.items():
                for fault in faults:
                    self.add_error(name, fault)
        return data


class AssignForm(forms.Form):
    mall = forms.ModelChoiceField(
        label=_("Mini MPP"),
        queryset=Mall.objects.none(),
        error_messages={
            "required": _("Pilih Mini MPP."),
            "invalid_choice": _("Pilih salah satu Mini MPP di wilayah ini."),
        },
    )
    position = forms.CharField(
        label=_("Jabatan/tugas"),
        max_length=120,
        help_text=_("Mis. petugas loket depan, operator antrean."),
        error_messages={"required": _("Jabatan/tugas wajib diisi.")},
    )
    start_date = forms.DateField(
        label=_("Mulai bertugas"), input_formats=DATE_FORMATS, error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, region: Region, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"start_date": today.isoformat()})
        super().__init__(*args, **kwargs)
        self.today = today
        field = self.fields["mall"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Mall.objects.filter(region=region, kind=Mall.Kind.MINI_MPP).select_related(
            "district"
        )
        field.label_from_instance = lambda m: m.short_name  # type: ignore[method-assign,assignment]
        self.fields["start_date"].widget.input_type = "date"  # type: ignore[attr-defined]

    def clean_start_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["start_date"]
        if abs((day - self.today).days) > 366:
            raise ValidationError(
                _("Tanggal mulai paling jauh satu tahun dari hari ini."), code="far_date"
            )
        return day


class EndAssignmentForm(forms.Form):
    end_date = forms.DateField(
        label=_("Hari terakhir bertugas"), input_formats=DATE_FORMATS, error_messages=DATE_ERRORS
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["end_date"].widget.input_type = "date"  # type: ignore[attr-defined]

    def clean_end_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["end_date"]
        if day > self.today + dt.timedelta(days=366):
            raise ValidationError(
                _("Tanggal selesai paling jauh satu tahun dari hari ini."), code="far_date"
            )
        return day

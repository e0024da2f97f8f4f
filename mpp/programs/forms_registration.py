"""The registration form of a mass wedding, the same online and at the counter: the groom and
the bride, the wali, two witnesses, one phone. NIKs are checked by their form here (field
errors); the rules of eligibility, the quota and the one-NIK-once rule are register_couple's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from mpp.core.nik import FAULT_MESSAGES, Nik, parse_nik
from mpp.malls.models import Region, Village
from mpp.programs.models import Person, phone_validator
from mpp.programs.registration import CoupleData, PersonData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The wali's relation to the bride, in the order of the wali nasab, then the wali hakim (KHI
# Art. 21, 23); "lainnya" is left to the KUA to check.
WALI_RELATIONS = [
    ("Ayah kandung", _("Ayah kandung")),
    ("Kakek", _("Kakek (ayah dari ayah)")),
    ("Saudara laki-laki kandung", _("Saudara laki-laki kandung")),
    ("Saudara laki-laki seayah", _("Saudara laki-laki seayah")),
    ("Paman", _("Paman (saudara laki-laki ayah)")),
    ("Wali hakim", _("Wali hakim (KUA)")),
]


def _nik_field(label: Any, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=20,  # 16 digits and the spaces a phone keyboard may add
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"}
        ),
        help_text=_("16 angka, seperti pada KTP-el atau Kartu Keluarga."),
    )


def _clean_nik(value: str) -> str:
    number = "".join(value.split())
    if not number:
        return ""
    parsed = parse_nik(number)
    if not isinstance(parsed, Nik):
        raise forms.ValidationError(_g(FAULT_MESSAGES[parsed]), code=str(parsed))
    return number


def village_choices(region: Region) -> list[tuple[str, list[tuple[str, str]]]]:
    """The region's villages grouped by kecamatan (one <optgroup> each), by name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    villages = (
        Village.objects.filter(district__region=region)
        .select_related("district")
        .order_by("district__name", "name")
    )
    for village in villages:
        groups.setdefault(f"Kec. {village.district.name}", []).append(
            (str(village.pk), str(village))
        )
    return list(groups.items())


class RegistrationForm(forms.Form):
    """A couple's registration for `programme`'s region; `couple()` gives register_couple's
    CoupleData once the form is valid."""

    groom_name = forms.CharField(label=_("Nama lengkap"), max_length=120)
    groom_nik = _nik_field(_("NIK"))
    groom_birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE)
    groom_address = forms.CharField(label=_("Alamat (jalan, RT)"), max_length=200)
    groom_village = forms.ChoiceField(label=_("Desa/kelurahan domisili"))
    groom_marital_status = forms.ChoiceField(
        label=_("Status perkawinan"), choices=Person.Marital.choices, initial=Person.Marital.NEVER
    )
    groom_is_tni_polri = forms.BooleanField(label=_("Anggota TNI/POLRI"), required=False)

    bride_name = forms.CharField(label=_("Nama lengkap"), max_length=120)
    bride_nik = _nik_field(_("NIK"))
    bride_birth_date = forms.DateField(label=_("Tanggal lahir"), widget=DATE)
    bride_address = forms.CharField(label=_("Alamat (jalan, RT)"), max_length=200)
    bride_village = forms.ChoiceField(label=_("Desa/kelurahan domisili"))
    bride_marital_status = forms.ChoiceField(
        label=_("Status perkawinan"), choices=Person.Marital.choices, initial=Person.Marital.NEVER
    )
    bride_is_tni_polri = forms.BooleanField(label=_("Anggota TNI/POLRI"), required=False)

    wali_name = forms.CharField(label=_("Nama wali"), max_length=120)
    wali_nik = _nik_field(_("NIK wali"))
    wali_relation = forms.ChoiceField(
        label=_("Hubungan dengan calon istri"), choices=WALI_RELATIONS
    )

    witness_1_name = forms.CharField(label=_("Nama saksi 1"), max_length=120)
    witness_1_nik = _nik_field(_("NIK saksi 1 (boleh dikosongkan)"), required=False)
    witness_2_name = forms.CharField(label=_("Nama saksi 2"), max_length=120)
    witness_2_nik = _nik_field(_("NIK saksi 2 (boleh dikosongkan)"), required=False)

    phone = forms.CharField(
        label=_("Nomor HP (WhatsApp)"),
        max_length=20,  # with the spaces people type between groups of digits
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Untuk kabar dari KUA tentang pemeriksaan dan jadwal akad."),
    )

    # Each section of the page: its heading and its fields' prefix.
    SECTIONS = (
        ("groom", _("Calon suami")),
        ("bride", _("Calon istri")),
        ("wali", _("Wali nikah")),
        ("witness", _("Dua orang saksi")),
        ("contact", _("Kontak")),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _g("— pilih desa/kelurahan —")), *village_choices(region)]
        for who in ("groom", "bride"):
            field = self.fields[f"{who}_village"]
            field.choices = choices  # type: ignore[attr-defined]
            self.fields[f"{who}_birth_date"].widget.attrs["data-eligibility"] = f"{who}-birth"
            self.fields[f"{who}_nik"].widget.attrs["data-eligibility"] = f"{who}-nik"
        self.region = region

    def section(self, prefix: str) -> list[forms.BoundField]:
        """The fields of one section, in order (the template's fieldsets)."""
        if prefix == "contact":
            return [self["phone"]]
        return [self[name] for name in self.fields if name.startswith(f"{prefix}_")]

    def sections(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(prefix, str(title), self.section(prefix)) for prefix, title in self.SECTIONS]

    def clean_groom_nik(self) -> str:
        return _clean_nik(self.cleaned_data["groom_nik"])

    def clean_bride_nik(self) -> str:
        return _clean_nik(self.cleaned_data["bride_nik"])

    def clean_wali_nik(self) -> str:
        return _clean_nik(self.cleaned_data["wali_nik"])

    def clean_witness_1_nik(self) -> str:
        return _clean_nik(self.cleaned_data["witness_1_nik"])

    def clean_witness_2_nik(self) -> str:
        return _clean_nik(self.cleaned_data["witness_2_nik"])

    def clean_phone(self) -> str:
        number = "".join(self.cleaned_data["phone"].split())
        phone_validator(number)
        return number

    def _clean_birth(self, name: str) -> dt.date:
        value: dt.date = self.cleaned_data[name]
        if value > dt.date.today() or value.year < 1900:
            raise forms.ValidationError(_g("Tanggal lahir tidak mungkin."), code="birth_date")
        return value

    def clean_groom_birth_date(self) -> dt.date:
        return self._clean_birth("groom_birth_date")

    def clean_bride_birth_date(self) -> dt.date:
        return self._clean_birth("bride_birth_date")

    def _village(self, name: str) -> Village:
        return Village.objects.get(pk=int(self.cleaned_data[name]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for who in ("groom", "bride"):
            value = data.get(f"{who}_village")
            if (
                value
                and not Village.objects.filter(pk=int(value), district__region=self.region).exists()
            ):  # pragma: no cover - the choices already refuse it
                self.add_error(f"{who}_village", _g("Pilih desa/kelurahan dari daftar."))
        groom, bride = data.get("groom_nik"), data.get("bride_nik")
        if groom and groom == bride:
            self.add_error("bride_nik", _g("NIK calon istri sama dengan NIK calon suami."))
        return data

    def couple(self) -> CoupleData:
        """What register_couple takes, from a valid form."""
        data = self.cleaned_data

        def person(who: str) -> PersonData:
            return PersonData(
                name=data[f"{who}_name"],
                nik=data[f"{who}_nik"],
                birth_date=data[f"{who}_birth_date"],
                address=data[f"{who}_address"],
                village=self._village(f"{who}_village"),
                marital_status=data[f"{who}_marital_status"],
                is_tni_polri=bool(data[f"{who}_is_tni_polri"]),
            )

        return CoupleData(
            groom=person("groom"),
            bride=person("bride"),
            wali=PersonData(
                name=data["wali_name"], nik=data["wali_nik"], relation=data["wali_relation"]
            ),
            witnesses=[
                PersonData(name=data["witness_1_name"], nik=data["witness_1_nik"]),
                PersonData(name=data["witness_2_name"], nik=data["witness_2_nik"]),
            ],
            phone=data["phone"],
        )

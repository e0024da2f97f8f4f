"""Staff roles, each scoped to what it may see and change."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGENCY_ADMIN = "regency_admin", _("Administrator kabupaten (DPMPTSP)")
    MALL_SUPERVISOR = "mall_supervisor", _("Pengawas mal")
    TENANT_OFFICER = "tenant_officer", _("Petugas instansi")
    LEADERSHIP = "leadership", _("Pimpinan")
    AUDITOR = "auditor", _("Auditor")
    KIOSK = "kiosk", _("Perangkat kios")
    # Dinas PU, BKPSDM, Diskominfo, a camat: owns Mini MPP readiness items (rollout.AgencyMember).
    AGENCY_LIAISON = "agency_liaison", _("Petugas instansi mitra Mini MPP")
    # A KUA's officer: verifies and marries the couples of a programme (programs.KuaOfficer).
    KUA_OFFICER = "kua_officer", _("Petugas KUA")


# Roles bound to exactly one mall.
ONE_MALL_ROLES = {Role.MALL_SUPERVISOR, Role.KIOSK}

# A DNS name (RFC 1123 labels) or a dotted IPv4 address: python-escpos opens an IPv4 socket.
HOST_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
HOST_PATTERN = re.compile(rf"{HOST_LABEL}(?:\.{HOST_LABEL})*")


def validate_printer_host(value: str) -> None:
    """A bare host name or IPv4 address: no scheme, path, port or spaces ("192.0.2.10")."""
    message = _("Tulis alamat IP atau nama host printer saja, tanpa http://, port, atau spasi.")
    if len(value) > 253 or not HOST_PATTERN.fullmatch(value):
        raise ValidationError(message, code="invalid_host")
    if value.replace(".", "").isdigit():
        try:
            ipaddress.IPv4Address(value)
        except ValueError:
            raise ValidationError(message, code="invalid_host") from None


class StaffProfile(models.Model):
    """The role of one staff user: a mall supervisor has one mall; a tenant officer one tenant,
    serving at one or more malls. Regency administrators, leadership and auditors see the region."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("pengguna"),
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "malls.Region", on_delete=models.PROTECT, related_name="staff", verbose_name=_("wilayah")
    )
    mall = models.ForeignKey(
        "malls.Mall",
        verbose_name=_("mal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisors",
    )
    tenant = models.ForeignKey(
        "catalog.Tenant",
        verbose_name=_("instansi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    malls = models.ManyToManyField(
        "malls.Mall", verbose_name=_("mal tempat bertugas"), blank=True, related_name="officers"
    )
    # A kiosk device's ESC/POS network thermal printer (58 mm); empty: the browser prints.
    printer_host = models.CharField(
        _("printer jaringan (host)"),
        max_length=253,
        blank=True,
        validators=[validate_printer_host],
        help_text=_("Khusus perangkat kios: alamat IP atau nama host printer, mis. 192.0.2.10."),
    )
    printer_port = models.PositiveIntegerField(
        _("port printer"),
        default=9100,
        validators=[MinValueValidator(1), MaxValueValidator(65535)],
        help_text=_("Port RAW/JetDirect printer, biasanya 9100."),
    )

    class Meta:
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.role in ONE_MALL_ROLES and not self.mall_id:
            raise ValidationError({"mall": _("Peran ini harus ditautkan ke satu mal.")})
        if self.role not in ONE_MALL_ROLES and self.mall_id:
            raise ValidationError(
                {"mall": _("Hanya pengawas mal dan perangkat kios yang ditautkan ke satu mal.")}
            )
        if self.role == Role.TENANT_OFFICER and not self.tenant_id:
            raise ValidationError(
                {"tenant": _("Petugas instansi harus ditautkan ke satu instansi.")}
            )
        if self.role != Role.TENANT_OFFICER and self.tenant_id:
            raise ValidationError(
                {"tenant": _("Hanya petugas instansi yang ditautkan ke instansi.")}
            )
        if self.role != Role.KIOSK and self.printer_host:
            raise ValidationError(
                {"printer_host": _("Hanya perangkat kios yang memakai printer jaringan.")}
            )

    @property
    def has_network_printer(self) -> bool:
        return self.role == Role.KIOSK and bool(self.printer_host)

    @property
    def is_regency_admin(self) -> bool:
        return self.role == Role.REGENCY_ADMIN

    @property
    def sees_whole_region(self) -> bool:
        return self.role in {Role.REGENCY_ADMIN, Role.LEADERSHIP, Role.AUDITOR}


class ApiToken(models.Model):
    """A bearer token of a staff member or kiosk device; only its SHA-256 is stored.

    It lives until `expires_at` (a person's for a working day, a kiosk's for a season:
    settings.MPP_TOKEN_LIFETIME, MPP_KIOSK_TOKEN_LIFETIME) and is deleted when its owner's
    password changes, the account is deactivated or the staff profile is removed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    key_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("hash kunci")
    )
    # The key's first characters, shown so that a person can tell their tokens apart; never
    # enough to use one (the key is 43 characters).
    prefix = models.CharField(
        max_length=8, blank=True, editable=False, verbose_name=_("awal kunci")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("dibuat pada"))
    last_used_at = models.DateTimeField(null=True, blank=True, verbose_name=_("terakhir dipakai"))
    expires_at = models.DateTimeField(verbose_name=_("berlaku sampai"), db_index=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix or '…'} {self.created_at:%Y-%m-%d}"

    def has_expired(self, now: dt.datetime) -> bool:
        return now >= self.expires_at

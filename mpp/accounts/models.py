"""Staff roles, each scoped to what it may see and change."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REGENCY_ADMIN = "regency_admin", _("Administrator kabupaten (DPMPTSP)")
    MALL_SUPERVISOR = "mall_supervisor", _("Pengawas mal")
    TENANT_OFFICER = "tenant_officer", _("Petugas instansi")
    LEADERSHIP = "leadership", _("Pimpinan")
    AUDITOR = "auditor", _("Auditor")


class StaffProfile(models.Model):
    """The role of one staff user: a mall supervisor has one mall; a tenant officer one tenant,
    serving at one or more malls. Regency administrators, leadership and auditors see the region."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    region = models.ForeignKey("malls.Region", on_delete=models.PROTECT, related_name="staff")
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

    class Meta:
        verbose_name = _("profil petugas")
        verbose_name_plural = _("profil petugas")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self) -> None:
        if self.role == Role.MALL_SUPERVISOR and not self.mall_id:
            raise ValidationError({"mall": _("Pengawas mal harus ditautkan ke satu mal.")})
        if self.role != Role.MALL_SUPERVISOR and self.mall_id:
            raise ValidationError({"mall": _("Hanya pengawas mal yang ditautkan ke satu mal.")})
        if self.role == Role.TENANT_OFFICER and not self.tenant_id:
            raise ValidationError(
                {"tenant": _("Petugas instansi harus ditautkan ke satu instansi.")}
            )
        if self.role != Role.TENANT_OFFICER and self.tenant_id:
            raise ValidationError(
                {"tenant": _("Hanya petugas instansi yang ditautkan ke instansi.")}
            )

    @property
    def is_regency_admin(self) -> bool:
        return self.role == Role.REGENCY_ADMIN

    @property
    def sees_whole_region(self) -> bool:
        return self.role in {Role.REGENCY_ADMIN, Role.LEADERSHIP, Role.AUDITOR}

"""The message outbox (docs/adr/0033): one row per message and channel, its delivery status."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from mpp.malls.models import Mall


class Channel(models.TextChoices):
    EMAIL = "email", _("surel")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")


class Provider(models.TextChoices):
    """Who carries the message: the adapter in channels/ that sends it."""

    SMTP = "smtp", _("server surel (SMTP)")
    WHATSAPP_CLOUD = "whatsapp_cloud", _("WhatsApp Business Cloud API")
    FONNTE = "fonnte", _("Fonnte")
    NONE = "none", _("belum diatur")


class Status(models.TextChoices):
    PENDING = "pending", _("menunggu dikirim")
    SENDING = "sending", _("sedang dikirim")
    RETRYING = "retrying", _("gagal, akan dicoba lagi")
    SENT = "sent", _("terkirim")
    GIVEN_UP = "given_up", _("gagal, tidak dicoba lagi")
    NOT_CONFIGURED = "not_configured", _("tidak dikirim: saluran belum diatur")


# Statuses in which a message still waits for an attempt (the sweep hands these over).
WAITING = (Status.PENDING, Status.RETRYING)


class Message(models.Model):
    """One message to one recipient by one channel. `key` names what it is about (e.g. the
    "3 nomor lagi" of ticket 812): the same key and channel is never written, so never sent,
    twice. The recipient is blanked after MPP_MESSAGE_RECIPIENT_DAYS by a daily job."""

    kind = models.CharField(_("jenis"), max_length=40)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    provider = models.CharField(_("penyedia"), max_length=20, choices=Provider.choices)
    recipient = models.CharField(_("penerima"), max_length=254, blank=True)
    subject = models.CharField(_("judul"), max_length=200, blank=True)
    body = models.TextField(_("isi"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    next_attempt_at = models.DateTimeField(_("percobaan berikutnya"), null=True, blank=True)
    last_error = models.CharField(_("galat terakhir"), max_length=300, blank=True)
    provider_message_id = models.CharField(_("nomor pesan penyedia"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"))
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    # A message about a moment ("3 nomor lagi") is useless late: not sent after this instant.
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("mulai dikirim"), null=True, blank=True)
    recipient_erased_at = models.DateTimeField(_("penerima dihapus"), null=True, blank=True)
    mall = models.ForeignKey(
        Mall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("mal pelayanan"),
    )
    key = models.CharField(_("kunci"), max_length=200)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["key", "channel"], name="message_once_per_channel"),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="message_due"),
            models.Index(fields=["mall", "-created_at"], name="message_of_mall"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

"""The channels a message can go by, each an adapter (docs/adr/0033), and which are configured.

A phone number goes by WhatsApp: through the WhatsApp Business Cloud API (`whatsapp_cloud.py`)
when MPP_WHATSAPP_TOKEN and MPP_WHATSAPP_PHONE_NUMBER_ID are set, else through Fonnte, the
Indonesian WhatsApp gateway (`fonnte.py`), when MPP_FONNTE_TOKEN is set. An e-mail address goes
by SMTP (`email.py`) when MPP_SMTP_HOST is set.
"""

from __future__ import annotations

from django.conf import settings

from mpp.notifications.channels.base import Adapter, Permanent, Transient
from mpp.notifications.models import Provider

__all__ = ["Permanent", "Transient", "adapter_for", "email_provider", "phone_provider"]


def phone_provider() -> Provider:
    """Who carries a message to a phone number now (NONE when nobody is configured)."""
    if settings.MPP_WHATSAPP_TOKEN and settings.MPP_WHATSAPP_PHONE_NUMBER_ID:
        return Provider.WHATSAPP_CLOUD
    if settings.MPP_FONNTE_TOKEN:
        return Provider.FONNTE
    return Provider.NONE


def email_provider() -> Provider:
    return Provider.SMTP if settings.EMAIL_HOST else Provider.NONE


def adapter_for(provider: str) -> Adapter:
    """The function that delivers a message of `provider` (Permanent if none does)."""
    if provider == Provider.WHATSAPP_CLOUD:
        from mpp.notifications.channels.whatsapp_cloud import deliver
    elif provider == Provider.FONNTE:
        from mpp.notifications.channels.fonnte import deliver
    elif provider == Provider.SMTP:
        from mpp.notifications.channels.email import deliver
    else:
        raise Permanent(f"penyedia {provider!r} tidak dikenal atau belum diatur")
    return deliver

"""Addresses in messages: a message leaves the site, so a link in it names the deployment's
public host (the first of ALLOWED_HOSTS that is not local, served over TLS in production,
docs/adr/0021); on a local demo, where no public host exists, the path alone."""

from __future__ import annotations

from django.conf import settings


def public_url(path: str) -> str:
    local = set(getattr(settings, "LOCAL_HOSTS", ()))
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in local and "*" not in h]
    if not hosts:
        return path
    return f"https://{hosts[0].lstrip('.')}{path}"

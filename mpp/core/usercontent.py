"""Files and markup that users supply: cleaned before they are stored, served so that nothing in
them can run (docs/adr/0013).

An SVG is an XML document that may hold `<script>`, event attributes, `javascript:` links,
external references and `<foreignObject>` HTML. Served from our origin and opened directly, its
script runs with the visitor's session (issue 16, finding 1). Cleaning is Cloudflare's svg-hush
(an allowlist of SVG elements, attributes and URL schemes, through py-svg-hush), never a regex;
serving adds a Content-Security-Policy with `sandbox`, so an SVG stored before cleaning, or a
hole in the allowlist, still cannot run script or reach the network.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import py_svg_hush
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

# A logo is a few kilobytes; the boards and every page header load it. The bound applies
# before parsing, so a huge paste costs nothing.
MAX_SVG_BYTES = 100_000

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

# Raster images embedded in an SVG as data: URLs survive cleaning (a logo traced from a photo);
# every other data: URL, an SVG inside the SVG above all, is removed.
_KEPT_DATA_URLS = {"image": ["png", "jpeg", "gif", "webp"]}

# What a file a user supplied may do when a browser opens it on its own: draw itself, with its
# own inline styles and embedded raster images. No script, no network, no form, no plugin; the
# sandbox also gives it an opaque origin, so even a script that got through could not read our
# cookies or call our API with the visitor's session.
USER_FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def clean_svg(text: str) -> str:
    """`text` as a safe SVG document (svg-hush's allowlist), or ValidationError in Indonesian
    when it is too large, not well-formed XML, or not an SVG."""
    raw = text.strip().encode("utf-8")
    if len(raw) > MAX_SVG_BYTES:
        raise ValidationError(
            _("Logo SVG terlalu besar: paling banyak %(limit)s KB."),
            code="svg_too_large",
            params={"limit": MAX_SVG_BYTES // 1000},
        )
    try:
        cleaned = py_svg_hush.filter_svg(raw, keep_data_url_mime_types=_KEPT_DATA_URLS)
    except ValueError as exc:  # not XML, a DTD with entities, an encoding it cannot read
        raise ValidationError(
            _("Logo bukan berkas SVG yang sah (XML rusak atau bukan SVG)."), code="svg_invalid"
        ) from exc
    try:
        root = ET.fromstring(cleaned)  # noqa: S314 - svg-hush's output: no DTD, no entities
    except ET.ParseError as exc:  # pragma: no cover - svg-hush writes well-formed XML
        raise ValidationError(_("Logo bukan berkas SVG yang sah."), code="svg_invalid") from exc
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise ValidationError(
            _("Logo harus berupa SVG: elemen teratasnya <svg> dengan namespace SVG."),
            code="svg_not_svg",
        )
    if len(root) == 0:
        raise ValidationError(
            _("Setelah dibersihkan, logo ini tidak berisi gambar apa pun."), code="svg_empty"
        )
    return cleaned.decode("utf-8")


class SanitizedSVGField(models.TextField):
    """A text field holding an SVG document, cleaned by `clean_svg` whenever the model is
    validated (admin and model forms: the cleaned text is what the form saves) and again before
    every save, whoever saves (the shell, a loader). Blank stays blank."""

    def clean(self, value: Any, model_instance: models.Model | None) -> Any:
        value = super().clean(value, model_instance)
        return clean_svg(value) if value and value.strip() else ""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        # Not in to_python: TextField prepares every lookup value through it (a filter on the
        # field must not be refused as "not an SVG"). QuerySet.update() bypasses this, as it
        # bypasses every pre_save; nothing of ours updates logos that way.
        value = getattr(model_instance, self.attname)
        cleaned = clean_svg(value) if value and value.strip() else ""
        setattr(model_instance, self.attname, cleaned)
        return cleaned


def user_file_response(content: str | bytes, *, content_type: str) -> HttpResponse:
    """A response carrying a file a user supplied: its type is the one we say (`nosniff`) and
    the browser runs nothing in it (USER_FILE_CSP). django-csp leaves a header already set."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Security-Policy"] = USER_FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response

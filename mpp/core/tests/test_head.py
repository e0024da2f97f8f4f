"""Every page that answers GET answers HEAD the same way, without a body: uptime monitors use HEAD
and got 405 (views were limited with `require_GET`, which leaves HEAD out; `require_safe` is
Django's decorator for "GET and HEAD")."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin, the API (django-ninja's router) and language switching are not our pages.
NOT_PAGES = ("admin/", "api/", "i18n/")
# A sample for each path converter: what matters is the method check, which comes before any
# lookup, so a value that names nothing still shows a 405.
SAMPLES = {"slug": "mpp-kukar", "str": "x", "path": "x", "int": "1", "id": "1"}
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def page_paths(
    patterns: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[str]:
    """A path for every URL pattern of ours, parameters filled with samples."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_PAGES):
            continue
        if isinstance(entry, URLResolver):
            yield from page_paths(entry.url_patterns, route)
        else:
            yield "/" + _PARAMETER.sub(lambda m: SAMPLES[m["converter"] or "str"], route)


def test_the_walk_finds_the_public_pages():
    paths = set(page_paths())
    assert {"/", "/mal/mpp-kukar/", "/layanan/", "/antrean/x/", "/healthz"} <= paths


@pytest.mark.parametrize("who", ["anonymous", "regency_admin"])
def test_every_page_that_answers_get_answers_head(client, cast, who):
    if who != "anonymous":
        client.force_login(getattr(cast, who)())
    refused = []
    for path in sorted(set(page_paths())):
        got = client.get(path)
        if got.status_code == 405:
            continue  # a POST-only address (taking a number, a console step)
        head = client.head(path)
        if head.status_code != got.status_code or head.content:
            refused.append(f"{path}: GET {got.status_code}, HEAD {head.status_code}")
    assert refused == []


@pytest.mark.parametrize(
    "path",
    ["/", "/mal/mpp-kukar/", "/layanan/?q=akta+lahir", "/instansi/", "/livez", "/healthz"],
)
def test_public_pages_answer_head_with_their_headers_and_no_body(client, kukar, path):
    got = client.get(path)
    head = client.head(path)
    assert (got.status_code, head.status_code) == (200, 200)
    assert head.content == b""
    assert head["Content-Type"] == got["Content-Type"]

"""SVG that users supply is cleaned by an allowlist (svg-hush) or refused in Indonesian."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError

from mpp.core.usercontent import MAX_SVG_BYTES, USER_FILE_CSP, clean_svg, user_file_response

# The probe's logo (issue 16, finding 1): opened by the regency administrator, its script made
# the supervisor who uploaded it a superuser.
TAKEOVER_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"
 onload="fetch('/admin/auth/user/1/change/')">
<script type="text/javascript">
fetch('/admin/auth/user/2/change/').then(r => r.text()).then(html => {
  const token = html.match(/csrfmiddlewaretoken" value="([^"]+)/)[1];
  fetch('/admin/auth/user/2/change/', {method: 'POST', credentials: 'include',
    body: new URLSearchParams({csrfmiddlewaretoken: token, is_superuser: 'on'})});
});
</script>
<circle cx="32" cy="32" r="30" fill="#0b5d3b"/>
<text x="32" y="38" text-anchor="middle" fill="#fff">LK</text>
</svg>"""

HOSTILE = {
    "event attributes": '<svg xmlns="http://www.w3.org/2000/svg"><rect width="9" height="9" '
    'onclick="alert(1)" onmouseover="alert(2)"/></svg>',
    "javascript: links": '<svg xmlns="http://www.w3.org/2000/svg" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="javascript:alert(1)">'
    '<text>a</text></a><a href="javascript:alert(2)"><text>b</text></a></svg>',
    "foreignObject HTML": '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><iframe '
    'xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject>'
    '<rect width="9" height="9"/></svg>',
    "an SVG inside a data: URL": '<svg xmlns="http://www.w3.org/2000/svg"><image '
    'href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"/><rect width="1" '
    'height="1"/></svg>',
    "a script in the XHTML namespace": '<svg xmlns="http://www.w3.org/2000/svg"><h:script '
    'xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script><rect width="1" height="1"/></svg>',
    "animation that sets a link": '<svg xmlns="http://www.w3.org/2000/svg"><a><set '
    'attributeName="href" to="javascript:alert(1)"/><text>c</text></a></svg>',
    "an external stylesheet": '<?xml-stylesheet href="https://contoh.invalid/x.xsl" '
    'type="text/xsl"?><svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>',
}


def test_the_takeover_logo_keeps_its_drawing_and_loses_every_script():
    cleaned = clean_svg(TAKEOVER_SVG)
    assert "<script" not in cleaned and "onload" not in cleaned and "fetch" not in cleaned
    assert _what_could_run(cleaned) == []
    assert '<circle cx="32" cy="32" fill="#0b5d3b" r="30"/>' in cleaned
    assert ">LK</text>" in cleaned and 'viewBox="0 0 64 64"' in cleaned


def _what_could_run(svg: str) -> list[str]:
    """Elements and attributes of `svg` that could run script or reach out, as found by parsing
    it (a browser's view, not a text search)."""
    found = []
    for element in ET.fromstring(svg).iter():  # noqa: S314
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in {"script", "foreignobject", "iframe", "handler"} or not element.tag.startswith(
            "{http://www.w3.org/2000/svg}"
        ):
            found.append(element.tag)
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "attributename":
                found.append(attribute)  # an animation without a target attribute does nothing
            if local == "href" and not value.startswith(("#", "data:image/png")):
                found.append(f"{attribute}={value}")
    return found


@pytest.mark.parametrize("svg", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_svg_is_cleaned_of_anything_that_runs_or_reaches_out(svg):
    cleaned = clean_svg(svg)
    assert _what_could_run(cleaned) == []
    assert "<?xml-stylesheet" not in cleaned


def test_a_raster_image_embedded_in_the_logo_is_kept():
    png = "data:image/png;base64,iVBORw0KGgo="
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{png}"/></svg>'
    assert png in clean_svg(svg)


def test_cleaning_twice_changes_nothing():
    once = clean_svg(TAKEOVER_SVG)
    assert clean_svg(once) == once


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<html><body><script>alert(1)</script></body></html>", "svg_invalid"),
        ('<html xmlns="http://www.w3.org/1999/xhtml"><body>hai</body></html>', "svg_invalid"),
        ("logo kami", "svg_invalid"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>', "svg_invalid"),
        ("<svg><rect/></svg>", "svg_invalid"),  # no SVG namespace: a browser draws nothing
        (
            '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
            '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
            "svg_invalid",
        ),
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "svg_empty"),
    ],
    ids=["html", "xhtml", "plain text", "broken xml", "no namespace", "entities", "script only"],
)
def test_what_is_not_an_svg_drawing_is_refused_in_indonesian(text, code):
    with pytest.raises(ValidationError) as refused:
        clean_svg(text)
    assert refused.value.code == code
    assert "logo" in refused.value.messages[0].lower()


def test_an_svg_over_the_size_bound_is_refused_before_it_is_parsed():
    huge = '<svg xmlns="http://www.w3.org/2000/svg">' + "<g/>" * MAX_SVG_BYTES + "</svg>"
    with pytest.raises(ValidationError) as refused:
        clean_svg(huge)
    assert refused.value.code == "svg_too_large"
    assert refused.value.messages == ["Logo SVG terlalu besar: paling banyak 100 KB."]


def test_a_user_file_is_served_with_a_sandbox_and_nosniff():
    response = user_file_response("<svg/>", content_type="image/svg+xml")
    assert response["Content-Security-Policy"] == USER_FILE_CSP
    assert "sandbox" in USER_FILE_CSP and "default-src 'none'" in USER_FILE_CSP
    assert "script-src" not in USER_FILE_CSP  # falls back to default-src 'none'
    assert response["X-Content-Type-Options"] == "nosniff"

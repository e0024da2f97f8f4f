"""The door-prize draw's pages (issue 20, item 6): the public proof `/program/<slug>/undian/`,
its entrants file, and the organisers' page that publishes and draws (programs.prizes)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from mpp.programs import prizes
from mpp.programs.access_public import access_public_programme
from mpp.programs.access_report import access_draw_manager
from mpp.programs.exceptions import ProgramRefused
from mpp.programs.models import Programme, Registration


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=gettext_lazy("Benih undian"),
        min_length=prizes.MIN_SEED_LENGTH,
        max_length=prizes.MAX_SEED_LENGTH,
        help_text=gettext_lazy(
            "Paling sedikit 16 karakter. Simpan benih ini: diumumkan saat undian. Sebelum "
            "itu hanya sidik SHA-256-nya yang terlihat."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def entrants_file_name(programme: Programme) -> str:
    return f"peserta-undian-{programme.slug}.txt"


def shell_quoted(text: str) -> str:
    """`text` in single quotes for a POSIX shell (a typed seed may hold a quote or a $)."""
    return "'" + text.replace("'", "'\"'\"'") + "'"


def draw_context(programme: Programme) -> dict[str, Any]:
    """What the public page and the organisers' page show of the draw. The seed only once
    drawn: before, its hash is the promise and the seed the secret."""
    published = programme.draw_published_at is not None
    prize_list = list(programme.prizes.all())
    return {
        "programme": programme,
        "published": published,
        "drawn": programme.is_drawn,
        "prizes": prize_list,
        "entrants": len(prizes.published_codes(programme)) if published else 0,
        "file_name": entrants_file_name(programme),
        "revealed_seed": programme.seed if programme.is_drawn else None,
        "shell_seed": shell_quoted(programme.seed) if programme.is_drawn else None,
    }


@require_safe
def draw(request: HttpRequest, slug: str) -> HttpResponse:
    """The public proof: entrants' file and hashes, then the seed and the winners' codes."""
    programme = access_public_programme(slug)
    return render(request, "programs/draw.html", draw_context(programme))


@require_safe
def draw_entrants(request: HttpRequest, slug: str) -> HttpResponse:
    """The published entrants file, byte for byte what its SHA-256 was computed over."""
    programme = access_public_programme(slug)
    if programme.draw_published_at is None:
        raise Http404(_("Daftar peserta undian belum diumumkan."))
    response = HttpResponse(
        programme.entrants_file.encode("utf-8"), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{entrants_file_name(programme)}"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def draw_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """Organisers publish the entrants with a seed's hash, then draw."""
    _profile, programme = access_draw_manager(request.user, slug)
    form = SeedForm(initial={"seed": prizes.new_seed()})
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        try:
            if step == "publish":
                form = SeedForm(request.POST)
                if form.is_valid():
                    prizes.publish_draw(
                        programme=programme,
                        seed=form.cleaned_data["seed"],
                        acting_user=request.user,
                    )
                    messages.success(request, _("Daftar peserta dan sidik benih diumumkan."))
                    return redirect("programs:draw-manage", slug=programme.slug)
                status = 400
            elif step == "draw":
                prizes.run_draw(programme=programme, acting_user=request.user)
                messages.success(request, _("Undian selesai; pemenang diumumkan."))
                return redirect("programs:draw-manage", slug=programme.slug)
            else:
                status = 400
                messages.error(request, _("Langkah tidak dikenal."))
        except ProgramRefused as refused:
            messages.error(request, str(refused))
            status = refused.status
    married = programme.registrations.filter(status=Registration.Status.MARRIED).count()
    context = {**draw_context(programme), "form": form, "married": married}
    return render(request, "programs/draw_staff.html", context, status=status)

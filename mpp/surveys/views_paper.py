"""Staff pages for paper survey sheets: fast keyboard entry of one sheet after another, and
import of a spreadsheet of sheets (CSV or XLSX) with its template."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from mpp.catalog.models import Service, Tenant
from mpp.core import redis_pool
from mpp.core.models import AuditEntry
from mpp.core.sheets import FileRefused, check_size
from mpp.malls.jobs import access_job, job_state
from mpp.malls.models import Mall
from mpp.surveys import actions, jobs, sheets
from mpp.surveys.access import access_entry
from mpp.surveys.exceptions import SurveyError
from mpp.surveys.models import Questionnaire, Response, SurveyImport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STICKY = ("instansi", "layanan", "tanggal", "waktu")  # chosen once, kept from sheet to sheet
PROFILE_FORM_FIELDS = ("jenis_kelamin", "usia", "pendidikan", "pekerjaan", "saran")
PROFILE_FIELDS = {
    "sex": "jenis_kelamin",
    "age": "usia",
    "education": "pendidikan",
    "occupation": "pekerjaan",
    "suggestion": "saran",
    "service": "layanan",
    "answered_on": "tanggal",
    "time_band": "waktu",
}

# --- one-time form nonce --------------------------------------------------------------------
# A double Enter (or a reload of the POST) sends the same sheet twice. Each rendered form
# carries a random value signed with a timestamp; saving first claims it with `cache.add`,
# which is atomic ("add only if absent") in Redis and in the local-memory cache, so of two
# identical posts exactly one saves. Signing lets the server remember only the nonces spent,
# not every one handed out (a clerk opens many forms and saves most of them), and its age limit
# means a spent nonce need only be remembered that long: an older one is refused as expired.
# A database row per form would also work, but would write for every page view and need
# cleaning; a disabled button (paper.js) alone fails without JavaScript and on a slow network.
NONCE_SALT = "mpp.surveys.paper-nonce"
NONCE_MAX_AGE = 12 * 60 * 60  # a working day with the form left open


def new_nonce() -> str:
    return signing.TimestampSigner(salt=NONCE_SALT).sign(secrets.token_urlsafe(16))


def spend_nonce(nonce: str) -> bool | None:
    """True if `nonce` was unspent and is now spent; False if already spent; None if forged
    or expired."""
    try:
        value = signing.TimestampSigner(salt=NONCE_SALT).unsign(nonce, max_age=NONCE_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    # Without Redis the claim is made in this process's memory (core/redis_pool.py): two
    # identical posts reaching two workers during an outage could both save; one worker holds.
    key = f"surveys:paper-nonce:{value}"
    return bool(
        redis_pool.on_shared_cache(
            "survei kertas", lambda store: store.add(key, 1, timeout=NONCE_MAX_AGE + 60)
        )
    )


class PaperForm(forms.Form):
    """One paper sheet: where and when (kept between sheets), nine digits, the profile."""

    instansi = forms.ModelChoiceField(
        queryset=Tenant.objects.none(), label=gettext_lazy("Instansi"), empty_label="—"
    )
    layanan = forms.TypedChoiceField(
        label=gettext_lazy("Layanan"), required=False, coerce=int, empty_value=None
    )
    tanggal = forms.DateField(
        label=gettext_lazy("Tanggal survei"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    waktu = forms.ChoiceField(
        label=gettext_lazy("Waktu survei"),
        required=False,
        choices=[("", "—"), *Response.TimeBand.choices],
    )
    jenis_kelamin = forms.ChoiceField(
        label=gettext_lazy("Jenis kelamin"),
        required=False,
        choices=[("", "—"), *Response.Sex.choices],
    )
    usia = forms.IntegerField(label=gettext_lazy("Usia"), required=False)
    pendidikan = forms.ChoiceField(
        label=gettext_lazy("Pendidikan"),
        required=False,
        choices=[("", "—"), *Response.Education.choices],
    )
    pekerjaan = forms.ChoiceField(
        label=gettext_lazy("Pekerjaan"),
        required=False,
        choices=[("", "—"), *Response.Occupation.choices],
    )
    saran = forms.CharField(
        label=gettext_lazy("Saran dan masukan"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": actions.SUGGESTION_MAX, "size": 60}),
    )

    def __init__(self, *args: Any, mall: Mall, questionnaire: Questionnaire, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        self.elements = sorted(questionnaire.elements.all(), key=lambda e: e.position)
        tenants = Tenant.objects.filter(mall_tenants__mall=mall)
        self.fields["instansi"].queryset = tenants  # type: ignore[attr-defined]
        services = Service.objects.active().offered_at(mall).select_related("tenant")
        chosen = self.data.get("instansi") if self.is_bound else self.initial.get("instansi")
        self.tenant_id = int(str(chosen)) if str(chosen or "").isdigit() else None
        if self.tenant_id is not None:  # only what the chosen tenant offers at this mall
            services = services.filter(tenant_id=self.tenant_id)
            self.fields["layanan"].error_messages["invalid_choice"] = _(
                "Layanan itu bukan milik instansi yang dipilih."
            )
        self.services = {s.pk: s for s in services.order_by("tenant__sort_order", "name")}
        grouped: dict[str, list[tuple[int, str]]] = {}
        for service in self.services.values():
            grouped.setdefault(service.tenant.short_name, []).append((service.pk, service.name))
        self.fields["layanan"].choices = [("", "—"), *grouped.items()]  # type: ignore[attr-defined]
        for element in self.elements:
            self.fields[element.code] = forms.CharField(
                label=f"{element.position}. {element.code} {element.name}",
                required=False,
                strip=True,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "maxlength": "1",
                        "autocomplete": "off",
                        "size": "2",
                        "class": "digit",
                    }
                ),
            )
        self.answer_rows = [(e, self[e.code]) for e in self.elements]
        self.where_fields = [self[name] for name in STICKY]
        self.profile_fields = [self[name] for name in PROFILE_FORM_FIELDS]

    def set_focus(self) -> None:
        """Where the cursor starts: the first field in error, else the first answer once the
        tenant is chosen (the clerk's hands stay on the digits), else the tenant."""
        if self.is_bound and self.errors:
            name = next((n for n in self.fields if n in self.errors), None)
        elif self.initial.get("instansi") and self.elements:
            name = self.elements[0].code
        else:
            name = "instansi"
        if name is not None:
            self.fields[name].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answers = {e.code: data.get(e.code) or "" for e in self.elements}
        for code, value in answers.items():
            if value:
                try:  # one element at a time, so every bad digit is named
                    actions.clean_answers(self.questionnaire, {code: value})
                except SurveyError as bad:
                    self.add_error(code, str(bad))
        if not any(c in self.errors for c in answers):
            try:
                actions.clean_answers(self.questionnaire, answers)
            except SurveyError as bad:
                self.add_error(None, str(bad))
        try:
            actions.clean_profile(self.profile())
        except SurveyError as bad:
            self.add_error(PROFILE_FIELDS.get(bad.field or ""), str(bad))
        data["layanan"] = self.services.get(data.get("layanan") or 0)
        data["answers"] = answers
        return data

    def profile(self) -> actions.Profile:
        data = self.cleaned_data
        return actions.Profile(
            sex=data.get("jenis_kelamin") or "",
            age=data.get("usia"),
            education=data.get("pendidikan") or "",
            occupation=data.get("pekerjaan") or "",
        )


def _questionnaire(mall: Mall, tenant_id: str | None) -> Questionnaire:
    """The questionnaire in force for the chosen tenant, its elements read once."""
    tenant = None
    if tenant_id and tenant_id.isdigit():
        tenant = Tenant.objects.filter(pk=tenant_id, mall_tenants__mall=mall).first()
    questionnaire = actions.questionnaire_for(mall, tenant)
    prefetch_related_objects([questionnaire], "elements")  # read by every clean_answers call
    return questionnaire


def _sheets_today(user: Any, mall: Mall) -> int:
    """Sheets this clerk typed in at this mall since local midnight (their audit entries:
    responses themselves keep no time, docs/surveys-privacy.md)."""
    midnight = dt.datetime.combine(mall.local_now().date(), dt.time(), tzinfo=mall.zone)
    return AuditEntry.objects.filter(
        action="survey.paper_response", mall_id=mall.pk, actor_id=user.pk, at__gte=midnight
    ).count()


def _save(request: HttpRequest, mall: Mall, form: PaperForm) -> HttpResponse | None:
    """Save the sheet once and redirect to an empty form; None when the form shows errors."""
    data = form.cleaned_data
    sticky = {k: request.POST.get(k, "") for k in STICKY}
    again = reverse("surveys:paper", args=[mall.pk]) + "?" + urlencode(sticky)
    spent = spend_nonce(request.POST.get("nonce", ""))
    if spent is None:
        form.add_error(None, _("Formulir ini kedaluwarsa. Periksa isian, lalu simpan lagi."))
        return None
    if not spent:
        messages.info(request, _("Kiriman ganda diabaikan: lembar ini sudah diterima."))
        return redirect(again)
    try:
        actions.record_paper_response(
            mall=mall,
            tenant=data["instansi"],
            service=data["layanan"],
            answered_on=data["tanggal"],
            time_band=data["waktu"],
            answers=data["answers"],
            profile=form.profile(),
            suggestion=data["saran"],
            acting_user=request.user,
        )
    except SurveyError as bad:
        target = PROFILE_FIELDS.get(bad.field or "", bad.field)
        form.add_error(target if target in form.fields else None, str(bad))
        return None
    n = _sheets_today(request.user, mall)
    messages.success(request, _("Tersimpan: lembar ke-%(n)d hari ini.") % {"n": n})
    return redirect(again)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def paper(request: HttpRequest, mall_id: int) -> HttpResponse:
    """Staff type in paper sheets one after another; Enter saves and clears the answers."""
    mall = access_entry(request.user, mall_id)
    source = request.POST if request.method == "POST" else request.GET
    questionnaire = _questionnaire(mall, source.get("instansi"))
    if request.method == "POST":
        form = PaperForm(request.POST, mall=mall, questionnaire=questionnaire)
        if form.is_valid() and (done := _save(request, mall, form)) is not None:
            return done
        status = 400
    else:
        initial = {k: request.GET[k] for k in STICKY if request.GET.get(k)}
        initial.setdefault("tanggal", mall.local_now().date().isoformat())
        form, status = PaperForm(initial=initial, mall=mall, questionnaire=questionnaire), 200
    form.set_focus()
    context = {
        "mall": mall,
        "form": form,
        "nonce": new_nonce(),
        "sheets_today": _sheets_today(request.user, mall),
    }
    return render(request, "surveys/paper.html", context, status=status)


class ImportForm(forms.Form):
    berkas = forms.FileField(label=gettext_lazy("Berkas lembar survei (CSV atau XLSX)"))
    impor_lagi = forms.BooleanField(
        label=gettext_lazy("Saya yakin, impor lagi"),
        required=False,
        help_text=gettext_lazy("Centang hanya bila berkas yang sama memang berisi lembar lain."),
    )

    def clean_berkas(self) -> Any:
        upload = self.cleaned_data["berkas"]
        try:  # refused before it is read into memory
            check_size(upload.size, settings.MPP_SURVEY_IMPORT_MAX_BYTES)
        except FileRefused as refused:
            raise forms.ValidationError(str(refused), code=refused.code) from None
        return upload


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_file(request: HttpRequest, mall_id: int) -> HttpResponse:
    """Staff upload a spreadsheet of paper sheets: all rows in, or none and every bad row named.
    The file is stored and imported by the background worker (surveys/jobs.py); the page then
    follows the job (?tugas=<id>) with a progress bar, and shows its outcome."""
    mall = access_entry(request.user, mall_id)
    form = ImportForm(request.POST or None, request.FILES or None)
    status, job = 200, None
    if request.method == "POST":
        if form.is_valid():
            job = jobs.enqueue_import(
                mall=mall,
                upload=form.cleaned_data["berkas"],
                allow_reimport=form.cleaned_data["impor_lagi"],
                acting_user=request.user,
            )
            return redirect(f"{reverse('surveys:import', args=[mall.pk])}?tugas={job.pk}")
        status = 400
    elif (asked := request.GET.get("tugas", "")).isdigit() and len(asked) <= 18:
        job = access_job(request.user, int(asked))
        if job.kind != jobs.IMPORT or job.mall_id != mall.pk:
            raise Http404(_("Tugas tidak ditemukan."))
    result = job.result if job is not None else {}
    context = {
        "mall": mall,
        "form": form,
        "job": job,
        "state": job_state(job) if job is not None else None,
        "errors": result.get("errors"),
        "errors_total": result.get("errors_total", 0),
        "already_imported": result.get("code") == "already_imported",
        "imports": SurveyImport.objects.filter(mall=mall).select_related("imported_by")[:20],
    }
    return render(request, "surveys/import.html", context, status=status)


@require_safe
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """The import template with two example sheets (for a tenant of `?mal=ID` when given)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("Format templat harus csv atau xlsx."))
    mall_id = request.GET.get("mal", "")
    mall = None
    if mall_id:
        mall = (
            Mall.objects.select_related("region").filter(pk=int(mall_id)).first()
            if mall_id.isdigit()
            else None
        )
    if mall_id and mall is None:
        raise Http404(_("Mal tidak ditemukan."))
    if fmt == "xlsx":
        response = HttpResponse(sheets.template_xlsx(mall), content_type=XLSX)
    else:
        response = HttpResponse(sheets.template_csv(mall), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="templat-survei-kertas.{fmt}"'
    return response

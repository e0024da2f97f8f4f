"""The admin manages reference data scoped by role."""

from __future__ import annotations

from django.urls import reverse

from mpp.accounts.models import Role, StaffProfile
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.malls.models import Mall


def change_url(obj: object) -> str:
    meta = obj._meta  # type: ignore[attr-defined]
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])  # type: ignore[attr-defined]


def test_a_mini_mpp_supervisor_sees_and_edits_only_their_mall(client, cast, mall_loakulu, mall_mpp):
    client.force_login(cast.supervisor_loakulu())
    listing = client.get(reverse("admin:malls_mall_changelist"))
    assert listing.status_code == 200
    assert "Mini MPP Loa Kulu" in listing.content.decode()
    assert "Mini MPP Tabang" not in listing.content.decode()
    assert client.get(change_url(mall_loakulu)).status_code == 200
    other = client.get(change_url(mall_mpp))
    assert other.status_code in (
        302,
        403,
    )  # the admin redirects to its index for objects out of reach
    assert client.post(change_url(mall_mpp), {"phone": "0541-1"}).status_code in (302, 403)
    mall_mpp.refresh_from_db()
    assert mall_mpp.phone == ""


def test_a_supervisor_saves_contact_and_hours_but_not_the_rollout_status(
    client, cast, mall_loakulu
):
    client.force_login(cast.supervisor_loakulu())
    page = client.get(change_url(mall_loakulu))
    form = page.context["adminform"].form
    assert "status" not in form.fields  # read-only for a supervisor
    data = _form_data(page)
    data["phone"] = "0541-661234"
    response = client.post(change_url(mall_loakulu), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    mall_loakulu.refresh_from_db()
    assert mall_loakulu.phone == "0541-661234"
    assert mall_loakulu.status == Mall.Status.OPERATING


def test_a_tenant_officer_reads_only_their_tenants_services(client, cast, service_by_slug):
    client.force_login(cast.officer_dukcapil())
    listing = client.get(reverse("admin:catalog_service_changelist"))
    html = listing.content.decode()
    assert "Penerbitan Akta Kelahiran" in html
    assert "SKCK" not in html
    own = service_by_slug("akta-kelahiran")
    page = client.get(change_url(own))
    assert page.status_code == 200
    assert "Simpan" not in page.content.decode()  # view only
    response = client.post(change_url(own), {"name": "Diubah"})
    assert response.status_code == 403
    assert client.get(change_url(service_by_slug("skck-baru"))).status_code in (302, 403)


def test_the_regency_admin_edits_a_service_standard(client, cast, service_by_slug):
    client.force_login(cast.regency_admin())
    service = service_by_slug("skck-baru")
    page = client.get(change_url(service))
    data = _form_data(page)
    data.update(duration="1 jam", duration_value=1, duration_unit="jam")  # the three agree
    response = client.post(change_url(service), data)
    assert response.status_code == 302
    assert Service.objects.get(pk=service.pk).duration == "1 jam"


def test_outsiders_cannot_enter_the_admin(client, cast):
    client.force_login(cast.outsider())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_kiosk_device_cannot_open_the_admin(client, kukar):
    """A kiosk signs in on a public touch screen: its pages and the ticket API, nothing else."""
    client.force_login(make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.admin"))
    models = ["catalog_tenant", "catalog_service", "malls_village", "malls_holiday"]
    models += ["metapers_hall", "metapers_booth", "malls_mall", "accounts_staffprofile"]
    for url in [
        reverse("admin:index"),
        *(reverse(f"admin:{name}_changelist") for name in models),
        reverse("admin:malls_mall_change", args=[Mall.objects.get(slug="mpp-kukar").pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url
    login = client.get(reverse("admin:login")).content.decode()
    assert "Data rujukan" not in login and "Layanan" not in login  # no menu of the admin
    assert client.get(reverse("queueing:kiosk", args=["mpp-kukar"])).status_code == 200


def test_staff_roles_keep_the_admin(client, cast):
    for person in [cast.regency_admin(), cast.supervisor_loakulu(), cast.officer_dukcapil()]:
        client.force_login(person)
        assert client.get(reverse("admin:index")).status_code == 200, person
    for person in [cast.leadership(), cast.auditor()]:
        client.force_login(person)
        assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200


def test_only_the_regency_admin_manages_staff_roles(client, cast):
    client.force_login(cast.supervisor_mpp())
    assert client.get(reverse("admin:accounts_staffprofile_changelist")).status_code == 403
    client.force_login(cast.regency_admin())
    assert client.get(reverse("admin:accounts_staffprofile_changelist")).status_code == 200


def test_a_kiosks_network_printer_host_is_a_bare_ip_or_host_name(client, cast):
    kiosk = StaffProfile.objects.get(
        user=make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.admin")
    )
    client.force_login(cast.regency_admin())
    page = client.get(change_url(kiosk))
    assert "Printer jaringan perangkat kios" in page.content.decode()
    data = _form_data(page)
    for bad in ["http://192.0.2.10", "192.0.2.10:9100", "printer kios", "999.1.2.3", "lt2/kios"]:
        response = client.post(change_url(kiosk), {**data, "printer_host": bad})
        assert response.status_code == 200, bad  # the form again, with the error
        assert "tanpa http://, port, atau spasi" in response.content.decode(), bad
    response = client.post(change_url(kiosk), {**data, "printer_port": "70000"})
    assert response.status_code == 200
    response = client.post(
        change_url(kiosk), {**data, "printer_host": "192.0.2.10", "printer_port": "9100"}
    )
    assert response.status_code == 302
    kiosk.refresh_from_db()
    assert (kiosk.printer_host, kiosk.printer_port) == ("192.0.2.10", 9100)
    assert kiosk.has_network_printer
    officer = StaffProfile.objects.get(user=cast.officer_dukcapil())
    page = client.get(change_url(officer))
    response = client.post(change_url(officer), {**_form_data(page), "printer_host": "kios-1"})
    assert "Hanya perangkat kios yang memakai printer jaringan." in response.content.decode()


def _form_data(page) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The values of every field of an admin change form, inlines included, as a browser sends."""
    data: dict[str, object] = {}
    adminform = page.context["adminform"]
    for name, field in adminform.form.fields.items():
        value = adminform.form.initial.get(name, field.initial)
        data[name] = _plain(field, value)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                data[form.add_prefix(name)] = _plain(field, value)
    return {k: v for k, v in data.items() if v is not None}


def _plain(field, value):  # type: ignore[no-untyped-def]
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | dict):
        return field.prepare_value(value)
    if value is False:
        return None
    if value is True:
        return "on"
    return value

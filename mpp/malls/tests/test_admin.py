"""The mall admin: what a supervisor changes there is in the audit trail, and a mall's offerings
change through set_service_offering (audited, announced), never by saving the rows (issue 16)."""

from __future__ import annotations

from mpp.accounts.tests.test_admin import _form_data, change_url
from mpp.catalog.models import MallService
from mpp.core.events import current_sequence, group_name
from mpp.core.models import AuditEntry


def _offering_rows(page) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    formset = next(
        i.formset for i in page.context["inline_admin_formsets"] if i.formset.model is MallService
    )
    return formset.prefix, formset.total_form_count()


def test_an_offering_added_in_the_admin_goes_through_its_action(
    client, cast, mall_loakulu, django_capture_on_commit_callbacks
):
    offering = MallService.objects.filter(mall=mall_loakulu).select_related("service")[0]
    service = offering.service
    offering.delete()  # Loa Kulu offers every front-counter service: one is withdrawn first
    supervisor = cast.supervisor_loakulu()
    client.force_login(supervisor)
    page = client.get(change_url(mall_loakulu))
    data = _form_data(page)
    prefix, rows = _offering_rows(page)
    data.update({f"{prefix}-TOTAL_FORMS": rows + 1, f"{prefix}-{rows}-service": service.pk})
    sequence = current_sequence(group_name("mall", mall_loakulu.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(mall_loakulu), data)
    assert response.status_code == 302
    assert MallService.objects.filter(mall=mall_loakulu, service=service).exists()
    entry = AuditEntry.objects.get(action="offering.added", object_id=str(service.pk))
    assert entry.actor == supervisor and entry.mall_id == mall_loakulu.pk
    assert current_sequence(group_name("mall", mall_loakulu.pk)) > sequence  # offering.changed

    page = client.get(change_url(mall_loakulu))
    data = _form_data(page)
    prefix, rows = _offering_rows(page)
    index = next(
        i for i in range(rows) if str(data.get(f"{prefix}-{i}-service")) == str(service.pk)
    )
    data[f"{prefix}-{index}-DELETE"] = "on"
    assert client.post(change_url(mall_loakulu), data).status_code == 302
    assert not MallService.objects.filter(mall=mall_loakulu, service=service).exists()
    assert AuditEntry.objects.filter(action="offering.removed", object_id=str(service.pk)).exists()


def test_a_supervisors_change_of_their_mall_is_in_the_audit_trail(client, cast, mall_loakulu):
    supervisor = cast.supervisor_loakulu()
    client.force_login(supervisor)
    page = client.get(change_url(mall_loakulu))
    response = client.post(change_url(mall_loakulu), {**_form_data(page), "phone": "0541-661234"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(mall_loakulu.pk))
    assert entry.actor == supervisor and entry.mall_id == mall_loakulu.pk
    assert "phone" in str(entry.data["change"]) or "telepon" in str(entry.data["change"]).lower()

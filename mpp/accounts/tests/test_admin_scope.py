"""Every admin of the site, walked as a Mini MPP supervisor and as a tenant officer: lists show
only their rows, choice fields (autocomplete included) offer only their objects, a POST naming
another mall's object is refused with nothing changed (docs/adr/0016).

The scope is judged here independently of accounts.admin_scope: a row's mall is found by
following its foreign keys (a field named `mall` first), its tenant likewise; a row without a
mall is reference data of the region."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.forms.models import model_to_dict
from django.urls import reverse

from mpp.accounts.tests.test_admin import _form_data
from mpp.catalog.models import Tenant
from mpp.core.models import AuditEntry
from mpp.investment.models import Dataset
from mpp.malls.models import Mall, Region
from mpp.queueing.models import Ticket
from mpp.rollout import models as rollout

ADMINS = list(admin.site._registry.values())
# The Indonesian refusals of accounts.admin_scope: a choice not offered, an object of another
# mall than the one edited, a mall the person does not edit.
REFUSALS = ("Pilihan ini tidak tersedia bagi Anda", "bukan di", "di luar kewenangan Anda")


def _id(model_admin: admin.ModelAdmin) -> str:  # type: ignore[type-arg]
    return f"{model_admin.model._meta.app_label}.{model_admin.model._meta.model_name}"


def _forward_relations(obj: Model) -> list[Any]:
    fields = [
        f
        for f in obj._meta.concrete_fields
        if f.is_relation and (f.many_to_one or f.one_to_one) and f.name != "portal_to"
    ]
    return sorted(fields, key=lambda f: f.name != "mall")


def mall_of(obj: Model, depth: int = 4) -> Mall | None:
    """The mall a row belongs to, following its foreign keys; None: it belongs to none."""
    if isinstance(obj, Mall):
        return obj
    if isinstance(obj, AuditEntry):
        return Mall.objects.filter(pk=obj.mall_id or 0).first()
    relations = _forward_relations(obj)
    for field in relations:
        if field.related_model is Mall:
            return getattr(obj, field.name)  # type: ignore[no-any-return]
    for field in relations if depth else []:
        target = getattr(obj, field.name)
        found = mall_of(target, depth - 1) if target is not None else None
        if found is not None:
            return found
    return None


def region_of(obj: Model, depth: int = 4) -> Region | None:
    if isinstance(obj, Region):
        return obj
    for field in _forward_relations(obj) if depth else []:
        target = getattr(obj, field.name)
        found = region_of(target, depth - 1) if target is not None else None
        if found is not None:
            return found
    return None


def tenants_of(obj: Model) -> set[int]:
    if isinstance(obj, Tenant):
        return {obj.pk}
    tenant = getattr(obj, "tenant", None) or getattr(getattr(obj, "service", None), "tenant", None)
    if isinstance(tenant, Tenant):
        return {tenant.pk}
    many = getattr(obj, "tenants", None)
    return set(many.values_list("pk", flat=True)) if many is not None else set()


class Person:
    """Whose scope a row is judged against."""

    def __init__(self, user: Any, malls: list[Mall], tenant: Tenant | None, kukar: Region):
        self.user, self.malls, self.tenant, self.region = user, malls, tenant, kukar

    def sees(self, obj: Model) -> bool:
        mall = mall_of(obj)
        if mall is not None:
            if mall not in self.malls:
                return False
        else:
            region = region_of(obj)
            if region is not None and region != self.region:
                return False
        tenants = tenants_of(obj)
        return self.tenant is None or not tenants or self.tenant.pk in tenants

    def may_pick(self, obj: Model) -> bool:
        """An object a choice field may offer: at a mall this person edits, or reference data
        of the region."""
        mall = mall_of(obj)
        if mall is not None and mall not in self.malls:
            return False
        tenants = tenants_of(obj)
        if self.tenant is not None and tenants and self.tenant.pk not in tenants:
            return False
        region = region_of(obj)
        return mall is not None or region is None or region == self.region


@pytest.fixture(autouse=True)
def _halls(kukar):  # type: ignore[no-untyped-def]
    """The demo halls, booths and chat answers, so that the Metapers admins have rows to show."""
    from mpp.metapers.demo import ensure_demo_canned_answers, ensure_demo_halls

    ensure_demo_halls(kukar)
    ensure_demo_canned_answers(kukar)


@pytest.fixture(autouse=True)
def _rollout_rows(kukar, mall_loakulu):  # type: ignore[no-untyped-def]
    """A row of every rollout admin, at Mini MPP Loa Kulu and at another Mini MPP where the row
    has a mall: a staff member posted there, trained and certified, a status change and a trial
    day (the region loader makes the plan, agencies, checklist, items and modules)."""
    import datetime as dt

    from django.utils import timezone

    other = Mall.objects.filter(region=kukar, kind=Mall.Kind.MINI_MPP).exclude(pk=mall_loakulu.pk)
    today = dt.date(2026, 11, 30)
    for n, mall in enumerate([mall_loakulu, other.order_by("district__code")[0]]):
        village = mall.district.villages.order_by("code")[0]
        member = rollout.StaffMember.objects.create(
            region=kukar, full_name=f"Pegawai Lingkup {n}", employment="honorer",
            domicile_village=village,
        )  # fmt: skip
        rollout.Assignment.objects.create(
            member=member, mall=mall, position="Petugas loket depan", start_date=today
        )
        rollout.MallStatusChange.objects.create(
            mall=mall, from_status="planned", to_status="preparing", reason="Data uji"
        )
        rollout.TrialDay.objects.create(mall=mall, day=today)
        module = rollout.TrainingModule.objects.filter(region=kukar).order_by("order")[0]
        session = rollout.TrainingSession.objects.create(
            region=kukar, title=f"Pelatihan {n}", venue=mall, start_date=today, end_date=today
        )
        session.modules.add(module)
        session.participants.add(member)
        rollout.Attendance.objects.create(session=session, member=member, day=today)
        rollout.Assessment.objects.create(
            member=member, module=module, session=session, score=90, passed=True,
            assessed_at=timezone.now(),
        )  # fmt: skip
        rollout.Certificate.objects.create(
            member=member, session=session, number=f"LINGKUP/{n}", code=f"LINGKUP{n}",
            issued_at=timezone.now(),
        )  # fmt: skip


@pytest.fixture
def supervisor(cast, kukar, mall_loakulu) -> Person:  # type: ignore[no-untyped-def]
    return Person(cast.supervisor_loakulu(), [mall_loakulu], None, kukar)


@pytest.fixture
def officer(cast, kukar, mall_mpp, mall_loakulu) -> Person:  # type: ignore[no-untyped-def]
    return Person(
        cast.officer_dukcapil(),
        [mall_mpp, mall_loakulu],
        Tenant.objects.get(slug="disdukcapil"),
        kukar,
    )


def _url(model_admin: Any, view: str, *args: Any) -> str:
    meta = model_admin.model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _choice_fields(page: Any) -> list[tuple[str, Any]]:
    """(name, field) of every relation choice of a change or add page, inlines included."""
    fields = list(page.context["adminform"].form.fields.items())
    for inline in page.context["inline_admin_formsets"]:
        for form in [*inline.formset.forms, inline.formset.empty_form]:
            fields += [(form.add_prefix(n), f) for n, f in form.fields.items()]
    return [(n, f) for n, f in fields if isinstance(f, ModelChoiceField)]


def _pages(client: Any, model_admin: Any) -> list[Any]:
    """The add page and the change page of the first row the person sees, as far as they open."""
    pages: list[Any] = []
    listing = client.get(_url(model_admin, "changelist"))
    if listing.status_code != 200:
        return pages
    add = client.get(_url(model_admin, "add"))
    if add.status_code == 200:
        pages.append(add)
    first = listing.context["cl"].queryset.first()
    if first is not None:
        change = client.get(_url(model_admin, "change", first.pk))
        assert change.status_code == 200
        pages.append(change)
    return pages


@pytest.mark.parametrize("who", ["supervisor", "officer"])
@pytest.mark.parametrize("model_admin", ADMINS, ids=_id)
def test_every_admin_list_shows_only_the_persons_rows(client, request, who, model_admin):
    person: Person = request.getfixturevalue(who)
    client.force_login(person.user)
    response = client.get(_url(model_admin, "changelist"))
    if response.status_code != 200:
        assert response.status_code in (302, 403)
        return
    shown = list(response.context["cl"].queryset)
    assert [row for row in shown if not person.sees(row)] == []
    # The filters beside the list offer nothing of other malls either.
    for spec in response.context["cl"].filter_specs:
        for choice in getattr(spec, "lookup_choices", []):
            value = choice[0] if isinstance(choice, tuple) else choice
            related = getattr(getattr(spec, "field", None), "related_model", None)
            if related is not None and isinstance(value, int):
                assert person.sees(related.objects.get(pk=value)), (spec.title, value)


@pytest.mark.parametrize("who", ["supervisor", "officer"])
@pytest.mark.parametrize("model_admin", ADMINS, ids=_id)
def test_every_admin_form_offers_only_the_persons_objects(client, request, who, model_admin):
    person: Person = request.getfixturevalue(who)
    client.force_login(person.user)
    for page in _pages(client, model_admin):
        for name, field in _choice_fields(page):
            if field.widget.is_hidden:
                continue  # an inline row's own id: no choice shown (and checked when posted)
            offered = [o for o in field.queryset if not person.may_pick(o)]
            assert offered == [], (page.request["PATH_INFO"], name, offered[:3])


@pytest.mark.parametrize("who", ["supervisor", "officer"])
def test_every_autocomplete_offers_only_the_persons_objects(client, request, who):
    person: Person = request.getfixturevalue(who)
    client.force_login(person.user)
    sources = [(ma.model, ma) for ma in ADMINS]
    sources += [(i.model, i) for ma in ADMINS for i in getattr(ma, "inlines", [])]
    asked = 0
    for model, source in sources:
        for field_name in getattr(source, "autocomplete_fields", []):
            target = model._meta.get_field(field_name).related_model
            response = client.get(
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field_name,
                },
            )
            if response.status_code != 200:
                continue
            asked += 1
            for result in response.json()["results"]:
                assert person.may_pick(target.objects.get(pk=result["id"])), (field_name, result)
    assert asked  # the walk reached the autocomplete fields


def _out_of_scope(model: type[Model], person: Person) -> Model | None:
    """An object of `model` the person may not name: another mall's, another tenant's."""
    for candidate in model._default_manager.all()[:400]:
        if not person.may_pick(candidate):
            return candidate
    return None


def _errors(response: Any) -> str:
    """The form's and inlines' errors of a re-rendered admin page."""
    context = response.context
    found = [str(context["adminform"].form.errors)]
    found += [
        str(i.formset.errors) + str(i.formset.non_form_errors())
        for i in context["inline_admin_formsets"]
    ]
    return " ".join(found)


def _state(obj: Model) -> dict[str, Any]:
    """The row, its many-to-many links and the rows of its inlines."""
    obj.refresh_from_db()
    state: dict[str, Any] = {}
    for key, value in model_to_dict(obj).items():
        state[key] = sorted(v.pk for v in value) if isinstance(value, list) else value
    for related in obj._meta.related_objects:
        label = related.related_model._meta.app_label  # type: ignore[union-attr]
        if related.one_to_many and label != "core":
            manager = getattr(obj, related.get_accessor_name(), None)  # type: ignore[arg-type]
            if manager is not None:
                state[related.name] = sorted(manager.values_list("pk", flat=True))
    return state


@pytest.mark.parametrize("who", ["supervisor", "officer"])
@pytest.mark.parametrize("model_admin", ADMINS, ids=_id)
def test_a_post_naming_another_malls_object_is_refused_and_changes_nothing(
    client, request, who, model_admin
):
    """Each relation of the object, in the form or read-only, and each of its inlines' choice
    fields, set to another mall's (or tenant's) object: a field of the form is refused with an
    Indonesian error; a read-only one is ignored. Either way the object does not change."""
    person: Person = request.getfixturevalue(who)
    client.force_login(person.user)
    listing = client.get(_url(model_admin, "changelist"))
    if listing.status_code != 200:
        return
    for obj in listing.context["cl"].queryset[:1]:
        url = _url(model_admin, "change", obj.pk)
        page = client.get(url)
        if not page.context["has_change_permission"]:
            continue
        data = _form_data(page)
        in_form = {n: f for n, f in _choice_fields(page) if "__prefix__" not in n}
        relations = {
            f.name: f.related_model
            for f in obj._meta.get_fields()
            if f.concrete and f.is_relation and (f.many_to_one or f.one_to_one or f.many_to_many)
        }
        relations.update({n: f.queryset.model for n, f in in_form.items()})
        for name, model in relations.items():
            foreign = _out_of_scope(model, person)
            if foreign is None:
                continue
            before = _state(obj)
            many = name in in_form and isinstance(in_form[name], ModelMultipleChoiceField)
            response = client.post(url, {**data, name: [foreign.pk] if many else foreign.pk})
            assert _state(obj) == before, (name, foreign)
            if name in in_form:
                assert response.status_code == 200, (name, foreign)  # the form again
                errors = _errors(response)
                assert any(r in errors for r in REFUSALS), (name, errors)


# Fields that only an action writes (mpp/*/actions.py: audited, events sent): no admin form
# offers them. A counter's tenant and a mall's offerings are offered, and saved through
# reassign_counter and set_service_offering (queueing/tests/test_admin.py,
# malls/tests/test_admin.py).
WRITTEN_BY_ACTIONS: dict[str, set[str]] = {
    "queueing.counter": {"status", "officer", "queues"},
    "queueing.ticket": {f.name for f in Ticket._meta.fields},
    "queueing.dailysequence": {"last_number", "waiting", "last_issued_at"},
    "queueing.ticketevent": {"type", "at", "actor", "counter", "data"},
    "core.auditentry": {"action", "object_type", "object_id", "data", "actor"},
    "investment.dataset": {f.name for f in Dataset._meta.fields},
    # The rollout (issue 19): an item's progress is saved through readiness.mark_item (who
    # marked it done, when, and its evidence are the action's), a posting through roster.assign,
    # a status change by the go-live gate, a trial day's counts by the kiosk and the counters,
    # and the training's records by the training pages.
    "rollout.readinessitem": {
        "done_by",
        "done_at",
        "evidence_file",
        "evidence_name",
        "evidence_type",
        "mall",
        "template",
    },
    "rollout.mallstatuschange": {f.name for f in rollout.MallStatusChange._meta.fields},
    "rollout.trialday": {"mall", "day", "opened_by", "tickets_issued", "tickets_called"},
    "rollout.assignment": {"assigned_by"},
    "rollout.attendance": {f.name for f in rollout.Attendance._meta.fields},
    "rollout.assessment": {f.name for f in rollout.Assessment._meta.fields},
    "rollout.certificate": {f.name for f in rollout.Certificate._meta.fields},
}
# Rows that stay where they are: a queue, counter or its rules never move to another mall, nor
# does a Mini MPP's readiness item, trial day or a staff member's posting.
NEVER_MOVED = {
    "queueing.counter",
    "queueing.queue",
    "queueing.queuesettings",
    "metapers.hall",
    "rollout.readinessitem",
    "rollout.trialday",
    "rollout.assignment",
}


@pytest.mark.parametrize("who", ["regency_admin", "supervisor_loakulu"])
@pytest.mark.parametrize("model_admin", ADMINS, ids=_id)
def test_no_admin_form_writes_around_an_action(client, cast, who, model_admin):
    """Even the regency administrator: what an action writes is read-only in every add and
    change form, inlines included, and a row's mall is not changed once it is there."""
    client.force_login(getattr(cast, who)())
    for page in _pages(client, model_admin):
        forms = [(page.context["adminform"].form, model_admin.model)]
        for inline in page.context["inline_admin_formsets"]:
            forms += [(f, inline.formset.model) for f in inline.formset.forms]
        for form, model in forms:
            label = model._meta.label_lower
            offered = set(form.fields) & WRITTEN_BY_ACTIONS.get(label, set())
            assert offered == set(), (page.request["PATH_INFO"], label, offered)
            if page.context.get("original") is not None and label in NEVER_MOVED:
                assert "mall" not in form.fields, page.request["PATH_INFO"]

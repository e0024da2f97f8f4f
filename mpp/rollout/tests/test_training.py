"""Operator training (issue 19, item 4): assessments, sessions and attendance, certificates
(gapless numbers, the public check), the Metapers scenario's module, and the pages with their
400/403/404. The cast: DPMPTSP edits, BKPSDM reads, a Dinas PU liaison and an officer may not."""

from __future__ import annotations

import datetime as dt
import subprocess
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.core.models import AuditEntry
from mpp.malls.models import Mall, Region, Village
from mpp.rollout import training
from mpp.rollout.exceptions import RolloutRefused
from mpp.rollout.models import (
    Agency,
    AgencyMember,
    Assessment,
    Attendance,
    Certificate,
    StaffMember,
    TrainingModule,
    TrainingSession,
)

WITA = ZoneInfo("Asia/Makassar")


@pytest.fixture
def now(kukar):  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, 0, tzinfo=WITA), tick=False) as t:
        yield t


@pytest.fixture
def modules(kukar):  # type: ignore[no-untyped-def]
    """Two modules of Kukar's curriculum (the region data's own set aside)."""
    TrainingModule.objects.filter(region=kukar).delete()
    return [
        TrainingModule.objects.create(region=kukar, code="konsol", title="Konsol", order=1),
        TrainingModule.objects.create(
            region=kukar, code="data", title="Pelindungan data", order=2, pass_mark=80
        ),
    ]


def person(kukar, name: str, user=None) -> StaffMember:  # type: ignore[no-untyped-def]
    return StaffMember.objects.create(
        region=kukar,
        full_name=name,
        employment=StaffMember.Employment.PPPK,
        domicile_village=Village.objects.filter(district__region=kukar).first(),
        user=user,
    )


@pytest.fixture
def member(kukar):  # type: ignore[no-untyped-def]
    return person(kukar, "Siti Rahmawati")


@pytest.fixture
def session(kukar, modules, member, mall_mpp):  # type: ignore[no-untyped-def]
    s = training.create_session(
        region=kukar,
        title="Pelatihan operator angkatan 1",
        venue=mall_mpp,
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 6),
        trainer="Tim DPMPTSP",
        modules=modules,
        actor=None,
    )
    training.add_participants(s, [member], actor=None)
    return s


@pytest.fixture
def admin(cast):  # type: ignore[no-untyped-def]
    return cast.regency_admin()


def liaison(kukar, code: str, *, manages_staff: bool, username: str):  # type: ignore[no-untyped-def]
    agency, _ = Agency.objects.get_or_create(
        region=kukar,
        code=code,
        defaults={"name": code.upper(), "short_name": code.upper(), "manages_staff": manages_staff},
    )
    user = make_staff(Role.AGENCY_LIAISON, username=username)
    AgencyMember.objects.get_or_create(user=user, defaults={"agency": agency})
    return user


@pytest.fixture
def bkpsdm(kukar):  # type: ignore[no-untyped-def]
    return liaison(kukar, "bkpsdm", manages_staff=True, username="bkpsdm.uji")


@pytest.fixture
def dinas_pu(kukar):  # type: ignore[no-untyped-def]
    return liaison(kukar, "dinas-pu", manages_staff=False, username="pu.uji")


def qualify(member, session) -> None:  # type: ignore[no-untyped-def]
    training.record_attendance(session, member, dt.date(2026, 3, 2), present=True, actor=None)
    for module in session.modules.all():
        training.record_assessment(member, module, score=85, session=session, actor=None)


# -- rules -------------------------------------------------------------------------------------


def test_a_score_at_the_pass_mark_passes_and_is_audited(now, member, modules, admin):  # type: ignore[no-untyped-def]
    passed = training.record_assessment(member, modules[1], score=80, actor=admin)
    failed = training.record_assessment(member, modules[0], score=69, actor=admin)
    assert passed.passed and not failed.passed
    assert training.passed_modules(member) == {modules[1].pk}
    entry = AuditEntry.objects.filter(action="training.assessed").latest("pk")
    assert entry.actor_id == admin.pk and entry.data["score"] == 69


@pytest.mark.parametrize("score", [-1, 101, 1000, True, "90"])
def test_a_score_out_of_range_is_refused(member, modules, score):  # type: ignore[no-untyped-def]
    with pytest.raises(RolloutRefused) as refused:
        training.record_assessment(member, modules[0], score=score, actor=None)
    assert refused.value.code == "score_out_of_range"
    assert not Assessment.objects.exists()


def test_a_session_score_is_replaced_not_added(now, session, member, modules):  # type: ignore[no-untyped-def]
    training.record_assessment(member, modules[0], score=50, session=session, actor=None)
    training.record_assessment(member, modules[0], score=75, session=session, actor=None)
    assert list(Assessment.objects.values_list("score", "passed")) == [(75, True)]


def test_a_score_for_someone_outside_the_session_is_refused(kukar, session, modules):  # type: ignore[no-untyped-def]
    other = person(kukar, "Budi")
    with pytest.raises(RolloutRefused) as refused:
        training.record_assessment(other, modules[0], score=90, session=session, actor=None)
    assert refused.value.code == "not_participant"


def test_required_modules_add_the_front_desk_ones_for_the_front_desk(kukar, modules):  # type: ignore[no-untyped-def]
    front = TrainingModule.objects.create(
        region=kukar, code="depan", title="Loket depan", order=3, for_front_desk_only=True
    )
    TrainingModule.objects.create(
        region=kukar, code="pilihan", title="Pilihan", order=4, required_to_open_counter=False
    )
    assert training.required_modules(kukar, front_desk=False) == modules
    assert training.required_modules(kukar, front_desk=True) == [*modules, front]


def test_attendance_outside_the_session_is_refused(session, member):  # type: ignore[no-untyped-def]
    for day in (dt.date(2026, 3, 1), dt.date(2026, 3, 7)):
        with pytest.raises(RolloutRefused) as refused:
            training.record_attendance(session, member, day, present=True, actor=None)
        assert refused.value.code == "day_outside_session"
    training.record_attendance(session, member, dt.date(2026, 3, 6), present=True, actor=None)
    assert Attendance.objects.get().day == dt.date(2026, 3, 6)


def test_a_session_ending_before_it_starts_is_refused(kukar, modules, mall_mpp):  # type: ignore[no-untyped-def]
    with pytest.raises(RolloutRefused) as refused:
        training.create_session(
            region=kukar,
            title="Salah",
            venue=mall_mpp,
            start_date=dt.date(2026, 3, 5),
            end_date=dt.date(2026, 3, 4),
            modules=modules,
            actor=None,
        )
    assert refused.value.code == "dates_reversed"


def test_a_certificate_is_refused_while_a_module_is_not_passed(now, session, member, modules):  # type: ignore[no-untyped-def]
    training.record_attendance(session, member, dt.date(2026, 3, 2), present=True, actor=None)
    training.record_assessment(member, modules[0], score=90, session=session, actor=None)
    training.record_assessment(member, modules[1], score=79, session=session, actor=None)
    with pytest.raises(RolloutRefused) as refused:
        training.issue_certificate(member, session, None)
    assert refused.value.code == "modules_not_passed" and refused.value.status == 409
    assert "Pelindungan data" in str(refused.value)
    assert not Certificate.objects.exists()


def test_a_certificate_needs_one_day_attended(now, session, member, modules):  # type: ignore[no-untyped-def]
    for module in modules:
        training.record_assessment(member, module, score=90, session=session, actor=None)
    with pytest.raises(RolloutRefused) as refused:
        training.issue_certificate(member, session, None)
    assert refused.value.code == "not_attended"


def test_certificate_numbers_are_gapless_per_year(now, kukar, session, member, admin):  # type: ignore[no-untyped-def]
    second = person(kukar, "Ahmad Fauzi")
    training.add_participants(session, [second], actor=None)
    qualify(member, session)
    qualify(second, session)
    first = training.issue_certificate(member, session, admin)
    again = training.issue_certificate(member, session, admin)
    other = training.issue_certificate(second, session, admin)
    assert first == again
    assert (first.number, other.number) == ("MPP-KKR/PLT/2026/0001", "MPP-KKR/PLT/2026/0002")
    assert first.code != other.code and len(first.code) == 12
    now.move_to(dt.datetime(2027, 1, 1, 0, 30, tzinfo=WITA))  # still 2026 in UTC
    third = person(kukar, "Yanti")
    training.add_participants(session, [third], actor=None)
    qualify(third, session)
    assert training.issue_certificate(third, session, admin).number == "MPP-KKR/PLT/2027/0001"
    assert AuditEntry.objects.filter(action="training.certificate_issued").count() == 3


def test_the_metapers_scenario_passes_its_module(client, cast, kukar, mall_mpp):  # type: ignore[no-untyped-def]
    """Completing the Metapers operator scenario records a passing assessment (100) for the
    module whose metapers_scenario names it, for an officer on the roster."""
    from mpp.metapers.models import TrainingCompletion
    from mpp.metapers.training import SCENARIO
    from mpp.queueing.models import Counter

    TrainingModule.objects.filter(region=kukar).delete()
    module = TrainingModule.objects.create(
        region=kukar, code="metapers", title="Skenario Metapers", metapers_scenario=SCENARIO
    )
    officer = cast.officer_dukcapil()
    member = person(kukar, "Rina", user=officer)
    client.force_login(officer)
    counter = Counter.objects.filter(mall=mall_mpp, tenant__slug="disdukcapil").first()
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA), tick=False):
        page = reverse("metapers:training") + f"?mall={mall_mpp.slug}"
        assert client.get(page).status_code == 200
        data = {"mall": mall_mpp.slug}
        reply = "Selamat pagi, Bu. Syaratnya KTP-el dan KK asli; layanan ini gratis."
        client.post(reverse("metapers:training-reply"), {**data, "text": reply})
        client.post(reverse("metapers:training-issue"), data)
        client.post(reverse("metapers:training-call"), {**data, "counter": counter.pk})
    assert TrainingCompletion.objects.filter(operator=officer).exists()
    assessment = Assessment.objects.get(member=member)
    assert (assessment.module, assessment.score, assessment.passed) == (module, 100, True)


def test_a_metapers_completion_of_someone_off_the_roster_records_nothing(cast, kukar):  # type: ignore[no-untyped-def]
    from mpp.metapers.training import SCENARIO

    TrainingModule.objects.create(
        region=kukar, code="metapers-x", title="Metapers", metapers_scenario=SCENARIO
    )
    user = cast.officer_dukcapil()
    assert training.record_scenario_completion(user=user, scenario=SCENARIO) is None
    assert not Assessment.objects.exists()


def test_masked_name_keeps_two_letters_of_each_word() -> None:
    assert training.masked_name("Siti Rahmawati") == "Si•• Ra•••••••"
    assert training.masked_name("Al") == "A•"


# -- pages -------------------------------------------------------------------------------------


def pages(session, member) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        reverse("rollout:training"),
        reverse("rollout:training-session-new"),
        reverse("rollout:training-session", args=[session.pk]),
        reverse("rollout:training-attendance", args=[session.pk]),
        reverse("rollout:training-scores", args=[session.pk]),
        reverse("rollout:training-member", args=[member.pk]),
    ]


def test_dpmptsp_sees_every_page(client, session, member, admin):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    for url in pages(session, member):
        assert client.get(url).status_code == 200, url


def test_bkpsdm_reads_but_does_not_edit(client, session, member, bkpsdm):  # type: ignore[no-untyped-def]
    client.force_login(bkpsdm)
    for url in pages(session, member):
        expected = 403 if url.endswith("/baru/") else 200
        assert client.get(url).status_code == expected, url
    url = reverse("rollout:training-scores", args=[session.pk])
    module = session.modules.first()
    assert client.post(url, {f"nilai_{member.pk}_{module.pk}": "90"}).status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["dinas_pu", "officer", "leadership"])
def test_others_may_not_see_the_training_records(client, session, member, cast, request, who):  # type: ignore[no-untyped-def]
    user = {
        "dinas_pu": lambda: request.getfixturevalue("dinas_pu"),
        "officer": cast.officer_dukcapil,
        "leadership": cast.leadership,
    }[who]()
    client.force_login(user)
    for url in pages(session, member):
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(client, session, member):  # type: ignore[no-untyped-def]
    for url in pages(session, member):
        assert client.get(url).status_code == 302, url


def test_unknown_or_other_regions_objects_are_404(client, admin, session, member, uji):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    foreign = person(uji, "Orang Uji")
    foreign_session = TrainingSession.objects.create(
        region=uji,
        title="Uji",
        venue=Mall.objects.filter(region=uji).first(),
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 2),
    )
    for url in [
        reverse("rollout:training-session", args=[foreign_session.pk]),
        reverse("rollout:training-session", args=[999999]),
        reverse("rollout:training-attendance", args=[foreign_session.pk]),
        reverse("rollout:training-scores", args=[foreign_session.pk]),
        reverse("rollout:training-member", args=[foreign.pk]),
        reverse("rollout:training-certificate-pdf", args=[999999]),
        reverse("rollout:certificate-check", args=["TIDAKADA2345"]),
    ]:
        assert client.get(url).status_code == 404, url
    issue = reverse("rollout:training-certificate-issue", args=[session.pk, foreign.pk])
    assert client.post(issue).status_code == 404


def test_creating_a_session_through_the_page(client, admin, modules, mall_loakulu):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    url = reverse("rollout:training-session-new")
    data = {
        "title": "Angkatan 2",
        "venue": mall_loakulu.pk,
        "start_date": "2026-04-06",
        "end_date": "2026-04-10",
        "trainer": "",
        "modules": [m.pk for m in modules],
    }
    bad = client.post(url, {**data, "end_date": "2026-04-01"})
    assert bad.status_code == 400
    assert "sebelum tanggal mulai" in bad.content.decode()
    assert client.post(url, {**data, "modules": []}).status_code == 400
    response = client.post(url, data)
    assert response.status_code == 302
    created = TrainingSession.objects.get(title="Angkatan 2")
    assert set(created.modules.all()) == set(modules)
    assert created.region.slug == "kukar"


def test_adding_participants_through_the_page(client, admin, session, kukar):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    new = person(kukar, "Ahmad Fauzi")
    url = reverse("rollout:training-participants", args=[session.pk])
    assert client.post(url, {"members": ["abc"]}).status_code == 400
    assert client.post(url, {"members": [new.pk]}).status_code == 302
    assert session.participants.filter(pk=new.pk).exists()


def test_the_attendance_grid_saves_and_refuses_a_day_outside(client, admin, session, member):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    url = reverse("rollout:training-attendance", args=[session.pk])
    page = client.get(url).content.decode()
    assert f'value="{member.pk}:2026-03-06"' in page and "2026-03-07" not in page
    saved = client.post(url, {"hadir": [f"{member.pk}:2026-03-02", f"{member.pk}:2026-03-03"]})
    assert saved.status_code == 302
    assert set(Attendance.objects.filter(present=True).values_list("day", flat=True)) == {
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 3),
    }
    outside = client.post(url, {"hadir": [f"{member.pk}:2026-03-09"]})
    assert outside.status_code == 400
    assert "di luar sesi" in outside.content.decode()
    assert client.post(url, {"hadir": ["rusak"]}).status_code == 400
    # Unticking a day records the absence.
    assert client.post(url, {"hadir": [f"{member.pk}:2026-03-02"]}).status_code == 302
    assert Attendance.objects.filter(present=True).count() == 1


def test_the_scores_grid_saves_and_refuses_a_score_out_of_range(client, admin, session, member):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    url = reverse("rollout:training-scores", args=[session.pk])
    konsol, data_module = session.modules.order_by("order")
    field = f"nilai_{member.pk}_{konsol.pk}"
    out = client.post(url, {field: "101"})
    assert out.status_code == 400
    assert "100" in out.content.decode()
    assert not Assessment.objects.exists()
    assert (
        client.post(url, {field: "88", f"nilai_{member.pk}_{data_module.pk}": ""}).status_code
        == 302
    )
    assert list(Assessment.objects.values_list("module__code", "score", "passed")) == [
        ("konsol", 88, True)
    ]
    assert 'value="88"' in client.get(url).content.decode()


def test_a_certificate_through_the_pages_and_its_public_check(client, admin, now, session, member):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    issue = reverse("rollout:training-certificate-issue", args=[session.pk, member.pk])
    refused = client.post(issue)
    assert refused.status_code == 409
    assert "belum lulus modul" in refused.content.decode()
    qualify(member, session)
    assert client.post(issue).status_code == 302
    certificate = Certificate.objects.get()
    detail = client.get(reverse("rollout:training-session", args=[session.pk])).content.decode()
    assert certificate.number in detail

    pdf = client.get(reverse("rollout:training-certificate-pdf", args=[certificate.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True, check=True
    ).stdout.decode()
    assert "Siti Rahmawati" in text and "MPP-KKR/PLT/2026/0001" in text
    assert certificate.code in text and "Pelindungan data" in text

    client.logout()
    check = client.get(reverse("rollout:certificate-check", args=[certificate.code.lower()]))
    assert check.status_code == 200
    page = check.content.decode()
    assert "Si•• Ra•••••••" in page and "Siti Rahmawati" not in page
    assert certificate.number in page and session.title in page


def test_removing_a_participant_with_records_is_refused(client, admin, session, member):  # type: ignore[no-untyped-def]
    client.force_login(admin)
    url = reverse("rollout:training-participant-remove", args=[session.pk, member.pk])
    training.record_attendance(session, member, dt.date(2026, 3, 2), present=True, actor=None)
    assert client.post(url).status_code == 409
    Attendance.objects.all().delete()
    assert client.post(url).status_code == 302
    assert not session.participants.exists()


def test_a_region_without_a_plan_or_modules_still_renders(client, admin, kukar):  # type: ignore[no-untyped-def]
    TrainingModule.objects.filter(region=kukar).delete()
    client.force_login(admin)
    assert client.get(reverse("rollout:training")).status_code == 200
    assert Region.objects.filter(slug="kukar").exists()


def test_the_session_pages_read_in_a_bounded_number_of_queries(
    client, admin, now, kukar, session, member, django_assert_max_num_queries
):  # type: ignore[no-untyped-def]
    """Five participants or fifty: the session, its grids and the curriculum cost the same."""
    people = [person(kukar, f"Peserta {i}") for i in range(12)]
    training.add_participants(session, people, actor=None)
    for p in people[:6]:
        qualify(p, session)
    training.issue_certificate(people[0], session, None)
    client.force_login(admin)
    for name in ["training-session", "training-attendance", "training-scores"]:
        with django_assert_max_num_queries(20):
            assert client.get(reverse(f"rollout:{name}", args=[session.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("rollout:training")).status_code == 200
    with django_assert_max_num_queries(20):
        assert (
            client.get(reverse("rollout:training-member", args=[people[0].pk])).status_code == 200
        )

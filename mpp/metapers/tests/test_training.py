"""Training mode: the scenario "layani-pengunjung" through its pages, the proof that it leaves
no trace on the real queue (tickets, numbers, events, counters, chats), the real refusal as the
lesson, bad replies, who may train where, and the completions report."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.urls import reverse

from mpp.accounts.models import Role
from mpp.accounts.tests.factories import make_staff
from mpp.catalog.models import Service
from mpp.core.events import current_sequence, group_name
from mpp.core.models import AuditEntry
from mpp.metapers.models import ChatMessage, Conversation, TrainingCompletion
from mpp.metapers.training import SCENARIO, SESSION_KEY
from mpp.queueing.actions import issue_ticket
from mpp.queueing.models import Counter, DailySequence, Ticket, TicketEvent

WITA = ZoneInfo("Asia/Makassar")
PAGE = "metapers:training"
GOOD_REPLY = "Selamat pagi, Bu. Syaratnya KTP-el dan KK asli; layanan ini gratis."


@pytest.fixture
def officer(client, cast):  # type: ignore[no-untyped-def]
    user = cast.officer_dukcapil()
    client.force_login(user)
    return user


@pytest.fixture
def kiosk(kukar):  # type: ignore[no-untyped-def]
    return make_staff(Role.KIOSK, mall="mpp-kukar", username="kios.mpp.latihan")


def url(name: str, mall: str | None = None) -> str:
    return reverse(f"metapers:{name}") + (f"?mall={mall}" if mall else "")


def scenario_service(client, mall) -> Service:  # type: ignore[no-untyped-def]
    return Service.objects.get(pk=client.session[SESSION_KEY][str(mall.pk)]["service"])


def dukcapil_counter(mall) -> Counter:  # type: ignore[no-untyped-def]
    return Counter.objects.filter(mall=mall, tenant__slug="disdukcapil").order_by("number").first()


def play(client, mall, counter) -> None:  # type: ignore[no-untyped-def]
    """The three steps, each expected to succeed (redirect back to the page)."""
    assert client.get(url("training", mall.slug)).status_code == 200
    data = {"mall": mall.slug}
    assert client.post(url("training-reply"), {**data, "text": GOOD_REPLY}).status_code == 302
    assert client.post(url("training-issue"), data).status_code == 302
    assert client.post(url("training-call"), {**data, "counter": counter.pk}).status_code == 302


def queue_trace() -> tuple[object, ...]:
    """Everything a real queue keeps: tickets, their steps, the day's sequences, the counters."""
    return (
        list(Ticket.objects.values_list("pk", "status")),
        TicketEvent.objects.count(),
        list(
            DailySequence.objects.values_list("queue_id", "service_day", "last_number", "waiting")
        ),
        list(Counter.objects.order_by("pk").values_list("pk", "status", "officer_id")),
    )


def test_the_whole_scenario_records_one_completion_and_leaves_no_trace(
    client, officer, monday, mall_mpp, django_capture_on_commit_callbacks
):
    counter = dukcapil_counter(mall_mpp)
    mall_group = group_name("mall", mall_mpp.pk)
    before, seq_before = queue_trace(), current_sequence(mall_group)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = client.get(url("training", mall_mpp.slug)).content.decode()
        service = scenario_service(client, mall_mpp)
        assert service.name in page  # the visitor asks about one of Disdukcapil's services
        assert service.tenant.slug == "disdukcapil"
        play(client, mall_mpp, counter)

    assert callbacks == []  # no event was even queued for after a commit
    assert current_sequence(mall_group) == seq_before
    assert queue_trace() == before
    assert not Conversation.objects.exists() and not ChatMessage.objects.exists()

    completion = TrainingCompletion.objects.get()
    assert (completion.operator, completion.mall, completion.scenario) == (
        officer,
        mall_mpp,
        SCENARIO,
    )
    assert completion.completed_at == dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    assert completion.steps["chat"]["reply_chars"] == len(GOOD_REPLY)
    assert completion.steps["number"]["outcome"] == "issued"
    assert completion.steps["call"] == {
        "done_at": "2026-11-30T01:00:00+00:00",
        "outcome": "called",
        "number": completion.steps["number"]["number"],
        "counter": counter.number,
        "via": "next",  # nobody real was waiting: the everyday "Panggil berikutnya"
    }
    assert GOOD_REPLY not in str(completion.steps)  # what was done, not what was written
    assert AuditEntry.objects.filter(action="training.completed", mall_id=mall_mpp.pk).count() == 1

    page = client.get(url("training", mall_mpp.slug)).content.decode()
    assert "Sertifikat pelatihan Metapers" in page
    assert "Papan antrean akan mengucapkan" in page
    assert "Syaratnya KTP-el dan KK asli" in page  # the reply, shown like the chat
    assert f"silakan menuju loket {counter.number}" not in page  # spoken in words
    assert "silakan menuju loket" in page

    # The real visitor who comes next gets number 1, and the board hears of it first.
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(mall_group, channel)
    with django_capture_on_commit_callbacks(execute=True):
        real = issue_ticket(mall=mall_mpp, service=service, channel=Ticket.Channel.METAPERS)
    assert real.ticket.number == 1
    assert real.ticket.display_number == completion.steps["number"]["number"]
    first = async_to_sync(layer.receive)(channel)
    assert (first["event"], first["payload"]["number"]) == (
        "ticket.issued",
        real.ticket.display_number,
    )


def test_the_issued_number_is_shown_as_the_one_the_visitor_would_get(
    client, officer, monday, mall_mpp
):
    client.get(url("training", mall_mpp.slug))
    service = scenario_service(client, mall_mpp)
    real = issue_ticket(mall=mall_mpp, service=service, channel=Ticket.Channel.KIOSK).ticket
    client.post(url("training-reply"), {"mall": mall_mpp.slug, "text": GOOD_REPLY})
    client.post(url("training-issue"), {"mall": mall_mpp.slug})
    page = client.get(url("training", mall_mpp.slug)).content.decode()
    expected = f"{real.queue.letter}{real.number + 1:03d}"
    assert f"nomor <strong>{expected}</strong>" in page
    assert "Ada 1 orang di depannya" in page
    assert Ticket.objects.get() == real


def test_a_real_waiting_visitor_is_not_called_by_the_training(client, officer, monday, mall_mpp):
    counter = dukcapil_counter(mall_mpp)
    client.get(url("training", mall_mpp.slug))
    service = scenario_service(client, mall_mpp)
    real = issue_ticket(mall=mall_mpp, service=service, channel=Ticket.Channel.KIOSK).ticket
    before = queue_trace()
    play(client, mall_mpp, counter)
    steps = TrainingCompletion.objects.get().steps
    assert steps["call"]["outcome"] == "called"
    assert steps["call"]["number"] == f"{real.queue.letter}002"  # the training number
    assert steps["call"]["via"] == "out_of_order"
    assert queue_trace() == before
    real.refresh_from_db()
    assert real.status == Ticket.Status.WAITING
    nxt = issue_ticket(mall=mall_mpp, service=service, channel=Ticket.Channel.KIOSK).ticket
    assert nxt.number == 2


def test_an_open_counter_stays_open_with_its_officer(client, officer, cast, monday, mall_mpp):
    counter = dukcapil_counter(mall_mpp)
    colleague = cast.officer_imigrasi()  # any other account holding the counter
    Counter.objects.filter(pk=counter.pk).update(status=Counter.Status.OPEN, officer=colleague)
    play(client, mall_mpp, counter)
    counter.refresh_from_db()
    assert (counter.status, counter.officer) == (Counter.Status.OPEN, colleague)
    assert TrainingCompletion.objects.get().steps["call"]["outcome"] == "called"


def test_a_closed_mall_is_the_lesson_and_counts_once_read(client, officer, mall_mpp, settings):
    settings.MPP_DEMO_ALWAYS_OPEN = False
    sunday = dt.datetime(2026, 11, 29, 10, 0, tzinfo=WITA)
    data = {"mall": mall_mpp.slug}
    with time_machine.travel(sunday, tick=False):
        client.get(url("training", mall_mpp.slug))
        client.post(url("training-reply"), {**data, "text": GOOD_REPLY})
        assert client.post(url("training-issue"), data).status_code == 302
        page = client.get(url("training", mall_mpp.slug)).content.decode()
        assert "Ditolak oleh aturan antrean:" in page
        assert "tutup saat ini." in page
        assert "Saya mengerti" in page
        # Not yet read: the next step waits.
        call = {**data, "counter": dukcapil_counter(mall_mpp).pk}
        assert client.post(url("training-call"), call).status_code == 409
        ack = client.post(url("training-acknowledge"), {**data, "step": "number"})
        assert ack.status_code == 302
        assert client.post(url("training-call"), call).status_code == 302
        assert not TrainingCompletion.objects.exists()  # the call was refused too: read it
        assert client.post(url("training-acknowledge"), {**data, "step": "call"}).status_code == 302
    steps = TrainingCompletion.objects.get().steps
    assert steps["number"]["outcome"] == steps["call"]["outcome"] == "refused"
    assert steps["number"]["code"] == "mall_closed"
    assert steps["number"]["acknowledged"] is True
    assert not Ticket.objects.exists()


def test_acknowledging_a_step_without_a_refusal_is_409(client, officer, monday, mall_mpp):
    data = {"mall": mall_mpp.slug}
    client.post(url("training-reply"), {**data, "text": GOOD_REPLY})
    response = client.post(url("training-acknowledge"), {**data, "step": "number"})
    assert response.status_code == 409
    assert "Tidak ada penolakan" in response.content.decode()
    unknown = client.post(url("training-acknowledge"), {**data, "step": "apa"})
    assert unknown.status_code == 400


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Balasan kosong"),
        ("   \n ", "Balasan kosong"),
        ("Baik, Bu.", "terlalu singkat: 9 karakter, paling sedikit 15"),
        ("Silakan kirim ke NIK 6402064708950001 ya", "mirip NIK atau nomor telepon"),
        ("Hubungi saya di 0812-3456-7890 saja, Bu", "mirip NIK atau nomor telepon"),
        ("x" * 1001, "terlalu panjang"),
    ],
)
def test_a_bad_reply_is_400_with_the_reason_and_nothing_is_stored(
    client, officer, monday, mall_mpp, text, message
):
    response = client.post(url("training-reply"), {"mall": mall_mpp.slug, "text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Conversation.objects.exists() and not ChatMessage.objects.exists()
    assert client.session[SESSION_KEY][str(mall_mpp.pk)].get("chat") is None


def test_a_reply_of_exactly_15_characters_is_enough(client, officer, monday, mall_mpp):
    response = client.post(url("training-reply"), {"mall": mall_mpp.slug, "text": "a" * 15})
    assert response.status_code == 302


def test_steps_out_of_order_are_409(client, officer, monday, mall_mpp):
    data = {"mall": mall_mpp.slug}
    assert client.post(url("training-issue"), data).status_code == 409
    client.post(url("training-reply"), {**data, "text": GOOD_REPLY})
    assert client.post(url("training-reply"), {**data, "text": GOOD_REPLY}).status_code == 409


def test_completing_twice_records_once(client, officer, monday, mall_mpp):
    counter = dukcapil_counter(mall_mpp)
    play(client, mall_mpp, counter)
    first = TrainingCompletion.objects.get()
    assert client.post(url("training-restart"), {"mall": mall_mpp.slug}).status_code == 302
    monday.shift(dt.timedelta(hours=1))
    play(client, mall_mpp, counter)
    again = TrainingCompletion.objects.get()
    assert (again.pk, again.completed_at, again.steps) == (
        first.pk,
        first.completed_at,
        first.steps,
    )
    assert AuditEntry.objects.filter(action="training.completed").count() == 1
    page = client.get(url("training", mall_mpp.slug)).content.decode()
    assert "sudah tercatat" in page


def test_a_mini_mpp_supervisor_trains_at_the_front_counters(client, cast, monday, mall_loakulu):
    client.force_login(cast.supervisor_loakulu())
    counter = Counter.objects.filter(mall=mall_loakulu).order_by("number").first()
    before = queue_trace()
    play(client, mall_loakulu, counter)
    assert TrainingCompletion.objects.get().mall == mall_loakulu
    assert queue_trace() == before


def test_the_mall_parameter_chooses_among_the_operators_malls(
    client, officer, monday, mall_loakulu
):
    response = client.get(url("training", mall_loakulu.slug))
    assert response.status_code == 200
    assert mall_loakulu.short_name in response.content.decode()
    assert str(mall_loakulu.pk) in client.session[SESSION_KEY]


def test_the_default_mall_is_the_operators_first(client, officer, mall_mpp):
    first = officer.staff_profile.malls.order_by("pk").first()
    response = client.get(url("training"))
    assert response.status_code == 200
    assert list(client.session[SESSION_KEY]) == [str(first.pk)]


def test_anonymous_visitors_are_sent_to_sign_in(client, kukar):
    for name in ("training", "training-report"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
    assert client.post(url("training-reply"), {"text": GOOD_REPLY}).status_code == 302


@pytest.mark.parametrize("who", ["outsider", "regency_admin", "leadership", "kiosk"])
def test_only_tenant_officers_and_supervisors_train(client, cast, kiosk, who):
    user = kiosk if who == "kiosk" else getattr(cast, who)()
    client.force_login(user)
    assert client.get(url("training")).status_code == 403
    assert client.post(url("training-issue"), {"mall": "mpp-kukar"}).status_code == 403


def test_an_unknown_mall_is_404_and_a_mall_not_served_is_403(client, cast, kukar):
    client.force_login(cast.officer_imigrasi())  # serves at MPP Kukar only
    assert client.get(url("training", "tidak-ada")).status_code == 404
    assert client.get(url("training", "mini-mpp-loa-kulu")).status_code == 403
    assert client.get(url("training", "mpp-kukar")).status_code == 200


def test_calling_from_a_counter_not_ones_own_is_403_unknown_404_missing_400(
    client, officer, monday, mall_mpp
):
    data = {"mall": mall_mpp.slug}
    client.post(url("training-reply"), {**data, "text": GOOD_REPLY})
    client.post(url("training-issue"), data)
    other = Counter.objects.filter(mall=mall_mpp, tenant__slug="imigrasi-samarinda").first()
    assert client.post(url("training-call"), {**data, "counter": other.pk}).status_code == 403
    assert client.post(url("training-call"), {**data, "counter": 999999}).status_code == 404
    missing = client.post(url("training-call"), data)
    assert missing.status_code == 400
    assert "Pilih loket Anda" in missing.content.decode()


def test_a_counter_at_another_mall_is_400(client, officer, monday, mall_mpp, mall_loakulu):
    """The officer may work at a counter of both malls, but trains at one mall at a time."""
    elsewhere = Counter.objects.create(
        mall=mall_loakulu, number=99, tenant=dukcapil_counter(mall_mpp).tenant
    )
    data = {"mall": mall_mpp.slug}
    client.post(url("training-reply"), {**data, "text": GOOD_REPLY})
    client.post(url("training-issue"), data)
    response = client.post(url("training-call"), {**data, "counter": elsewhere.pk})
    assert response.status_code == 400
    assert "Loket 99 bukan loket di MPP" in response.content.decode()


# -- the report --------------------------------------------------------------------------------


@pytest.fixture
def completions(cast, mall_mpp, mall_loakulu):  # type: ignore[no-untyped-def]
    at = dt.datetime(2026, 11, 30, 9, 0, tzinfo=WITA)
    made = [
        TrainingCompletion.objects.create(
            operator=cast.officer_dukcapil(), mall=mall_mpp, scenario=SCENARIO, completed_at=at
        ),
        TrainingCompletion.objects.create(
            operator=cast.supervisor_loakulu(),
            mall=mall_loakulu,
            scenario=SCENARIO,
            completed_at=at,
        ),
    ]
    for _n in range(5):
        user = make_staff(Role.TENANT_OFFICER, tenant="disdukcapil", malls=("mpp-kukar",))
        made.append(
            TrainingCompletion.objects.create(
                operator=user, mall=mall_mpp, scenario=SCENARIO, completed_at=at
            )
        )
    return made


@pytest.mark.parametrize("who", ["regency_admin", "leadership", "auditor"])
def test_the_region_reads_every_malls_completions(client, cast, completions, who):
    client.force_login(getattr(cast, who)())
    response = client.get(url("training-report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mal Pelayanan Publik Kabupaten Kutai Kartanegara" in html
    assert "pengawas.loakulu" in html and "petugas.dukcapil" in html
    assert len(response.context["completions"]) == 7


def test_a_supervisor_reads_only_their_malls_completions(client, cast, completions):
    client.force_login(cast.supervisor_loakulu())
    response = client.get(url("training-report"))
    assert response.status_code == 200
    assert [c.operator.username for c in response.context["completions"]] == ["pengawas.loakulu"]
    assert "petugas.dukcapil" not in response.content.decode()


@pytest.mark.parametrize("who", ["officer_dukcapil", "outsider", "kiosk"])
def test_others_may_not_read_the_report(client, cast, kiosk, who):
    client.force_login(kiosk if who == "kiosk" else getattr(cast, who)())
    assert client.get(url("training-report")).status_code == 403


def test_the_report_reads_in_a_bounded_number_of_queries(
    client, cast, completions, django_assert_max_num_queries
):
    client.force_login(cast.regency_admin())
    # session, user, staff profile, the completions with operator, mall and region joined
    with django_assert_max_num_queries(5):
        response = client.get(url("training-report"))
    assert len(response.context["completions"]) == 7


@pytest.mark.django_db(transaction=True)
def test_outside_any_test_transaction_the_rehearsal_is_rolled_back_for_real(
    client, cast, mall_mpp, settings
):
    """The production path: the rehearsal is the outermost transaction (SQLite's writer lock,
    events held until released), not a savepoint inside the test's transaction."""
    settings.MPP_DEMO_ALWAYS_OPEN = True
    client.force_login(cast.officer_dukcapil())
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group_name("mall", mall_mpp.pk), channel)
    before = queue_trace()
    play(client, mall_mpp, dukcapil_counter(mall_mpp))
    assert queue_trace() == before
    assert TrainingCompletion.objects.count() == 1
    service = scenario_service(client, mall_mpp)
    real = issue_ticket(mall=mall_mpp, service=service, channel=Ticket.Channel.KIOSK).ticket
    assert real.number == 1
    first = async_to_sync(layer.receive)(channel)  # committed: delivered at once
    assert (first["event"], first["payload"]["number"]) == ("ticket.issued", real.display_number)

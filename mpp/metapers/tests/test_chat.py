"""Chat actions: masking, limits, the conversation's life (claim, hand-over, close), the events
they publish, and the catalogue's automatic answer when no officer is online."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from mpp.catalog.models import Tenant
from mpp.core.events import current_sequence
from mpp.core.privacy import mask_personal_data
from mpp.metapers import actions, chat, presence
from mpp.metapers.chat import ChatRefused
from mpp.metapers.models import CannedAnswer, ChatMessage, Conversation
from mpp.queueing.models import Counter

KEY = "k" * 43


@pytest.fixture
def dukcapil(kukar):  # type: ignore[no-untyped-def]
    return Tenant.objects.get(slug="disdukcapil")


@pytest.fixture
def ask(mall_mpp, dukcapil):  # type: ignore[no-untyped-def]
    def _ask(text: str = "syarat akta kelahiran?", *, key: str = KEY, address: str = "10.0.0.1"):
        return actions.post_visitor_message(
            mall=mall_mpp, tenant=dukcapil, visitor_key=key, text=text, address=address
        )

    return _ask


@pytest.fixture
def online(mall_mpp, dukcapil, cast):  # type: ignore[no-untyped-def]
    """A Disdukcapil officer has the inbox open at MPP Kukar."""
    presence.officer_connected(dukcapil.pk, mall_mpp.pk, "inbox.test-channel")
    return cast.officer_dukcapil()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK saya 6402064708950001", "NIK saya 6402••••••••0001"),
        ("6402 0647 0895 0001 ya", "6402••••••••0001 ya"),
        ("nik: 6402.0647.0895.0001", "nik: 6402••••••••0001"),
        ("hubungi 081234567890", "hubungi 0••••••••890"),
        ("WA 0812-3456-7890 ya", "WA 0••••••••890 ya"),
        ("telp +62 812 3456 7890", "telp +62••••••••890"),
        ("nomor 6281234567890.", "nomor 62••••••••890."),
        ("kantor 0541 661234", "kantor 0••••••234"),
    ],
)
def test_nik_and_phone_numbers_are_masked_keeping_the_last_digits(text, expected):
    assert mask_personal_data(text) == (expected, True)


@pytest.mark.parametrize(
    "text",
    [
        "Biaya Rp 50.000 atau 150000?",
        "nomor antrean A001 di loket 3",
        "lahir tahun 1995, tanggal 07-08",
        "kode 0812",  # too short for a phone number
        "123456789012345",  # 15 digits: neither
    ],
)
def test_ordinary_numbers_are_left_alone(text):
    assert mask_personal_data(text) == (text, False)


def test_a_visitor_question_starts_a_conversation_with_the_text_masked(
    ask, online, django_capture_on_commit_callbacks, mall_mpp, dukcapil
):
    inbox = chat.inbox_group(dukcapil.pk, mall_mpp.pk)
    before = current_sequence(inbox)
    with django_capture_on_commit_callbacks(execute=True):
        posted = ask("NIK saya 6402064708950001, akta anak saya bagaimana?")
    assert posted.conversation.status == Conversation.Status.WAITING
    assert posted.message.text == "NIK saya 6402••••••••0001, akta anak saya bagaimana?"
    assert posted.message.was_masked
    assert posted.auto_answer is None  # an officer is online
    assert "6402064708950001" not in str(list(ChatMessage.objects.values_list("text", flat=True)))
    assert current_sequence(inbox) == before + 1


def test_the_next_question_joins_the_open_conversation(ask, online):
    first = ask("halo")
    second = ask("syarat ktp?")
    assert second.conversation.pk == first.conversation.pk
    assert first.conversation.messages.count() == 2


def test_events_name_the_conversation_but_never_carry_the_text(
    ask, online, django_capture_on_commit_callbacks
):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    first = ask("halo")
    async_to_sync(layer.group_add)(chat.chat_group(first.conversation.pk), channel)
    with django_capture_on_commit_callbacks(execute=True):
        ask("rahasia saya")
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "message.posted"
    assert message["payload"] == {"conversation": first.conversation.pk, "status": "waiting"}
    assert "rahasia" not in str(message)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "empty"), ("   \n ", "empty"), ("x" * 1001, "too_long")],
)
def test_empty_and_too_long_messages_are_refused_and_nothing_is_stored(ask, text, code):
    with pytest.raises(ChatRefused) as refused:
        ask(text)
    assert refused.value.code == code
    assert refused.value.status == 400
    assert not Conversation.objects.exists()


def test_a_message_of_exactly_1000_characters_is_accepted(ask, online):
    assert len(ask("a" * 1000).message.text) == 1000


def test_flooding_is_refused_with_429_and_nothing_stored(ask, online):
    for n in range(chat.VISITOR_MESSAGES_PER_MINUTE):
        ask(f"pertanyaan {n}")
    with pytest.raises(ChatRefused) as refused:
        ask("satu lagi")
    assert refused.value.status == 429
    assert "Terlalu banyak pesan" in str(refused.value)
    assert ChatMessage.objects.count() == chat.VISITOR_MESSAGES_PER_MINUTE


def test_new_keys_from_one_address_are_limited_too(ask, online):
    for n in range(chat.ADDRESS_MESSAGES_PER_MINUTE):
        ask("halo", key=f"{n:043d}")
    with pytest.raises(ChatRefused):
        ask("halo", key="z" * 43)


def test_no_officer_online_gives_the_hours_and_the_best_catalogue_match(ask, mall_mpp):
    posted = ask("apa syarat membuat akta kelahiran?")
    assert posted.auto_answer is not None
    text = posted.auto_answer.text
    assert text.startswith("Jawaban otomatis dari katalog layanan")
    assert "Senin 08.00–16.00" in text and "Jumat 08.00–16.00 (istirahat 11.30–13.30)" in text
    assert "Akta Kelahiran" in text
    assert "Persyaratan:" in text and "Biaya:" in text and "Waktu penyelesaian:" in text
    view = chat.message_view(posted.auto_answer)
    assert view["is_auto"]
    assert view["link"].startswith("/layanan/") and view["link"].endswith(f"?mall={mall_mpp.slug}")
    assert view["link"] not in view["text"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "anak" describes the citizen; the child's ID card (KIA) names the birth certificate
        # among its requirements and matched all four words in the catalogue search.
        ("syarat akta kelahiran anak", "akta-kelahiran"),
        ("syarat kartu identitas anak", "kartu-identitas-anak"),
        ("saya mau urus kia anak saya", "kartu-identitas-anak"),
    ],
)
def test_the_automatic_answer_picks_the_service_the_question_names(
    mall_mpp, dukcapil, question, expected
):
    found = chat.best_service(mall_mpp, dukcapil, question)
    assert found is not None and found.slug == expected


def test_a_word_found_only_in_requirements_still_finds_a_service(mall_mpp, dukcapil):
    from mpp.catalog.models import Service
    from mpp.catalog.search import best_named, query_terms

    offered = Service.objects.active().offered_at(mall_mpp).filter(tenant=dukcapil)
    named = {t for s in offered for t in query_terms(f"{s.name} {s.keywords}")}
    only_required = [
        word
        for s in offered
        for requirement in s.requirements
        for word in requirement.split()
        if query_terms(word) and not set(query_terms(word)) & named
    ]
    assert only_required, "the demo data has a word found only in requirements"
    word = only_required[0]
    assert best_named(word, offered) is None  # no name or keywords hold it ...
    found = chat.best_service(mall_mpp, dukcapil, word)  # ... the catalogue search still does
    assert found is not None and any(word in r for r in found.requirements)


def test_the_automatic_answer_says_so_when_nothing_matches(ask):
    posted = ask("zzzz qqqq")
    assert posted.auto_answer is not None
    assert "Belum ada layanan yang cocok" in posted.auto_answer.text
    assert chat.message_view(posted.auto_answer)["link"] == "/instansi/disdukcapil/"


def test_an_officer_at_an_open_counter_counts_as_online(ask, mall_mpp, dukcapil, cast):
    counter = Counter.objects.filter(mall=mall_mpp, tenant=dukcapil).first()
    assert counter is not None
    Counter.objects.filter(pk=counter.pk).update(
        status=Counter.Status.OPEN, officer=cast.officer_dukcapil()
    )
    assert ask().auto_answer is None


def test_the_hours_follow_the_tenants_days_at_the_mall(mall_mpp):
    imigrasi = Tenant.objects.get(slug="imigrasi-samarinda")
    assert chat.tenant_hours(mall_mpp, imigrasi) == "Rabu 08.00–16.00"


def test_claim_reply_hand_over_and_close(ask, online, cast, django_capture_on_commit_callbacks):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    colleague = make_staff(
        Role.TENANT_OFFICER, tenant="disdukcapil", malls=("mpp-kukar",), username="rekan"
    )
    conversation = ask().conversation
    group = chat.chat_group(conversation.pk)
    before = current_sequence(group)
    with django_capture_on_commit_callbacks(execute=True):
        actions.claim_conversation(conversation=conversation, acting_user=online)
        actions.post_officer_reply(conversation=conversation, text="Bawa KK.", acting_user=online)
        with pytest.raises(ChatRefused) as taken:
            actions.post_officer_reply(
                conversation=conversation, text="saya", acting_user=colleague
            )
        actions.hand_over_conversation(
            conversation=conversation, to_officer_id=colleague.pk, acting_user=online
        )
        actions.post_officer_reply(
            conversation=conversation, text="Saya lanjutkan.", acting_user=colleague
        )
        actions.close_conversation(conversation=conversation, acting_user=colleague)
    assert taken.value.status == 409
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    assert conversation.officer_id == colleague.pk
    assert current_sequence(group) == before + 5
    senders = list(conversation.messages.values_list("sender", flat=True))
    assert senders == ["visitor", "system", "officer", "system", "officer", "system"]


def test_releasing_puts_the_conversation_back_in_the_pool(ask, online, cast):
    conversation = ask().conversation
    actions.claim_conversation(conversation=conversation, acting_user=online)
    released = actions.hand_over_conversation(
        conversation=conversation, to_officer_id=None, acting_user=online
    )
    assert released.status == Conversation.Status.WAITING
    assert released.officer is None


def test_hand_over_only_to_a_colleague_of_the_same_tenant_at_this_mall(ask, online, cast):
    conversation = ask().conversation
    with pytest.raises(ChatRefused) as refused:
        actions.hand_over_conversation(
            conversation=conversation,
            to_officer_id=cast.officer_imigrasi().pk,
            acting_user=online,
        )
    assert refused.value.code == "not_colleague"


def test_a_closed_conversation_takes_no_more_messages_and_the_visitor_starts_anew(ask, online):
    conversation = ask().conversation
    actions.close_conversation(conversation=conversation, acting_user=online)
    with pytest.raises(ChatRefused) as refused:
        actions.post_officer_reply(conversation=conversation, text="halo?", acting_user=online)
    assert refused.value.status == 409
    again = ask("masih ada pertanyaan")
    assert again.conversation.pk != conversation.pk


def test_a_canned_answer_of_another_tenant_is_refused(ask, online):
    conversation = ask().conversation
    other = CannedAnswer.objects.create(
        tenant=Tenant.objects.get(slug="imigrasi-samarinda"), title="Paspor", text="M-Paspor"
    )
    with pytest.raises(ChatRefused):
        actions.post_officer_reply(conversation=conversation, canned=other, acting_user=online)
    mine = CannedAnswer.objects.create(
        tenant=conversation.tenant, title="KK", text="Bawa KK asli, hubungi 081234567890."
    )
    sent = actions.post_officer_reply(conversation=conversation, canned=mine, acting_user=online)
    assert sent.text == "Bawa KK asli, hubungi 0••••••••890."  # officers are masked too

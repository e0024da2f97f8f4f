"""The chat pages: the visitor's page (with and without JavaScript), the snapshot, the officers'
inbox and conversation page, and their 400/403/404 and sign-in redirects."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mpp.catalog.models import Tenant
from mpp.metapers import chat, presence
from mpp.metapers.access import VISITOR_COOKIE
from mpp.metapers.models import CannedAnswer, ChatMessage, Conversation

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def chat_url(kukar) -> str:  # type: ignore[no-untyped-def]
    return reverse("metapers:chat", kwargs={"slug": "mpp-kukar", "tenant_slug": "disdukcapil"})


@pytest.fixture
def officer(cast, mall_mpp):  # type: ignore[no-untyped-def]
    user = cast.officer_dukcapil()
    presence.officer_connected(
        Tenant.objects.get(slug="disdukcapil").pk, mall_mpp.pk, "inbox.test-channel"
    )
    return user


@pytest.fixture
def conversation(client, chat_url, officer) -> Conversation:  # type: ignore[no-untyped-def]
    client.post(chat_url, {"text": "Syarat KTP apa?"})
    return Conversation.objects.get()


def test_the_chat_page_shows_the_warning_and_a_form_without_javascript(client, chat_url):
    response = client.get(chat_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jangan kirim NIK atau nomor telepon di obrolan" in html
    assert 'name="text"' in html
    assert VISITOR_COOKIE not in response.cookies  # no key until they ask something


def test_posting_without_javascript_stores_masked_text_and_redirects(client, chat_url, officer):
    response = client.post(chat_url, {"text": "<b>halo</b> NIK 6402064708950001"})
    assert response.status_code == 302
    assert response.cookies[VISITOR_COOKIE]["httponly"]
    page = client.get(chat_url).content.decode()
    assert "&lt;b&gt;halo&lt;/b&gt; NIK 6402••••••••0001" in page  # escaped and masked
    assert "6402064708950001" not in page
    assert "Angka yang mirip NIK atau nomor telepon" in page  # the warning after masking


def test_posting_with_javascript_returns_the_snapshot(client, chat_url, officer):
    response = client.post(chat_url, {"text": "halo"}, **JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "waiting"
    assert [m["text"] for m in body["messages"]] == ["halo"]


def test_an_empty_message_is_400_with_the_reason(client, chat_url):
    response = client.post(chat_url, {"text": " "}, **JSON)
    assert response.status_code == 400
    assert response.json() == {"error": "Pesan kosong; tulis pertanyaan Anda.", "code": "empty"}
    assert client.post(chat_url, {"text": ""}).status_code == 400  # the page, without JS


def test_flooding_the_page_is_429_and_stores_nothing(client, chat_url, officer):
    for n in range(chat.VISITOR_MESSAGES_PER_MINUTE):
        assert client.post(chat_url, {"text": f"q{n}"}, **JSON).status_code == 201
    response = client.post(chat_url, {"text": "lagi"}, **JSON)
    assert response.status_code == 429
    assert "Terlalu banyak pesan" in response.json()["error"]
    assert ChatMessage.objects.count() == chat.VISITOR_MESSAGES_PER_MINUTE


def test_unknown_mall_or_tenant_not_at_the_mall_is_404(client, kukar):
    assert client.get("/metapers/tidak-ada/instansi/disdukcapil/tanya/").status_code == 404
    assert client.get("/metapers/mpp-kukar/instansi/tidak-ada/tanya/").status_code == 404
    # Imigrasi serves at the MPP only, not at the Loa Kulu Mini MPP.
    assert (
        client.get("/metapers/mini-mpp-loa-kulu/instansi/imigrasi-samarinda/tanya/").status_code
        == 404
    )


def test_the_snapshot_is_for_its_visitor_and_the_tenants_officers_only(client, conversation, cast):
    from django.test import Client

    url = reverse("metapers:chat-snapshot", kwargs={"pk": conversation.pk})
    assert client.get(url).status_code == 200  # the visitor's cookie
    stranger = Client()
    assert stranger.get(url).status_code == 403
    stranger.force_login(cast.officer_imigrasi())
    assert stranger.get(url).status_code == 403
    stranger.force_login(cast.officer_dukcapil())
    assert stranger.get(url).json()["messages"][0]["text"] == "Syarat KTP apa?"
    assert stranger.get("/metapers/tanya/999999/pesan.json").status_code == 404


def test_the_inbox_needs_a_sign_in(client, kukar):
    response = client.get(reverse("metapers:inbox"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_inbox_lists_the_tenants_conversations_in_a_fixed_number_of_queries(
    client, conversation, officer, django_assert_max_num_queries
):
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("metapers:inbox"))
    assert response.status_code == 200
    assert f'data-conversation="{conversation.pk}"' in response.content.decode()
    listing = client.get(reverse("metapers:inbox-list")).content.decode()
    assert 'data-count="1"' in listing


def test_another_tenants_officer_sees_an_empty_inbox_and_gets_403_on_the_conversation(
    client, conversation, cast
):
    client.force_login(cast.officer_imigrasi())
    assert 'data-count="0"' in client.get(reverse("metapers:inbox-list")).content.decode()
    page = reverse("metapers:officer-chat", kwargs={"pk": conversation.pk})
    assert client.get(page).status_code == 403
    claim = reverse("metapers:chat-claim", kwargs={"pk": conversation.pk})
    assert client.post(claim).status_code == 403
    assert client.get(reverse("metapers:officer-chat", kwargs={"pk": 999999})).status_code == 404


def test_staff_without_a_tenant_or_mall_get_403_on_the_inbox(client, cast):
    for person in (cast.regency_admin(), cast.leadership(), cast.outsider()):
        client.force_login(person)
        assert client.get(reverse("metapers:inbox")).status_code == 403


def test_the_malls_supervisor_reads_but_may_not_answer(client, conversation, cast):
    client.force_login(cast.supervisor_mpp())
    page = client.get(reverse("metapers:officer-chat", kwargs={"pk": conversation.pk}))
    assert page.status_code == 200
    assert "Anda dapat membaca percakapan ini" in page.content.decode()
    reply = reverse("metapers:chat-reply", kwargs={"pk": conversation.pk})
    assert client.post(reply, {"text": "halo"}).status_code == 403
    client.force_login(cast.supervisor_loakulu())
    assert client.get(page.request["PATH_INFO"]).status_code == 403


def test_an_officer_claims_replies_with_a_canned_answer_and_closes(client, conversation, officer):
    canned = CannedAnswer.objects.create(
        tenant=conversation.tenant, title="KTP", text="Bawa KK asli."
    )
    client.force_login(officer)
    page = client.get(reverse("metapers:officer-chat", kwargs={"pk": conversation.pk}))
    assert "Bawa KK asli" not in page.content.decode()  # only its title in the picker
    assert ">KTP</option>" in page.content.decode()
    pk = {"pk": conversation.pk}
    assert client.post(reverse("metapers:chat-claim", kwargs=pk)).status_code == 302
    response = client.post(reverse("metapers:chat-reply", kwargs=pk), {"canned": canned.pk}, **JSON)
    assert response.status_code == 200
    assert response.json()["messages"][-1]["text"] == "Bawa KK asli."
    assert client.post(reverse("metapers:chat-close", kwargs=pk)).status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.CLOSED
    again = client.post(reverse("metapers:chat-reply", kwargs=pk), {"text": "halo"}, **JSON)
    assert again.status_code == 409
    assert again.json()["error"] == "Percakapan ini sudah selesai."


def test_bad_replies_are_400_and_a_foreign_canned_answer_404(client, conversation, officer):
    other = CannedAnswer.objects.create(
        tenant=Tenant.objects.get(slug="imigrasi-samarinda"), title="Paspor", text="M-Paspor"
    )
    client.force_login(officer)
    url = reverse("metapers:chat-reply", kwargs={"pk": conversation.pk})
    assert client.post(url, {"text": ""}, **JSON).status_code == 400
    assert client.post(url, {"canned": "abc"}, **JSON).status_code == 400
    assert client.post(url, {"canned": other.pk}, **JSON).status_code == 404
    assert client.get(url).status_code == 405


def test_hand_over_to_a_colleague_or_back_to_the_pool(client, conversation, officer, cast):
    from mpp.accounts.models import Role
    from mpp.accounts.tests.factories import make_staff

    colleague = make_staff(
        Role.TENANT_OFFICER, tenant="disdukcapil", malls=("mpp-kukar",), username="rekan"
    )
    client.force_login(officer)
    pk = {"pk": conversation.pk}
    page = client.get(reverse("metapers:officer-chat", kwargs=pk)).content.decode()
    assert f'value="{colleague.pk}"' in page
    url = reverse("metapers:chat-hand-over", kwargs=pk)
    assert client.post(url, {"to": "x"}).status_code == 400
    outsider = client.post(url, {"to": cast.officer_imigrasi().pk}, **JSON)
    assert outsider.status_code == 400
    assert "bukan petugas Disdukcapil Kukar" in outsider.json()["error"]
    assert client.post(url, {"to": colleague.pk}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.officer_id == colleague.pk
    taken = client.post(url, {"to": ""}, **JSON)  # no longer ours to release
    assert taken.status_code == 409
    client.force_login(colleague)
    assert client.post(url, {"to": ""}).status_code == 302
    conversation.refresh_from_db()
    assert (conversation.status, conversation.officer_id) == ("waiting", None)


def test_the_console_home_links_to_the_inbox(client, officer):
    client.force_login(officer)
    response = client.get(reverse("queueing:console-home"))
    assert reverse("metapers:inbox") in response.content.decode()

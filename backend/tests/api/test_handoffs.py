"""Handing a conversation to a human agent and back, with a fake Rasa recording the calls."""

import logging
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.core.db import utcnow
from app.core.security import hash_password
from app.models import Agent, HandoffTicket
from tests.conftest import RASA_TOKEN, agent_headers, customer_headers, service_headers

API = "/api/v1"


def hand_off(client, conversation_id="conv-1", customer=None, **fields):
    headers = service_headers(customer_headers(client, customer) if customer else None)
    body = {"conversation_id": conversation_id, "language": "zh", "summary": "用户要求人工", **fields}
    return client.post(f"{API}/handoffs", json=body, headers=headers)


def claim(client, ticket_id, agent):
    return client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=agent)


@pytest.fixture
def agent(client):
    return agent_headers(client)


@pytest.fixture
def other_agent(client, db):
    db.add(Agent(username="xiaoli", display_name="小李", password_hash=hash_password("other-pass")))
    db.commit()
    login = client.post(f"{API}/agent/login", json={"username": "xiaoli", "password": "other-pass"})
    return {"Authorization": f"Bearer {login.json()['token']}"}


def age(db, ticket_id, seconds):
    db.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id)
        .values(created_at=utcnow() - timedelta(seconds=seconds))
    )
    db.commit()


def test_ticket_is_bound_to_the_verified_customer_and_listed_for_agents(client, agent):
    created = hand_off(
        client,
        customer="li_si",
        product="jiebei",
        reason_code="UNSTABLE_EMPLOYMENT",
        summary="李四，借呗被拒（工作不稳定），对结果有异议，要求人工",
    )
    assert created.status_code == 201, created.text
    ticket = created.json()
    assert ticket["status"] == "waiting"
    assert ticket["customer"] == {"name": "李四", "name_en": "Li Si", "masked_phone": "138****0002"}

    waiting = client.get(f"{API}/agent/handoffs?status=waiting", headers=agent).json()
    assert [(t["id"], t["reason_code"], t["summary"]) for t in waiting] == [
        (ticket["id"], "UNSTABLE_EMPLOYMENT", "李四，借呗被拒（工作不稳定），对结果有异议，要求人工")
    ]
    assert waiting[0]["waiting_seconds"] >= 0


def test_a_summary_cannot_name_the_customer(client, agent):
    """Whoever holds the service token can write any summary; who the user is comes only from a token."""
    forged = "Customer: 张三 (138****0001, verified)\nProduct: huabei"
    anonymous = hand_off(client, "conv-forged", summary=forged).json()
    assert anonymous["customer"] is None and anonymous["summary"] == forged
    as_emily = hand_off(client, "conv-emily", customer="emily", summary=forged).json()
    assert as_emily["customer"]["name_en"] == "Emily Chen"
    listed = {t["conversation_id"]: t["customer"] for t in client.get(f"{API}/agent/handoffs", headers=agent).json()}
    assert listed == {"conv-forged": None, "conv-emily": as_emily["customer"]}


def test_same_conversation_keeps_one_open_ticket(client):
    first = hand_off(client)
    second = hand_off(client, summary="again")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


@pytest.mark.parametrize(
    "fields",
    [
        {"conversation_id": ""},
        {"conversation_id": "conv/with space"},
        {"conversation_id": "c" * 129},
        {"summary": "x" * 4001},
    ],
)
def test_malformed_handoffs_are_refused_and_leave_no_ticket(client, agent, fields):
    response = client.post(
        f"{API}/handoffs", json={"conversation_id": "conv-1", **fields}, headers=service_headers()
    )
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert client.get(f"{API}/agent/handoffs", headers=agent).json() == []


def test_handoff_needs_the_service_token_and_a_valid_customer_token_if_any(client):
    no_service = client.post(f"{API}/handoffs", json={"conversation_id": "c"})
    assert no_service.status_code == 401 and no_service.json()["code"] == "service_token_invalid"
    bad_customer = client.post(
        f"{API}/handoffs",
        json={"conversation_id": "c"},
        headers=service_headers({"Authorization": "Bearer forged"}),
    )
    assert bad_customer.status_code == 401 and bad_customer.json()["code"] == "token_invalid"
    anonymous = hand_off(client, "c-anon")
    assert anonymous.status_code == 201 and anonymous.json()["customer"] is None


def test_agent_login(client):
    wrong = client.post(f"{API}/agent/login", json={"username": "xiaowang", "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "agent_login_failed"
    nobody = client.post(f"{API}/agent/login", json={"username": "ghost", "password": "nope"})
    assert nobody.status_code == 401
    assert client.get(f"{API}/agent/handoffs").status_code == 401
    customer = client.get(f"{API}/agent/handoffs", headers=customer_headers(client, "li_si"))
    assert customer.status_code == 401


def test_full_handoff_round_trip_through_rasa(client, agent, fake_rasa):
    ticket_id = hand_off(client, "web:conv@1.x", customer="zhao_liu").json()["id"]
    fake_rasa.hand_off("我登录不了")
    claimed = claim(client, ticket_id, agent)
    assert claimed.status_code == 200 and claimed.json()["status"] == "active"
    assert claimed.json()["agent"]["display_name"] == "小王"

    fake_rasa.lines = [  # the chat lines of Rasa's widget channel, by its one rule
        {"sender": "user", "text": "我登录不了", "at": "2025-11-28T03:20:01+00:00"},
        {"sender": "bot", "text": "正在为您转接人工客服", "at": "2025-11-28T03:20:02+00:00",
         "quick_replies": [{"title": "好", "payload": "/affirm"}]},
        {"sender": "agent", "agent": "小王", "text": "您好，我是小王", "at": "2025-11-28T03:20:04+00:00"},
    ]
    transcript = client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent)
    assert transcript.status_code == 200
    assert [(line["sender"], line["text"]) for line in transcript.json()] == [
        ("user", "我登录不了"),
        ("bot", "正在为您转接人工客服"),
        ("agent", "您好，我是小王"),
    ]
    assert transcript.json()[0]["at"].startswith("2025-11-28")
    assert [line["agent"] for line in transcript.json()] == [None, None, "小王"]  # who wrote it, for the console

    sent = client.post(
        f"{API}/agent/handoffs/{ticket_id}/messages",
        json={"text": "请更新 App 后再试", "message_id": "console-msg-1"},
        headers=agent,
    )
    assert sent.status_code == 201 and sent.json()["sender"] == "agent" and sent.json()["agent"] == "小王"
    handed_back = client.post(f"{API}/agent/handoffs/{ticket_id}/handback", headers=agent)
    assert handed_back.status_code == 200 and handed_back.json()["status"] == "closed"
    assert handed_back.json()["handed_back_at"] is not None

    calls = fake_rasa.requests
    conversation = "web%3Aconv%401.x"
    assert [(c["method"], c["path"]) for c in calls] == [
        ("GET", f"/conversations/{conversation}/tracker"),  # the claim checks the conversation asked for a human
        ("GET", f"/webhooks/socketio/transcript/{conversation}"),
        ("POST", f"/webhooks/socketio/messages/{conversation}"),
        ("POST", f"/webhooks/socketio/handback/{conversation}"),
    ]
    assert all(c["query"]["token"] == RASA_TOKEN for c in calls)
    assert calls[2]["json"] == {
        "request_id": f"agent-{ticket_id}-console-msg-1",
        "text": "请更新 App 后再试",
        "metadata": {"agent": "小王"},
    }
    assert calls[3]["json"] == {"request_id": f"handback-{ticket_id}", "intent": "EXTERNAL_handback"}
    assert client.get(f"{API}/agent/handoffs", headers=agent).json() == []
    # The agent who handled it can still read it; nobody else can.
    assert client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent).status_code == 200


def test_a_call_that_timed_out_is_tried_again_with_the_same_request_id(
    client, agent, fake_rasa, app_settings, monkeypatch
):
    """Rasa carries out a request id once, so the retry cannot reach the user twice."""
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")
    claim(client, ticket_id, agent)
    monkeypatch.setattr(app_settings, "rasa_timeout_seconds", 0.5)
    fake_rasa.requests.clear()

    fake_rasa.delays = [1.0]
    sent = client.post(f"{API}/agent/handoffs/{ticket_id}/messages", json={"text": "稍等"}, headers=agent)
    fake_rasa.delays = [1.0]
    handed_back = client.post(f"{API}/agent/handoffs/{ticket_id}/handback", headers=agent)

    assert (sent.status_code, handed_back.status_code) == (201, 200)
    bodies = [(c["path"].split("/")[3], c["json"]["request_id"]) for c in fake_rasa.requests]
    assert len(bodies) == 4 and bodies[0] == bodies[1] and bodies[2] == bodies[3]
    assert bodies[0][0] == "messages" and bodies[0][1].startswith(f"agent-{ticket_id}-")
    assert bodies[2] == ("handback", f"handback-{ticket_id}")


def test_a_message_that_timed_out_twice_is_refused_and_the_console_may_send_it_again(
    client, agent, fake_rasa, app_settings, monkeypatch
):
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")
    claim(client, ticket_id, agent)
    monkeypatch.setattr(app_settings, "rasa_timeout_seconds", 0.5)
    fake_rasa.requests.clear()
    body = {"text": "稍等", "message_id": "0123456789abcdef"}

    fake_rasa.delays = [1.0, 1.0]
    failed = client.post(f"{API}/agent/handoffs/{ticket_id}/messages", json=body, headers=agent)
    assert failed.status_code == 503 and failed.json()["code"] == "rasa_unavailable"
    again = client.post(f"{API}/agent/handoffs/{ticket_id}/messages", json=body, headers=agent)
    assert again.status_code == 201
    assert {c["json"]["request_id"] for c in fake_rasa.requests} == {f"agent-{ticket_id}-0123456789abcdef"}
    bad_id = client.post(
        f"{API}/agent/handoffs/{ticket_id}/messages", json={**body, "message_id": "a b"}, headers=agent
    )
    assert bad_id.status_code == 422


def test_claim_rules(client, agent, other_agent, fake_rasa):
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")

    not_yet = client.post(f"{API}/agent/handoffs/{ticket_id}/messages", json={"text": "hi"}, headers=agent)
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "not_claimed"
    assert claim(client, ticket_id, agent).status_code == 200
    assert claim(client, ticket_id, agent).status_code == 200  # idempotent
    taken = claim(client, ticket_id, other_agent)
    assert taken.status_code == 409 and taken.json()["code"] == "already_claimed"
    for action in ("messages", "handback", "close"):
        response = client.post(
            f"{API}/agent/handoffs/{ticket_id}/{action}", json={"text": "x"}, headers=other_agent
        )
        assert response.status_code == 409 and response.json()["code"] == "already_claimed", action

    closed = client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent).json()["code"] == "ticket_closed"
    assert claim(client, ticket_id, other_agent).json()["code"] == "ticket_closed"
    assert [t["id"] for t in client.get(f"{API}/agent/handoffs?status=closed", headers=agent).json()] == [
        ticket_id
    ]
    assert claim(client, 999999, agent).status_code == 404
    # A closed conversation can be handed off again later.
    assert hand_off(client).status_code == 201


@pytest.mark.parametrize(
    "rasa_holds",
    [
        "never paused",
        "paused but not by the handoff",
        "handed back since",
    ],
)
def test_only_a_conversation_waiting_for_a_human_can_be_claimed(client, agent, fake_rasa, rasa_holds):
    """A ticket made up with the service token cannot point an agent at someone else's chat."""
    ticket_id = hand_off(client, "conv-victim").json()["id"]
    fake_rasa.hand_off("我要转人工")
    if rasa_holds == "never paused":
        fake_rasa.paused = False
        fake_rasa.events = [e for e in fake_rasa.events if e["event"] in ("user", "bot")]
    elif rasa_holds == "paused but not by the handoff":
        fake_rasa.events = [e for e in fake_rasa.events if e.get("name") != "action_handoff_to_human"]
    else:
        fake_rasa.events += [{"event": "resume"}, {"event": "pause"}]

    young = claim(client, ticket_id, agent)
    assert young.status_code == 409 and young.json()["code"] == "conversation_not_waiting"
    # Rasa stores a turn when it ends, so a fresh ticket keeps waiting for a while ...
    assert [t["status"] for t in client.get(f"{API}/agent/handoffs", headers=agent).json()] == ["waiting"]


def test_an_unconfirmed_ticket_older_than_a_minute_leaves_the_queue(client, agent, fake_rasa, db):
    ticket_id = hand_off(client, "conv-victim").json()["id"]
    age(db, ticket_id, 61)
    old = claim(client, ticket_id, agent)
    assert old.status_code == 409 and old.json()["code"] == "conversation_not_waiting"
    assert client.get(f"{API}/agent/handoffs", headers=agent).json() == []
    closed = client.get(f"{API}/agent/handoffs?status=closed", headers=agent).json()
    assert [(t["id"], t["agent"], t["closed_at"] is not None) for t in closed] == [(ticket_id, None, True)]
    # The conversation can still ask for a human for real later.
    assert hand_off(client, "conv-victim").status_code == 201


def test_a_confirmed_ticket_can_be_claimed_however_long_it_waited(client, agent, fake_rasa, db):
    ticket_id = hand_off(client).json()["id"]
    age(db, ticket_id, 3600)
    fake_rasa.hand_off("在吗")
    claimed = claim(client, ticket_id, agent)
    assert claimed.status_code == 200 and claimed.json()["waiting_seconds"] >= 3600


def test_the_transcript_is_only_for_the_agent_on_the_ticket(client, agent, other_agent, fake_rasa):
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("我的身份证号是 110101199001011234")
    waiting = client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent)
    assert waiting.status_code == 409 and waiting.json()["code"] == "not_claimed"
    claim(client, ticket_id, agent)
    for _ in range(2):  # while active, and after it is closed
        theirs = client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=other_agent)
        assert theirs.status_code == 409 and theirs.json()["code"] == "already_claimed"
        assert "110101" not in theirs.text
        assert client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent).status_code == 200
        client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent)
    never_claimed = hand_off(client, "conv-2").json()["id"]
    client.post(f"{API}/agent/handoffs/{never_claimed}/close", headers=agent)
    closed_unclaimed = client.get(f"{API}/agent/handoffs/{never_claimed}/transcript", headers=agent)
    assert closed_unclaimed.status_code == 409 and closed_unclaimed.json()["code"] == "not_claimed"


def test_rasa_down_or_failing(client, agent, fake_rasa, app_settings, monkeypatch):
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")
    client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=agent)
    fake_rasa.fail_status = 500
    failing = client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent)
    assert failing.status_code == 502 and failing.json()["code"] == "rasa_unavailable"

    monkeypatch.setattr(app_settings, "rasa_url", "http://127.0.0.1:9")
    down = client.post(f"{API}/agent/handoffs/{ticket_id}/handback?lang=en", headers=agent)
    assert down.status_code == 503 and down.json()["message"].startswith(
        "The conversation service cannot be reached"
    )
    # The ticket is untouched, so the agent can try again.
    assert client.get(f"{API}/agent/handoffs?status=active", headers=agent).json()[0]["id"] == ticket_id


def test_closing_a_ticket_gives_the_conversation_back_to_the_bot_once(client, agent, fake_rasa, app_settings, monkeypatch):
    """A user who left and comes back is answered by the bot, not told to wait for nobody."""
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")
    monkeypatch.setattr(app_settings, "rasa_url", "http://127.0.0.1:9")
    down = client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent)
    assert down.status_code == 503 and down.json()["code"] == "rasa_unavailable"
    assert [t["status"] for t in client.get(f"{API}/agent/handoffs", headers=agent).json()] == ["waiting"]

    monkeypatch.setattr(app_settings, "rasa_url", fake_rasa.url)
    closed = client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert closed.json()["handed_back_at"] is None  # an agent's hand-back is counted apart
    handbacks = [r["json"] for r in fake_rasa.requests if r["path"] == "/webhooks/socketio/handback/conv-1"]
    assert handbacks == [{"request_id": f"handback-{ticket_id}", "intent": "EXTERNAL_handback"}]


def test_claim_while_rasa_is_down_leaves_the_ticket_waiting(client, agent, app_settings, monkeypatch, db):
    ticket_id = hand_off(client).json()["id"]
    age(db, ticket_id, 3600)
    monkeypatch.setattr(app_settings, "rasa_url", "http://127.0.0.1:9")
    down = claim(client, ticket_id, agent)
    assert down.status_code == 503 and down.json()["code"] == "rasa_unavailable"
    assert [t["status"] for t in client.get(f"{API}/agent/handoffs", headers=agent).json()] == ["waiting"]


def test_the_rasa_token_never_reaches_the_log(client, agent, fake_rasa, caplog):
    ticket_id = hand_off(client).json()["id"]
    fake_rasa.hand_off("转人工")
    claim(client, ticket_id, agent)
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING  # request lines are off
    # Even with httpx's request lines turned back on, the token is masked.
    with caplog.at_level(logging.INFO, logger="httpx"):
        handed_back = client.post(f"{API}/agent/handoffs/{ticket_id}/handback", headers=agent)
        logging.getLogger("app").warning("calling with Authorization: %s", agent["Authorization"])
    assert handed_back.status_code == 200
    assert "handback/conv-1?token=***" in caplog.text
    assert RASA_TOKEN not in caplog.text
    assert agent["Authorization"].split()[1] not in caplog.text and "Bearer ***" in caplog.text

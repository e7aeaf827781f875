"""Handing a conversation to a human agent and back, with a fake Rasa recording the calls."""

import pytest

from tests.conftest import RASA_TOKEN, agent_headers, customer_headers, service_headers

API = "/api/v1"


def hand_off(client, conversation_id="conv-1", customer=None, **fields):
    headers = service_headers(customer_headers(client, customer) if customer else None)
    body = {"conversation_id": conversation_id, "language": "zh", "summary": "用户要求人工", **fields}
    return client.post(f"{API}/handoffs", json=body, headers=headers)


@pytest.fixture
def agent(client):
    return agent_headers(client)


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
    assert ticket["status"] == "waiting" and ticket["customer"]["name"] == "李四"
    assert ticket["customer"]["masked_phone"] == "138****0002"

    waiting = client.get(f"{API}/agent/handoffs?status=waiting", headers=agent).json()
    assert [(t["id"], t["reason_code"], t["summary"]) for t in waiting] == [
        (ticket["id"], "UNSTABLE_EMPLOYMENT", "李四，借呗被拒（工作不稳定），对结果有异议，要求人工")
    ]
    assert waiting[0]["waiting_seconds"] >= 0


def test_same_conversation_keeps_one_open_ticket(client):
    first = hand_off(client)
    second = hand_off(client, summary="again")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


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
    ticket_id = hand_off(client, "conv/with space", customer="zhao_liu").json()["id"]
    claimed = client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=agent)
    assert claimed.status_code == 200 and claimed.json()["status"] == "active"
    assert claimed.json()["agent"]["display_name"] == "小王"

    fake_rasa.events = [
        {"event": "action", "name": "action_listen", "timestamp": 1764300000.0},
        {"event": "user", "text": "我登录不了", "timestamp": 1764300001.0},
        {"event": "bot", "text": "正在为您转接人工客服", "timestamp": 1764300002.0},
        {"event": "bot", "text": "您好，我是小王", "metadata": {"agent": "小王"}, "timestamp": 1764300003.0},
    ]
    transcript = client.get(f"{API}/agent/handoffs/{ticket_id}/transcript", headers=agent)
    assert transcript.status_code == 200
    assert [(line["sender"], line["text"]) for line in transcript.json()] == [
        ("user", "我登录不了"),
        ("bot", "正在为您转接人工客服"),
        ("agent", "您好，我是小王"),
    ]
    assert transcript.json()[0]["at"].startswith("2025-11-28")

    sent = client.post(
        f"{API}/agent/handoffs/{ticket_id}/messages", json={"text": "请更新 App 后再试"}, headers=agent
    )
    assert sent.status_code == 201 and sent.json()["sender"] == "agent"
    handed_back = client.post(f"{API}/agent/handoffs/{ticket_id}/handback", headers=agent)
    assert handed_back.status_code == 200 and handed_back.json()["status"] == "closed"
    assert handed_back.json()["handed_back_at"] is not None

    calls = fake_rasa.requests
    assert [(c["method"], c["path"]) for c in calls] == [
        ("GET", "/conversations/conv%2Fwith%20space/tracker"),
        ("POST", "/conversations/conv%2Fwith%20space/tracker/events"),
        ("POST", "/conversations/conv%2Fwith%20space/tracker/events"),
        ("POST", "/conversations/conv%2Fwith%20space/trigger_intent"),
    ]
    assert all(c["query"]["token"] == RASA_TOKEN for c in calls)
    assert (
        calls[1]["query"]["output_channel"] == "latest"
        and calls[1]["query"]["execute_side_effects"] == "true"
    )
    assert calls[1]["json"] == {"event": "bot", "text": "请更新 App 后再试", "metadata": {"agent": "小王"}}
    assert calls[2]["json"] == [{"event": "resume"}, {"event": "action", "name": "action_listen"}]
    assert (
        calls[3]["json"] == {"name": "EXTERNAL_handback"} and calls[3]["query"]["output_channel"] == "latest"
    )
    assert client.get(f"{API}/agent/handoffs", headers=agent).json() == []


def test_claim_rules(client, agent, db):
    from app.core.security import hash_password
    from app.models import Agent

    db.add(Agent(username="xiaoli", display_name="小李", password_hash=hash_password("other-pass")))
    db.commit()
    other = {
        "Authorization": "Bearer "
        + client.post(f"{API}/agent/login", json={"username": "xiaoli", "password": "other-pass"}).json()[
            "token"
        ]
    }
    ticket_id = hand_off(client).json()["id"]

    not_yet = client.post(f"{API}/agent/handoffs/{ticket_id}/messages", json={"text": "hi"}, headers=agent)
    assert not_yet.status_code == 409 and not_yet.json()["code"] == "not_claimed"
    assert client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=agent).status_code == 200
    assert (
        client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=agent).status_code == 200
    )  # idempotent
    taken = client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=other)
    assert taken.status_code == 409 and taken.json()["code"] == "already_claimed"
    for action in ("messages", "handback", "close"):
        response = client.post(
            f"{API}/agent/handoffs/{ticket_id}/{action}", json={"text": "x"}, headers=other
        )
        assert response.status_code == 409 and response.json()["code"] == "already_claimed", action

    closed = client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert (
        client.post(f"{API}/agent/handoffs/{ticket_id}/close", headers=agent).json()["code"]
        == "ticket_closed"
    )
    assert (
        client.post(f"{API}/agent/handoffs/{ticket_id}/claim", headers=other).json()["code"]
        == "ticket_closed"
    )
    assert [t["id"] for t in client.get(f"{API}/agent/handoffs?status=closed", headers=agent).json()] == [
        ticket_id
    ]
    assert client.post(f"{API}/agent/handoffs/999999/claim", headers=agent).status_code == 404
    # A closed conversation can be handed off again later.
    assert hand_off(client).status_code == 201


def test_rasa_down_or_failing(client, agent, fake_rasa, app_settings, monkeypatch):
    ticket_id = hand_off(client).json()["id"]
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

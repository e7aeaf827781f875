"""Phone codes, session tokens and the demo login."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.core.db import utcnow
from app.models import OtpCode, SessionToken
from app.services import sessions
from tests.conftest import PHONES, customer_headers, service_headers

API = "/api/v1"
UNKNOWN = "13999999999"


def send(client, phone, conversation="conv-owner", lang="zh"):
    return client.post(
        f"{API}/identity/otp/send",
        json={"phone": phone, "conversation_id": conversation},
        headers=service_headers({"Accept-Language": lang}),
    )


def verify(client, phone, code, conversation="conv-owner", lang="zh"):
    return client.post(
        f"{API}/identity/otp/verify",
        json={"phone": phone, "code": code, "conversation_id": conversation},
        headers=service_headers({"Accept-Language": lang}),
    )


def latest_code(client, phone, conversation=None):
    params = {"phone": phone, **({"conversation_id": conversation} if conversation else {})}
    response = client.get(f"{API}/demo/otp", params=params)
    assert response.status_code == 200, response.text
    return response.json()["code"]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_zhao_liu_logs_in_with_a_phone_code(client):
    sent = send(client, PHONES["zhao_liu"])
    assert sent.status_code == 202
    assert sent.json() == {"sent": True, "expires_in": 300, "masked_phone": "138****0004"}
    demo = client.get(f"{API}/demo/otp", params={"phone": PHONES["zhao_liu"]}).json()
    assert demo["conversation_id"] == "conv-owner"
    verified = verify(client, PHONES["zhao_liu"], demo["code"])
    assert verified.status_code == 200, verified.text
    body = verified.json()
    assert body["customer"]["name"] == "赵六" and body["customer"]["masked_phone"] == "138****0004"
    me = client.get(f"{API}/identity/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.json()["name_en"] == "Zhao Liu"
    page = client.get("/dev/otp")
    assert page.status_code == 200 and PHONES["zhao_liu"] in page.text and "used" in page.text


def test_code_is_single_use(client):
    send(client, PHONES["li_si"])
    code = latest_code(client, PHONES["li_si"])
    assert verify(client, PHONES["li_si"], code).status_code == 200
    replay = verify(client, PHONES["li_si"], code)
    assert replay.status_code == 400 and replay.json()["code"] == "otp_expired"


def test_expired_code_is_refused(client, db):
    send(client, PHONES["li_si"])
    code = latest_code(client, PHONES["li_si"])
    db.execute(update(OtpCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    response = verify(client, PHONES["li_si"], code, lang="en")
    assert response.status_code == 400 and response.json()["message"].startswith("That code has expired")


def test_a_code_works_only_in_the_conversation_that_asked_for_it(client):
    phone = PHONES["li_si"]
    send(client, phone, "conv-a")
    code = latest_code(client, phone)
    elsewhere = verify(client, phone, code, "conv-b")
    assert elsewhere.status_code == 400 and elsewhere.json()["code"] == "otp_expired"
    assert verify(client, phone, code, "conv-a").status_code == 200


def test_a_new_code_replaces_only_that_conversations_code(client):
    phone = PHONES["li_si"]
    send(client, phone, "conv-a")
    old = latest_code(client, phone, "conv-a")
    send(client, phone, "conv-b")
    other = latest_code(client, phone, "conv-b")
    send(client, phone, "conv-a")
    new = latest_code(client, phone, "conv-a")
    if old != new:
        assert verify(client, phone, old, "conv-a").json()["code"] == "otp_invalid"
    assert verify(client, phone, new, "conv-a").status_code == 200
    assert verify(client, phone, other, "conv-b").status_code == 200


def test_wrong_codes_void_that_code_only_and_never_lock_the_owner_out(client):
    phone = PHONES["wang_wu"]
    send(client, phone, "conv-attacker")
    attackers_code = latest_code(client, phone, "conv-attacker")
    lefts = [verify(client, phone, wrong(attackers_code), "conv-attacker") for _ in range(4)]
    assert [(r.status_code, r.json()["code"], r.json()["attempts_left"]) for r in lefts] == [
        (400, "otp_invalid", 4),
        (400, "otp_invalid", 3),
        (400, "otp_invalid", 2),
        (400, "otp_invalid", 1),
    ]
    assert "1" in lefts[-1].json()["message"]
    fifth = verify(client, phone, wrong(attackers_code), "conv-attacker", lang="en")
    assert fifth.status_code == 400 and fifth.json()["code"] == "otp_attempts_exhausted"
    assert "request a new code" in fifth.json()["message"]
    right_but_void = verify(client, phone, attackers_code, "conv-attacker")
    assert right_but_void.status_code == 400 and right_but_void.json()["code"] == "otp_attempts_exhausted"

    # Meanwhile the owner, in their own chat, asks for a code and logs in at once.
    assert send(client, phone, "conv-owner").status_code == 202
    owner = verify(client, phone, latest_code(client, phone, "conv-owner"), "conv-owner")
    assert owner.status_code == 200 and owner.json()["customer"]["name"] == "王五"


def test_guessing_without_a_code_sent_here_gets_nothing(client):
    response = verify(client, PHONES["wang_wu"], "123456", "conv-never-sent")
    assert response.status_code == 400 and response.json()["code"] == "otp_expired"


def test_unknown_numbers_get_the_same_answers(client):
    sent = send(client, UNKNOWN)
    assert sent.status_code == 202 and sent.json() == {
        "sent": True,
        "expires_in": 300,
        "masked_phone": "139****9999",
    }
    answers = [verify(client, UNKNOWN, "123456").json() for _ in range(5)]
    assert [a.get("attempts_left") for a in answers[:4]] == [4, 3, 2, 1]
    assert answers[4]["code"] == "otp_attempts_exhausted"
    assert client.get(f"{API}/demo/otp", params={"phone": UNKNOWN}).status_code == 404


@pytest.mark.parametrize("phone", [PHONES["emily"], UNKNOWN])
def test_sends_are_limited_per_conversation(client, phone):
    for _ in range(3):
        assert send(client, phone, "conv-busy").status_code == 202
    refused = send(client, phone, "conv-busy", lang="en")
    assert refused.status_code == 429, refused.text
    body = refused.json()
    assert body["code"] == "otp_send_limited"
    assert 590 <= body["retry_after"] <= 600
    assert refused.headers["Retry-After"] == str(body["retry_after"])
    retry_at = datetime.fromisoformat(body["retry_at"])
    assert abs((retry_at - utcnow()).total_seconds() - body["retry_after"]) <= 2
    assert body["message"] == (
        "Too many codes were requested for this number or in this conversation. "
        "Please try again in 10 minute(s)."
    )
    assert send(client, phone, "conv-other").status_code == 202


@pytest.mark.parametrize("phone", [PHONES["emily"], UNKNOWN])
def test_sends_are_limited_per_phone_whatever_the_conversation(client, phone):
    for i in range(5):
        assert send(client, phone, f"conv-{i}").status_code == 202
    refused = send(client, phone, "conv-fresh")
    assert refused.status_code == 429 and refused.json()["code"] == "otp_send_limited"
    assert "10 分钟后再试" in refused.json()["message"]
    assert send(client, PHONES["li_si"], "conv-fresh").status_code == 202


def test_a_refused_send_changes_nothing(client, db):
    phone = PHONES["emily"]
    for _ in range(3):
        send(client, phone, "conv-busy")
    code = latest_code(client, phone, "conv-busy")
    last_id = db.scalar(select(OtpCode.id).order_by(OtpCode.id.desc()).limit(1))
    assert send(client, phone, "conv-busy").status_code == 429
    assert db.scalar(select(OtpCode.id).order_by(OtpCode.id.desc()).limit(1)) == last_id
    assert verify(client, phone, code, "conv-busy").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"phone": "13800000002"},
        {"phone": "13800000002", "conversation_id": ""},
        {"phone": "13800000002", "conversation_id": "conv with space"},
        {"phone": "13800000002", "conversation_id": "conv/../x"},
        {"phone": "13800000002", "conversation_id": "c" * 129},
        {"phone": "12345", "conversation_id": "conv-ok"},
    ],
)
def test_send_and_verify_need_a_valid_phone_and_conversation(client, db, body):
    for path, extra in (("send", {}), ("verify", {"code": "123456"})):
        response = client.post(f"{API}/identity/otp/{path}", json={**body, **extra}, headers=service_headers())
        assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert db.scalar(select(OtpCode.id)) is None


def test_identity_endpoints_need_the_service_token(client):
    body = {"phone": PHONES["li_si"], "conversation_id": "conv-1"}
    for headers in ({}, {"X-Service-Token": "guess"}):
        response = client.post(f"{API}/identity/otp/send", json=body, headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "service_token_invalid"


def test_expired_session_token_is_refused(client, db):
    customer_id = client.get(f"{API}/identity/me", headers=customer_headers(client, "li_si")).json()["id"]
    token, _ = sessions.issue(db, "otp", -1, customer_id=customer_id)
    response = client.get(f"{API}/identity/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"


def test_tokens_are_stored_only_as_hashes(client, db):
    headers = customer_headers(client, "li_si")
    token = headers["Authorization"].split()[1]
    stored = db.scalars(select(SessionToken.token_hash)).all()
    assert token not in stored and len(stored) == 1 and len(stored[0]) == 64


def test_agent_token_is_not_a_customer_token(client):
    from tests.conftest import agent_headers

    response = client.get(f"{API}/me/accounts", headers=agent_headers(client))
    assert response.status_code == 401 and response.json()["code"] == "token_invalid"

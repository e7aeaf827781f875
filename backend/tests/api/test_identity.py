"""Phone codes, session tokens and the demo login."""

from datetime import timedelta

from sqlalchemy import select, update

from app.core.db import utcnow
from app.models import OtpCode, SessionToken
from app.services import sessions
from tests.conftest import PHONES, customer_headers, service_headers

API = "/api/v1"


def send(client, phone):
    return client.post(f"{API}/identity/otp/send", json={"phone": phone}, headers=service_headers())


def verify(client, phone, code, lang="zh"):
    return client.post(
        f"{API}/identity/otp/verify",
        json={"phone": phone, "code": code},
        headers=service_headers({"Accept-Language": lang}),
    )


def latest_code(client, phone):
    response = client.get(f"{API}/demo/otp", params={"phone": phone})
    assert response.status_code == 200, response.text
    return response.json()["code"]


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_zhao_liu_logs_in_with_a_phone_code(client):
    sent = send(client, PHONES["zhao_liu"])
    assert sent.status_code == 202
    assert sent.json() == {"sent": True, "expires_in": 300, "masked_phone": "138****0004"}
    verified = verify(client, PHONES["zhao_liu"], latest_code(client, PHONES["zhao_liu"]))
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


def test_a_new_code_replaces_the_old_one(client):
    send(client, PHONES["li_si"])
    old = latest_code(client, PHONES["li_si"])
    send(client, PHONES["li_si"])
    new = latest_code(client, PHONES["li_si"])
    if old != new:
        assert verify(client, PHONES["li_si"], old).json()["code"] in ("otp_invalid", "otp_expired")
    assert verify(client, PHONES["li_si"], new).status_code == 200


def test_five_wrong_codes_lock_the_phone_even_for_the_right_code(client):
    phone = PHONES["wang_wu"]
    send(client, phone)
    code = latest_code(client, phone)
    lefts = [verify(client, phone, wrong(code)).json().get("attempts_left") for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    fifth = verify(client, phone, wrong(code), lang="en")
    assert fifth.status_code == 429 and fifth.json()["code"] == "otp_locked"
    assert fifth.json()["locked_until"] in fifth.json()["message"]
    right_but_locked = verify(client, phone, code)
    assert right_but_locked.status_code == 429
    assert send(client, phone).status_code == 429


def test_unknown_numbers_get_the_same_answers(client):
    unknown = "13999999999"
    sent = send(client, unknown)
    assert sent.status_code == 202 and sent.json()["masked_phone"] == "139****9999"
    response = verify(client, unknown, "123456")
    assert response.status_code == 400 and response.json()["attempts_left"] == 4
    assert client.get(f"{API}/demo/otp", params={"phone": unknown}).status_code == 404


def test_identity_endpoints_need_the_service_token(client):
    for headers in ({}, {"X-Service-Token": "guess"}):
        response = client.post(f"{API}/identity/otp/send", json={"phone": PHONES["li_si"]}, headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "service_token_invalid"
    bad_phone = client.post(f"{API}/identity/otp/send", json={"phone": "12345"}, headers=service_headers())
    assert bad_phone.status_code == 422


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

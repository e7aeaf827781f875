"""Agent login is throttled per (username, address) and per address, never per username alone."""

from datetime import datetime

from fastapi.testclient import TestClient

import app.api.routes.agent as agent_routes
from app.core.db import utcnow
from tests.conftest import AGENT_PASSWORD

API = "/api/v1"


def from_address(app, address: str) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", client=(address, 40000))


def login(client, username="xiaowang", password="wrong-password", lang="en"):
    return client.post(
        f"{API}/agent/login", json={"username": username, "password": password}, headers={"Accept-Language": lang}
    )


def test_five_failures_from_one_address_stop_that_address_only(client, app, monkeypatch):
    attacker, agent = from_address(app, "203.0.113.7"), from_address(app, "198.51.100.20")
    assert [login(attacker).status_code for _ in range(5)] == [401] * 5

    checked = []
    real_check = agent_routes.verify_password
    monkeypatch.setattr(agent_routes, "verify_password", lambda *a: checked.append(a) or real_check(*a))
    refused = login(attacker, password=AGENT_PASSWORD)  # even the right password, from there
    assert refused.status_code == 429 and refused.json()["code"] == "login_throttled"
    assert checked == []  # refused before the slow password check
    body = refused.json()
    assert 890 <= body["retry_after"] <= 900 and refused.headers["Retry-After"] == str(body["retry_after"])
    assert abs((datetime.fromisoformat(body["retry_at"]) - utcnow()).total_seconds() - body["retry_after"]) <= 2
    assert body["message"] == "Too many login attempts. Please try again in 15 minute(s)."
    assert "15 分钟后再试" in login(attacker, lang="zh").json()["message"]

    # The agent, from their own address, is not locked out by it.
    assert login(agent, password=AGENT_PASSWORD).status_code == 200
    # Nor is another username tried from the attacker's address.
    assert login(attacker, username="ghost").status_code == 401


def test_a_successful_login_forgets_earlier_mistakes(client, app):
    agent = from_address(app, "198.51.100.21")
    for _ in range(2):
        assert [login(agent).status_code for _ in range(4)] == [401] * 4
        assert login(agent, password=AGENT_PASSWORD).status_code == 200


def test_one_address_gets_thirty_tries_whatever_the_usernames(client, app):
    sprayer = from_address(app, "203.0.113.8")
    assert {login(sprayer, username=f"user{i}").status_code for i in range(30)} == {401}
    refused = login(sprayer, username="xiaowang", password=AGENT_PASSWORD)
    assert refused.status_code == 429 and refused.json()["code"] == "login_throttled"
    assert login(from_address(app, "203.0.113.9"), password=AGENT_PASSWORD).status_code == 200

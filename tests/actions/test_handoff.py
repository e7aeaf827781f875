"""Handing over to a human: a ticket the agent can act on, then the bot pauses."""

from actions.handoff import ActionHandoffToHuman
from tests.actions.conftest import make_tracker, responses, run
from tests.helpers import http_json


def agent_token(backend_url):
    return http_json("POST", f"{backend_url}/api/v1/agent/login",
                     {"username": "xiaowang", "password": "unused"})["token"]


def test_handoff_creates_a_ticket_with_a_summary_and_pauses(token_for, backend_url):
    tracker = make_tracker("转人工", "request_human", token_for("13800000001"), sender_id="handoff-zhang-san",
                           slots={"product": "huabei", "diagnosed_reason": "CREDIT_OVERDUE_HISTORY"})
    dispatcher, events = run(ActionHandoffToHuman(), tracker)
    assert responses(dispatcher) == ["utter_handoff_started"]
    assert events == [{"event": "pause", "timestamp": None}]
    tickets = http_json("GET", f"{backend_url}/api/v1/agent/handoffs?status=waiting",
                        headers={"Authorization": f"Bearer {agent_token(backend_url)}"})
    ticket = next(t for t in tickets if t["conversation_id"] == "handoff-zhang-san")
    assert "CREDIT_OVERDUE_HISTORY" in ticket["summary"]
    # who the customer is comes from the verified token, never from the bot's summary text
    assert ticket["customer"]["name"] == "张三" and "张三" not in ticket["summary"]


def test_backend_down_handoff_says_so(monkeypatch):
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")
    dispatcher, events = run(ActionHandoffToHuman(), make_tracker("转人工", "request_human"))
    assert responses(dispatcher) == ["utter_handoff_unavailable"] and events == []

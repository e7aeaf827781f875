"""Figures and not-understood messages, checked number by number against known conversations
written into a real tracker store (SQLite or PostgreSQL, like the backend's own database)."""

from datetime import UTC, datetime, timedelta

import pytest
import yaml
from sqlalchemy import select

from app.models import Appeal, AppealEvent, HandoffTicket, Rating
from tests.conftest import STAFF, customer_headers, staff_headers
from tests.tracker_events import TrackerStore

DAY1, DAY2 = datetime(2026, 1, 10, tzinfo=UTC), datetime(2026, 1, 11, tzinfo=UTC)
RANGE = {"from": "2026-01-10", "to": "2026-01-11"}


def at(day: datetime, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return day + timedelta(hours=hour, minutes=minute, seconds=second)


def fallback(text: str, when: datetime, confidence: float = 0.3, action: str = "action_two_stage_fallback") -> dict:
    return {"at": when, "text": text, "intent": "nlu_fallback", "confidence": confidence, "actions": [action]}


@pytest.fixture
def tracker(client, tracker_url):
    store = TrackerStore(tracker_url)
    store.clear()
    yield store
    store.clear()
    store.engine.dispose()


@pytest.fixture
def known_conversations(tracker):
    """Four conversations in the range (two handed to a human), two outside it."""
    overdue = {"diagnosed_reason": "CREDIT_OVERDUE_HISTORY"}
    tracker.conversation("sio-a", [
        {"at": at(DAY1, 9), "text": "花呗开通不了", "intent": "activation_failed", "slots": overdue,
         "actions": ["action_diagnose_problem"]},
        fallback("我的那个东西怎么弄", at(DAY1, 9, 1), 0.2),
        {"at": at(DAY1, 9, 2), "text": "谢谢", "intent": "thank"},
        {"at": at(DAY1, 9, 3), "text": "再见", "intent": "goodbye", "actions": ["utter_goodbye"]},
    ])
    tracker.conversation("sio-a", [  # the same conversation the next day: counted on both days
        {"at": at(DAY2, 8), "text": "我的花呗还是不行", "intent": "activation_failed", "slots": overdue},
    ])
    tracker.conversation("sio-b", [
        {"at": at(DAY1, 10), "text": "借呗用不了", "intent": "service_unavailable",
         "slots": {"diagnosed_reason": "SERVICE_OUTAGE"}},
        fallback("asdfgh", at(DAY1, 10, 1), 0.31),
        {"at": at(DAY1, 10, 2), "text": "转人工", "intent": "request_human", "actions": ["action_handoff_to_human"]},
    ])
    tracker.conversation("rest-c", [
        # below the threshold without the fallback intent; the reason twice counts once
        {"at": at(DAY1, 7), "text": "qwerty", "intent": "greet", "confidence": 0.42, "slots": overdue},
        {"at": at(DAY1, 7, 1), "text": "/affirm", "intent": "affirm", "confidence": 1.0, "slots": overdue},
        # understood inside the two-stage fallback's loop, which sends it once more: one message
        {"at": at(DAY1, 7, 2), "text": "bye", "intent": "goodbye", "confidence": 0.99,
         "actions": ["action_two_stage_fallback"]},
        {"at": at(DAY1, 7, 2, 1), "text": "bye", "intent": "goodbye", "confidence": 1.0, "actions": ["utter_goodbye"]},
    ])
    tracker.conversation("sio-d", [
        fallback("what is this thing", at(DAY2, 12)),
        # classified, but the dialogue policies fell back
        {"at": at(DAY2, 12, 1), "text": "what is this thing??", "intent": "inform", "confidence": 0.9,
         "actions": ["action_default_fallback"]},
        fallback("我的那个东西怎么搞", at(DAY2, 12, 2), 0.25),
        {"at": at(DAY2, 12, 3), "text": "human please", "intent": "request_human",
         "actions": ["action_handoff_to_human"]},
    ])
    tracker.conversation("sio-e", [fallback("blah blah", datetime(2026, 1, 12, tzinfo=UTC))])
    tracker.conversation("sio-f", [fallback("zzz", at(DAY1, 0, 0, -1))])


@pytest.fixture
def known_backend_rows(client, db):
    """Tickets, appeals and ratings in and around the range."""
    def ticket(conversation: str, created: datetime, claimed: datetime | None, status: str) -> HandoffTicket:
        return HandoffTicket(
            conversation_id=conversation, language="zh", summary="", status=status, created_at=created,
            claimed_at=claimed, open_slot=None if status == "closed" else 1,
        )

    db.add_all([
        ticket("sio-b", at(DAY1, 10, 2), at(DAY1, 10, 3, 30), "closed"),  # waited 90 s
        ticket("sio-x", at(DAY1, 11), at(DAY1, 11, 0, 30), "closed"),  # 30 s
        ticket("sio-d", at(DAY2, 12, 3), at(DAY2, 12, 8), "active"),  # 300 s
        ticket("sio-y", at(DAY2, 13), None, "waiting"),
        ticket("sio-z", datetime(2026, 1, 12, tzinfo=UTC), None, "waiting"),  # outside
    ])
    db.add_all([
        Rating(conversation_id="sio-a", score=5, language="zh", created_at=at(DAY1, 9, 4)),
        Rating(conversation_id="sio-b", score=4, language="zh", created_at=at(DAY2, 1)),
        Rating(conversation_id="sio-d", score=1, language="en", created_at=at(DAY2, 12, 10)),
        Rating(conversation_id="sio-e", score=3, language="en", created_at=datetime(2026, 1, 12, tzinfo=UTC)),
    ])
    db.commit()
    response = client.post(
        "/api/v1/me/appeals", json={"product": "jiebei", "statement": "我现在工作稳定"},
        headers={**customer_headers(client, "li_si"), "Idempotency-Key": "figures-li-si"},
    )
    assert response.status_code == 201, response.text
    filed = db.scalar(select(Appeal).where(Appeal.number == response.json()["number"]))
    filed.created_at = at(DAY1, 9, 30)  # filed in the range, approved in it
    filed.events.append(AppealEvent(status="approved", at=at(DAY2, 9), note_zh="通过", note_en="approved"))
    seeded = db.scalar(select(Appeal).where(Appeal.idempotency_key == "seed-zheng-yi-jiebei"))
    seeded.created_at = at(DAY1, 0, 0, -1)  # filed before the range, rejected in it
    seeded.events.append(AppealEvent(status="rejected", at=at(DAY1, 15), note_zh="驳回", note_en="rejected"))
    db.commit()


def test_figures_count_the_known_day_exactly(client, known_conversations, known_backend_rows):
    response = client.get("/api/v1/staff/figures", params=RANGE, headers=staff_headers(client, "agent"))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "from": "2026-01-10",
        "to": "2026-01-11",
        "conversations": {
            "total": 4,
            "per_day": [{"day": "2026-01-10", "count": 3}, {"day": "2026-01-11", "count": 2}],
            "handed_off": 2,
            "contained": 2,
            "containment": 0.5,
        },
        "handoffs": {
            "total": 4, "claimed": 3, "waiting": 1,
            "wait_seconds": {"average": 140.0, "median": 90.0, "max": 300.0},
        },
        "causes": [
            {"reason_code": "CREDIT_OVERDUE_HISTORY", "conversations": 2},
            {"reason_code": "SERVICE_OUTAGE", "conversations": 1},
        ],
        "appeals": {"filed": 1, "decided": 2, "approved": 1},
        # 14 typed messages (the button's "/affirm" is not one, "bye" sent again is not), 6 not understood
        "fallback": {"user_messages": 14, "not_understood": 6, "rate": 0.4286},
        "satisfaction": {"count": 3, "average": 3.33, "scores": {"1": 1, "2": 0, "3": 0, "4": 1, "5": 1}},
    }


def test_one_day_and_an_empty_range(client, known_conversations, known_backend_rows):
    headers = staff_headers(client, "agent")
    day2 = client.get("/api/v1/staff/figures", params={"from": "2026-01-11", "to": "2026-01-11"}, headers=headers).json()
    assert day2["conversations"] == {
        "total": 2, "per_day": [{"day": "2026-01-11", "count": 2}], "handed_off": 1, "contained": 1, "containment": 0.5,
    }
    assert day2["fallback"] == {"user_messages": 5, "not_understood": 3, "rate": 0.6}
    empty = client.get("/api/v1/staff/figures", params={"from": "2025-06-01", "to": "2025-06-02"}, headers=headers).json()
    assert empty["conversations"]["total"] == 0 and empty["conversations"]["containment"] is None
    assert empty["fallback"]["rate"] is None and empty["satisfaction"]["average"] is None
    assert empty["handoffs"]["wait_seconds"] == {"average": None, "median": None, "max": None}


def test_unknown_messages_grouped_newest_first(client, known_conversations):
    response = client.get("/api/v1/staff/unknown-messages", params=RANGE, headers=staff_headers(client, "agent"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["messages"] == 6
    assert [(g["text"], g["count"], g["examples"]) for g in body["groups"]] == [
        ("我的那个东西怎么搞", 2, ["我的那个东西怎么搞", "我的那个东西怎么弄"]),
        ("what is this thing??", 2, ["what is this thing??"]),
        ("asdfgh", 1, ["asdfgh"]),
        ("qwerty", 1, ["qwerty"]),
    ]
    assert body["groups"][0]["last_at"].startswith("2026-01-11T12:02:00")
    assert "session_token" not in response.text and "redacted" not in response.text and "sio-" not in response.text


def test_unknown_messages_export_is_rasa_nlu_yaml(client, known_conversations):
    response = client.get(
        "/api/v1/staff/unknown-messages/export", params=RANGE, headers=staff_headers(client, "reviewer")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/yaml")
    assert "attachment" in response.headers["content-disposition"]
    data = yaml.safe_load(response.text)
    assert data["version"] == "3.1"
    assert [(block["intent"], block["examples"]) for block in data["nlu"]] == [
        ("TODO_label_1", "- 我的那个东西怎么搞\n- 我的那个东西怎么弄\n"),
        ("TODO_label_2", "- what is this thing??\n"),
        ("TODO_label_3", "- asdfgh\n"),
        ("TODO_label_4", "- qwerty\n"),
    ]
    nothing = client.get(
        "/api/v1/staff/unknown-messages/export", params={"from": "2025-06-01", "to": "2025-06-01"},
        headers=staff_headers(client, "agent"),
    )
    assert yaml.safe_load(nothing.text) == {"version": "3.1", "nlu": []}


PATHS = ("/api/v1/staff/figures", "/api/v1/staff/unknown-messages", "/api/v1/staff/unknown-messages/export")


@pytest.mark.parametrize("path", PATHS)
def test_every_staff_role_may_read_customers_and_strangers_may_not(client, tracker, path):
    for role in STAFF:
        assert client.get(path, headers=staff_headers(client, role)).status_code == 200, role
    assert client.get(path).json()["code"] == "token_missing"
    refused = client.get(path, headers=customer_headers(client, "zhang_san"))
    assert (refused.status_code, refused.json()["code"]) == (401, "token_invalid")


@pytest.mark.parametrize("path", PATHS)
def test_a_reversed_or_too_long_range_is_refused_in_the_users_language(client, tracker, path):
    headers = staff_headers(client, "operations")
    reversed_range = client.get(path, params={"from": "2026-01-11", "to": "2026-01-10", "lang": "en"}, headers=headers)
    assert reversed_range.status_code == 422
    assert reversed_range.json() == {
        "code": "date_range_invalid",
        "message": "Invalid date range: the start must not be after the end, and at most 366 days.",
        "max_days": 366,
    }
    too_long = client.get(path, params={"from": "2024-01-01", "to": "2026-01-01"}, headers=headers)
    assert too_long.json()["code"] == "date_range_invalid" and "366" in too_long.json()["message"]
    for edge in ({"from": "9999-12-30"}, {"to": "0001-01-02"}, {"from": "9999-12-31", "to": "9999-12-31"}):
        refused = client.get(path, params=edge, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, "date_range_invalid"), edge
    for not_a_day in ("yesterday", "0", "2026-02-30"):
        refused = client.get(path, params={"from": not_a_day}, headers=headers)
        assert (refused.status_code, refused.json()["code"]) == (422, "validation_error"), not_a_day


def test_without_a_range_the_last_seven_days(client, tracker):
    today = datetime.now(UTC)
    tracker.conversation("sio-today", [fallback("今天的怪问题", today)])
    tracker.conversation("sio-old", [fallback("八天前", today - timedelta(days=7))])
    body = client.get("/api/v1/staff/figures", headers=staff_headers(client, "agent")).json()
    assert (body["from"], body["to"]) == (str((today - timedelta(days=6)).date()), str(today.date()))
    assert body["conversations"]["total"] == 1 and body["fallback"]["not_understood"] == 1

"""The one-tap rating: only with the conversation's own secret, once per conversation."""

import hashlib
import hmac

import pytest
from sqlalchemy import func, select

from app.models import Rating
from tests.conftest import SOCKET_SECRET, staff_headers


def secret(conversation_id: str, key: str = SOCKET_SECRET) -> str:
    """What channels/secure_socketio.py hands the widget with its conversation id."""
    return hmac.new(key.encode(), conversation_id.encode(), hashlib.sha256).hexdigest()


def rate(client, conversation_id: str, score: int, given: str | None = None, lang: str = "zh"):
    body = {"conversation_id": conversation_id, "session_secret": given or secret(conversation_id), "score": score}
    return client.post(f"/api/v1/ratings?lang={lang}", json=body)


def ratings(db) -> list[tuple[str, int]]:
    db.expire_all()
    return [(r.conversation_id, r.score) for r in db.scalars(select(Rating).order_by(Rating.id))]


def test_a_rating_is_stored_once_and_counted_in_the_figures(client, db, tracker_url):
    first = rate(client, "sio-abc123", 4)
    assert first.status_code == 201, first.text
    assert first.json()["score"] == 4 and first.json()["conversation_id"] == "sio-abc123"
    again = rate(client, "sio-abc123", 1, lang="en")
    assert again.status_code == 409
    assert again.json() == {"code": "already_rated", "message": "This conversation has already been rated. Thank you!"}
    assert ratings(db) == [("sio-abc123", 4)]
    figures = client.get("/api/v1/staff/figures", headers=staff_headers(client, "agent")).json()
    assert figures["satisfaction"]["count"] == 1 and figures["satisfaction"]["average"] == 4.0


@pytest.mark.parametrize(
    "conversation_id, given",
    [
        ("sio-abc123", secret("sio-other")),  # another conversation's secret
        ("sio-abc123", secret("sio-abc123", "another-key")),  # signed with another key
        ("sio-abc123", "0" * 64),
        ("rest-abc123", secret("rest-abc123")),  # not a widget conversation
    ],
)
def test_nobody_rates_a_conversation_that_is_not_theirs(client, db, conversation_id, given):
    refused = rate(client, conversation_id, 1, given)
    assert refused.status_code == 403
    assert refused.json()["code"] == "conversation_secret_invalid"
    assert refused.json()["message"] == "无法确认这是您的对话，评价未保存。"
    assert ratings(db) == []


@pytest.mark.parametrize("score", [0, 6, "five", None])
def test_a_score_outside_1_to_5_is_refused(client, db, score):
    response = client.post(
        "/api/v1/ratings", json={"conversation_id": "sio-x", "session_secret": secret("sio-x"), "score": score}
    )
    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert ratings(db) == []


def test_two_ratings_at_once_store_one(client, db):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(lambda s: rate(client, "sio-race", s).status_code, [1, 2, 3, 4, 5, 1, 2, 3]))
    assert statuses == [201] + [409] * 7
    assert len(ratings(db)) == 1
    assert db.scalar(select(func.count()).select_from(Rating)) == 1

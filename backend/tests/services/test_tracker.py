"""The tracker store as the backend reads it: read-only, empty before Rasa made it, a clear 503
when it cannot be reached; the grouping of not-understood messages is deterministic."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.errors import ApiError
from app.services.tracker import TrackerReader
from app.services.unknown import Group, as_nlu_yaml, bigrams, jaccard, normalize
from tests.tracker_events import TrackerStore

NOW = datetime(2026, 1, 10, 12, tzinfo=UTC)
DAY = (NOW - timedelta(hours=12), NOW + timedelta(hours=12))


def test_a_sqlite_tracker_is_opened_read_only(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = TrackerStore(url)
    store.conversation("sio-1", [{"at": NOW, "text": "你好", "intent": "greet"}])
    reader = TrackerReader(url)
    assert [c.sender_id for c in reader.conversations(*DAY)] == ["sio-1"]
    with pytest.raises(OperationalError, match="readonly"), reader._engine.begin() as connection:
        connection.execute(text("DELETE FROM events"))
    assert len(reader.conversations(*DAY)) == 1
    reader.dispose()
    store.engine.dispose()


def test_before_rasa_made_its_store_there_is_nothing(tmp_path):
    assert TrackerReader(f"sqlite:///{tmp_path / 'not-yet.db'}").conversations(*DAY) == []


def test_an_unreachable_tracker_store_is_a_clear_503():
    reader = TrackerReader("postgresql+psycopg://postgres@127.0.0.1:1/rasa?connect_timeout=2")
    with pytest.raises(ApiError) as refused:
        reader.conversations(*DAY)
    assert (refused.value.status, refused.value.code) == (503, "tracker_unavailable")


def test_similarity_of_messages():
    assert normalize("  What IS this？？ thing!! ") == "what is this thing"
    assert normalize("ｈｕａｂｅｉ 用不了") == "huabei 用不了"  # full-width letters folded
    same = jaccard(bigrams(normalize("我的花呗怎么弄")), bigrams(normalize("我的花呗怎么搞")))
    assert same == pytest.approx(5 / 7)
    assert jaccard(bigrams("asdfgh"), bigrams("qwerty")) == 0
    assert bigrams("a") == frozenset({"a"})


def test_an_exported_message_never_reads_as_an_entity_annotation():
    group = Group(key=frozenset(), last_at=NOW)
    group.add("点 [这里](product) 和 [那里]{\"entity\": \"x\"}\n第二行")
    exported = as_nlu_yaml([group], NOW.date(), NOW.date())
    assert '    - 点 [这里] (product) 和 [那里] {"entity": "x"} 第二行\n' in exported

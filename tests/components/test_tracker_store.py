"""The cached SQL tracker store: what Rasa's SQL store would give, within a bounded window."""
import asyncio
import json
import os
import uuid

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    LoopInterrupted,
    SessionStarted,
    SlotSet,
    UserUttered,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer

from components.tracker_store import CachedSQLTrackerStore
from tests.helpers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def run(coroutine):
    return asyncio.run(coroutine)


POSTGRES_SERVER = os.environ.get("POSTGRES_TEST_URL", "postgresql://postgres@127.0.0.1:5432")


@pytest.fixture(scope="module")
def postgres_database():
    """A database of this module's own on the machine's PostgreSQL (as the cluster's Rasa
    servers share one); skipped when there is none, a failure when REQUIRE_POSTGRES=1."""
    name = f"tracker_test_{uuid.uuid4().hex[:12]}"
    try:
        server = sa.create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL not reachable at {POSTGRES_SERVER} (REQUIRE_POSTGRES=1): {error}")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_SERVER}: {error}")
    yield f"{POSTGRES_SERVER}/{name}"
    with server.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """Where a test's conversations are stored: a new SQLite file, or the PostgreSQL test
    database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    url = request.getfixturevalue("postgres_database")
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS events"))
    engine.dispose()
    return url


def cached_store(database, **kwargs) -> CachedSQLTrackerStore:
    return CachedSQLTrackerStore(domain=DOMAIN, host=database, **kwargs)


def rasa_store(database) -> SQLTrackerStore:
    return SQLTrackerStore(domain=DOMAIN, host=database)


def turn(tracker: DialogueStateTracker, text: str, language: str = "zh") -> None:
    """One user turn as the Rasa server records it."""
    tracker.update(UserUttered(text, {"name": "activation_failed", "confidence": 0.98}))
    tracker.update(SlotSet("language", language))
    tracker.update(ActionExecuted("action_diagnose_problem"))
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))


def as_json(tracker):
    return tracker.current_state(EventVerbosity.ALL)


def test_a_saved_conversation_comes_back_as_rasa_would_load_it(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))
    for text in ["花呗开不了", "为什么", "转人工"]:
        turn(tracker, text)
        run(store.save(tracker))
        tracker = run(store.retrieve("user-1"))

    from_rasa = run(rasa_store(database).retrieve("user-1"))
    assert as_json(tracker) == as_json(from_rasa)
    assert tracker.get_slot("language") == "zh"
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == ["花呗开不了", "为什么", "转人工"]


def test_events_written_by_another_server_are_seen(database):
    ours, other = cached_store(database), cached_store(database)
    tracker = run(ours.get_or_create_tracker("user-1"))
    turn(tracker, "花呗开不了")
    run(ours.save(tracker))

    elsewhere = run(other.retrieve("user-1"))
    turn(elsewhere, "I can't log in", language="en")
    run(other.save(elsewhere))

    tracker = run(ours.retrieve("user-1"))
    assert tracker.get_slot("language") == "en"
    assert tracker.latest_message.text == "I can't log in"


def test_a_turn_that_was_never_saved_leaves_no_trace(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))
    turn(tracker, "花呗开不了")
    run(store.save(tracker))

    failed = run(store.retrieve("user-1"))
    turn(failed, "this turn crashed before it was saved", language="en")

    tracker = run(store.retrieve("user-1"))
    assert tracker.latest_message.text == "花呗开不了"
    assert tracker.get_slot("language") == "zh"


def test_only_the_latest_session_is_loaded_and_the_full_history_stays(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))
    turn(tracker, "第一次会话")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    turn(tracker, "第二次会话")
    run(store.save(tracker))

    latest = run(store.retrieve("user-1"))
    assert as_json(latest) == as_json(run(rasa_store(database).retrieve("user-1")))
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["第二次会话"]
    full = run(store.retrieve_full_tracker("user-1"))
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == ["第一次会话", "第二次会话"]


def test_conversations_are_kept_apart_and_the_memory_is_bounded(database):
    store = cached_store(database, cached_conversations=2)
    for number in range(3):
        tracker = run(store.get_or_create_tracker(f"user-{number}"))
        turn(tracker, f"用户{number}的问题")
        run(store.save(tracker))

    assert len(store._sessions) == 2
    for number in range(3):
        assert run(store.retrieve(f"user-{number}")).latest_message.text == f"用户{number}的问题"
    assert run(store.retrieve("nobody")) is None


def long_conversation(tracker: DialogueStateTracker) -> None:
    """Identity verified early, then many turns, an appeal form interrupted, a handoff."""
    turn(tracker, "我登录不了")
    tracker.update(SlotSet("session_token", "token-of-zhang-san"))
    tracker.update(SlotSet("product", "huabei"))
    for number in range(12):
        turn(tracker, f"第{number}个问题", language="en" if number % 2 else "zh")
    tracker.update(UserUttered("我要申诉", {"name": "file_appeal", "confidence": 0.97}))
    tracker.update(ActionExecuted("appeal_form"))
    tracker.update(ActiveLoop("appeal_form"))
    tracker.update(SlotSet("requested_slot", "statement"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(UserUttered("要什么材料", {"name": "ask_required_materials", "confidence": 0.95}))
    tracker.update(LoopInterrupted(True))
    tracker.update(ActionExecuted("action_list_required_materials"))
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(ConversationPaused())


@pytest.fixture
def store_with_a_long_conversation(database) -> CachedSQLTrackerStore:
    store = cached_store(database, working_events=20)
    tracker = run(store.get_or_create_tracker("user-1"))
    long_conversation(tracker)
    run(store.save(tracker))
    return store


def test_a_long_conversation_keeps_a_bounded_window_with_the_same_state(store_with_a_long_conversation, database):
    windowed = run(store_with_a_long_conversation.retrieve("user-1"))
    full = run(rasa_store(database).retrieve("user-1"))
    assert len(full.events) > 60
    assert len(windowed.events) <= 20 + len(windowed.slots) + 3
    carried = (SlotSet, ActiveLoop, ConversationPaused)
    assert isinstance(next(e for e in windowed.events if not isinstance(e, carried)), UserUttered)
    assert {n: s.value for n, s in windowed.slots.items()} == {n: s.value for n, s in full.slots.items()}
    assert windowed.active_loop_name == full.active_loop_name == "appeal_form"
    assert windowed.is_paused() and full.is_paused()
    assert windowed.latest_message.text == full.latest_message.text == "要什么材料"
    # what the policies featurize: their last 5 states are the same
    assert windowed.past_states(DOMAIN)[-5:] == full.past_states(DOMAIN)[-5:]


def test_turns_after_the_window_are_all_stored_in_order(database):
    store = cached_store(database, working_events=20)
    tracker = run(store.get_or_create_tracker("user-1"))
    expected = []
    for number in range(15):
        turn(tracker, f"问题{number}")
        expected.append(f"问题{number}")
        run(store.save(tracker))
        tracker = run(store.retrieve("user-1"))

    full = run(store.retrieve_full_tracker("user-1"))
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == expected
    assert len(tracker.events) <= 20 + len(tracker.slots) + 3


def test_an_undone_user_message_keeps_the_state_carried_from_before_the_window(store_with_a_long_conversation):
    windowed = run(store_with_a_long_conversation.retrieve("user-1"))
    windowed.update(UserUtteranceReverted())  # as the two-stage fallback does
    assert windowed.get_slot("session_token") == "[redacted]"  # carried, never in clear
    assert windowed.get_slot("product") == "huabei"
    assert windowed.active_loop_name == "appeal_form"


def test_events_are_stored_in_the_rows_rasa_s_store_writes(tmp_path):
    tracker = DialogueStateTracker("user-1", DOMAIN.slots)
    turn(tracker, "花呗开不了")
    rows = {}
    for name, store_class in [("ours", cached_store), ("rasa", rasa_store)]:
        store = store_class(f"sqlite:///{tmp_path / f'{name}.db'}")
        run(store.save(tracker))
        with store.session_scope() as session:
            rows[name] = [
                (r.sender_id, r.type_name, r.timestamp, r.intent_name, r.action_name, r.data)
                for r in session.query(store.SQLEvent).order_by(store.SQLEvent.id)
            ]
    assert rows["ours"] == rows["rasa"]
    assert ("activation_failed", None) in [(r[3], r[4]) for r in rows["ours"]]


def form_turn(tracker: DialogueStateTracker, text: str) -> None:
    """A wrong code typed into the identity form: a turn predicted by rules alone."""
    tracker.update(UserUttered(text, {"name": "inform", "confidence": 0.9}))
    tracker.update(ActionExecuted("identity_form", policy="RulePolicy", hide_rule_turn=True))
    tracker.update(BotUttered("验证码不正确"))
    tracker.update(ActionExecuted("action_listen", policy="RulePolicy", hide_rule_turn=True))


def ml_states(tracker: DialogueStateTracker, max_history: int):
    """What MemoizationPolicy / TEDPolicy featurize: rule-only turns left out."""
    return MaxHistoryTrackerFeaturizer(max_history=max_history).prediction_states(
        [tracker], DOMAIN, ignore_rule_only_turns=True, rule_only_data={"slots": [], "loops": []}
    )[0]


def test_a_window_of_rule_only_turns_still_gives_the_ml_policies_their_states(database):
    """Wrong codes typed in a row past the window once left the ML policies no state at
    all (IndexError in _choose_last_user_input), and the turn was lost."""
    store = cached_store(database, working_events=20)
    tracker = run(store.get_or_create_tracker("user-1"))
    tracker.update(ActionExecuted("action_listen"))
    for number in range(3):
        turn(tracker, f"问题{number}")
    tracker.update(UserUttered("我登录不了", {"name": "login_failed", "confidence": 0.9}))
    tracker.update(ActionExecuted("identity_form"))
    tracker.update(ActiveLoop("identity_form"))
    tracker.update(ActionExecuted("action_listen", policy="RulePolicy", hide_rule_turn=True))
    for number in range(10):
        form_turn(tracker, f"12345{number}")
    run(store.save(tracker))

    windowed = run(store.retrieve("user-1"))
    windowed.update(UserUttered("000000", {"name": "inform", "confidence": 0.9}))
    windowed.update(ActionExecuted("identity_form", policy="RulePolicy", hide_rule_turn=True))
    full = run(rasa_store(database).retrieve("user-1"))
    full.update(UserUttered("000000", {"name": "inform", "confidence": 0.9}))
    full.update(ActionExecuted("identity_form", policy="RulePolicy", hide_rule_turn=True))
    assert len(windowed.events) < len(full.events)
    for max_history in (4, 5):
        assert ml_states(windowed, max_history) == ml_states(full, max_history) != []


def test_session_tokens_are_never_stored(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))
    tracker.update(UserUttered("我的花呗", {"name": "activation_failed", "confidence": 0.9},
                               metadata={"session_token": "secret-app-token"}))
    tracker.update(SlotSet("session_started_metadata", {"session_token": "secret-app-token"}))
    tracker.update(ActionExecuted("identity_form"))
    tracker.update(SlotSet("session_token", "secret-otp-token"))
    tracker.update(BotUttered(data={"custom": {"session_token": "secret-otp-token", "expires_at": "later"}}))
    tracker.update(ActionExecuted("action_listen"))
    run(store.save(tracker))

    with store.session_scope() as session:
        stored = " ".join(row.data for row in session.query(store.SQLEvent))
    assert "secret-" not in stored and "[redacted]" in stored
    for loaded in (run(store.retrieve("user-1")), run(rasa_store(database).retrieve("user-1"))):
        assert "secret-" not in str(loaded.current_state(EventVerbosity.ALL))
        assert loaded.get_slot("session_token") == "[redacted]"
        assert loaded.latest_message.metadata == {"session_token": "[redacted]"}


def stored_texts(store, sender_id: str) -> list:
    full = run(store.retrieve_full_tracker(sender_id))
    return [e.text for e in full.events if isinstance(e, UserUttered)]


def test_a_turn_is_stored_even_when_its_conversation_left_the_cache_meanwhile(database):
    """A conversation past its window, pushed out of a small cache by three others during
    its turn, once lost every event of that turn."""
    store = cached_store(database, working_events=20, cached_conversations=2)
    tracker = run(store.get_or_create_tracker("long"))
    for number in range(8):
        turn(tracker, f"问题{number}")
    run(store.save(tracker))

    during = run(store.retrieve("long"))
    turn(during, "这一轮不能丢")
    for other in ("a", "b", "c"):  # served while the turn of "long" was running
        others = run(store.get_or_create_tracker(other))
        turn(others, f"{other}的问题")
        run(store.save(others))
    assert "long" not in store._sessions
    run(store.save(during))

    assert stored_texts(store, "long") == [f"问题{n}" for n in range(8)] + ["这一轮不能丢"]
    assert run(store.retrieve("long")).latest_message.text == "这一轮不能丢"


def test_saving_the_same_tracker_twice_stores_each_event_once(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))
    turn(tracker, "花呗开不了")
    run(store.save(tracker))
    run(store.save(tracker))
    turn(tracker, "为什么")
    run(store.save(tracker))
    assert stored_texts(store, "user-1") == ["花呗开不了", "为什么"]


def test_another_writers_change_is_seen_even_when_the_count_stays_the_same(database):
    ours = cached_store(database)
    tracker = run(ours.get_or_create_tracker("user-1"))
    turn(tracker, "花呗开不了")
    run(ours.save(tracker))
    assert run(ours.retrieve("user-1")).latest_message.text == "花呗开不了"

    other = rasa_store(database)  # e.g. a retention job: one row deleted, one added
    with other.session_scope() as session:
        oldest = session.query(other.SQLEvent).filter_by(sender_id="user-1").order_by(other.SQLEvent.id).first()
        session.delete(oldest)
        session.commit()
    elsewhere = run(other.retrieve("user-1"))
    elsewhere.update(UserUttered("I can't log in", {"name": "login_failed", "confidence": 0.9}))
    with other.session_scope() as session:
        session.add(other.SQLEvent(sender_id="user-1", type_name="user", timestamp=elsewhere.events[-1].timestamp,
                                   intent_name="login_failed", data=json.dumps(elsewhere.events[-1].as_dict())))
        session.commit()

    assert run(ours.retrieve("user-1")).latest_message.text == "I can't log in"


def test_a_redacted_event_is_not_copied_again():
    from components.tracker_store import redacted

    user = UserUttered("我的花呗", metadata={"session_token": "secret-app-token"})
    once = redacted(user)
    assert once is not user and redacted(once) is once


def test_a_conversation_deleted_elsewhere_is_not_served_from_memory(database):
    ours = cached_store(database)
    tracker = run(ours.get_or_create_tracker("user-1"))
    turn(tracker, "花呗开不了")
    run(ours.save(tracker))
    assert run(ours.retrieve("user-1")) is not None

    other = rasa_store(database)  # e.g. a customer's data erased on request
    with other.session_scope() as session:
        session.query(other.SQLEvent).filter_by(sender_id="user-1").delete()
        session.commit()
    assert run(ours.retrieve("user-1")) is None
    assert run(ours.get_or_create_tracker("user-1")).latest_message.text != "花呗开不了"


def test_a_new_conversation_is_stored_once_however_its_tracker_came(database):
    store = cached_store(database)
    tracker = run(store.get_or_create_tracker("user-1"))  # retrieve finds no row, then Rasa creates it
    turn(tracker, "花呗开不了")
    run(store.save(tracker))
    stranger = DialogueStateTracker.from_events("user-1", list(tracker.events), DOMAIN.slots)
    run(store.save(stranger))  # not handed out by the store: compared with the database
    assert stored_texts(store, "user-1") == ["花呗开不了"]
    assert as_json(run(store.retrieve("user-1"))) == as_json(run(rasa_store(database).retrieve("user-1")))

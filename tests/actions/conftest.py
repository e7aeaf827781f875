"""Action tests run against a real backend process on a fresh, seeded SQLite file."""
import os
from contextlib import contextmanager
from typing import Any, Dict, Iterator, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.helpers import app_token
from scripts.stack import Stack, free_port

SERVICE_TOKEN = "action-tests-service-token"
REVIEWER_PASSWORD = "action-tests-reviewer-password"


@contextmanager
def running_backend(data_dir) -> Iterator[str]:
    """A backend process on a free port with a fresh, seeded SQLite file in `data_dir`."""
    env = dict(os.environ, DATA_DIR=str(data_dir), BACKEND_PORT=str(free_port()),
               SERVICE_TOKEN=SERVICE_TOKEN, RASA_API_TOKEN="unused", DEMO_AGENT_PASSWORD="unused",
               DEMO_REVIEWER_PASSWORD=REVIEWER_PASSWORD, DEMO_MODE="true",
               RASA_URL="http://127.0.0.1:9")  # no Rasa: pushed messages cannot arrive
    stack = Stack(env=env, only=["backend"])
    stack.start(timeout=60, progress=lambda _: None)
    try:
        yield stack.env["BACKEND_URL"]
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def backend_url(tmp_path_factory) -> Iterator[str]:
    with running_backend(tmp_path_factory.mktemp("backend-data")) as url:
        yield url


@pytest.fixture(autouse=True)
def backend_env(backend_url, monkeypatch):
    """Actions find the backend the way they do in production: from the environment."""
    monkeypatch.setenv("BACKEND_URL", backend_url)
    monkeypatch.setenv("SERVICE_TOKEN", SERVICE_TOKEN)


@pytest.fixture
def token_for(backend_url):
    return lambda phone: app_token(backend_url, phone)


def make_tracker(
    text: str = "",
    intent: str = "",
    token: Optional[str] = None,
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    events_after: Optional[List[Dict[str, Any]]] = None,
    sender_id: str = "test-conversation",
    active_loop: Optional[str] = None,
) -> Tracker:
    """A tracker whose latest event is a user message, as the action server receives it."""
    user_event = {
        "event": "user", "text": text, "timestamp": 1700000000.0, "message_id": "m-1",
        "parse_data": {"intent": {"name": intent}, "entities": []},
        "metadata": {"session_token": token} if token else {},
    }
    latest = {"text": text, "intent": {"name": intent, "confidence": 1.0}, "entities": [],
              "intent_ranking": [{"name": intent, "confidence": 1.0}]}
    return Tracker(
        sender_id=sender_id, slots={"language": "zh", **(slots or {})}, latest_message=latest,
        events=(events or []) + [user_event] + (events_after or []), paused=False, followup_action=None,
        active_loop={"name": active_loop} if active_loop else {}, latest_action_name="action_listen",
    )


def run(action, tracker: Tracker):
    """Runs a (synchronous) custom action; returns what it said and the events it returned."""
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker, {})
    return dispatcher, events


def message(dispatcher: CollectingDispatcher, response: str) -> Dict[str, Any]:
    """The first message the action sent with this response, with its variables."""
    return next(m for m in dispatcher.messages if m.get("response") == response)


def responses(dispatcher: CollectingDispatcher) -> List[str]:
    return [m.get("response") for m in dispatcher.messages if m.get("response")]


def slot_events(events) -> Dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}

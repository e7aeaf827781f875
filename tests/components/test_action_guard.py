"""A custom action whose server is down, hangs or fails still ends in a reply, in time.

Each case calls a real HTTP endpoint on this machine through Rasa's own RemoteAction,
as the Rasa server does."""
import asyncio
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, FollowupAction, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (installs the guard, as loading our model does)
from scripts.stack import free_port
from tests.helpers import ROOT

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


class Failing(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.send_response(500)
        self.end_headers()
        self.wfile.write(b'{"error": "boom"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Failing)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/webhook"
    server.shutdown()


@pytest.fixture
def hanging_server():
    """Accepts connections and never answers, like a stopped (SIGSTOP) process."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/webhook"
    listener.close()


def tracker(language: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker("guard-test", DOMAIN.slots)
    tracker.update(UserUttered("我的花呗开不了" if language == "zh" else "my huabei is blocked"))
    tracker.update(SlotSet("language", language))
    return tracker


def run_action(url: str, language: str, monkeypatch, timeout: str = "1.5"):
    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", timeout)
    action = RemoteAction("action_diagnose_problem", EndpointConfig(url))
    started = time.monotonic()
    events = asyncio.run(action.run(
        CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses), tracker(language), DOMAIN,
    ))
    return events, time.monotonic() - started


@pytest.mark.parametrize("language,expected", [("zh", "系统暂时出了点问题"), ("en", "something went wrong")])
def test_a_stopped_action_server_gets_a_reply_in_the_users_language(language, expected, monkeypatch):
    events, took = run_action(f"http://127.0.0.1:{free_port()}/webhook", language, monkeypatch)
    assert isinstance(events[0], BotUttered) and expected in events[0].text
    assert events[-1] == FollowupAction("action_listen") and took < 1.5


def test_a_hung_action_server_gets_a_reply_at_the_deadline(hanging_server, monkeypatch):
    events, took = run_action(hanging_server, "zh", monkeypatch)
    assert "系统暂时出了点问题" in events[0].text
    assert 1.4 < took < 3


def test_an_action_server_answering_500_gets_a_reply(failing_server, monkeypatch):
    events, _ = run_action(failing_server, "en", monkeypatch)
    assert "something went wrong" in events[0].text

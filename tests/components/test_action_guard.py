"""A custom action whose server is down, hangs or fails still ends in a reply, in time.

Each case calls a real HTTP endpoint on this machine through Rasa's own RemoteAction,
as the Rasa server does."""
import asyncio
import socket
import threading
import time
from contextlib import contextmanager
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


def answering(status: int, body: bytes):
    """A stand-in action server that answers every call with this status and body."""

    class Answering(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Answering


@contextmanager
def server_answering(status: int, body: bytes):
    server = ThreadingHTTPServer(("127.0.0.1", 0), answering(status, body))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/webhook"
    finally:
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


def test_an_action_server_answering_500_gets_a_reply(monkeypatch):
    with server_answering(500, b'{"error": "boom"}') as url:
        events, _ = run_action(url, "en", monkeypatch)
    assert "something went wrong" in events[0].text


def test_a_valid_answer_passes_the_prebuilt_check_and_an_invalid_one_is_refused(monkeypatch):
    """Both patches through Rasa's public path: a real HTTP answer checked by the prebuilt
    validator (components/action_response_check.py), a refusal told by the guard."""
    valid = b'{"events": [{"event": "slot", "name": "product", "value": "huabei"}], "responses": []}'
    with server_answering(200, valid) as url:
        events, _ = run_action(url, "zh", monkeypatch)
    assert events == [SlotSet("product", "huabei")]
    with server_answering(200, b'{"events": [{"name": "product"}]}') as url:  # an event without its type
        events, _ = run_action(url, "zh", monkeypatch)
    assert "系统暂时出了点问题" in events[0].text


def test_the_patches_refuse_another_rasa_version(monkeypatch):
    import rasa

    from components import action_guard, action_response_check

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    for patch in (action_guard, action_response_check):
        with pytest.raises(RuntimeError, match="3.6.21"):
            patch.install()

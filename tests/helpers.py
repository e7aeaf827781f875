"""Test helpers shared by the action, end-to-end and hostile tests (standard library only)."""
import json
import os
import secrets
import sys
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, free_port  # noqa: E402  (needs ROOT on the path)


# Messages and the language each says: components/language.py (tests/components) and the
# widget's languageOf (tests/browser/test_widget_chat.py) are run on the same ones.
LANGUAGE_CASES = [
    ("花呗开不了", "zh"), ("I can't log in", "en"), ("花呗 login 一直 fail", "zh"),
    ("13800000004", None), ("/affirm", None), ("EXTERNAL: EXTERNAL_handback", None), ("ok", "en"),
    # pinyin keeps the conversation's language: Chinese without an input method, or a name
    ("huabei weishenme yong bu liao", None), ("deng lu bu liao", None), ("xiexie", None),
    ("zhuan rengong", None), ("hb bu neng yong le", None), ("Qian Qi", None), ("ni hao", None),
    # English words that are spelt in pinyin syllables too
    ("are you human", "en"), ("resume", "en"), ("change my name", "en"), ("see you", "en"),
    ("same time", "en"), ("huabei", "en"), ("huabei not working", "en"), ("haha", "en"),
    ("jiebei bu neng yong le why", "en"),
    # splits into syllables in 2^9 ways up to its last letter (a word, not a pattern, decides)
    ("xian" * 9 + "b", "en"),
]


# What a user is told when writing while waiting for an agent (domain.yml utter_waiting_for_agent).
WAITING_ZH = "收到。人工客服接入后会看到您在这里留下的所有消息，请稍候，不要离开。"
WAITING_EN = "Got it. A human agent will join shortly and will see everything you write here, so please stay with us."


def http_json(method: str, url: str, body: Optional[Dict[str, Any]] = None,
              headers: Optional[Dict[str, str]] = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def app_token(backend_url: str, phone: str) -> str:
    """A demo app session for a seeded customer (stands for the app's login)."""
    return http_json("POST", f"{backend_url}/api/v1/demo/app-session", {"phone": phone})["token"]


def latest_code(backend_url: str, phone: str, conversation_id: Optional[str] = None) -> str:
    """The one-time code the demo backend 'sent' to a phone (in that conversation, if named)."""
    query = f"phone={phone}" + (f"&conversation_id={conversation_id}" if conversation_id else "")
    return http_json("GET", f"{backend_url}/api/v1/demo/otp?{query}")["code"]


def reason(backend_url: str, code: str, lang: str) -> Dict[str, Any]:
    """A reason of the backend catalog, to compare the bot's words with."""
    return http_json("GET", f"{backend_url}/api/v1/reasons/{code}?lang={lang}")


def stack_environment(tmp_path_factory, **overrides) -> Dict[str, str]:
    """Fresh secrets, free ports, a data folder of its own, and a small working window of
    the tracker store, so that every conversation of more than a few turns also runs
    through its carry-over."""
    data_dir = tmp_path_factory.mktemp("stack-data")
    return {**os.environ, **dict(
        DATA_DIR=str(data_dir), BACKEND_PORT=str(free_port()), ACTIONS_PORT=str(free_port()),
        RASA_PORT=str(free_port()), SERVICE_TOKEN=secrets.token_urlsafe(16),
        RASA_API_TOKEN=secrets.token_urlsafe(16), ACTION_SERVER_TOKEN=secrets.token_urlsafe(16),
        DEMO_AGENT_PASSWORD=secrets.token_urlsafe(8), DEMO_REVIEWER_PASSWORD=secrets.token_urlsafe(8),
        DEMO_OPERATIONS_PASSWORD=secrets.token_urlsafe(8),
        SOCKET_SECRET=secrets.token_urlsafe(16), RASA_WORKING_EVENTS="30",
        # every test talks from 127.0.0.1, faster than a person types
        MESSAGE_LIMIT_PER_CONVERSATION="60/60", MESSAGE_LIMIT_PER_ADDRESS="3000/60",
    ), **overrides}


def start_stack(tmp_path_factory, **overrides) -> Stack:
    """The stack of `make run` in the test environment above."""
    stack = Stack(env=stack_environment(tmp_path_factory, **overrides))
    stack.start(timeout=240, progress=lambda _: None)
    return stack


class Chat:
    """One conversation over Rasa's REST channel, as a client would hold it."""

    def __init__(self, rasa_url: str, token: str = None, sender: str = None):
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.token = token
        self.sender = sender or f"e2e-{uuid.uuid4()}"

    def say(self, text: str):
        body = {"sender": self.sender, "message": text}
        if self.token:
            body["metadata"] = {"session_token": self.token}
        replies = http_json("POST", self.url, body)
        for reply in replies:  # the widget keeps a token the bot hands over
            if (reply.get("custom") or {}).get("session_token"):
                self.token = reply["custom"]["session_token"]
        return replies

    @staticmethod
    def text(replies) -> str:
        return "\n".join(r.get("text", "") for r in replies)

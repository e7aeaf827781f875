"""End-to-end tests start the real stack: backend, action server and Rasa server."""
import os
import secrets
import uuid

import pytest

from scripts.stack import Stack, free_port
from tests.helpers import http_json


def start_stack(tmp_path_factory, **overrides) -> Stack:
    """The stack on free ports, with a small working window of the tracker store, so that
    every conversation of more than a few turns also runs through its carry-over."""
    data_dir = tmp_path_factory.mktemp("stack-data")
    env = dict(
        os.environ, DATA_DIR=str(data_dir), BACKEND_PORT=str(free_port()), ACTIONS_PORT=str(free_port()),
        RASA_PORT=str(free_port()), SERVICE_TOKEN=secrets.token_urlsafe(16),
        RASA_API_TOKEN=secrets.token_urlsafe(16), DEMO_AGENT_PASSWORD=secrets.token_urlsafe(8),
        SOCKET_SECRET=secrets.token_urlsafe(16), RASA_WORKING_EVENTS="30", **overrides,
    )
    stack = Stack(env=env)
    stack.start(timeout=240, progress=lambda _: None)
    return stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    stack = start_stack(tmp_path_factory)
    yield stack
    stack.stop()


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

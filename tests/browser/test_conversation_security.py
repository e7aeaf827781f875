"""A conversation id, a forged token or no token never reveal or continue someone's conversation."""
import uuid

import pytest
import requests

from tests.browser.ui import SECRETS
from tests.helpers import app_token, reason
from tests.widget_client import Widget

@pytest.fixture
def widget(rasa_url):
    opened = []

    def make() -> Widget:
        opened.append(Widget(rasa_url))
        return opened[-1]

    yield make
    for client in opened:
        client.close()


def tracker_texts(rasa_url: str, conversation_id: str) -> list:
    tracker = requests.get(f"{rasa_url}/conversations/{conversation_id}/tracker",
                           params={"token": SECRETS["RASA_API_TOKEN"]}, timeout=10).json()
    return [e.get("text") for e in tracker["events"] if e.get("event") == "user"]


@pytest.fixture
def zhangsan_conversation(widget, backend_url):
    """张三's conversation, in which the bot has explained his account."""
    owner = widget()
    session = owner.session()
    answer = owner.say("为什么我开不了花呗", app_token(backend_url, "13800000001"))
    assert reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["title"] in answer
    return owner, session


def test_a_conversation_id_without_its_secret_opens_a_new_conversation(widget, zhangsan_conversation, rasa_url, backend_url):
    owner, session = zhangsan_conversation
    explanation = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["title"]
    for forged in ({"session_id": session["session_id"]},
                   {"session_id": session["session_id"], "session_secret": "0" * 64},
                   {"session_id": session["session_id"], "session_secret": session["session_secret"][:-1] + "x"}):
        intruder = widget()
        issued = intruder.session(**forged)
        assert issued["session_id"] != session["session_id"]
        # no history of 张三's conversation, and naming his id in a message does not reach it
        answer = intruder.say("我的账户什么情况", session_id=session["session_id"])
        assert explanation not in answer and "张三" not in answer
        assert "我的账户什么情况" not in tracker_texts(rasa_url, session["session_id"])
        # nothing of what the bot says to 张三 afterwards reaches the intruder
        owner.say("谢谢")
        assert all(event != "bot_uttered" for event, _ in list(intruder.events.queue))

    # the owner, with the secret, gets the same conversation back with its history
    returning = widget()
    assert returning.session(**session)["session_id"] == session["session_id"]
    history = returning.next("session_history")
    assert [line["text"] for line in history if line["sender"] == "user"][:1] == ["为什么我开不了花呗"]


@pytest.mark.parametrize("token", [None, "forged-token-0123456789"])
def test_no_or_forged_token_reveals_no_account(widget, backend_url, token):
    stranger = widget()
    stranger.session()
    answer = stranger.say("为什么我开不了花呗", token)
    for code in ("CREDIT_OVERDUE_HISTORY", "UNSTABLE_EMPLOYMENT"):
        assert reason(backend_url, code, "zh")["title"] not in answer
    assert answer  # the bot answers, without any account detail


def test_rest_channel_cannot_address_a_widget_conversation(zhangsan_conversation, rasa_url, backend_url):
    _, session = zhangsan_conversation
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=30,
                             json={"sender": session["session_id"], "message": "我的账户什么情况"})
    assert response.status_code == 403
    assert "我的账户什么情况" not in tracker_texts(rasa_url, session["session_id"])


@pytest.mark.parametrize("metadata", [{}, {"session_token": "forged-token-0123456789"}])
def test_rest_channel_without_a_valid_token_reveals_no_account(rasa_url, backend_url, metadata):
    response = requests.post(f"{rasa_url}/webhooks/rest/webhook", timeout=60, json={
        "sender": f"rest-{uuid.uuid4().hex}", "message": "为什么我开不了花呗", "metadata": metadata})
    answer = " ".join(m.get("text", "") for m in response.json())
    assert answer and reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["title"] not in answer

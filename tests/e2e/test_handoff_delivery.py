"""An agent's message and the hand-back reach the widget once, also when retried at the same
moment (the backend's retry after a timeout, an agent clicking again, two Rasa servers), and
the agent's transcript reads as the widget's history does (channels/conversation_api.py)."""
from concurrent.futures import ThreadPoolExecutor

import requests

from tests.e2e.test_conversations import urls
from tests.e2e.test_long_conversations import agent_headers, ticket_for
from tests.helpers import WAITING_EN, Chat, app_token, http_json, reason
from tests.widget_client import Widget

WELCOME_BACK = "您好，已回到智能助手。还有什么可以帮您的吗？"


def at_once(call, times: int = 2) -> list:
    with ThreadPoolExecutor(times) as pool:
        return list(pool.map(lambda _: call(), range(times)))


def test_an_agent_message_and_the_hand_back_tried_twice_at_once_reach_the_widget_once(stack):
    rasa, backend = urls(stack)
    widget = Widget(rasa)
    try:
        conversation = widget.session()["session_id"]
        token = app_token(backend, "13800000001")
        assert "转接人工客服吗" in widget.say("你们这什么破系统，气死我了", token)
        assert "人工客服" in widget.say("/affirm", token)  # the button 好的，转人工

        headers = agent_headers(stack)
        base = f"{backend}/api/v1/agent/handoffs/{ticket_for(stack, headers, conversation)['id']}"
        http_json("POST", f"{base}/claim", {}, headers=headers)
        message = {"text": "您好，我是小王，请稍等", "message_id": "e2e-agent-message-1"}
        sent = at_once(lambda: requests.post(f"{base}/messages", json=message, headers=headers, timeout=30))
        assert [answer.status_code for answer in sent] == [201, 201]
        assert widget.replies(first_timeout=10) == [{"text": message["text"], "agent": "小王"}]

        ticket_id = base.rsplit("/", 1)[1]
        handback = f"{rasa}/webhooks/socketio/handback/{conversation}"
        body = {"request_id": f"handback-{ticket_id}", "intent": "EXTERNAL_handback"}
        tries = at_once(lambda: requests.post(
            handback, json=body, params={"token": stack.env["RASA_API_TOKEN"]}, timeout=30).json())
        assert sorted(answer["done"] for answer in tries) == ["before", "now"]
        # the backend's own hand-back of this ticket, after Rasa already did it, only closes it
        assert http_json("POST", f"{base}/handback", {}, headers=headers)["status"] == "closed"
        assert [r.get("text") for r in widget.replies(first_timeout=10)] == [WELCOME_BACK]

        transcript = http_json("GET", f"{base}/transcript", headers=headers)
        assert [(line["sender"], line["text"]) for line in transcript if line["sender"] != "bot"] == [
            ("user", "你们这什么破系统，气死我了"),
            ("user", "好的，转人工"),
            ("agent", message["text"]),
        ]
        assert transcript[-1]["text"] == WELCOME_BACK
        assert all(line["at"] for line in transcript)
        assert not any(line["text"].startswith(("/", "EXTERNAL")) for line in transcript)
    finally:
        widget.close()


def test_a_customer_waiting_for_an_agent_is_answered_until_the_agent_writes(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000010"))
    assert "human agent" in chat.text(chat.say("I want to talk to a real person"))
    assert chat.text(chat.say("hello? is anyone there")) == WAITING_EN
    assert chat.say("please hurry") == []  # the same minute: one reply for a burst

    headers = agent_headers(stack)
    base = f"{backend}/api/v1/agent/handoffs/{ticket_for(stack, headers, chat.sender)['id']}"
    http_json("POST", f"{base}/claim", {}, headers=headers)
    http_json("POST", f"{base}/messages", {"text": "Hello, this is Xiao Wang."}, headers=headers)
    assert chat.say("finally, thanks") == []  # the agent answers now, not the bot
    transcript = http_json("GET", f"{base}/transcript", headers=headers)
    assert [line["text"] for line in transcript][-5:] == [
        "hello? is anyone there", WAITING_EN, "please hurry", "Hello, this is Xiao Wang.", "finally, thanks"]


def test_a_closed_ticket_gives_the_conversation_back_to_the_bot(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))
    assert "人工客服" in chat.text(chat.say("转人工"))
    headers = agent_headers(stack)
    ticket = ticket_for(stack, headers, chat.sender)
    closed = http_json("POST", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/close", {}, headers=headers)
    assert closed["status"] == "closed"
    # the user comes back: the bot answers, nobody is left waiting for an agent
    assert reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")["title"] in chat.text(chat.say("为什么我开不了花呗"))


def test_the_transcript_route_needs_the_rasa_token_and_a_known_conversation(stack):
    rasa, _ = urls(stack)
    route = f"{rasa}/webhooks/socketio/transcript"
    assert requests.get(f"{route}/sio-none", timeout=10).status_code == 401
    assert requests.get(f"{route}/sio-none", params={"token": "wrong"}, timeout=10).status_code == 401
    unknown = requests.get(f"{route}/sio-none", params={"token": stack.env["RASA_API_TOKEN"]}, timeout=10)
    assert unknown.status_code == 404

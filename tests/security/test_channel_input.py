"""Hostile input to the two channels: oversized, malformed, forged and flooding messages are
refused with a clear answer in the user's language, reach neither NLU nor the tracker, and
leave the assistant answering everyone else."""
import json
import time
import uuid

import pytest
import socketio

from tests.helpers import Chat, app_token, http_json
from tests.security.hostile import send

HUGE_MESSAGE = "我的花呗开不了 " * 7000  # ~56,000 characters, the message that once killed Rasa


def webhook(stack) -> str:
    return f"{stack.env['RASA_URL']}/webhooks/rest/webhook"


def stored_texts(stack, sender: str) -> list:
    """Every user text Rasa stored for a conversation (read with the API token)."""
    tracker = http_json(
        "GET", f"{stack.env['RASA_URL']}/conversations/{sender}/tracker?token={stack.env['RASA_API_TOKEN']}")
    return [e.get("text") for e in tracker.get("events") or [] if e.get("event") == "user"]


def new_sender() -> str:
    return f"hostile-{uuid.uuid4().hex}"


def test_a_huge_message_is_refused_politely_and_others_are_still_answered_at_once(stack):
    sender = new_sender()
    answer = send("POST", webhook(stack), {"sender": sender, "message": HUGE_MESSAGE})
    assert answer.status == 413
    body = answer.json()
    assert body["code"] == "message_too_long" and body["max_length"] == 1000
    assert "太长" in body["message"] and answer.seconds < 2
    assert stored_texts(stack, sender) == []
    started = time.monotonic()
    assert "您好" in Chat.text(Chat(stack.env["RASA_URL"]).say("你好"))
    assert time.monotonic() - started < 3


def test_a_long_english_message_is_refused_in_english(stack):
    answer = send("POST", webhook(stack), {"sender": new_sender(), "message": "my credit pay is blocked " * 60})
    assert answer.status == 413 and "too long" in answer.json()["message"]


def test_a_message_of_exactly_the_limit_is_answered(stack):
    sender = new_sender()
    message = ("为什么我的花呗开不了" * 100)[:1000]
    answer = send("POST", webhook(stack), {"sender": sender, "message": message})
    assert answer.status == 200 and answer.json()
    assert stored_texts(stack, sender) == [message]


def test_a_body_over_the_servers_limit_is_refused_before_it_is_read(stack):
    answer = send("POST", webhook(stack), b'{"sender": "x", "message": "' + b"a" * 200_000 + b'"}',
                  headers={"Content-Type": "application/json"})
    assert answer.status == 413


@pytest.mark.parametrize("body,problem", [
    (b'[{"sender": "a", "message": "hi"}]', "JSON object"),
    (b'{"sender": "a", "message": "hi"', "JSON object"),
    (b"sender=a&message=hi", "JSON object"),
    (b'{"message": "\xe4\xbd\xa0\xe5\xa5\xbd"}', "sender"),
    (b'{"sender": "../../etc/passwd", "message": "hi"}', "sender"),
    (b'{"sender": "' + b"a" * 129 + b'", "message": "hi"}', "sender"),
    (b'{"sender": 12345, "message": "hi"}', "sender"),
    (b'{"sender": "a-sender", "message": 42}', "message must be a string"),
    (b'{"sender": "a-sender", "message": ["hi"]}', "message must be a string"),
    (b'{"sender": "a-sender", "message": "hi", "metadata": "token"}', "metadata must be an object"),
    (b'{"sender": "a-sender", "message": "hi", "metadata": {"session_token": 7}}', "session_token"),
    (b'{"sender": "a-sender", "message": "hi", "metadata": {"session_token": "' + b"t" * 600 + b'"}}',
     "session_token"),
], ids=["array", "truncated", "form-encoded", "no-sender", "path-sender", "long-sender", "number-sender",
        "number-message", "list-message", "string-metadata", "number-token", "huge-token"])
def test_malformed_requests_get_400_in_the_error_shape(stack, body, problem):
    answer = send("POST", webhook(stack), body, headers={"Content-Type": "application/json"})
    assert answer.status == 400
    assert answer.json()["code"] == "invalid_request" and problem in answer.json()["message"]


def test_no_message_joins_a_shared_default_conversation(stack):
    send("POST", webhook(stack), {"message": "我是谁的会话"})
    assert "我是谁的会话" not in stored_texts(stack, "default")


@pytest.mark.parametrize("message,expected", [("   ", "请输入"), ("", "请输入")])
def test_an_empty_message_is_refused(stack, message, expected):
    answer = send("POST", webhook(stack), {"sender": new_sender(), "message": message})
    assert answer.status == 400 and answer.json()["code"] == "message_empty"
    assert expected in answer.json()["message"]


def test_a_widget_conversation_cannot_be_used_over_rest(stack):
    answer = send("POST", webhook(stack), {"sender": "sio-" + uuid.uuid4().hex, "message": "我的账户"})
    assert answer.status == 403 and answer.json()["code"] == "widget_conversation"


def test_metadata_other_than_the_session_token_is_not_stored(stack):
    sender = new_sender()
    token = app_token(stack.env["BACKEND_URL"], "13800000010")
    answer = send("POST", webhook(stack), {"sender": sender, "message": "hello", "metadata": {
        "session_token": token, "padding": "x" * 5000, "customer_id": 1}})
    assert answer.status == 200
    tracker = http_json("GET", f"{stack.env['RASA_URL']}/conversations/{sender}/tracker"
                               f"?token={stack.env['RASA_API_TOKEN']}")
    user = next(e for e in tracker["events"] if e.get("event") == "user")
    assert "padding" not in user["metadata"] and "customer_id" not in user["metadata"]
    assert user["metadata"]["session_token"] == "[redacted]"


def test_a_client_sending_faster_than_a_person_types_is_slowed_down(stack):
    count, seconds = (int(part) for part in stack.env["MESSAGE_LIMIT_PER_CONVERSATION"].split("/"))
    sender = new_sender()
    answers = [send("POST", webhook(stack), {"sender": sender, "message": "你好"}) for _ in range(count + 2)]
    assert [a.status for a in answers[:count]] == [200] * count
    refused = answers[count]
    assert refused.status == 429 and refused.json()["code"] == "too_many_messages"
    assert 0 < refused.json()["retry_after"] <= seconds and "太快" in refused.json()["message"]
    assert len(stored_texts(stack, sender)) == count


def test_the_rasa_api_needs_its_token(stack):
    url = f"{stack.env['RASA_URL']}/conversations/{new_sender()}/tracker"
    assert send("GET", url).status == 401
    assert send("GET", url + "?token=guessed").status == 401
    assert send("POST", f"{stack.env['RASA_URL']}/model/parse", {"text": "hi"}).status == 401


def test_only_the_app_page_origin_gets_cors_answers(stack):
    app_origin = stack.env["BACKEND_URL"]
    allowed = send("OPTIONS", webhook(stack), headers={
        "Origin": app_origin, "Access-Control-Request-Method": "POST"})
    assert allowed.headers.get("access-control-allow-origin") == app_origin
    foreign = send("POST", webhook(stack), {"sender": new_sender(), "message": "hi"},
                   headers={"Origin": "https://evil.example"})
    assert foreign.headers.get("access-control-allow-origin") not in ("*", "https://evil.example")


class Widget:
    """The widget's socket.io protocol, as a hostile client speaks it."""

    def __init__(self, stack, **connect):
        self.client = socketio.Client(reconnection=False)
        self.texts, self.done = [], []
        self.client.on("bot_uttered", lambda data: self.texts.append(data.get("text")))
        self.client.on("bot_turn_done", lambda data: self.done.append(True))
        self.client.on("session_confirm", lambda data: setattr(self, "session", data))
        self.client.connect(stack.env["RASA_URL"], transports=["websocket"], **connect)
        self.client.emit("session_request", {})
        self.wait(lambda: hasattr(self, "session"))

    @staticmethod
    def wait(condition, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert condition(), "no answer in time"

    def say(self, data) -> list:
        turns = len(self.done)
        self.texts.clear()
        self.client.emit("user_uttered", data)
        self.wait(lambda: len(self.done) > turns)
        return list(self.texts)


@pytest.fixture
def widget(stack):
    opened = []

    def make(**connect) -> Widget:
        opened.append(Widget(stack, **connect))
        return opened[-1]

    yield make
    for client in opened:
        client.client.disconnect()


def test_a_huge_widget_message_gets_a_polite_answer_and_is_not_stored(stack, widget):
    client = widget()
    texts = client.say({"message": "我的花呗开不了 " * 500})
    assert len(texts) == 1 and "太长" in texts[0]
    assert stored_texts(stack, client.session["session_id"]) == []
    assert any("您好" in (t or "") for t in client.say({"message": "你好"}))


@pytest.mark.parametrize("data", [
    {"message": 42}, {"message": None}, {"message": "hi", "metadata": "{not json"},
    {"message": "hi", "metadata": {"session_token": ["a", "list"]}},
], ids=["number", "null", "bad-metadata-json", "list-token"])
def test_malformed_widget_messages_are_answered_and_not_stored(stack, widget, data):
    client = widget()
    texts = client.say(data)
    assert len(texts) == 1 and "请求格式不正确" in texts[0]
    assert stored_texts(stack, client.session["session_id"]) == []


def test_a_widget_frame_over_the_transport_limit_is_dropped_and_the_server_lives_on(stack, widget):
    big = widget()
    big.client.emit("user_uttered", {"message": "x" * 200_000})
    time.sleep(1)
    assert stored_texts(stack, big.session["session_id"]) == []
    assert any("您好" in (t or "") for t in widget().say({"message": "你好"}))


def socket_handshake(stack, origin: str):
    """The first request of a socket.io client, as a browser on that origin sends it."""
    return send("GET", f"{stack.env['RASA_URL']}/socket.io/?EIO=4&transport=polling", headers={"Origin": origin})


def test_a_page_from_another_origin_cannot_open_the_widget_socket(stack):
    answer = socket_handshake(stack, "https://evil.example")
    assert answer.status == 400 and b"not an accepted origin" in answer.body


def test_the_app_page_origin_can_open_the_widget_socket(stack):
    answer = socket_handshake(stack, stack.env["BACKEND_URL"])
    assert answer.status == 200 and b'"sid"' in answer.body


def test_widget_metadata_json_string_is_still_accepted(stack, widget):
    token = app_token(stack.env["BACKEND_URL"], "13800000010")
    texts = widget().say({"message": "what is my account status", "metadata": json.dumps({"session_token": token})})
    assert any("Your accounts" in (t or "") for t in texts)

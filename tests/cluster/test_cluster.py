"""The assistant as 2 replicas of each tier behind HAProxy: a conversation may reach any Rasa
replica at any message and nothing is lost, duplicated or processed twice at once."""
import json
import os
import signal
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from tests.helpers import WAITING_EN, Chat, app_token, http_json, latest_code, reason
from tests.widget_client import Widget


def rasa_replicas(cluster) -> list:
    return [f"http://{cluster.host}:{s.port}" for s in cluster.service_named("rasa")]


def webhook(rasa_url: str) -> str:
    return f"{rasa_url}/webhooks/rest/webhook"


def stored_events(cluster, sender: str) -> list:
    """Every row the tracker store holds for a conversation, in the order written."""
    engine = sa.create_engine(cluster.env["TRACKER_STORE_URL"])
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT type_name, data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
            ).all()
    finally:
        engine.dispose()
    return [(kind, json.loads(data)) for kind, data in rows]


def user_texts(events: list) -> list:
    return [data.get("text") for kind, data in events if kind == "user"]


def assert_each_event_stored_once(events: list) -> None:
    rows = [repr(sorted(data.items())) for _, data in events]
    assert len(rows) == len(set(rows)), "an event was stored twice"


def send_quietly(method: str, url: str, headers: dict) -> int:
    """The status of a call that may be refused (the second hand-back finds the ticket closed)."""
    try:
        http_json(method, url, {}, headers=headers)
        return 200
    except urllib.error.HTTPError as error:
        return error.code


def agent_session(cluster) -> dict:
    session = http_json("POST", f"{cluster.env['BACKEND_URL']}/api/v1/agent/login",
                        {"username": "xiaowang", "password": cluster.env["DEMO_AGENT_PASSWORD"]})
    return {"Authorization": f"Bearer {session['token']}"}


def test_the_app_page_console_and_widget_work_through_the_balancer(cluster):
    public = cluster.env["BACKEND_URL"]
    assert public == cluster.env["RASA_URL"]  # one public address for pages, API and chat
    config = urllib.request.urlopen(f"{public}/config.js", timeout=10).read().decode()
    assert public in config
    assert agent_session(cluster)["Authorization"].startswith("Bearer ")
    widget = Widget(public)
    try:
        widget.session()
        assert "您好" in widget.say("你好")
    finally:
        widget.close()


def test_a_conversation_alternating_between_replicas_keeps_its_form_slots_and_pause(cluster):
    first, second = rasa_replicas(cluster)
    backend = cluster.env["BACKEND_URL"]
    chat = Chat(first)
    assert "mobile number" in Chat.text(chat.say("I can't log in"))
    chat.url = webhook(second)
    assert "code" in Chat.text(chat.say("13800000004"))  # the form and its slot, on the other replica
    chat.url = webhook(first)
    code = latest_code(backend, "13800000004", chat.sender)
    explained = Chat.text(chat.say(code))
    assert chat.token and reason(backend, "LOCATION_MISMATCH", "en")["title"] in explained
    chat.url = webhook(second)
    assert Chat.text(chat.say("I want to talk to a human agent"))
    chat.url = webhook(first)
    # paused for the agent, on either replica: told once that the agent will read it, then silence
    assert Chat.text(chat.say("hello? anyone there?")) == WAITING_EN
    chat.url = webhook(second)
    assert chat.say("hello??") == []

    tracker = http_json("GET", f"{first}/conversations/{chat.sender}/tracker?token={cluster.env['RASA_API_TOKEN']}")
    assert tracker["paused"] is True
    assert tracker["slots"]["session_token"] == "[redacted]" and tracker["slots"]["language"] == "en"
    events = stored_events(cluster, chat.sender)
    assert user_texts(events) == [
        "I can't log in", "13800000004", code, "I want to talk to a human agent", "hello? anyone there?", "hello??"]
    assert_each_event_stored_once(events)


def test_twenty_messages_at_once_through_both_replicas_are_handled_one_at_a_time(cluster):
    replicas = rasa_replicas(cluster)
    sender = f"cluster-{uuid.uuid4().hex}"
    texts = [f"你好 {number}" for number in range(20)]

    def send(number: int) -> list:
        return http_json("POST", webhook(replicas[number % 2]), {"sender": sender, "message": texts[number]})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(send, range(20)))
    assert all(answers), "every message was answered"

    events = stored_events(cluster, sender)
    assert sorted(user_texts(events)) == sorted(texts)  # none lost, none twice
    assert_each_event_stored_once(events)
    turns, current = [], None
    for kind, data in events:
        if kind == "user":
            current = [data]
            turns.append(current)
        elif current is not None:
            current.append(data)
    for turn, following in zip(turns, turns[1:]):
        assert turn[-1].get("name") == "action_listen", "a turn was cut by another"
        assert turn[-1]["timestamp"] <= following[0]["timestamp"], "two turns of one conversation overlapped"


def test_agent_messages_and_the_hand_back_reach_a_widget_on_another_replica_once(cluster):
    first, second = rasa_replicas(cluster)
    backend = cluster.env["BACKEND_URL"]
    widget = Widget(second)  # its socket lives on replica 2; the backend's calls go through the balancer
    try:
        conversation = widget.session()["session_id"]
        token = app_token(backend, "13800000001")
        assert widget.say("我要转人工", token=token)
        headers = agent_session(cluster)
        ticket = next(t for t in http_json("GET", f"{backend}/api/v1/agent/handoffs", headers=headers)
                      if t["conversation_id"] == conversation)
        http_json("POST", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/claim", {}, headers=headers)
        sent = [f"您好，我是客服小王，第{number}条消息" for number in range(4)]  # round robin: both replicas
        for text in sent:
            http_json("POST", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/messages", {"text": text},
                      headers=headers)
        received = [m.get("text") for m in widget.replies(first_timeout=5)]
        assert received == sent, "each agent message arrives live, once, in order"

        # the console's retry of one message, and a double click on hand-back, each reach
        # both backends and both Rasa replicas at the same moment: the customer sees each once
        retried = {"text": "请稍等，我查一下", "message_id": f"retry-{uuid.uuid4().hex}"}
        handoff = f"{backend}/api/v1/agent/handoffs/{ticket['id']}"
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda _: http_json("POST", f"{handoff}/messages", retried, headers=headers), range(2)))
        assert [m.get("text") for m in widget.replies(first_timeout=5)] == [retried["text"]]
        with ThreadPoolExecutor(max_workers=2) as pool:
            outcomes = list(pool.map(lambda _: send_quietly("POST", f"{handoff}/handback", headers), range(2)))
        assert 200 in outcomes
        back = widget.replies(first_timeout=5)
        assert len(back) == 1 and back[0].get("text")
    finally:
        widget.close()
    assert_each_event_stored_once(stored_events(cluster, conversation))


def test_zz_a_rasa_replica_killed_mid_conversation_leaves_the_survivor_to_go_on(cluster):
    """Runs last (by name): the killed replica is reloading its model for a minute after."""
    public, backend = cluster.env["RASA_URL"], cluster.env["BACKEND_URL"]
    chat = Chat(public)
    chat.say("I can't log in")
    assert "code" in Chat.text(chat.say("13800000004"))
    victim = cluster.service_named("rasa")[0]
    os.killpg(cluster.pid(victim), signal.SIGKILL)
    time.sleep(0.5)
    code = latest_code(backend, "13800000004", chat.sender)
    explained = Chat.text(chat.say(code))  # through the balancer, to the survivor
    assert chat.token and reason(backend, "LOCATION_MISMATCH", "en")["title"] in explained
    assert "Your accounts" in Chat.text(chat.say("what is my account status"))
    events = stored_events(cluster, chat.sender)
    assert user_texts(events) == ["I can't log in", "13800000004", code, "what is my account status"]
    assert_each_event_stored_once(events)

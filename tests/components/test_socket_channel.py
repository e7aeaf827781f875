"""The widget's socket.io channel and the backend's routes on it (channels/secure_socketio.py,
channels/conversation_api.py): two Rasa servers stand here as two Sanic apps in one process,
each with its own channel, tracker store and lock store, sharing one SQLite tracker database
and this machine's Redis (lock store and socket.io message queue)."""
import asyncio
import uuid

import aiohttp
import pytest
import redis
import socketio
from rasa.core.agent import Agent
from rasa.core.channels.channel import register
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Sanic

from channels.conversation_api import chat_lines
from channels.secure_socketio import SecureSocketIOInput
from components.lock_store import AtomicRedisLockStore
from tests.components.replicas import REDIS_HOST, SanicReplica, require_redis

TOKEN = "test-rasa-api-token"


def test_one_rule_for_chat_lines_no_button_payloads_or_triggered_intents():
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1764300000.0},
        {"event": "user", "text": "转人工", "timestamp": 1764300001.0},
        {"event": "bot", "text": "确认转人工吗？", "timestamp": 1764300002.0,
         "data": {"buttons": [{"title": "是的", "payload": "/affirm"}]}},
        {"event": "user", "text": "/affirm", "timestamp": 1764300003.0},
        {"event": "user", "text": "/materials_uploaded", "timestamp": 1764300004.0},
        {"event": "bot", "text": "您好，我是小王", "timestamp": 1764300005.0,
         "metadata": {"agent": "小王", "request_id": "m1"}},
        {"event": "resume", "timestamp": 1764300006.0, "metadata": {"request_id": "handback-1"}},
        {"event": "user", "text": "EXTERNAL: EXTERNAL_handback", "timestamp": 1764300006.5},
        {"event": "bot", "text": "欢迎回来", "timestamp": 1764300007.0},
    ]
    assert chat_lines(events) == [
        {"sender": "user", "text": "转人工", "at": "2025-11-28T03:20:01+00:00"},
        {"sender": "bot", "text": "确认转人工吗？", "at": "2025-11-28T03:20:02+00:00",
         "quick_replies": [{"title": "是的", "payload": "/affirm"}]},
        {"sender": "user", "text": "是的", "at": "2025-11-28T03:20:03+00:00"},
        {"sender": "agent", "agent": "小王", "text": "您好，我是小王", "at": "2025-11-28T03:20:05+00:00"},
        {"sender": "bot", "text": "欢迎回来", "at": "2025-11-28T03:20:07+00:00"},
    ]


def test_a_setting_the_channel_does_not_act_on_is_refused():
    assert SecureSocketIOInput.from_credentials({"session_persistence": False}).session_persistence is False
    with pytest.raises(ValueError, match="jwt_key"):
        SecureSocketIOInput.from_credentials({"jwt_key": "secret"})


@pytest.fixture
def message_queue(monkeypatch):
    require_redis()
    monkeypatch.setenv("SOCKET_MESSAGE_QUEUE_URL", f"redis://{REDIS_HOST}:6379/2")
    monkeypatch.setenv("RASA_API_TOKEN", TOKEN)
    monkeypatch.setenv("SOCKET_SECRET", "test-socket-secret")
    monkeypatch.setenv("ALLOWED_ORIGINS", "*")
    monkeypatch.setattr(Sanic, "test_mode", True)  # lets several apps start in one process


class Replica(SanicReplica):
    """One Rasa server: a Sanic app with the channel, a tracker store and a lock store."""

    def __init__(self, database: str, lock_prefix: str, channel: SecureSocketIOInput = None) -> None:
        super().__init__("replica")
        domain = Domain.empty()
        self.app.ctx.agent = Agent(
            domain=domain,
            tracker_store=SQLTrackerStore(domain, dialect="sqlite", db=database),
            lock_store=AtomicRedisLockStore(host=REDIS_HOST, db=1, key_prefix=lock_prefix),
        )
        register([channel or SecureSocketIOInput()], self.app, route="/webhooks/")



async def widget(url: str, **session) -> tuple:
    """A socket connected to ``url`` in a conversation (a new one unless ``session`` names
    one), the confirmed session and what the socket receives."""
    client, received = socketio.AsyncClient(), []
    confirmed = asyncio.get_running_loop().create_future()
    client.on("bot_uttered", received.append)
    client.on("session_history", lambda lines: received.append({"history": lines}))
    client.on("session_confirm", confirmed.set_result)
    await client.connect(url, transports=["websocket"])
    await client.emit("session_request", session)
    return client, await asyncio.wait_for(confirmed, 10), received


def test_an_agent_message_tried_on_two_servers_at_once_reaches_the_widget_on_a_third_once(
    message_queue, tmp_path
):
    async def scenario():
        replicas = [Replica(str(tmp_path / "tracker.db"), f"test{uuid.uuid4().hex}") for _ in range(3)]
        for replica in replicas:
            await replica.start()
        client, session, received = await widget(replicas[0].url)
        conversation = session["session_id"]
        store = replicas[0].app.ctx.agent.tracker_store
        tracker = DialogueStateTracker(conversation, [])
        for event in (ActionExecuted("action_listen"), UserUttered("转人工")):
            tracker.update(event)
        await store.save(tracker)
        body = {"request_id": "m-1", "text": "您好，我是小王", "metadata": {"agent": "小王"}}
        try:
            async with aiohttp.ClientSession() as http:

                async def post(replica, path, json=None, token=TOKEN):
                    async with http.post(f"{replica.url}/webhooks/socketio/{path}",
                                         params={"token": token}, json=json) as answer:
                        return answer.status, await answer.json()

                tries = await asyncio.gather(*(post(r, f"messages/{conversation}", body) for r in replicas[1:]))
                await asyncio.sleep(1)  # what a second delivery would need to arrive
                async with http.get(f"{replicas[2].url}/webhooks/socketio/transcript/{conversation}",
                                    params={"token": TOKEN}) as answer:
                    transcript = await answer.json()
                returning, _, resumed = await widget(replicas[1].url, **session)
                await asyncio.sleep(0.5)
                await returning.disconnect()
                refused = [
                    await post(replicas[1], f"messages/{conversation}", body, token="wrong"),
                    await post(replicas[1], f"messages/{conversation}", {"text": "no id"}),
                    await post(replicas[1], "messages/sio-unknown", body),
                ]
        finally:
            await client.disconnect()
            for replica in replicas:
                await replica.stop()
        return tries, received, transcript, resumed, refused

    tries, received, transcript, resumed, refused = asyncio.run(scenario())
    assert sorted(status for status, _ in tries) == [200, 200]
    assert sorted(answer["done"] for _, answer in tries) == ["before", "now"]
    assert received == [{"text": "您好，我是小王", "agent": "小王"}]
    assert [(line["sender"], line["text"]) for line in transcript] == [
        ("user", "转人工"), ("agent", "您好，我是小王")
    ]
    assert resumed == [{"history": transcript}]  # the widget's history: the same lines, any server
    assert [status for status, _ in refused] == [401, 400, 404]


def test_a_server_listens_to_the_message_queue_before_its_first_widget_connects(message_queue, tmp_path):
    """What is emitted before the subscription is lost (a first widget's session_confirm)."""
    queue = redis.StrictRedis(host=REDIS_HOST, db=2)

    def listeners() -> int:
        return dict(queue.pubsub_numsub("socketio"))[b"socketio"]

    async def scenario():
        replica = Replica(str(tmp_path / "tracker.db"), f"test{uuid.uuid4().hex}")
        before = listeners()
        await replica.start()
        try:
            return before, listeners()
        finally:
            await replica.stop()

    before, after = asyncio.run(scenario())
    assert after == before + 1


def test_without_session_persistence_a_conversation_is_never_resumed(message_queue, tmp_path):
    async def scenario():
        channel = SecureSocketIOInput.from_credentials({"session_persistence": False})
        replica = Replica(str(tmp_path / "tracker.db"), f"test{uuid.uuid4().hex}", channel)
        await replica.start()
        try:
            first, session, _ = await widget(replica.url)
            second, again, received = await widget(replica.url, **session)
            await asyncio.sleep(0.5)
            await first.disconnect()
            await second.disconnect()
        finally:
            await replica.stop()
        return session, again, received

    session, again, received = asyncio.run(scenario())
    assert again["session_id"] != session["session_id"] and received == []

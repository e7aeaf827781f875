"""The channels' message limits (channels/guard.py MessageLimits): in each process's memory
without ``MESSAGE_LIMIT_STORAGE_URL``, shared through this machine's real Redis with it (two
MessageLimits, or two Sanic apps with the channels, stand for two Rasa replicas), and still
answering when that Redis is down."""
import asyncio
import logging
import uuid

import aiohttp
import pytest
import redis
import socketio
from sanic import Sanic

from channels.guard import MessageLimits, Refusal
from channels.secure_socketio import RestInputWithoutSocketSessions, SecureSocketIOInput
from tests.components.replicas import REDIS_HOST, SanicReplica, require_redis

REDIS_URL = f"redis://{REDIS_HOST}:6379/0"
DOWN_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def limits_env(monkeypatch):
    """Small limits, and a key prefix of this test's own (as CLUSTER_NAME gives each cluster)."""
    monkeypatch.setenv("MESSAGE_LIMIT_PER_CONVERSATION", "3/60")
    monkeypatch.setenv("MESSAGE_LIMIT_PER_ADDRESS", "5/60")
    monkeypatch.delenv("MESSAGE_LIMIT_STORAGE_URL", raising=False)
    prefix = f"test{uuid.uuid4().hex}"
    monkeypatch.setenv("CLUSTER_NAME", prefix)
    return prefix


@pytest.fixture
def shared_redis(limits_env, monkeypatch):
    require_redis()
    monkeypatch.setenv("MESSAGE_LIMIT_STORAGE_URL", REDIS_URL)
    client = redis.StrictRedis.from_url(REDIS_URL)
    yield client
    for key in client.scan_iter(f"{limits_env}:*"):
        client.delete(key)


async def outcomes(limits, messages):
    """For each (replica, conversation, address): None when passed, else the seconds to wait."""
    results = []
    for replica, conversation, address in messages:
        try:
            await limits[replica].check(conversation, address, "你好")
            results.append(None)
        except Refusal as refusal:
            assert (refusal.status, refusal.code) == (429, "too_many_messages")
            results.append(refusal.params["retry_after"])
    return results


def test_without_a_storage_url_each_replica_counts_alone(limits_env):
    replicas = [MessageLimits(), MessageLimits()]
    assert replicas[0].shared is None
    messages = [(n % 2, "conversation-1", "10.0.0.1") for n in range(6)] + [(0, "conversation-1", "10.0.0.1")]
    results = asyncio.run(outcomes(replicas, messages))
    assert results[:6] == [None] * 6  # 3 on each replica
    assert 59 <= results[6] <= 60


def test_two_replicas_sharing_redis_refuse_the_message_after_the_limit(shared_redis, limits_env):
    replicas = [MessageLimits(), MessageLimits()]
    assert replicas[0].shared is not None
    alternating = [(n % 2, "conversation-1", "10.0.0.1") for n in range(5)]
    results = asyncio.run(outcomes(replicas, alternating))
    assert results[:3] == [None] * 3
    assert all(59 <= wait <= 60 for wait in results[3:])  # the 4th and 5th, on either replica
    # refused tries counted too: 5 hits of 10.0.0.1, its limit; another conversation from it
    # is refused, one from elsewhere is not
    other = asyncio.run(outcomes(replicas, [(1, "conversation-2", "10.0.0.1"), (0, "conversation-3", "10.0.0.2")]))
    assert other[0] is not None and other[1] is None
    key = f"{limits_env}:message_limit:conversation:conversation-1"
    assert shared_redis.zcard(key) == 3  # only the latest `limit` hits are kept
    assert 0 < shared_redis.pttl(key) <= 60_000  # and the key expires


def test_the_shared_window_slides(shared_redis, monkeypatch):
    monkeypatch.setenv("MESSAGE_LIMIT_PER_CONVERSATION", "2/1")
    replicas = [MessageLimits(), MessageLimits()]

    async def scenario():
        first = await outcomes(replicas, [(0, "c", None), (1, "c", None), (0, "c", None)])
        await asyncio.sleep(1.1)
        return first, await outcomes(replicas, [(1, "c", None), (0, "c", None), (1, "c", None)])

    first, later = asyncio.run(scenario())
    assert first == [None, None, 1]
    assert later == [None, None, 1]


def test_when_redis_is_down_every_message_is_still_answered_from_memory(limits_env, monkeypatch, caplog):
    monkeypatch.setenv("MESSAGE_LIMIT_STORAGE_URL", DOWN_URL)
    monkeypatch.setattr(MessageLimits, "RETRY_AFTER", 0)  # try Redis on every message
    limits = MessageLimits()

    async def scenario():
        started = asyncio.get_running_loop().time()
        results = await outcomes([limits], [(0, "conversation-1", "10.0.0.1")] * 4)
        return results, asyncio.get_running_loop().time() - started

    with caplog.at_level(logging.WARNING, logger="channels.guard"):
        results, took = asyncio.run(scenario())
    assert results[:3] == [None] * 3 and results[3] is not None  # this process's window
    assert took < 2
    warnings = [r for r in caplog.records if r.name == "channels.guard" and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "MESSAGE_LIMIT_STORAGE_URL" in warnings[0].getMessage()


def test_after_a_failure_redis_is_left_alone_for_a_few_seconds(limits_env, monkeypatch):
    """A Redis that hangs would otherwise add its timeout to every message."""
    monkeypatch.setenv("MESSAGE_LIMIT_STORAGE_URL", DOWN_URL)
    limits, tries = MessageLimits(), []

    async def failing_hit(windows):
        tries.append(windows)
        raise redis.exceptions.TimeoutError("Timeout reading from socket")

    monkeypatch.setattr(limits.shared, "hit", failing_hit)
    results = asyncio.run(outcomes([limits], [(0, "c", None)] * 4))
    assert results[:3] == [None] * 3 and results[3] is not None
    assert len(tries) == 1  # RETRY_AFTER (5 s) had not passed for the others


def test_redis_coming_back_is_used_again(shared_redis, limits_env, monkeypatch):
    monkeypatch.setattr(MessageLimits, "RETRY_AFTER", 0)
    replicas = [MessageLimits(), MessageLimits()]
    healthy = replicas[0].shared.url
    replicas[0].shared.url = DOWN_URL

    async def scenario():
        during = await outcomes(replicas, [(0, "c", None)] * 2)  # in replica 0's memory
        replicas[0].shared.url, replicas[0].shared._client = healthy, None
        return during, await outcomes(replicas, [(0, "c", None), (1, "c", None), (1, "c", None), (0, "c", None)])

    during, after = asyncio.run(scenario())
    assert during == [None, None]
    assert after[:3] == [None] * 3 and after[3] is not None


# --- through the channels, two Sanic apps for two Rasa replicas ------------------------------


class Replica(SanicReplica):
    """One Rasa server's channels (REST and widget), answering every message they pass on."""

    def __init__(self) -> None:
        super().__init__("limits")
        self.app.ctx.agent = None
        self.passed = []

        async def on_new_message(message):
            self.passed.append(message.text)
            await message.output_channel.send_text_message(message.sender_id, "answered")

        for channel in (RestInputWithoutSocketSessions(), SecureSocketIOInput()):
            self.app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.name()}")



@pytest.fixture
def sanic_replicas(shared_redis, monkeypatch):
    monkeypatch.setenv("SOCKET_SECRET", "test-socket-secret")
    monkeypatch.setenv("ALLOWED_ORIGINS", "*")
    monkeypatch.delenv("SOCKET_MESSAGE_QUEUE_URL", raising=False)
    monkeypatch.setattr(Sanic, "test_mode", True)  # lets several apps start in one process


def test_the_rest_channel_on_two_replicas_refuses_the_fourth_message_of_a_conversation(sanic_replicas):
    async def scenario():
        replicas = [Replica(), Replica()]
        for replica in replicas:
            await replica.start()
        answers = []
        try:
            async with aiohttp.ClientSession() as http:
                for number in range(4):
                    url = f"{replicas[number % 2].url}/webhooks/rest/webhook"
                    async with http.post(url, json={"sender": "user-1", "message": f"你好 {number}"}) as answer:
                        answers.append((answer.status, await answer.json()))
        finally:
            for replica in replicas:
                await replica.stop()
        return answers, [replica.passed for replica in replicas]

    answers, passed = asyncio.run(scenario())
    assert [status for status, _ in answers] == [200, 200, 200, 429]
    assert answers[3][1]["code"] == "too_many_messages" and 1 <= answers[3][1]["retry_after"] <= 60
    assert passed == [["你好 0", "你好 2"], ["你好 1"]]


def test_widgets_on_two_replicas_share_their_addresss_limit(sanic_replicas):
    """Per address 5/60: three messages through one replica's socket, three through the
    other's (both from 127.0.0.1): the sixth is refused with a bot line."""

    async def send(url, count):
        client, received = socketio.AsyncClient(), []
        done = asyncio.Queue()
        confirmed = asyncio.get_running_loop().create_future()
        client.on("bot_uttered", lambda data: received.append(data["text"]))
        client.on("bot_turn_done", lambda _: done.put_nowait(True))
        client.on("session_confirm", confirmed.set_result)
        await client.connect(url, transports=["websocket"])
        await client.emit("session_request", {})
        await asyncio.wait_for(confirmed, 10)
        for number in range(count):
            await client.emit("user_uttered", {"message": f"hello {number}"})
            await asyncio.wait_for(done.get(), 10)
        await client.disconnect()
        return received

    async def scenario():
        replicas = [Replica(), Replica()]
        for replica in replicas:
            await replica.start()
        try:
            return [await send(replicas[0].url, 3), await send(replicas[1].url, 3)]
        finally:
            for replica in replicas:
                await replica.stop()

    first, second = asyncio.run(scenario())
    assert first == ["answered"] * 3
    assert second[:2] == ["answered"] * 2
    assert second[2].startswith("You are sending messages too quickly")

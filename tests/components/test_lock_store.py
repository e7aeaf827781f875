"""The atomic Redis lock store, against the real Redis of this machine (several stores
stand for several Rasa servers)."""
import asyncio
import threading
import time
import uuid

import pytest
from rasa.core.lock_store import LockStore
from rasa.utils.endpoints import EndpointConfig

from components.lock_store import AtomicRedisLockStore
from tests.components.replicas import REDIS_HOST, require_redis



@pytest.fixture(scope="module", autouse=True)
def redis_available():
    require_redis()


@pytest.fixture
def servers():
    """Three lock stores on one Redis, as three Rasa servers would have them."""
    prefix = f"test{uuid.uuid4().hex}"
    stores = [AtomicRedisLockStore(host=REDIS_HOST, db=1, key_prefix=prefix) for _ in range(3)]
    yield stores
    for key in stores[0].red.scan_iter(f"{prefix}:*"):
        stores[0].red.delete(key)


def test_tickets_issued_at_the_same_moment_by_several_servers_are_all_different(servers):
    numbers, start = [], threading.Barrier(6)

    def issue(store):
        start.wait()
        for _ in range(40):
            numbers.append(store.issue_ticket("conversation-1"))

    threads = [threading.Thread(target=issue, args=(servers[i % 3],)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 241))


def test_one_message_of_a_conversation_at_a_time_across_servers(servers):
    """Forty messages of one conversation, spread over three servers: each turn reads the
    state, waits, writes it back; with the lock no turn is lost."""
    state = {"turns": 0, "inside": 0, "most_inside": 0}

    async def turn(store):
        async with store.lock("conversation-2", wait_time_in_seconds=0.005):
            state["inside"] += 1
            state["most_inside"] = max(state["most_inside"], state["inside"])
            seen = state["turns"]
            await asyncio.sleep(0.002)
            state["turns"] = seen + 1
            state["inside"] -= 1

    async def all_turns():
        await asyncio.gather(*(turn(servers[n % 3]) for n in range(40)))

    asyncio.run(all_turns())
    assert state == {"turns": 40, "inside": 0, "most_inside": 1}
    assert servers[0].get_lock("conversation-2") is None  # cleaned up


def test_the_ticket_of_a_crashed_server_expires_and_the_next_is_served(servers):
    crashed, alive = servers[0], servers[1]
    crashed.issue_ticket("conversation-3", lock_lifetime=0.5)  # never finished

    async def next_turn():
        started = time.monotonic()
        async with alive.lock("conversation-3", wait_time_in_seconds=0.05):
            return time.monotonic() - started

    waited = asyncio.run(next_turn())
    assert 0.3 < waited < 3


def test_removing_an_empty_lock_never_removes_a_ticket_issued_meanwhile(servers):
    first, second = servers[0], servers[1]
    mine = first.issue_ticket("conversation-4")
    first.finish_serving("conversation-4", mine)
    theirs = second.issue_ticket("conversation-4")  # between "no one waiting" and "delete"
    first.delete_lock("conversation-4")
    lock = second.get_lock("conversation-4")
    assert lock is not None and lock.now_serving == theirs and not lock.is_locked(theirs)


def test_rasa_creates_it_from_the_endpoints_file():
    store = LockStore.create(EndpointConfig(
        url=REDIS_HOST, type="components.lock_store.AtomicRedisLockStore", port=6379, db=1))
    assert isinstance(store, AtomicRedisLockStore)
    number = store.issue_ticket(f"conversation-{uuid.uuid4().hex}", lock_lifetime=1)
    assert number == 1

"""What the component tests of shared state need: the machine's Redis, and Sanic apps that
stand for Rasa replicas in one process."""
import os

import pytest
import redis
from sanic import Sanic

from scripts.stack import free_port

REDIS_HOST = os.environ.get("REDIS_TEST_HOST", "127.0.0.1")


def require_redis() -> None:
    """Skips the test without Redis; a failure instead when REQUIRE_REDIS=1 (CI)."""
    try:
        redis.StrictRedis(host=REDIS_HOST, socket_timeout=2).ping()
    except redis.exceptions.RedisError as error:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis not reachable at {REDIS_HOST} (REQUIRE_REDIS=1): {error}")
        pytest.skip(f"Redis not reachable at {REDIS_HOST}: {error}")


class SanicReplica:
    """A Sanic app on a free port of its own, started and stopped inside the test's loop
    (needs ``Sanic.test_mode`` so that several apps start in one process)."""

    def __init__(self, name: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = Sanic(f"{name}{self.port}")

    async def start(self) -> None:
        self.server = await self.app.create_server(
            host="127.0.0.1", port=self.port, return_asyncio_server=True, access_log=False
        )
        await self.server.startup()
        await self.server.after_start()

    async def stop(self) -> None:
        await self.server.before_stop()
        self.server.close()
        await self.server.wait_closed()

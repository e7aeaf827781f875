"""Every rate limit of the backend, on the maintained `limits` library (moving window).

The counters live in RATE_LIMIT_STORAGE_URL: `memory://` when one backend process serves
(`make run`), `redis://host:6379/0` when several must share them. A refused try is not
counted, so a caller who keeps hammering is let in again as soon as the window has room.
"""

import logging
import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from limits import RateLimitItem, parse_many
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.core.config import Settings
from app.core.db import utcnow
from app.errors import ApiError

log = logging.getLogger(__name__)


class Limit:
    """A named rule such as "5/10 minutes;20/day", applied separately to each key."""

    def __init__(self, name: str, spec: str) -> None:
        self.name = name
        self.items: list[RateLimitItem] = parse_many(spec)


class Throttle:
    def __init__(self, settings: Settings) -> None:
        storage = storage_from_string(
            settings.rate_limit_storage_url,
            key_prefix=settings.rate_limit_key_prefix,
            wrap_exceptions=True,
        )
        self.storage = storage
        self.limiter = MovingWindowRateLimiter(storage)
        self.otp_send_per_phone = Limit("otp-send-phone", settings.otp_send_limit_per_phone)
        self.otp_send_per_conversation = Limit(
            "otp-send-conversation", settings.otp_send_limit_per_conversation
        )
        self.login_failures = Limit("login-fail-user-address", settings.agent_login_limit_per_user_address)
        self.login_attempts = Limit("login-address", settings.agent_login_limit_per_address)

    def wait_seconds(self, checks: list[tuple[Limit, tuple[str, ...]]]) -> int:
        """Seconds until every (limit, key) has room for one more use; 0 when all have now."""
        wait = 0.0
        with _storage_errors():
            for limit, key in checks:
                for item in limit.items:
                    stats = self.limiter.get_window_stats(item, limit.name, *key)
                    if stats.remaining <= 0:
                        wait = max(wait, stats.reset_time - time.time())
        return math.ceil(wait) if wait > 0 else 0

    def check(self, checks: list[tuple[Limit, tuple[str, ...]]], code: str) -> None:
        """Refuses with 429 `code` when any of them is full; counts nothing."""
        wait = self.wait_seconds(checks)
        if wait:
            raise limited(code, wait)

    def hit(self, checks: list[tuple[Limit, tuple[str, ...]]], code: str) -> None:
        """One use against each, or a 429 `code` and (barring a race with another request) none."""
        self.check(checks, code)
        with _storage_errors():
            for limit, key in checks:
                for item in limit.items:
                    if not self.limiter.hit(item, limit.name, *key):
                        raise limited(code, max(1, self.wait_seconds(checks)))

    def count(self, limit: Limit, key: tuple[str, ...]) -> None:
        """Records a use (e.g. a failed login) without refusing anything now."""
        with _storage_errors():
            for item in limit.items:
                self.limiter.hit(item, limit.name, *key)

    def clear(self, limit: Limit, key: tuple[str, ...]) -> None:
        with _storage_errors():
            for item in limit.items:
                self.limiter.clear(item, limit.name, *key)

    def reset(self) -> None:
        """Forgets every counter under this prefix (tests start from zero)."""
        self.storage.reset()


def limited(code: str, retry_after: int) -> ApiError:
    retry_at = (utcnow() + timedelta(seconds=retry_after)).isoformat(timespec="seconds")
    return ApiError(
        429,
        code,
        params={"minutes": math.ceil(retry_after / 60)},
        extra={"retry_after": retry_after, "retry_at": retry_at},
        headers={"Retry-After": str(retry_after)},
    )


@contextmanager
def _storage_errors() -> Iterator[None]:
    """Without its counters the backend cannot tell a flood from a user: refuse, clearly (503)."""
    try:
        yield
    except StorageError as error:
        log.error("rate limit storage failed: %s", error.storage_error)
        raise ApiError(503, "rate_limit_unavailable") from None

"""The rate limits on both storages: memory:// (one backend) and Redis (several backends).

Redis tests skip when no server answers at REDIS_TEST_URL (default redis://127.0.0.1:6379/0),
and fail instead when REQUIRE_REDIS=1. Each run uses a key prefix of its own."""

import os
import uuid

import pytest
import redis

from app.core.config import Settings
from app.errors import ApiError
from app.main import create_app
from app.services.throttle import Throttle
from tests.conftest import PHONES, local_client, make_settings, service_headers

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/0")
RUN_PREFIX = f"backend-test-{uuid.uuid4().hex[:12]}"


def require_redis() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis not reachable at {REDIS_URL}: {exc}"
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(reason + " (REQUIRE_REDIS=1)")
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture(params=["memory", "redis"])
def storage_url(request):
    return "memory://" if request.param == "memory" else require_redis()


@pytest.fixture
def settings(storage_url, tmp_path):
    """Settings of a backend whose counters live in that storage, under this test's own prefix."""
    made = Settings(
        data_dir=tmp_path,
        rate_limit_storage_url=storage_url,
        rate_limit_key_prefix=f"{RUN_PREFIX}-{uuid.uuid4().hex[:8]}",
        otp_send_limit_per_phone="2/minute;3/hour",
        otp_send_limit_per_conversation="10/minute",
    )
    yield made
    Throttle(made).reset()


def send(throttle: Throttle, phone: str, conversation: str) -> None:
    throttle.hit(
        [(throttle.otp_send_per_phone, (phone,)), (throttle.otp_send_per_conversation, (conversation,))],
        "otp_send_limited",
    )


def test_each_rule_of_a_limit_counts_and_a_refusal_says_how_long(settings):
    throttle = Throttle(settings)
    send(throttle, "13800000001", "c1")
    send(throttle, "13800000001", "c2")
    with pytest.raises(ApiError) as refused:
        send(throttle, "13800000001", "c3")
    assert refused.value.status == 429 and refused.value.code == "otp_send_limited"
    assert 55 <= refused.value.extra["retry_after"] <= 60
    assert refused.value.headers == {"Retry-After": str(refused.value.extra["retry_after"])}
    send(throttle, "13800000002", "c3")  # another number is not affected, nor conversation c3


def test_a_refused_use_is_not_counted(settings):
    throttle = Throttle(settings)
    send(throttle, "13800000001", "c1")
    for conversation in ("c1", "c2"):
        throttle.check([(throttle.otp_send_per_conversation, (conversation,))], "otp_send_limited")
    send(throttle, "13800000001", "c1")
    for _ in range(3):
        with pytest.raises(ApiError):
            send(throttle, "13800000001", "c2")
    # c2 was refused three times but used nothing: 9 more sends there fit in its 10/minute.
    for i in range(9):
        send(throttle, f"1380000010{i}", "c2")


def test_counting_and_clearing(settings):
    throttle = Throttle(settings)
    key = ("203.0.113.7", "xiaowang")
    for _ in range(5):
        throttle.count(throttle.login_failures, key)
    with pytest.raises(ApiError) as refused:
        throttle.check([(throttle.login_failures, key)], "login_throttled")
    assert refused.value.code == "login_throttled" and 895 <= refused.value.extra["retry_after"] <= 900
    throttle.clear(throttle.login_failures, key)
    throttle.check([(throttle.login_failures, key)], "login_throttled")


def test_two_backends_share_the_limits_through_redis(database_url, tmp_path, fake_rasa, client):
    """The reason for Redis: sends spread over several backend processes still count together."""
    url = require_redis()
    prefix = f"{RUN_PREFIX}-shared"
    backends = []
    for i in range(2):
        settings = make_settings(database_url, tmp_path / f"b{i}", fake_rasa.url)
        settings.rate_limit_storage_url, settings.rate_limit_key_prefix = url, prefix
        backends.append(create_app(settings))
    try:
        with local_client(backends[0]) as first, local_client(backends[1]) as second:
            statuses = [
                (first if i % 2 else second)
                .post(
                    "/api/v1/identity/otp/send",
                    json={"phone": PHONES["emily"], "conversation_id": f"conv-{i}"},
                    headers=service_headers(),
                )
                .status_code
                for i in range(6)
            ]
        assert statuses == [202] * 5 + [429]
    finally:
        backends[0].state.throttle.reset()


def test_an_unreachable_limit_store_refuses_clearly(tmp_path):
    throttle = Throttle(Settings(data_dir=tmp_path, rate_limit_storage_url="redis://127.0.0.1:9/0"))
    with pytest.raises(ApiError) as refused:
        send(throttle, "13800000001", "c1")
    assert (refused.value.status, refused.value.code) == (503, "rate_limit_unavailable")


def test_a_malformed_limit_is_refused_at_startup(tmp_path):
    with pytest.raises(ValueError, match="rate limit"):
        Throttle(Settings(data_dir=tmp_path, otp_send_limit_per_phone="five a minute"))

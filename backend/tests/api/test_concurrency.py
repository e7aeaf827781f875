"""Retries racing each other against a real uvicorn server never file an appeal twice."""

import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from sqlalchemy import func, select

from app.main import create_app
from app.models import Appeal, HandoffTicket, OtpCode
from tests.conftest import PHONES, SERVICE_TOKEN

RACERS = 8


@pytest.fixture
def live_url(client, app_settings):
    """A second app on the same database, served by uvicorn in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(app_settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/api/v1"
    server.should_exit = True
    thread.join(timeout=10)


def race(fn):
    barrier = threading.Barrier(RACERS)

    def run(i):
        barrier.wait()
        return fn(i)

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(run, range(RACERS)))


def token_for(url, who):
    return httpx.post(f"{url}/demo/app-session", json={"phone": PHONES[who]}).json()["token"]


def test_concurrent_retries_with_one_key_file_one_appeal(live_url, db):
    headers = {
        "Authorization": f"Bearer {token_for(live_url, 'li_si')}",
        "Idempotency-Key": str(uuid.uuid4()),
    }
    body = {"product": "jiebei", "statement": "在职 8 个月，收入稳定"}
    responses = race(lambda i: httpx.post(f"{live_url}/me/appeals", json=body, headers=headers, timeout=60))

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (RACERS - 1) + [201], [r.text for r in responses]
    assert len({r.json()["number"] for r in responses}) == 1
    count = (
        select(func.count())
        .select_from(Appeal)
        .where(Appeal.product_code == "jiebei", Appeal.status == "submitted")
    )
    assert db.scalar(count) == 1


def test_concurrent_appeals_with_different_keys_leave_one_open(live_url, db):
    token = token_for(live_url, "li_si")
    body = {"product": "jiebei", "statement": "在职 8 个月，收入稳定"}
    responses = race(
        lambda i: httpx.post(
            f"{live_url}/me/appeals",
            json=body,
            headers={"Authorization": f"Bearer {token}", "Idempotency-Key": f"key-{i}"},
            timeout=60,
        )
    )
    assert sorted(r.status_code for r in responses) == [201] + [409] * (RACERS - 1), [
        r.text for r in responses
    ]
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"appeal_already_open"}


def test_concurrent_handoffs_of_one_conversation_make_one_ticket(live_url, db):
    responses = race(
        lambda i: httpx.post(
            f"{live_url}/handoffs",
            json={"conversation_id": "raced", "summary": f"try {i}"},
            headers={"X-Service-Token": SERVICE_TOKEN},
            timeout=60,
        )
    )
    assert sorted(r.status_code for r in responses) == [200] * (RACERS - 1) + [201]
    assert db.scalar(select(func.count()).select_from(HandoffTicket)) == 1


def otp_call(url, path, **body):
    return httpx.post(
        f"{url}/identity/otp/{path}",
        json={"phone": PHONES["wang_wu"], "conversation_id": "conv-race", **body},
        headers={"X-Service-Token": SERVICE_TOKEN},
        timeout=60,
    )


def test_concurrent_guesses_get_no_more_tries_than_allowed(live_url, db):
    assert otp_call(live_url, "send").status_code == 202
    code = db.scalar(select(OtpCode.demo_code).where(OtpCode.conversation_id == "conv-race"))
    guesses = [f"{(int(code) + 1 + i) % 1_000_000:06d}" for i in range(RACERS)]
    responses = race(lambda i: otp_call(live_url, "verify", code=guesses[i]))

    codes = sorted(r.json()["code"] for r in responses)
    assert codes.count("otp_invalid") == 4 and codes.count("otp_attempts_exhausted") == RACERS - 4, codes
    assert db.scalar(select(OtpCode.failed_attempts).where(OtpCode.conversation_id == "conv-race")) == 5
    assert otp_call(live_url, "verify", code=code).json()["code"] == "otp_attempts_exhausted"


def test_a_code_used_at_once_by_many_logs_in_once(live_url, db):
    assert otp_call(live_url, "send").status_code == 202
    code = db.scalar(select(OtpCode.demo_code).where(OtpCode.conversation_id == "conv-race"))
    responses = race(lambda i: otp_call(live_url, "verify", code=code))
    assert sorted(r.status_code for r in responses) == [200] + [400] * (RACERS - 1)
    assert {r.json()["code"] for r in responses if r.status_code == 400} == {"otp_expired"}

"""Fixtures: every API test runs against SQLite and against a fresh PostgreSQL database,
with a small local HTTP server standing in for Rasa."""

import json
import os
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.main import create_app
from app.prestart import prestart
from app.seed.loader import seed_demo, wipe

PG_ADMIN_URL = os.environ.get(
    "BACKEND_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
SERVICE_TOKEN = "test-service-token"
RASA_TOKEN = "test-rasa-token"
AGENT_PASSWORD = "test-agent-password"
SOCKET_SECRET = "test-socket-secret"
REVIEWER_PASSWORD = "test-reviewer-password"
OPERATIONS_PASSWORD = "test-operations-password"
# The demo staff member of each role and their password.
STAFF = {
    "agent": ("xiaowang", AGENT_PASSWORD),
    "reviewer": ("xiaochen", REVIEWER_PASSWORD),
    "operations": ("xiaozhou", OPERATIONS_PASSWORD),
}

PHONES = {
    "zhang_san": "13800000001",
    "li_si": "13800000002",
    "wang_wu": "13800000003",
    "zhao_liu": "13800000004",
    "qian_qi": "13800000005",
    "sun_ba": "13800000006",
    "zhou_jiu": "13800000007",
    "wu_shi": "13800000008",
    "zheng_yi": "13800000009",
    "emily": "13800000010",
}


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def fresh_postgres_database():
    """A new database with a random name, dropped afterwards; skipped when no server answers
    (a failure instead when REQUIRE_POSTGRES=1)."""
    name = f"backend_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(_libpq_url(PG_ADMIN_URL), autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        reason = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}".strip()
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(reason + " (REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(_libpq_url(PG_ADMIN_URL), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def new_database(kind: str, folder):
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'backend.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """The database the app under test uses for the whole run."""
    with new_database(request.param, tmp_path_factory.mktemp("sqlite")) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    """A database of its own, for tests that build or tear down the schema."""
    with new_database(request.param, tmp_path) as url:
        yield url


class FakeRasa:
    """Records every request and answers like Rasa's HTTP API would."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.events: list[dict] = []
        self.lines: list[dict] = []  # what the widget channel's transcript route answers
        # (conversation, text) of every bot message that reached a conversation, as the user saw it
        self.delivered: list[tuple[str, str]] = []
        self.done: set[tuple[str, str]] = set()  # (conversation, request_id) carried out
        self.lock = threading.Lock()
        self.paused = False
        self.fail_status: int | None = None
        self.delays: list[float] = []  # seconds before each next answer, e.g. past the timeout
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: dict | list | None) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = {
                    "method": self.command,
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "json": json.loads(raw) if raw else None,
                }
                fake.requests.append(request)
                if fake.fail_status is None and self.command == "POST":
                    body = fake._carry_out(request)
                if fake.delays:
                    time.sleep(fake.delays.pop(0))
                status = fake.fail_status or 200
                payload = json.dumps(body if status == 200 else {"error": "boom"}).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                if self.path.startswith("/webhooks/socketio/transcript/"):
                    self._answer(fake.lines)
                else:
                    self._answer({"sender_id": "x", "paused": fake.paused, "events": fake.events})

            def do_POST(self) -> None:
                self._answer({"sender_id": "x", "events": []})

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _carry_out(self, request: dict) -> dict:
        """Like Rasa: the widget channel's messages and hand-back run once per request id and
        conversation (stored before the answer, so a call that times out still got through);
        `/tracker/events` stores and sends every bot event it is given, however often."""
        path, body = request["path"], request["json"]
        with self.lock:
            if path.startswith(("/webhooks/socketio/messages/", "/webhooks/socketio/handback/")):
                conversation = unquote(path.rsplit("/", 1)[1])
                if (conversation, body["request_id"]) in self.done:
                    return {"done": "before"}
                self.done.add((conversation, body["request_id"]))
                if "/messages/" in path:
                    self.delivered.append((conversation, body["text"]))
                return {"done": "now"}
            if path.endswith("/tracker/events"):
                conversation = unquote(path.split("/")[2])
                for event in body if isinstance(body, list) else [body]:
                    if event.get("event") == "bot":
                        self.delivered.append((conversation, event["text"]))
        return {"sender_id": "x", "events": []}

    def reset(self) -> None:
        self.requests.clear()
        self.delivered = []
        self.done = set()
        self.events = []
        self.lines = []
        self.paused = False
        self.fail_status = None
        self.delays = []

    def hand_off(self, *user_messages: str) -> None:
        """The conversation as Rasa holds it after the bot handed it to a human."""
        self.events = [
            {"event": "action", "name": "action_listen", "timestamp": 1764300000.0},
            *({"event": "user", "text": text, "timestamp": 1764300001.0} for text in user_messages),
            {"event": "action", "name": "action_handoff_to_human", "timestamp": 1764300002.0},
            {"event": "bot", "text": "正在为您转接人工客服", "timestamp": 1764300002.5},
            {"event": "pause", "timestamp": 1764300003.0},
        ]
        self.paused = True


@pytest.fixture(scope="session")
def fake_rasa():
    rasa = FakeRasa()
    rasa.thread.start()
    yield rasa
    rasa.server.shutdown()
    rasa.server.server_close()


def make_settings(database_url: str, data_dir, rasa_url: str) -> Settings:
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        service_token=SERVICE_TOKEN,
        rasa_api_token=RASA_TOKEN,
        rasa_url=rasa_url,
        rasa_timeout_seconds=2,
        demo_agent_password=AGENT_PASSWORD,
        demo_reviewer_password=REVIEWER_PASSWORD,
        demo_operations_password=OPERATIONS_PASSWORD,
        demo_mode=True,
        rate_limit_storage_url="memory://",
    )


@pytest.fixture(scope="session")
def tracker_url(database_url, tmp_path_factory):
    """Rasa's tracker store for the backend to read: a database of the same kind as the backend's."""
    kind = make_url(database_url).get_backend_name()
    with new_database("sqlite" if kind == "sqlite" else "postgresql", tmp_path_factory.mktemp("tracker")) as url:
        yield url


@pytest.fixture(scope="session")
def app_settings(database_url, tracker_url, tmp_path_factory, fake_rasa) -> Settings:
    settings = make_settings(database_url, tmp_path_factory.mktemp("data"), fake_rasa.url)
    settings.tracker_store_url = tracker_url
    settings.socket_secret = SOCKET_SECRET
    return settings


@pytest.fixture(scope="session")
def app(app_settings):
    prestart(app_settings)  # as a deployment does before any backend starts
    return create_app(app_settings)


LOOPBACK = "127.0.0.1"


def local_client(app, **options) -> TestClient:
    """A test client that connects like `make run`'s browser: to 127.0.0.1, from 127.0.0.1
    (the demo endpoints answer nothing else)."""
    return TestClient(app, base_url=f"http://{LOOPBACK}", client=(LOOPBACK, 50000), **options)


@pytest.fixture(scope="session")
def session_client(app):
    with local_client(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client(session_client, app, app_settings, fake_rasa):
    """Every test starts from freshly seeded demo data, no rate limit used and an idle fake Rasa."""
    with app.state.db.session() as session:
        wipe(session, app_settings.upload_dir)
        seed_demo(session, app_settings)
    app.state.throttle.reset()
    fake_rasa.reset()
    return session_client


@pytest.fixture
def db(app):
    with app.state.db.session() as session:
        yield session


def customer_headers(client: TestClient, who: str) -> dict:
    response = client.post("/api/v1/demo/app-session", json={"phone": PHONES[who]})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def service_headers(extra: dict | None = None) -> dict:
    return {"X-Service-Token": SERVICE_TOKEN, **(extra or {})}


def staff_headers(client: TestClient, role: str) -> dict:
    """Logged in as the demo staff member of `role` (agent, reviewer, operations)."""
    username, password = STAFF[role]
    response = client.post("/api/v1/agent/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    assert response.json()["agent"]["role"] == role
    return {"Authorization": f"Bearer {response.json()['token']}"}


def agent_headers(client: TestClient) -> dict:
    return staff_headers(client, "agent")

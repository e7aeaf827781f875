"""Demo-only endpoints exist in demo mode and nowhere else."""

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.main import create_app
from tests.conftest import PHONES, local_client, make_settings

API = "/api/v1"


def test_demo_customers_are_listed_with_their_situation(client):
    customers = client.get(f"{API}/demo/customers?lang=en").json()
    assert len(customers) == 10
    assert customers[0] == {
        "name": "张三",
        "name_en": "Zhang San",
        "phone": "13800000001",
        "situation": "Huabei refused: overdue records in credit report",
    }


def test_app_session_for_unknown_phone_is_404(client):
    response = client.post(f"{API}/demo/app-session", json={"phone": "13999999999"})
    assert response.status_code == 404


def test_demo_mode_off_hides_demo_endpoints(database_url, tmp_path, fake_rasa, client):
    settings = make_settings(database_url, tmp_path, fake_rasa.url)
    settings.demo_mode = False
    with local_client(create_app(settings)) as production:
        for response in (
            production.get(f"{API}/demo/customers"),
            production.post(f"{API}/demo/app-session", json={"phone": PHONES["li_si"]}),
            production.get("/dev/otp"),
        ):
            assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert production.get(f"{API}/health").json() == {"status": "ok"}


def test_demo_mode_is_off_unless_asked_for(monkeypatch):
    monkeypatch.delenv("DEMO_MODE", raising=False)
    assert Settings().demo_mode is False


@pytest.mark.parametrize(
    "server, peer",
    [
        ("203.0.113.7", "127.0.0.1"),  # served on a public interface (a forwarded port)
        ("127.0.0.1", "203.0.113.9"),  # a remote client, e.g. through a local proxy that says so
        ("testserver", "127.0.0.1"),
        ("127.0.0.1", "10.0.0.2"),
    ],
)
def test_demo_endpoints_answer_only_on_loopback(client, app, server, peer):
    """Demo mode on: still nothing for a connection that is not loopback on both ends."""
    remote = TestClient(app, base_url=f"http://{server}", client=(peer, 40000))
    for response in (
        remote.get(f"{API}/demo/customers"),
        remote.post(f"{API}/demo/app-session", json={"phone": PHONES["li_si"]}),
        remote.get(f"{API}/demo/otp", params={"phone": PHONES["li_si"]}),
        remote.get("/dev/otp"),
    ):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert "token" not in response.text
    assert remote.get(f"{API}/health").status_code == 200
    ipv6 = TestClient(app, base_url="http://[::1]", client=("::1", 40000))
    assert ipv6.get(f"{API}/demo/customers").status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "backend.example.com"])
def test_demo_mode_refuses_to_start_on_a_public_address(database_url, tmp_path, fake_rasa, host, caplog):
    settings = make_settings(database_url, tmp_path, fake_rasa.url)
    settings.backend_host = host
    with pytest.raises(RuntimeError, match="not a loopback address"):
        with local_client(create_app(settings)):
            pass
    assert f"refusing to start: DEMO_MODE is on but BACKEND_HOST='{host}'" in caplog.text
    settings.demo_mode = False  # without the demo back doors the same address is fine
    with local_client(create_app(settings)) as production:
        assert production.get(f"{API}/health").json() == {"status": "ok"}

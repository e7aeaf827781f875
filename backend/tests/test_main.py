"""Starting on an empty data folder: migrate, seed, answer; restarting changes nothing."""

from sqlalchemy import func, select

from app.core.db import Database
from app.main import create_app
from app.models import Agent, Customer, Reason
from tests.conftest import local_client, make_settings


def test_first_start_seeds_and_a_restart_does_not_duplicate(empty_database_url, tmp_path):
    settings = make_settings(empty_database_url, tmp_path / "var", "http://127.0.0.1:9")
    for _ in range(2):
        with local_client(create_app(settings)) as client:
            assert client.get("/api/v1/health").json() == {"status": "ok"}
            token = client.post("/api/v1/demo/app-session", json={"phone": "13800000001"}).json()["token"]
            diagnosis = client.get(
                "/api/v1/me/diagnosis?product=huabei", headers={"Authorization": f"Bearer {token}"}
            ).json()
            assert diagnosis["blocking_reason"]["code"] == "CREDIT_OVERDUE_HISTORY"
    db = Database(empty_database_url)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Customer)) == 10
            assert session.scalar(select(func.count()).select_from(Agent)) == 3  # one per staff role
            assert session.scalar(select(func.count()).select_from(Reason)) == 11
    finally:
        db.dispose()
    assert (tmp_path / "var" / "uploads").is_dir()


def test_changed_agent_password_takes_effect_on_restart(empty_database_url, tmp_path):
    settings = make_settings(empty_database_url, tmp_path, "http://127.0.0.1:9")
    with local_client(create_app(settings)):
        pass
    settings.demo_agent_password = "rotated-password"
    with local_client(create_app(settings)) as client:
        login = client.post(
            "/api/v1/agent/login", json={"username": "xiaowang", "password": "rotated-password"}
        )
        assert login.status_code == 200 and login.json()["agent"]["display_name"] == "小王"

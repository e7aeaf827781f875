"""Starting the backend: after the prestart it answers; on a schema that is not current it
refuses and says what to run; restarting changes nothing."""

import pytest
from sqlalchemy import func, select

from alembic import command
from app.core.db import Database, alembic_config
from app.main import create_app
from app.models import Agent, Customer, Reason
from app.prestart import prestart, schema_revision
from tests.conftest import local_client, make_settings


def test_start_after_prestart_serves_the_seed_and_a_restart_does_not_duplicate(empty_database_url, tmp_path):
    settings = make_settings(empty_database_url, tmp_path / "var", "http://127.0.0.1:9")
    prestart(settings)
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


@pytest.mark.parametrize("revision", [None, "0005"])
def test_a_schema_that_is_not_current_refuses_to_start(empty_database_url, tmp_path, revision, caplog):
    """Empty, or migrated only part of the way: the backend neither migrates nor serves."""
    if revision:
        command.upgrade(alembic_config(empty_database_url), revision)
    settings = make_settings(empty_database_url, tmp_path, "http://127.0.0.1:9")
    with pytest.raises(RuntimeError, match=r"run `python -m app.prestart`"):
        with local_client(create_app(settings)):
            pass
    assert f"refusing to start: the database schema is at revision {revision or 'none'}" in caplog.text
    db = Database(empty_database_url)
    try:
        assert schema_revision(db) == revision  # left as it was
    finally:
        db.dispose()


def test_changed_agent_password_takes_effect_on_the_next_prestart(empty_database_url, tmp_path):
    settings = make_settings(empty_database_url, tmp_path, "http://127.0.0.1:9")
    prestart(settings)
    settings.demo_agent_password = "rotated-password"
    prestart(settings)
    with local_client(create_app(settings)) as client:
        login = client.post(
            "/api/v1/agent/login", json={"username": "xiaowang", "password": "rotated-password"}
        )
        assert login.status_code == 200 and login.json()["agent"]["display_name"] == "小王"

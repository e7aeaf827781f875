"""`python -m app.cli migrate|seed` on a database of its own."""

import pytest
from sqlalchemy import func, select

from app.cli import main
from app.core.config import get_settings
from app.core.db import Database
from app.models import Appeal, Customer


@pytest.fixture
def cli_env(empty_database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", empty_database_url)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DEMO_AGENT_PASSWORD", "cli-pass")
    get_settings.cache_clear()
    db = Database(empty_database_url)
    yield db
    db.dispose()
    get_settings.cache_clear()


def counts(db):
    with db.session() as session:
        return (
            session.scalar(select(func.count()).select_from(Customer)),
            session.scalar(select(func.count()).select_from(Appeal)),
        )


def test_migrate_then_seed_refresh_and_reset(cli_env, capsys, tmp_path):
    main(["migrate"])
    assert "latest migration" in capsys.readouterr().out
    assert counts(cli_env) == (0, 0)
    main(["seed"])
    assert "10 demo customer(s) written" in capsys.readouterr().out
    main(["seed"])
    assert "0 demo customer(s) written" in capsys.readouterr().out
    main(["seed", "--refresh"])
    assert counts(cli_env) == (10, 1)  # Zheng Yi's appeal, rebuilt rather than duplicated
    assert len([p for p in (tmp_path / "uploads").rglob("*") if p.is_file()]) == 2
    main(["seed", "--reset"])
    assert counts(cli_env) == (10, 1)

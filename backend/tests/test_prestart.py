"""`python -m app.prestart`: migrates and seeds once, however many run at the same time."""

from sqlalchemy import func, select, text

from app.core.db import Database
from app.models import Agent, Appeal, Customer, Incident, Material, Reason
from app.prestart import head_revision
from tests.live import backend_env, start_prestart


def seed_counts(url: str) -> dict[str, int]:
    db = Database(url)
    try:
        with db.session() as session:
            counts = {
                model.__tablename__: session.scalar(select(func.count()).select_from(model))
                for model in (Customer, Agent, Reason, Incident, Appeal, Material)
            }
            counts["alembic_version"] = session.scalar(text("SELECT count(*) FROM alembic_version"))
            return counts
    finally:
        db.dispose()


def run(processes) -> list[tuple[int, str, str]]:
    return [(p.wait(timeout=180), *p.communicate()) for p in processes]


def test_two_at_once_leave_one_copy_of_the_seed(empty_database_url, tmp_path):
    """Two deployments' prestarts racing (real processes, one data folder as on a shared
    volume): both succeed, one migrates and seeds, the other finds nothing to do."""
    environment = backend_env(tmp_path, DATABASE_URL=empty_database_url)
    results = run([start_prestart(environment), start_prestart(environment)])

    assert [code for code, _, _ in results] == [0, 0], results
    lines = sorted(out.strip() for _, out, _ in results)
    head = head_revision()
    assert lines == [
        f"prestart done: schema at {head}; catalog and staff updated",
        f"prestart done: schema migrated from empty to {head}; demo data loaded (10 customers)",
    ]
    assert seed_counts(empty_database_url) == {
        "customers": 10,
        "agents": 3,
        "reasons": 11,
        "incidents": 1,
        "appeals": 1,
        "materials": 2,
        "alembic_version": 1,
    }


def test_an_unreachable_database_fails_with_one_clear_line(tmp_path):
    environment = backend_env(tmp_path, DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:9/nowhere")
    [(code, out, err)] = run([start_prestart(environment)])
    assert code == 1 and out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("prestart failed: OperationalError: ") and "127.0.0.1" in last, err

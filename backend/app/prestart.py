"""Migrates and seeds the database before any backend starts: `python -m app.prestart`.

Run once per deployment, before the backends (the stack launcher, Compose's `prestart`
service, the Kubernetes Job); a backend only checks that the schema is current
(`require_current_schema`), so several backends can start at once without racing to
migrate. Running it again, or twice at the same moment, is harmless: both runs take one
lock (a PostgreSQL advisory lock, or a lock file beside a SQLite database), so the second
waits and then finds nothing left to do.
"""

import fcntl
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.core.config import Settings, get_settings
from app.core.db import Database, alembic_config
from app.seed.customers import STAFF
from app.seed.loader import prepare_database

log = logging.getLogger(__name__)

# Any fixed number: nothing else in the backend's database takes advisory locks.
ADVISORY_LOCK_KEY = 0x5EED_0009
RUN_PRESTART = "run `python -m app.prestart` (from backend/, same environment) before starting the backend"


@contextmanager
def prestart_lock(db: Database) -> Iterator[None]:
    """Held for the whole migrate-and-seed, by one process at a time across every machine
    that shares the database."""
    url = make_url(db.url)
    if url.get_backend_name() == "postgresql":
        # A session lock on a connection of its own: migrations use other connections, and
        # a process that dies drops its connection and so its lock.
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                connection.commit()
    elif url.database and url.database != ":memory:":
        # beside the database, readable by its owner only like everything in DATA_DIR
        descriptor = os.open(f"{url.database}.prestart.lock", os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # released on close, or when the process dies
            yield
        finally:
            os.close(descriptor)
    else:
        yield


def schema_revision(db: Database) -> str | None:
    """The alembic revision the database is at; None before the first migration."""
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The latest revision of backend/alembic (reading the scripts needs no database)."""
    return ScriptDirectory.from_config(alembic_config("")).get_current_head()


def require_current_schema(db: Database) -> None:
    """Refuses to serve on a schema older (or newer) than this code's migrations."""
    current, head = schema_revision(db), head_revision()
    if current != head:
        problem = f"the database schema is at revision {current or 'none'}, this backend needs {head}: {RUN_PRESTART}"
        log.critical("refusing to start: %s", problem)
        raise RuntimeError(problem)


def prestart(settings: Settings) -> str:
    """Migrates to head and seeds (an empty database gets the demo data; otherwise the
    catalog and staff are brought up to date). Returns a one-line summary."""
    for setting in sorted({member["password_setting"] for member in STAFF} & set(settings.generated_secrets)):
        log.warning("%s is not set: its staff member gets a random password nobody knows", setting.upper())
    db = Database(settings.database_url)
    try:
        with prestart_lock(db):
            before = schema_revision(db)
            written = prepare_database(db, settings)
            after = schema_revision(db)
    finally:
        db.dispose()
    schema = f"schema at {after}" if before == after else f"schema migrated from {before or 'empty'} to {after}"
    data = f"demo data loaded ({written} customers)" if written else "catalog and staff updated"
    return f"prestart done: {schema}; {data}"


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        print(prestart(get_settings()))
    except Exception as exc:
        log.error("prestart failed", exc_info=True)
        # the last line, alone: what an operator (or the launcher) shows
        first_line = (str(exc).strip().splitlines() or [""])[0]
        print(f"prestart failed: {type(exc).__name__}: {first_line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Creates Rasa's tracker store (its database, on PostgreSQL, and its table) once, before
the Rasa replicas start: ``python deploy/create_tracker_table.py`` with ``RASA_TRACKER_URL``
set (the URL deploy/endpoints.cluster.yml gives the tracker store).

A Rasa server creates the table on start when it is missing; several starting at once race
to do it, log "Could not create tables" and wait 5 s to retry, and none creates the
database. Here Rasa's own ``SQLTrackerStore`` does both, once (``login_db``: it connects to
the ``postgres`` database to create the missing one, and waits until the server answers).
Safe to run again.
"""
import os
import sys

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore


def main() -> int:
    if not os.environ.get("RASA_TRACKER_URL"):
        print("RASA_TRACKER_URL is not set (postgresql://user:password@host:5432/database)", file=sys.stderr)
        return 2
    url = sa.engine.make_url(os.environ["RASA_TRACKER_URL"])
    store = SQLTrackerStore(
        dialect=url.drivername,
        host=url.host,
        port=url.port,
        db=url.database,
        username=url.username,
        password=url.password,
        query=dict(url.query),
        login_db="postgres" if url.get_backend_name() == "postgresql" else None,
    )
    try:
        table = store.SQLEvent.__tablename__
        if not sa.inspect(store.engine).has_table(table):
            print(f"tracker store table {table!r} could not be created (see the log above)", file=sys.stderr)
            return 1
        print(f"tracker store ready: table {table!r} in database {url.database!r} on {url.host}")
    finally:
        store.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The cluster (scripts/cluster.py): 2 replicas of each tier behind HAProxy, on the machine's
PostgreSQL and Redis, with databases, a Redis database and secrets of this run's own.

Skipped with the reason when PostgreSQL, Redis or HAProxy is missing; a failure instead
when REQUIRE_POSTGRES=1 / REQUIRE_REDIS=1 (CI).
"""
import os
import shutil
import subprocess
import uuid

import pytest
import redis

from scripts.cluster import HAPROXY, Cluster
from scripts.stack import free_port, free_port_block
from tests.helpers import stack_environment

POSTGRES_SERVER = os.environ.get("POSTGRES_TEST_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS_TEST_URL = os.environ.get("CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/6")


def missing_component() -> str:
    """Why the cluster cannot run here, or ''."""
    if not os.access(HAPROXY, os.X_OK):
        return f"HAProxy not installed at {HAPROXY} (scripts/setup.sh --cluster installs it)"
    if not shutil.which("psql"):
        return "psql not installed (scripts/setup.sh --cluster installs it)"
    reachable = subprocess.run(["psql", f"{POSTGRES_SERVER}/postgres", "-tAc", "SELECT 1"], capture_output=True)
    if reachable.returncode != 0:
        return f"PostgreSQL not reachable at {POSTGRES_SERVER}"
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=2).ping()
    except redis.RedisError as error:
        return f"Redis not reachable at {REDIS_TEST_URL}: {error}"
    return ""


@pytest.fixture(scope="session")
def cluster(tmp_path_factory):
    reason = missing_component()
    if reason:
        if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"the cluster cannot run: {reason}")
        pytest.skip(reason)
    name = f"clustertest{uuid.uuid4().hex[:10]}"
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    env = stack_environment(
        tmp_path_factory, CLUSTER_NAME=name, POSTGRES_URL=POSTGRES_SERVER, REDIS_URL=REDIS_TEST_URL,
        CLUSTER_PORT=str(free_port()), BACKEND_PORT=str(free_port_block(2)),
        ACTIONS_PORT=str(free_port_block(2)), RASA_PORT=str(free_port_block(2)),
    )
    for derived in ("BACKEND_URL", "RASA_URL", "ACTION_ENDPOINT_URL", "DATABASE_URL", "TRACKER_STORE_URL",
                    "RASA_TRACKER_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_DB", "RATE_LIMIT_STORAGE_URL",
                    "SOCKET_MESSAGE_QUEUE_URL", "ALLOWED_ORIGINS"):
        env.pop(derived, None)  # the cluster derives them from the settings above
    started = Cluster(env=env, replicas=2)
    started.start(timeout=480, progress=lambda _: None)
    yield started
    started.stop()
    for database in (name, f"{name}_tracker"):
        subprocess.run(["psql", f"{POSTGRES_SERVER}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'])

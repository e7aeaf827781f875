"""Cluster mode: REPLICAS copies of each tier behind HAProxy, sharing PostgreSQL and Redis.

``make run-cluster`` (``python3 scripts/cluster.py``) starts, under the same supervisord
as ``make run``:

- ``backend 1..N``, ``action server 1..N``, ``rasa 1..N`` on ports BASE+1..BASE+N of
  ``BACKEND_PORT``, ``ACTIONS_PORT`` and ``RASA_PORT``;
- ``balancer``: HAProxy (``deploy/haproxy/cluster.cfg``) with the public entry on
  ``CLUSTER_PORT`` (app page, console, API, widget, Rasa's API) and the action servers'
  entry on ``ACTIONS_PORT``.

Shared state: the backend's database and Rasa's conversations in PostgreSQL
(``POSTGRES_URL``, databases ``CLUSTER_NAME`` and ``CLUSTER_NAME_tracker``); conversation
locks (components/lock_store.py), the socket.io message queue, the channels' message
limits and the backend's rate limits in Redis (``REDIS_URL``). Rasa reads ``deploy/endpoints.cluster.yml``. Before any
replica starts, the databases are created when missing, the backend's is migrated and
seeded, and Rasa's table is created: once, instead of by N replicas racing.
"""
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Dict, List
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.stack import (  # noqa: E402  (needs the project on the path)
    DEFAULT_PORTS, LOOPBACK_ORIGIN_HOSTS, RASA_PYTHON, ROOT, SUPERVISORCTL, Service, Stack, StackError,
    actions_service, backend_service, rasa_service,
    port_in_use, run_until_stopped,
)

HAPROXY_TEMPLATE = ROOT / "deploy" / "haproxy" / "cluster.cfg"
CLUSTER_ENDPOINTS = "deploy/endpoints.cluster.yml"
HAPROXY = "/usr/sbin/haproxy"
PSQL = "psql"


def psycopg_url(url: str) -> str:
    """The backend's SQLAlchemy 2 speaks psycopg 3; Rasa's SQLAlchemy 1.4 psycopg2 (the default)."""
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def create_database(server_url: str, name: str) -> None:
    """Creates a PostgreSQL database unless it exists (psql, from PostgreSQL's client package)."""
    exists = subprocess.run(
        [PSQL, f"{server_url}/postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True, text=True,
    )
    if exists.returncode != 0:
        raise StackError(f"PostgreSQL at {server_url} is not reachable: {exists.stderr.strip()}")
    if exists.stdout.strip() != "1":
        subprocess.run([PSQL, f"{server_url}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)


@dataclass
class Cluster(Stack):
    """The stack with every tier replicated behind a balancer."""

    replicas: int = 2

    def _configure(self, env: Dict[str, str]) -> None:
        host = self.host
        for variable, port in DEFAULT_PORTS.items():  # the replicas' ports count from these
            env.setdefault(variable, port)
        name = env.setdefault("CLUSTER_NAME", "creditsupport")
        if not (name.isalnum() and name.islower()):
            raise StackError("CLUSTER_NAME must be lower-case letters and digits (it names databases and keys).")
        public = f"http://{host}:{env.setdefault('CLUSTER_PORT', '8080')}"
        env.setdefault("BACKEND_URL", public)
        env.setdefault("RASA_URL", public)
        env.setdefault("ACTION_ENDPOINT_URL", f"http://{host}:{env['ACTIONS_PORT']}/webhook")
        # the public address's origin, and each Rasa replica's own (non-browser socket.io
        # clients send that one), as the single stack allows
        origins = [f"http://{loopback}:{env['CLUSTER_PORT']}" for loopback in LOOPBACK_ORIGIN_HOSTS]
        origins += [f"http://{host}:{port}" for port in self.replica_ports("RASA_PORT", env)]
        env.setdefault("ALLOWED_ORIGINS", ",".join(origins))
        server = env.setdefault("POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432").rstrip("/")
        env.setdefault("DATABASE_URL", psycopg_url(f"{server}/{name}"))
        env.setdefault("RASA_TRACKER_URL", f"{server}/{name}_tracker")
        env.setdefault("TRACKER_STORE_URL", psycopg_url(env["RASA_TRACKER_URL"]))
        redis = urlsplit(env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0"))
        env.setdefault("REDIS_HOST", redis.hostname or "127.0.0.1")
        env.setdefault("REDIS_PORT", str(redis.port or 6379))
        env.setdefault("REDIS_DB", redis.path.strip("/") or "0")
        env.setdefault("RATE_LIMIT_STORAGE_URL", env["REDIS_URL"])
        env.setdefault("SOCKET_MESSAGE_QUEUE_URL", env["REDIS_URL"])
        env.setdefault("MESSAGE_LIMIT_STORAGE_URL", env["REDIS_URL"])
        env.setdefault("SANIC_PROXIES_COUNT", "1")  # Rasa: the address HAProxy forwards
        super()._configure(env)

    def replica_ports(self, port_variable: str, env: Dict[str, str] = None) -> List[int]:
        base = int((env or self.env)[port_variable])
        return [base + number for number in range(1, self.replicas + 1)]

    def _build_services(self, env: Dict[str, str]) -> List[Service]:
        services: List[Service] = []
        for number in range(1, self.replicas + 1):
            backend_port, actions_port, rasa_port = (
                self.replica_ports(variable)[number - 1] for variable in ("BACKEND_PORT", "ACTIONS_PORT", "RASA_PORT")
            )
            services += [
                backend_service(f"backend {number}", "BACKEND_PORT", backend_port, self.host),
                actions_service(f"action server {number}", "ACTIONS_PORT", actions_port, self.host),
                rasa_service(f"rasa {number}", "RASA_PORT", rasa_port, self.host, env, endpoints=CLUSTER_ENDPOINTS),
            ]
        # Ready once HAProxy has seen a Rasa replica up (it checks every 2 s): the backends,
        # up within seconds, were seen long before; Rasa loads its model for a minute.
        services.append(Service(
            "balancer", "CLUSTER_PORT", int(env["CLUSTER_PORT"]),
            [HAPROXY, "-db", "-f", str(self.haproxy_config)], ROOT, f"{env['RASA_URL']}/webhooks/rest/",
        ))
        return services

    @property
    def haproxy_config(self) -> Path:
        return self.run_dir / "haproxy.cfg"

    def service_named(self, tier: str) -> List[Service]:
        """The replicas of one tier ("backend", "action server", "rasa"), in order."""
        return [s for s in self.services if s.name.rsplit(" ", 1)[0] == tier]

    def check_ports(self) -> None:
        super().check_ports()
        actions_entry = int(self.env["ACTIONS_PORT"])
        if any(s.port == actions_entry for s in self.services) or port_in_use(self.host, actions_entry):
            raise StackError(f"Port {actions_entry} (action servers' entry) is already in use: set ACTIONS_PORT=...")

    def prepare(self) -> None:
        """The backend's database, migrated and seeded (Stack.prepare); Rasa's tracker store;
        HAProxy's file."""
        create_database(self.env["POSTGRES_URL"].rstrip("/"), self.env["CLUSTER_NAME"])
        super().prepare()
        # Rasa's tracker database and table, made once instead of by N replicas racing
        self.run_once(
            "preparing the tracker store", [str(RASA_PYTHON), str(ROOT / "deploy" / "create_tracker_table.py")], ROOT
        )
        servers = {
            tier: "\n".join(f"    server {s.program} {self.host}:{s.port}" for s in self.service_named(tier))
            for tier in ("backend", "action server", "rasa")
        }
        text = Template(HAPROXY_TEMPLATE.read_text()).substitute(
            public_address=f"{self.host}:{self.env['CLUSTER_PORT']}",
            actions_address=f"{self.host}:{self.env['ACTIONS_PORT']}",
            backend_servers=servers["backend"], rasa_servers=servers["rasa"], action_servers=servers["action server"],
        )
        self.haproxy_config.write_text(text)


def main() -> int:
    started = time.monotonic()
    try:
        cluster = Cluster(replicas=int(os.environ.get("REPLICAS", "2")))
        cluster.check_ports()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    def announce() -> None:
        public = cluster.env["BACKEND_URL"]
        print(json.dumps({"ready_after_seconds": round(time.monotonic() - started, 1), "replicas": cluster.replicas}))
        print(f"\n  App page with the chat widget: {public}/")
        print(f"  Agent console:                 {public}/console")
        print(f"  Balancer (HAProxy):            {public} -> {len(cluster.services) - 1} processes")
        print("\nready (Ctrl-C stops everything)", flush=True)
        print(f"  Processes (supervisord):       {SUPERVISORCTL} -c {cluster.supervisor_config} status")

    return run_until_stopped(cluster, announce)


if __name__ == "__main__":
    sys.exit(main())

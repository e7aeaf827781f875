"""A real backend process (uvicorn) on a free port with a fresh SQLite data folder, for tests
that need real HTTP on a socket: chunked bodies, a schema-driven fuzzer."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import AGENT_PASSWORD, OPERATIONS_PASSWORD, RASA_TOKEN, REVIEWER_PASSWORD, SERVICE_TOKEN

BACKEND_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def backend_env(data_dir: Path, **env: str) -> dict[str, str]:
    """The environment of a backend process (and of its prestart) in demo mode on loopback."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "DATA_DIR": str(data_dir),
        "SERVICE_TOKEN": SERVICE_TOKEN,
        "RASA_API_TOKEN": RASA_TOKEN,
        "DEMO_AGENT_PASSWORD": AGENT_PASSWORD,
        "DEMO_REVIEWER_PASSWORD": REVIEWER_PASSWORD,
        "DEMO_OPERATIONS_PASSWORD": OPERATIONS_PASSWORD,
        "DEMO_MODE": "true",
        "BACKEND_HOST": "127.0.0.1",
        **env,
    }


def start_prestart(environment: dict[str, str]) -> subprocess.Popen:
    """`python -m app.prestart` as a deployment runs it; output captured as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.prestart"],
        cwd=BACKEND_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def live_backend(data_dir: Path, rasa_url: str, **env: str) -> Iterator[str]:
    """Yields the base URL of a backend in demo mode on loopback, after its prestart; its log
    is data_dir/backend.log."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    environment = backend_env(data_dir, RASA_URL=rasa_url, **env)
    prestart = start_prestart(environment)
    out, err = prestart.communicate(timeout=120)
    if prestart.returncode != 0:
        raise RuntimeError(f"prestart failed:\n{out}{err}")
    log = (data_dir / "backend.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=BACKEND_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"backend exited:\n{(data_dir / 'backend.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("backend did not answer within 60 s")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()

"""Starts the backend, the action server and the Rasa server; stops them all together.

Used by `make run` (``python3 scripts/stack.py``) and by the end-to-end tests, which
start the same stack on free ports with a data folder of their own. Standard library
only, so that it runs under both the backend's and Rasa's Python.
"""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VENV_DIR = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
MODELS_DIR = ROOT / "models"


def read_env_file(path: Path) -> Dict[str, str]:
    """KEY=VALUE lines of a file such as var/secrets.env; missing file → {}."""
    if not path.exists():
        return {}
    values = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def latest_model() -> Path:
    """The model trained by scripts/train.sh for the current inputs."""
    current = MODELS_DIR / "current"
    if not current.exists():
        raise SystemExit("No trained model: run `bash scripts/train.sh` (make run does it).")
    return (MODELS_DIR / current.read_text().strip()).resolve()


class StackError(RuntimeError):
    """A process of the stack did not start; the message says which and why."""


@dataclass
class Service:
    name: str
    port_variable: str
    port: int
    command: List[str]
    cwd: Path
    health_url: str
    # log lines after which the service will never work as configured: stop and show the log
    fatal_log_lines: tuple = ()
    process: Optional[subprocess.Popen] = None
    log_path: Optional[Path] = None


@dataclass
class Stack:
    """The three processes of the assistant, configured from environment variables."""

    env: Dict[str, str] = field(default_factory=lambda: dict(os.environ))
    host: str = "127.0.0.1"
    only: Optional[List[str]] = None  # names of the services to start; None = all
    services: List[Service] = field(default_factory=list)

    def __post_init__(self) -> None:
        env = self.env
        env.setdefault("DATA_DIR", str(ROOT / "var"))
        data_dir = Path(env["DATA_DIR"])
        for key, value in read_env_file(data_dir / "secrets.env").items():
            env.setdefault(key, value)
        missing = [k for k in ("SERVICE_TOKEN", "RASA_API_TOKEN") if not env.get(k)]
        if missing:
            raise StackError(f"{', '.join(missing)} not set: run scripts/setup.sh first.")
        ports = {
            "BACKEND_PORT": int(env.setdefault("BACKEND_PORT", "8000")),
            "ACTIONS_PORT": int(env.setdefault("ACTIONS_PORT", "5055")),
            "RASA_PORT": int(env.setdefault("RASA_PORT", "5005")),
        }
        host = self.host
        env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'backend.db'}")
        env.setdefault("RASA_TRACKER_DB", str(data_dir / "tracker.db"))
        env.setdefault("RASA_WORKING_EVENTS", "40")
        env.setdefault("BACKEND_URL", f"http://{host}:{ports['BACKEND_PORT']}")
        env.setdefault("RASA_URL", f"http://{host}:{ports['RASA_PORT']}")
        env.setdefault("ACTION_ENDPOINT_URL", f"http://{host}:{ports['ACTIONS_PORT']}/webhook")
        if self.only is None or "rasa" in self.only:
            env.setdefault("RASA_MODEL", str(latest_model()))
        env["RASA_TELEMETRY_ENABLED"] = "false"
        env.setdefault("PYTHONUNBUFFERED", "1")
        rasa_bin = str(VENV_DIR / "rasa" / "bin" / "rasa")
        self.services = [
            Service(
                "backend", "BACKEND_PORT", ports["BACKEND_PORT"],
                [str(VENV_DIR / "backend" / "bin" / "python"), "-m", "uvicorn", "app.main:app",
                 "--host", host, "--port", str(ports["BACKEND_PORT"])],
                ROOT / "backend", f"{env['BACKEND_URL']}/api/v1/health",
            ),
            Service(
                "action server", "ACTIONS_PORT", ports["ACTIONS_PORT"],
                # rasa_sdk directly: `rasa run actions` would load all of Rasa (+70 MB) to start it
                [str(VENV_DIR / "rasa" / "bin" / "python"), "-m", "rasa_sdk", "--actions", "actions",
                 "--port", str(ports["ACTIONS_PORT"])],
                ROOT, f"http://{host}:{ports['ACTIONS_PORT']}/health",
            ),
            Service(
                "rasa", "RASA_PORT", ports["RASA_PORT"],
                [rasa_bin, "run", "--enable-api", "--auth-token", env["RASA_API_TOKEN"],
                 "--interface", host, "--port", str(ports["RASA_PORT"]),
                 "--model", env.get("RASA_MODEL", ""), "--endpoints", "endpoints.yml",
                 "--credentials", "credentials.yml", "--cors", "*"],
                ROOT, f"{env['RASA_URL']}/status?token={env['RASA_API_TOKEN']}",
                fatal_log_lines=("Could not load model", "Using `InMemoryTrackerStore` instead"),
            ),
        ]
        if self.only is not None:
            self.services = [s for s in self.services if s.name in self.only]

    @property
    def data_dir(self) -> Path:
        return Path(self.env["DATA_DIR"])

    def check_ports(self) -> None:
        for service in self.services:
            if port_in_use(self.host, service.port):
                raise StackError(
                    f"Port {service.port} ({service.name}) is already in use: stop what "
                    f"uses it or choose another port with {service.port_variable}=..."
                )

    def start(self, timeout: float = 240.0, progress=print) -> None:
        """Starts every service and returns once each answers its health check."""
        self.check_ports()
        log_dir = self.data_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            service.log_path = log_dir / f"{service.name.replace(' ', '-')}.log"
            progress(f"starting {service.name} on port {service.port} (log: {service.log_path})")
            with open(service.log_path, "ab") as log:
                service.process = subprocess.Popen(
                    service.command, cwd=service.cwd, env=self.env, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True,
                )
        deadline = time.monotonic() + timeout
        try:
            for service in self.services:
                self._wait_healthy(service, deadline)
                progress(f"{service.name} is up")
        except BaseException:
            self.stop()  # never leave half a stack running
            raise

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        while time.monotonic() < deadline:
            if service.process.poll() is not None:
                raise StackError(f"{service.name} exited:\n{self.log_tail(service)}")
            log = self.log_tail(service, lines=200) if service.fatal_log_lines else ""
            if any(line in log for line in service.fatal_log_lines):
                raise StackError(f"{service.name} failed:\n{self.log_tail(service)}")
            try:
                with urllib.request.urlopen(service.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.5)
        raise StackError(f"{service.name} did not answer in time:\n{self.log_tail(service)}")

    @staticmethod
    def log_tail(service: Service, lines: int = 40) -> str:
        if not service.log_path or not service.log_path.exists():
            return ""
        return "\n".join(service.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Terminates every started process group; kills what does not stop in time."""
        for service in self.services:
            if service.process and service.process.poll() is None:
                os.killpg(service.process.pid, signal.SIGTERM)
        for service in self.services:
            if service.process:
                try:
                    service.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(service.process.pid, signal.SIGKILL)
                    service.process.wait()

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _interrupt(*_) -> None:
    """SIGTERM stops the stack the same way as Ctrl-C; so does SIGINT when the shell that
    started us in the background had it ignored."""
    raise KeyboardInterrupt


def main() -> int:
    started = time.monotonic()
    try:
        stack = Stack()
        stack.check_ports()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        stack.start()
        backend = stack.env["BACKEND_URL"]
        print(json.dumps({"ready_after_seconds": round(time.monotonic() - started, 1)}))
        print(f"\n  App page with the chat widget: {backend}/")
        print(f"  Agent console:                 {backend}/console  (agent xiaowang, "
              f"password in {stack.data_dir / 'secrets.env'})")
        print(f"  One-time codes (demo):         {backend}/dev/otp")
        print(f"  Backend API docs:              {backend}/docs")
        print(f"  Rasa REST webhook:             {stack.env['RASA_URL']}/webhooks/rest/webhook")
        print("\nready (Ctrl-C stops everything)", flush=True)
        while all(s.process.poll() is None for s in stack.services):
            time.sleep(1)
        dead = [s for s in stack.services if s.process.poll() is not None]
        for service in dead:
            print(f"error: {service.name} stopped:\n{stack.log_tail(service)}", file=sys.stderr)
        return 1
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…")
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())

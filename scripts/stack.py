"""Starts the backend, the action server and the Rasa server under supervisord; stops them
all together.

Used by `make run` (``python3 scripts/stack.py``) and by the end-to-end tests, which
start the same stack on free ports with a data folder of their own. Standard library
only, so that it runs under both the backend's and Rasa's Python.

A real process supervisor (supervisord, from the backend's environment) starts the three
processes and restarts any that dies, so a crash costs one process's restart instead of
the whole stack. Its configuration is written to ``$DATA_DIR/run/supervisord.conf``;
``supervisorctl -c`` that file shows and controls the processes. Secrets reach the
processes through their environment, never their command lines, and every file under
``$DATA_DIR`` is readable by its owner only.
"""
import http.client
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
VENV_DIR = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
MODELS_DIR = ROOT / "models"
SUPERVISORD = VENV_DIR / "backend" / "bin" / "supervisord"
SUPERVISORCTL = VENV_DIR / "backend" / "bin" / "supervisorctl"
LOOPBACK_ORIGIN_HOSTS = ("127.0.0.1", "localhost")
DEFAULT_PORTS = {"BACKEND_PORT": "8000", "ACTIONS_PORT": "5055", "RASA_PORT": "5005"}


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


def free_port_block(size: int) -> int:
    """A free port whose next `size` ports are free too (a cluster tier's replicas listen there)."""
    while True:
        base = free_port()
        if not any(port_in_use("127.0.0.1", base + n) for n in range(1, size + 1)):
            return base


def make_private(folder: Path) -> None:
    """The folder and everything in it readable and writable by the owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & 0o700)


def supervisor_value(text: str) -> str:
    """A value as supervisord's configuration reads it (``%`` starts an expansion there)."""
    return text.replace("%", "%%")


def environment_line(values: Dict[str, str]) -> str:
    """supervisord's ``environment=`` value: KEY="value" pairs."""
    return ",".join(f'{key}="{supervisor_value(value)}"' for key, value in values.items())


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
    log_path: Optional[Path] = None
    env: Dict[str, str] = field(default_factory=dict)  # this process's own, beside the stack's

    @property
    def program(self) -> str:
        """The program's name in supervisord."""
        return self.name.replace(" ", "-")


RASA_PYTHON = VENV_DIR / "rasa" / "bin" / "python"
BACKEND_PYTHON = VENV_DIR / "backend" / "bin" / "python"


def backend_service(name: str, port_variable: str, port: int, host: str) -> Service:
    return Service(
        name, port_variable, port,
        [str(BACKEND_PYTHON), "-m", "uvicorn", "app.main:app", "--host", host, "--port", str(port)],
        ROOT / "backend", f"http://{host}:{port}/api/v1/health",
    )


def actions_service(name: str, port_variable: str, port: int, host: str) -> Service:
    # rasa_sdk's app behind our secret check: `rasa run actions` would load all of Rasa
    # (+70 MB) and listen on every interface without one
    return Service(
        name, port_variable, port, [str(RASA_PYTHON), "-m", "actions.server"],
        ROOT, f"http://{host}:{port}/health", env={"ACTIONS_PORT": str(port)},
    )


def rasa_service(name: str, port_variable: str, port: int, host: str, env: Dict[str, str],
                 endpoints: str = "endpoints.yml") -> Service:
    # scripts/rasa_server.py adds --auth-token from RASA_API_TOKEN, off the command line
    return Service(
        name, port_variable, port,
        [str(RASA_PYTHON), str(ROOT / "scripts" / "rasa_server.py"), "run", "--enable-api",
         "--interface", host, "--port", str(port),
         "--model", env.get("RASA_MODEL", ""), "--endpoints", endpoints,
         "--credentials", "credentials.yml", "--cors", *env["ALLOWED_ORIGINS"].split(",")],
        ROOT, f"http://{host}:{port}/status?token={env['RASA_API_TOKEN']}",
        fatal_log_lines=("Could not load model", "Using `InMemoryTrackerStore` instead"),
    )


@dataclass
class Stack:
    """The three processes of the assistant, configured from environment variables."""

    env: Dict[str, str] = field(default_factory=lambda: dict(os.environ))
    host: str = "127.0.0.1"
    only: Optional[List[str]] = None  # names of the services to start; None = all
    services: List[Service] = field(default_factory=list)
    supervisor: Optional[subprocess.Popen] = None

    def __post_init__(self) -> None:
        self._configure(self.env)
        self.services = self._build_services(self.env)
        if self.only is not None:
            self.services = [s for s in self.services if s.name in self.only]

    def _configure(self, env: Dict[str, str]) -> None:
        """Fills the environment every process gets: secrets, ports, URLs, limits."""
        env.setdefault("DATA_DIR", str(ROOT / "var"))
        data_dir = Path(env["DATA_DIR"])
        for key, value in read_env_file(data_dir / "secrets.env").items():
            env.setdefault(key, value)
        required = ["SERVICE_TOKEN", "RASA_API_TOKEN"]
        if self.only is None or {"rasa", "action server"} & set(self.only):
            required.append("ACTION_SERVER_TOKEN")
        missing = [k for k in required if not env.get(k)]
        if missing:
            raise StackError(f"{', '.join(missing)} not set: run scripts/setup.sh first.")
        ports = {variable: int(env.setdefault(variable, port)) for variable, port in DEFAULT_PORTS.items()}
        host = self.host
        env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'backend.db'}")
        env.setdefault("RASA_TRACKER_DB", str(data_dir / "tracker.db"))
        env.setdefault("RASA_WORKING_EVENTS", "40")
        env.setdefault("BACKEND_URL", f"http://{host}:{ports['BACKEND_PORT']}")
        env.setdefault("RASA_URL", f"http://{host}:{ports['RASA_PORT']}")
        env.setdefault("ACTION_ENDPOINT_URL", f"http://{host}:{ports['ACTIONS_PORT']}/webhook")
        env.setdefault("BACKEND_HOST", host)
        env.setdefault("ACTIONS_HOST", host)
        # `make run` is the demo on one's own machine: demo logins and the code page, which
        # the backend serves on loopback only (and refuses to start with on another address)
        env.setdefault("DEMO_MODE", "true")
        # the app page's origin, and Rasa's own (non-browser socket.io clients send that one)
        env.setdefault("ALLOWED_ORIGINS", ",".join(
            f"http://{name}:{ports[port]}" for port in ("BACKEND_PORT", "RASA_PORT") for name in LOOPBACK_ORIGIN_HOSTS))
        # Rasa's HTTP bodies: room for a message far over MAX_MESSAGE_CHARS, so that the
        # channel can refuse it politely; anything larger is refused unread
        env.setdefault("SANIC_REQUEST_MAX_SIZE", str(1024 * 1024))
        env.setdefault("SANIC_FALLBACK_ERROR_FORMAT", "json")
        if self.only is None or "rasa" in self.only:
            env.setdefault("RASA_MODEL", str(latest_model()))
        env["RASA_TELEMETRY_ENABLED"] = "false"
        env.setdefault("PYTHONUNBUFFERED", "1")

    def _build_services(self, env: Dict[str, str]) -> List[Service]:
        return [
            backend_service("backend", "BACKEND_PORT", int(env["BACKEND_PORT"]), self.host),
            actions_service("action server", "ACTIONS_PORT", int(env["ACTIONS_PORT"]), self.host),
            rasa_service("rasa", "RASA_PORT", int(env["RASA_PORT"]), self.host, env),
        ]

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

    @property
    def run_dir(self) -> Path:
        return self.data_dir / "run"

    @property
    def supervisor_config(self) -> Path:
        return self.run_dir / "supervisord.conf"

    def _write_supervisor_config(self) -> None:
        """One program per service, restarted whenever it exits; logs under $DATA_DIR/logs."""
        run_dir, log_dir = self.run_dir, self.data_dir / "logs"
        lines = [
            "[supervisord]", "nodaemon=true", "minfds=1024",
            f"logfile={supervisor_value(str(log_dir / 'supervisord.log'))}",
            f"pidfile={supervisor_value(str(run_dir / 'supervisord.pid'))}",
            "[unix_http_server]", f"file={supervisor_value(str(run_dir / 'supervisor.sock'))}", "chmod=0700",
            "[rpcinterface:supervisor]",
            "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
            "[supervisorctl]", f"serverurl=unix://{supervisor_value(str(run_dir / 'supervisor.sock'))}",
        ]
        for service in self.services:
            lines += [
                f"[program:{service.program}]",
                "command=" + supervisor_value(" ".join(shlex.quote(part) for part in service.command)),
                f"directory={supervisor_value(str(service.cwd))}",
                *([f"environment={environment_line(service.env)}"] if service.env else []),
                "autostart=true", "autorestart=true", "startsecs=1", "startretries=10",
                "stopasgroup=true", "killasgroup=true", "stopwaitsecs=15", "redirect_stderr=true",
                f"stdout_logfile={supervisor_value(str(service.log_path))}",
                "stdout_logfile_maxbytes=20MB", "stdout_logfile_backups=2",
            ]
        self.supervisor_config.touch(mode=0o600)
        self.supervisor_config.write_text("\n".join(lines) + "\n")

    def start(self, timeout: float = 240.0, progress=print) -> None:
        """Starts every service and returns once each answers its health check."""
        self.check_ports()
        make_private(self.data_dir)
        self.run_dir.mkdir(mode=0o700, exist_ok=True)
        log_dir = self.data_dir / "logs"
        log_dir.mkdir(mode=0o700, exist_ok=True)
        for service in self.services:
            service.log_path = log_dir / f"{service.program}.log"
            progress(f"starting {service.name} on port {service.port} (log: {service.log_path})")
        self.prepare()
        self._write_supervisor_config()
        with open(log_dir / "supervisord.out", "ab", opener=lambda path, flags: os.open(path, flags, 0o600)) as out:
            self.supervisor = subprocess.Popen(
                [str(SUPERVISORD), "-c", str(self.supervisor_config)], cwd=ROOT, env=self.env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                umask=0o077,  # every database, upload and log of every process: owner only
            )
        deadline = time.monotonic() + timeout
        try:
            for service in self.services:
                self._wait_healthy(service, deadline)
                progress(f"{service.name} is up")
        except BaseException:
            self.stop()  # never leave half a stack running
            raise

    def prepare(self) -> None:
        """What must happen once before the processes start: the backend's database is
        migrated and seeded (by one process, never by several servers racing)."""
        if any(s.cwd == ROOT / "backend" for s in self.services):
            self.run_once("preparing the database", [str(BACKEND_PYTHON), "-m", "app.prestart"], ROOT / "backend")

    def run_once(self, what: str, command: List[str], cwd: Path) -> None:
        """A one-off step before the processes start, in their environment; StackError with
        its output when it fails."""
        result = subprocess.run(
            command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=300, umask=0o077
        )
        if result.returncode != 0:
            raise StackError(f"{what} failed:\n{result.stdout}{result.stderr}"[-3000:])

    def running(self) -> bool:
        return self.supervisor is not None and self.supervisor.poll() is None

    def control(self, *args: str) -> str:
        """A supervisorctl command, e.g. control("stop", "backend"); its output."""
        result = subprocess.run(
            [str(SUPERVISORCTL), "-c", str(self.supervisor_config), *args],
            capture_output=True, text=True, timeout=120,
        )
        return result.stdout

    def pid(self, service: Service) -> int:
        """The running process of a service (0 when it is not running)."""
        output = self.control("pid", service.program).strip()
        return int(output) if output.isdigit() else 0

    def service(self, name: str) -> Service:
        return next(s for s in self.services if s.name == name)

    def _wait_healthy(self, service: Service, deadline: float) -> None:
        while time.monotonic() < deadline:
            if not self.running():
                raise StackError(f"supervisord exited:\n{self.log_tail(service)}")
            log = self.log_tail(service, lines=200) if service.fatal_log_lines else ""
            if any(line in log for line in service.fatal_log_lines):
                raise StackError(f"{service.name} failed:\n{self.log_tail(service)}")
            try:
                with urllib.request.urlopen(service.health_url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError, http.client.HTTPException):
                pass  # not up yet (or, on an ephemeral port, our own probe answered itself)
            time.sleep(0.5)
        raise StackError(f"{service.name} did not answer in time:\n{self.log_tail(service)}")

    @staticmethod
    def log_tail(service: Service, lines: int = 40) -> str:
        if not service.log_path or not service.log_path.exists():
            return ""
        return "\n".join(service.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """supervisord stops every process (their whole process groups); whatever is left
        after a minute is killed."""
        if not self.running():
            return
        pids = [pid for pid in (self.pid(s) for s in self.services) if pid]
        self.supervisor.terminate()
        try:
            self.supervisor.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.supervisor.pid, signal.SIGKILL)
            self.supervisor.wait()
        for pid in pids:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass

    def __enter__(self) -> "Stack":
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _interrupt(*_) -> None:
    """SIGTERM stops the stack the same way as Ctrl-C; so does SIGINT when the shell that
    started us in the background had it ignored."""
    raise KeyboardInterrupt


def run_until_stopped(stack: Stack, announce: Callable[[], None]) -> int:
    """Starts the stack, announces it, and keeps it until Ctrl-C or SIGTERM."""
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        stack.start()
        announce()
        while stack.running():  # supervisord restarts a process that dies
            time.sleep(1)
        print(f"error: supervisord stopped:\n{(stack.data_dir / 'logs' / 'supervisord.log').read_text()[-2000:]}",
              file=sys.stderr)
        return 1
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…")
        return 0
    finally:
        stack.stop()


def main() -> int:
    started = time.monotonic()
    try:
        stack = Stack()
        stack.check_ports()
    except StackError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1

    def announce() -> None:
        backend = stack.env["BACKEND_URL"]
        print(json.dumps({"ready_after_seconds": round(time.monotonic() - started, 1)}))
        print(f"\n  App page with the chat widget: {backend}/")
        print(f"  Agent console:                 {backend}/console  (agent xiaowang, "
              f"password in {stack.data_dir / 'secrets.env'})")
        if stack.env["DEMO_MODE"].lower() == "true":
            print(f"  One-time codes (demo):         {backend}/dev/otp")
        print(f"  Backend API docs:              {backend}/docs")
        print(f"  Rasa REST webhook:             {stack.env['RASA_URL']}/webhooks/rest/webhook")
        print("\nready (Ctrl-C stops everything)", flush=True)
        print(f"  Processes (supervisord):       {SUPERVISORCTL} -c {stack.supervisor_config} status")

    return run_until_stopped(stack, announce)


if __name__ == "__main__":
    sys.exit(main())

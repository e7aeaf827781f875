"""What can be checked here of the deployment files (deploy/): Docker and kubectl cannot run
on this machine, so the files are read and compared with the code they deploy.

Run with the backend's Python (it has PyYAML): ``.venv/backend/bin/python -m pytest -q tests/deploy``.
The route checks ask each service's own code for its routes, in its own environment.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_DIR = Path(os.environ.get("VENV_DIR", ROOT / ".venv"))
TIERS = ("backend", "actions", "rasa")  # replicated, 2 each
SHARED = ("postgres", "redis")
# Compose services running the assistant's code: whose code (for the variables it needs) and image.
COMPOSE_RUNS = {"backend": "backend", "prestart": "prestart", "actions": "actions", "rasa": "rasa"}
IMAGES = {"backend": "backend", "prestart": "backend", "actions": "actions", "rasa": "rasa"}
# Names the deployment itself uses beside the code's: the database server, uvicorn's proxy trust,
# Sanic's settings (Rasa and the action server are Sanic apps), Rasa's SQL pool, the public address.
INFRA_NAMES = re.compile(r"^(POSTGRES_\w+|PGDATA|FORWARDED_ALLOW_IPS|SANIC_\w+|SQL_POOL_SIZE|SQL_MAX_OVERFLOW|PUBLIC_URL)$")


def load_all(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_all(DEPLOY / "compose.yaml")[0]


@pytest.fixture(scope="module")
def k8s() -> dict:
    """(kind, name) → object, from every manifest."""
    objects = {}
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        for doc in load_all(path):
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    return objects


def containers(k8s: dict) -> dict:
    """'<workload>/<container>' → container spec, for every workload."""
    found = {}
    for (kind, name), doc in k8s.items():
        if kind in ("Deployment", "StatefulSet", "Job"):
            for container in doc["spec"]["template"]["spec"]["containers"]:
                found[f"{name}/{container['name']}"] = container
    return found


def k8s_env(k8s: dict, container: dict) -> dict:
    """Every variable the container gets: its ConfigMaps' keys and its own env entries."""
    names = {}
    for source in container.get("envFrom", []):
        names.update(k8s[("ConfigMap", source["configMapRef"]["name"])]["data"])
    for entry in container.get("env", []):
        names[entry["name"]] = entry
    return names


# --- what the code reads ------------------------------------------------------------------

ENV_READ = re.compile(r"""os\.(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z0-9_]+)["']\s*(?:,\s*([^)\n]*))?""")
UNSET = object()  # read without a default


def read_by_code(*paths: str) -> dict:
    """Variable → default (UNSET when there is none) of each os.environ read in these files; a
    default that is an expression rather than a literal stands for itself as text."""
    names = {}
    for relative in paths:
        path = ROOT / relative
        for source in [path] if path.is_file() else sorted(path.glob("*.py")):
            for name, default in ENV_READ.findall(source.read_text()):
                try:
                    names[name] = ast.literal_eval(default) if default else UNSET
                except (ValueError, SyntaxError):
                    names[name] = default
    return names


def endpoints_variables() -> set:
    return set(re.findall(r"\$\{(\w+)\}", (DEPLOY / "endpoints.cluster.yml").read_text()))


@pytest.fixture(scope="module")
def settings() -> dict:
    """The backend's settings (as variables) with their defaults, and the secret ones, from its
    own code; a default of None is derived from another setting."""
    code = (
        "import json; from app.core.config import SECRET_FIELDS, Settings; "
        "print(json.dumps({'defaults': {n.upper(): None if f.default is None else str(f.default) "
        "for n, f in Settings.model_fields.items()}, 'secrets': [n.upper() for n in SECRET_FIELDS]}))"
    )
    output = subprocess.run(
        [str(VENV_DIR / "backend" / "bin" / "python"), "-c", code],
        cwd=ROOT / "backend", capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]},
    ).stdout
    return json.loads(output)


def one_machine_only(default) -> bool:
    """A default that cannot serve a cluster: none, empty, a loopback address, process memory."""
    if default is UNSET or default == "":
        return True
    return isinstance(default, str) and (
        any(host in default for host in ("127.0.0.1", "localhost")) or default.startswith("memory://")
    )


def readme_variables() -> set:
    table = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([A-Z0-9_]+)`", table, re.M)) | set(re.findall(r"` / `([A-Z0-9_]+)`", table))


def readme_secrets() -> set:
    paragraph = (ROOT / "README.md").read_text().split("**Secrets**", 1)[1].split("They reach", 1)[0]
    return set(re.findall(r"`([A-Z0-9_]+)`", paragraph))


@pytest.fixture(scope="module")
def required(settings) -> dict:
    """Per tier, the variables its code reads whose default works on one machine only."""
    staff_passwords = {name for name in settings["secrets"] if name.startswith("DEMO_")}
    backend = {name for name, default in settings["defaults"].items() if default is not None and one_machine_only(default)}
    rasa_code = read_by_code("channels", "components", "scripts/rasa_server.py")
    return {
        "backend": backend - staff_passwords,
        "prestart": {"DATABASE_URL"} | staff_passwords,  # the seed sets the staff's passwords
        "actions": {name for name, default in read_by_code("actions").items() if one_machine_only(default)},
        # SANIC_PROXIES_COUNT: the user's address behind the balancer (README "Limits")
        "rasa": {n for n, d in rasa_code.items() if one_machine_only(d)} | endpoints_variables() | {"SANIC_PROXIES_COUNT"},
    }


@pytest.fixture(scope="module")
def known(settings) -> set:
    """Every variable some part of the assistant reads."""
    return (
        set(settings["defaults"])
        | set(read_by_code("actions", "channels", "components", "scripts/rasa_server.py"))
        | endpoints_variables()
        | readme_variables()
    )


@pytest.fixture(scope="module")
def secrets() -> set:
    return readme_secrets() | {"POSTGRES_PASSWORD"}


# --- the topology ---------------------------------------------------------------------------


def test_every_file_parses():
    for path in [*DEPLOY.rglob("*.yaml"), *DEPLOY.rglob("*.yml")]:
        assert load_all(path), path


def test_compose_has_the_whole_topology_with_two_replicas_of_each_tier(compose):
    services = compose["services"]
    assert {*TIERS, *SHARED, "prestart", "prestart-tracker", "haproxy"} <= set(services)
    for tier in TIERS:
        assert services[tier]["deploy"]["replicas"] == 2, tier
    # each tier starts only after its prestart step and the state it shares
    completed = {"condition": "service_completed_successfully"}
    assert services["backend"]["depends_on"]["prestart"] == completed
    assert services["rasa"]["depends_on"]["prestart-tracker"] == completed
    assert list(services["haproxy"].get("ports", [])) == ["8080:8080"]
    published = [name for name, service in services.items() if service.get("ports") and name != "haproxy"]
    assert published == [], "only the balancer faces users"


def test_kubernetes_has_the_whole_topology_with_two_replicas_of_each_tier(k8s):
    for tier in TIERS:
        assert k8s[("Deployment", tier)]["spec"]["replicas"] == 2, tier
    for name in (*TIERS, *SHARED):
        service = k8s[("Service", name)]
        workload = k8s.get(("Deployment", name)) or k8s[("StatefulSet", name)]
        assert service["spec"]["selector"].items() <= workload["spec"]["template"]["metadata"]["labels"].items()
    job = k8s[("Job", "prestart")]["spec"]["template"]["spec"]
    commands = [container["command"] for container in job["containers"]]
    assert ["python", "-m", "app.prestart"] in commands
    assert ["python", "deploy/create_tracker_table.py"] in commands
    assert ("ConfigMap", "assistant-config") in k8s and ("Ingress", "assistant") in k8s


def test_the_same_paths_go_to_rasa_everywhere(k8s):
    """The Ingress, the Compose balancer and the local cluster's balancer route alike."""

    def acl(path: Path) -> list:
        return re.search(r"acl to_rasa path_beg (.+)", path.read_text()).group(1).split()

    rules = k8s[("Ingress", "assistant")]["spec"]["rules"][0]["http"]["paths"]
    to_rasa = sorted(rule["path"] for rule in rules if rule["backend"]["service"]["name"] == "rasa")
    assert [rule["path"] for rule in rules if rule["backend"]["service"]["name"] == "backend"] == ["/"]
    assert to_rasa == sorted(acl(DEPLOY / "haproxy" / "compose.cfg")) == sorted(acl(DEPLOY / "haproxy" / "cluster.cfg"))


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy is not installed")
def test_the_compose_balancer_config_is_valid():
    result = subprocess.run(["haproxy", "-c", "-f", str(DEPLOY / "haproxy" / "compose.cfg")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# --- environment and secrets ----------------------------------------------------------------


def image_env(tier: str) -> set:
    """Variables the tier's image sets (ENV lines of its Dockerfile)."""
    text = (DEPLOY / "docker" / f"{tier}.Dockerfile").read_text().replace("\\\n", " ")
    return {name for line in text.splitlines() if line.startswith("ENV ") for name in re.findall(r"(\w+)=", line)}


def test_compose_sets_what_the_code_needs_and_nothing_it_does_not_know(compose, required, known):
    for service, tier in COMPOSE_RUNS.items():
        environment = compose["services"][service]["environment"]
        missing = required[tier] - set(environment) - image_env(IMAGES[service])
        assert not missing, f"{service}: {sorted(missing)} not set"
        unknown = {name for name in environment if name not in known and not INFRA_NAMES.match(name)}
        assert not unknown, f"{service}: {sorted(unknown)} are read by nothing"
    tracker = compose["services"]["prestart-tracker"]["environment"]
    assert tracker["RASA_TRACKER_URL"] == compose["services"]["rasa"]["environment"]["RASA_TRACKER_URL"]


def test_kubernetes_sets_what_the_code_needs_and_nothing_it_does_not_know(k8s, required, known):
    runs = {"backend/backend": "backend", "prestart/backend": "prestart", "actions/actions": "actions", "rasa/rasa": "rasa"}
    found = containers(k8s)
    for container, tier in runs.items():
        environment = k8s_env(k8s, found[container])
        missing = required[tier] - set(environment) - image_env(IMAGES[container.split("/")[1]])
        assert not missing, f"{container}: {sorted(missing)} not set"
        unknown = {name for name in environment if name not in known and not INFRA_NAMES.match(name)}
        assert not unknown, f"{container}: {sorted(unknown)} are read by nothing"


def test_compose_takes_every_secret_from_the_environment(compose, secrets):
    for name, service in compose["services"].items():
        for variable, value in (service.get("environment") or {}).items():
            value = str(value)
            if variable in secrets:
                assert re.fullmatch(rf"\$\{{{variable}(:\?[^}}]*)?\}}", value), f"{name}: {variable} has a literal value"
            for password in re.findall(r"://[^:/@]+:([^@]+)@", value):
                assert re.fullmatch(r"\$\{POSTGRES_PASSWORD(:\?[^}]*)?\}", password), f"{name}: {variable} holds a password"


def test_kubernetes_takes_every_secret_from_the_secret(k8s, secrets):
    template = k8s[("Secret", "assistant-secrets")]
    assert "data" not in template and set(template["stringData"]) == secrets
    assert all(value == "" for value in template["stringData"].values()), "the template holds a value"
    config = k8s[("ConfigMap", "assistant-config")]["data"]
    assert not secrets & set(config) and not any("@" in value for value in config.values())
    for name, container in containers(k8s).items():
        for entry in container.get("env", []):
            if entry["name"] in secrets:
                assert "value" not in entry, f"{name}: {entry['name']} has a literal value"
                assert entry["valueFrom"]["secretKeyRef"] == {"name": "assistant-secrets", "key": entry["name"]}
            for password in re.findall(r"://[^:/@]+:([^@]+)@", entry.get("value", "")):
                assert password == "$(POSTGRES_PASSWORD)", f"{name}: {entry['name']} holds a password"


# --- images -----------------------------------------------------------------------------------


def dockerfile_copies(path: Path) -> list:
    """The repository paths a Dockerfile copies (not those from another build stage)."""
    sources = []
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["COPY"] and not any(part.startswith("--from=") for part in parts):
            sources += [part for part in parts[1:-1] if not part.startswith("--")]
    return sources


def test_every_image_copies_what_the_repository_has_and_its_ignore_file_lets_through(compose):
    dockerfiles = {service["build"]["dockerfile"] for service in compose["services"].values() if "build" in service}
    assert dockerfiles == {f"deploy/docker/{tier}.Dockerfile" for tier in TIERS}
    for dockerfile in dockerfiles:
        path = ROOT / dockerfile
        allowed = {line[1:] for line in Path(f"{path}.dockerignore").read_text().splitlines() if line.startswith("!")}
        for source in dockerfile_copies(path):
            source = source.rstrip("/")
            if source == "models":  # trained, not committed: scripts/train.sh names the model in models/current
                assert "> models/current" in (ROOT / "scripts" / "train.sh").read_text()
            else:
                assert (ROOT / source).exists(), f"{dockerfile}: {source} does not exist"
            assert any(source == a or source.startswith(f"{a}/") for a in allowed), f"{dockerfile}: {source} is excluded by its .dockerignore"
    requirements = {"backend": "backend/requirements.txt", "actions": "requirements/rasa.txt", "rasa": "requirements/rasa.txt"}
    for tier, pins in requirements.items():
        assert pins in dockerfile_copies(DEPLOY / "docker" / f"{tier}.Dockerfile"), f"{tier} is not built from {pins}"
    assert "deploy/endpoints.cluster.yml" in (DEPLOY / "docker" / "rasa.Dockerfile").read_text()


# --- health checks and routes -----------------------------------------------------------------


def routes(python: Path, cwd: Path, code: str, **env: str) -> set:
    if not python.exists():
        pytest.skip(f"{python} is missing: run scripts/setup.sh")
    result = subprocess.run(
        [str(python), "-W", "ignore", "-c", code], cwd=cwd, capture_output=True, text=True, timeout=300,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""), **env},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def served() -> dict:
    """Each tier's real routes, as its own code builds its app (Rasa: as `rasa run` does, with
    the channels of credentials.yml)."""
    rasa_python = VENV_DIR / "rasa" / "bin" / "python"
    return {
        "backend": routes(
            VENV_DIR / "backend" / "bin" / "python", ROOT / "backend",
            "import json; from fastapi.routing import iter_route_contexts; from app.main import app; "
            "print(json.dumps([r.path for r in iter_route_contexts(app.routes)]))",
        ),
        "actions": routes(
            rasa_python, ROOT,
            "import json; from actions.server import create_server; "
            "print(json.dumps(['/' + r.path for r in create_server('x').router.routes]))",
        ),
        "rasa": routes(
            rasa_python, ROOT,
            "import json; from rasa.core.run import configure_app, create_http_input_channels; "
            "app = configure_app(create_http_input_channels(None, 'credentials.yml'), auth_token='x', use_uvloop=False); "
            "print(json.dumps(['/' + r.path for r in app.router.routes]))",
            SOCKET_SECRET="x", RASA_TELEMETRY_ENABLED="false",
        ),
    }


def test_every_health_check_asks_a_real_route(compose, k8s, served):
    checks = []  # (tier, path)
    for tier in TIERS:
        test = " ".join(compose["services"][tier]["healthcheck"]["test"])
        checks.append((tier, re.search(r"http://127\.0\.0\.1:\d+(/[^'\"]*)", test).group(1)))
        container = containers(k8s)[f"{tier}/{tier}"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe in container:
                checks.append((tier, container[probe]["httpGet"]["path"]))
        assert "readinessProbe" in container, tier
    balancer = (DEPLOY / "haproxy" / "compose.cfg").read_text()
    for tier in TIERS:
        checks.append((tier, re.search(rf"^backend {tier}\n(?:.*\n)*?\s+option httpchk GET (\S+)", balancer, re.M).group(1)))
    for tier, path in checks:
        assert path in served[tier], f"{tier} has no route {path}"


def test_what_goes_to_rasa_is_served_by_rasa_and_by_no_backend_route(k8s, served):
    rules = k8s[("Ingress", "assistant")]["spec"]["rules"][0]["http"]["paths"]
    for prefix in (rule["path"] for rule in rules if rule["backend"]["service"]["name"] == "rasa"):
        assert any(route.startswith(prefix.rstrip("/")) for route in served["rasa"]), prefix
        assert not any(route.startswith(prefix.rstrip("/")) for route in served["backend"]), prefix


# --- the Rasa prestart step -----------------------------------------------------------------


def test_the_tracker_prestart_creates_the_database_and_table_and_can_run_again():
    """deploy/create_tracker_table.py, as the Compose service and the Job run it, on a
    PostgreSQL database that does not exist yet."""
    psycopg = pytest.importorskip("psycopg")
    python = VENV_DIR / "rasa" / "bin" / "python"
    if not python.exists():
        pytest.skip(f"{python} is missing: run scripts/setup.sh")
    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL not reachable: {exc} (REQUIRE_POSTGRES=1)")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    database = f"deploy_tracker_{uuid.uuid4().hex[:10]}"
    environment = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", ""), "RASA_TELEMETRY_ENABLED": "false",
        "RASA_TRACKER_URL": f"postgresql://postgres@127.0.0.1:5432/{database}",
    }
    try:
        for _ in range(2):
            result = subprocess.run(
                [str(python), "deploy/create_tracker_table.py"], cwd=ROOT, env=environment,
                capture_output=True, text=True, timeout=300,
            )
            assert result.returncode == 0, result.stderr[-2000:]
            assert result.stdout.strip() == f"tracker store ready: table 'events' in database '{database}' on 127.0.0.1"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()

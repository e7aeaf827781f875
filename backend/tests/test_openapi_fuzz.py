"""The OpenAPI schema says exactly what the backend does: schemathesis generates requests from
the published schema against a real backend process and checks every answer against it.

Two runs: without credentials, and with every credential the schema declares (a customer
token, the agent token, the service token), each operation getting the ones it asks for.
Bounded (MAX_EXAMPLES per operation, one worker) and deterministic (fixed seed, no example
database); about a minute on two cores.
"""

import subprocess
import sys

import httpx

from tests.conftest import AGENT_PASSWORD, PHONES, SERVICE_TOKEN
from tests.live import live_backend

MAX_EXAMPLES = 20
SEED = 20261130
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "allow_header_conformance",
        "ignored_auth",
    ]
)
# Refusals no schema can foresee: a wrong one-time code is well-formed (400 otp_invalid), and
# so is a file whose bytes are not really a JPEG, PNG or PDF (415). A statement over its
# maxLength is refused with 413 statement_too_long, which schemathesis does not count as a
# rejection by default.
CONFIG = """
[checks.negative_data_rejection]
expected-statuses = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]

[[operations]]
include-name = "POST /api/v1/identity/otp/verify"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "404", "409", "429", "5xx"]

# A range of days whose start is after its end, or longer than 366 days, is well-formed too
# (422 date_range_invalid).
[[operations]]
include-path-regex = "^/api/v1/staff/(figures|unknown-messages)"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "422", "5xx"]

[[operations]]
include-name = "POST /api/v1/me/appeals/{number}/materials"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "409", "415", "429", "5xx"]
"""
# With credentials, path parameters name real records (the customer's appeal, a waiting
# handoff ticket) so that the operations behind them are reached, not only their 404s.
CREDENTIALS = """
[parameters]
"path.number" = "{appeal}"
"path.ticket_id" = {ticket}

[auth.openapi.CustomerBearer]
bearer = "{customer}"

[auth.openapi.AgentBearer]
bearer = "{agent}"

[auth.openapi.ServiceToken]
api_key = "{service}"
"""


def fuzz(url: str, config: str, folder) -> subprocess.CompletedProcess:
    (folder / "schemathesis.toml").write_text(config)
    command = [
        sys.executable, "-m", "schemathesis.cli", "--config-file", str(folder / "schemathesis.toml"),
        "run", f"{url}/api/v1/openapi.json",
        "--checks", CHECKS,
        "--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED),
        "--generation-database", "none", "--workers", "1",
        "--request-timeout", "10", "--no-color",
    ]  # fmt: skip
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=300)


def test_every_answer_is_one_the_schema_describes(tmp_path, fake_rasa):
    with live_backend(tmp_path / "data", fake_rasa.url) as url:
        api = httpx.Client(base_url=f"{url}/api/v1")
        customer = api.post("/demo/app-session", json={"phone": PHONES["li_si"]}).json()["token"]
        agent = api.post("/agent/login", json={"username": "xiaowang", "password": AGENT_PASSWORD}).json()["token"]
        appeal = api.post(
            "/me/appeals",
            json={"product": "jiebei", "statement": "工作一直稳定"},
            headers={"Authorization": f"Bearer {customer}", "Idempotency-Key": "fuzz"},
        ).json()["number"]
        ticket = api.post(
            "/handoffs",
            json={"conversation_id": "fuzz-conversation", "language": "zh", "summary": "fuzz"},
            headers={"X-Service-Token": SERVICE_TOKEN},
        ).json()["id"]
        runs = {
            "no-credentials": CONFIG,
            "credentials": CONFIG
            + CREDENTIALS.format(customer=customer, agent=agent, service=SERVICE_TOKEN, appeal=appeal, ticket=ticket),
        }
        for name, config in runs.items():
            folder = tmp_path / name
            folder.mkdir()
            result = fuzz(url, config, folder)
            assert result.returncode == 0, f"{name}:\n{result.stdout[-8000:]}\n{result.stderr[-2000:]}"
            assert "No issues found" in result.stdout or " passed" in result.stdout, result.stdout[-3000:]

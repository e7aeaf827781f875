"""The action server answers only Rasa; internal ports listen on loopback only; demo doors
stay shut where they are not safe."""
import socket
import subprocess
import time
import uuid

import pytest

from scripts.stack import VENV_DIR, ROOT, free_port
from tests.helpers import http_json
from tests.security.hostile import send


def forged_call(action: str, sender: str, text: str = "13800000003") -> dict:
    """What an attacker would post to run an action: a made-up tracker."""
    return {
        "next_action": action, "sender_id": sender, "version": "3.6.21",
        "tracker": {
            "sender_id": sender, "slots": {"language": "zh", "requested_slot": "phone"},
            "latest_message": {"text": text, "intent": {"name": "inform"}, "entities": []},
            "events": [{"event": "user", "text": text, "metadata": {}}], "paused": False,
            "followup_action": None, "active_loop": {"name": "identity_form"},
            "latest_action_name": "action_listen",
        },
        "domain": {},
    }


def actions_url(stack) -> str:
    return f"http://127.0.0.1:{stack.env['ACTIONS_PORT']}"


def agent_headers(stack) -> dict:
    session = http_json("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login",
                        {"username": "xiaowang", "password": stack.env["DEMO_AGENT_PASSWORD"]})
    return {"Authorization": f"Bearer {session['token']}"}


@pytest.mark.parametrize("headers", [{}, {"X-Action-Token": "guessed"}, {"X-Action-Token": ""},
                                     {"Authorization": "Bearer guessed"}], ids=["none", "wrong", "empty", "bearer"])
def test_a_forged_handoff_without_the_secret_runs_nothing(stack, headers):
    sender = f"forged-{uuid.uuid4().hex}"
    call = forged_call("action_handoff_to_human", sender)
    call["tracker"]["events"][0]["text"] = "Customer: 张三 (138****0001, verified)"
    answer = send("POST", f"{actions_url(stack)}/webhook", call, headers=headers)
    assert answer.status == 401 and answer.json()["code"] == "action_token_invalid"
    assert b"138****0001" not in answer.body  # nothing of the request echoed
    tickets = http_json("GET", f"{stack.env['BACKEND_URL']}/api/v1/agent/handoffs", headers=agent_headers(stack))
    assert sender not in [t["conversation_id"] for t in tickets]


def test_a_forged_code_request_sends_no_code(stack):
    phone = "13800000009"
    before = send("GET", f"{stack.env['BACKEND_URL']}/api/v1/demo/otp?phone={phone}")
    answer = send("POST", f"{actions_url(stack)}/webhook",
                  forged_call("validate_identity_form", f"forged-{uuid.uuid4().hex}", phone))
    assert answer.status == 401
    after = send("GET", f"{stack.env['BACKEND_URL']}/api/v1/demo/otp?phone={phone}")
    assert after.status == before.status and after.body == before.body


def test_the_action_list_is_not_shown_to_strangers(stack):
    assert send("GET", f"{actions_url(stack)}/actions").status == 401
    assert send("GET", f"{actions_url(stack)}/health").status == 200  # says nothing but "ok"


@pytest.mark.parametrize("body", [b"[1, 2, 3]", b'{"next_action": "action_handoff_to_human"}',
                                  b'{"tracker": {}}', b"not json", b'{"next_action": 5, "tracker": {}}'],
                         ids=["array", "no-tracker", "no-action", "not-json", "number-action"])
def test_a_malformed_action_call_gets_400_and_is_not_echoed(stack, body):
    answer = send("POST", f"{actions_url(stack)}/webhook", body,
                  headers={"X-Action-Token": stack.env["ACTION_SERVER_TOKEN"], "Content-Type": "application/json"})
    assert answer.status == 400 and answer.json() == {
        "code": "invalid_action_call", "message": "The body is not an action call."}


def machine_address() -> str:
    """An address of this machine that is not loopback (the one other hosts would use)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the interface
        return probe.getsockname()[0]


@pytest.mark.parametrize("port_variable", ["ACTIONS_PORT", "RASA_PORT", "BACKEND_PORT"])
def test_internal_services_listen_on_loopback_only(stack, port_variable):
    address = machine_address()
    if address.startswith("127."):
        pytest.skip("this machine has no address besides loopback")
    with socket.socket() as client:
        client.settimeout(2)
        assert client.connect_ex((address, int(stack.env[port_variable]))) != 0


def start_backend(tmp_path, **env):
    port = free_port()
    environment = {"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path), "BACKEND_PORT": str(port), **env}
    subprocess.run([str(VENV_DIR / "backend" / "bin" / "python"), "-m", "app.prestart"], cwd=ROOT / "backend",
                   env=environment, check=True, capture_output=True)  # as every deployment does first
    return subprocess.Popen(
        [str(VENV_DIR / "backend" / "bin" / "python"), "-m", "uvicorn", "app.main:app", "--host",
         env.get("BACKEND_HOST", "127.0.0.1"), "--port", str(port)],
        cwd=ROOT / "backend", env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ), port


def test_the_backend_refuses_to_start_in_demo_mode_on_a_public_interface(tmp_path):
    process, _ = start_backend(tmp_path, DEMO_MODE="true", BACKEND_HOST="0.0.0.0")
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0 and b"DEMO_MODE" in output


def test_demo_doors_are_closed_unless_demo_mode_is_asked_for(tmp_path):
    process, port = start_backend(tmp_path)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if send("GET", f"{base}/api/v1/health", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        assert send("POST", f"{base}/api/v1/demo/app-session", {"phone": "13800000001"}).status == 404
        assert send("GET", f"{base}/dev/otp").status == 404
        assert send("GET", f"{base}/api/v1/demo/otp?phone=13800000001").status == 404
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_an_action_that_fails_on_a_broken_tracker_echoes_nothing(stack):
    call = forged_call("action_handoff_to_human", "broken")
    call["tracker"]["events"] = "SECRET-LOOKING-INPUT"
    answer = send("POST", f"{actions_url(stack)}/webhook", call,
                  headers={"X-Action-Token": stack.env["ACTION_SERVER_TOKEN"]})
    assert answer.status == 500 and answer.json() == {"code": "internal_error", "message": "The action failed."}

"""No secret at rest in clear, in a log line or on a command line; the data folder is the
owner's only."""
import os
import stat
from pathlib import Path

from tests.helpers import Chat, app_token, latest_code


def data_files(stack):
    return [p for p in Path(stack.env["DATA_DIR"]).rglob("*") if p.is_file()]


def everything_written(stack) -> bytes:
    """Every byte under the data folder: databases (and their write-ahead logs) and logs."""
    return b"".join(path.read_bytes() for path in data_files(stack) if path.name != "secrets.env")


def test_session_tokens_are_never_written_to_disk(stack):
    rasa, backend = stack.env["RASA_URL"], stack.env["BACKEND_URL"]
    app_session = app_token(backend, "13800000001")
    chat = Chat(rasa, token=app_session)
    assert chat.text(chat.say("为什么我开不了花呗"))
    by_code = Chat(rasa)
    by_code.say("我登录不了")
    by_code.say("13800000004")
    by_code.say(latest_code(backend, "13800000004"))
    assert by_code.token, "the bot handed a session token to the client"
    by_code.say("我的账户状态")
    written = everything_written(stack)
    assert app_session.encode() not in written and by_code.token.encode() not in written
    assert b"[redacted]" in written  # the places they would have been


def test_no_secret_of_the_stack_is_in_a_log_line(stack):
    logs = b"".join(p.read_bytes() for p in (Path(stack.env["DATA_DIR"]) / "logs").glob("*"))
    for name in ("RASA_API_TOKEN", "SERVICE_TOKEN", "ACTION_SERVER_TOKEN", "SOCKET_SECRET", "DEMO_AGENT_PASSWORD",
                 "DEMO_REVIEWER_PASSWORD", "DEMO_OPERATIONS_PASSWORD"):
        assert stack.env[name].encode() not in logs, f"{name} is in a log"


def test_no_secret_is_on_a_command_line(stack):
    command_lines = []
    for proc in Path("/proc").iterdir():
        try:
            command_lines.append((proc / "cmdline").read_bytes())
        except OSError:
            continue
    everything = b"\n".join(command_lines)
    assert stack.env["BACKEND_URL"].rsplit(":", 1)[1].encode() in everything  # the stack's processes are there
    for name in ("RASA_API_TOKEN", "SERVICE_TOKEN", "ACTION_SERVER_TOKEN", "SOCKET_SECRET"):
        assert stack.env[name].encode() not in everything, f"{name} is on a command line"


def test_files_of_the_data_folder_are_the_owners_only(stack):
    paths = [Path(stack.env["DATA_DIR"]), *Path(stack.env["DATA_DIR"]).rglob("*")]
    assert any(p.suffix == ".db" for p in paths)
    loose = [str(p) for p in paths if not p.is_symlink() and stat.S_IMODE(os.stat(p).st_mode) & 0o077]
    assert loose == []

"""Whatever fails, every message gets a reply within 5 s, and nothing is lost or doubled.

Each test stops, hangs (SIGSTOP) or kills a process of the shared stack and puts it back
afterwards; supervisord restarts what was killed."""
import os
import signal
import time
from contextlib import contextmanager

import pytest

from tests.helpers import Chat, app_token, http_json, latest_code, reason

REPLY_SECONDS = 5


def timed_say(chat: Chat, text: str):
    started = time.monotonic()
    replies = chat.say(text)
    return replies, time.monotonic() - started


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def healthy(stack, name: str) -> bool:
    try:
        http_json("GET", stack.service(name).health_url)
        return True
    except OSError:
        return False


@contextmanager
def stopped(stack, name: str):
    stack.control("stop", stack.service(name).program)
    try:
        yield
    finally:
        stack.control("start", stack.service(name).program)
        wait_until(lambda: healthy(stack, name), 120, f"{name} back up")


@contextmanager
def hung(stack, name: str):
    pid = stack.pid(stack.service(name))
    os.killpg(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(pid, signal.SIGCONT)


def user_texts(stack, sender: str) -> list:
    tracker = http_json("GET", f"{stack.env['RASA_URL']}/conversations/{sender}/tracker"
                               f"?token={stack.env['RASA_API_TOKEN']}")
    return [e["text"] for e in tracker["events"] if e.get("event") == "user"]


@pytest.mark.parametrize("fault", [stopped, hung], ids=["stopped", "hung"])
@pytest.mark.parametrize("name", ["action server", "backend"])
def test_every_message_gets_a_reply_within_five_seconds(stack, fault, name):
    token = app_token(stack.env["BACKEND_URL"], "13800000001")
    chat = Chat(stack.env["RASA_URL"], token=token)
    with fault(stack, name):
        for message in ["为什么我开不了花呗", "I can't log in", "转人工"]:
            replies, seconds = timed_say(chat, message)
            assert replies and seconds < REPLY_SECONDS, f"{message!r}: {replies} after {seconds:.1f} s"
    texts = Chat.text(chat.say("为什么我开不了花呗"))
    assert "逾期" in texts or "人工" in texts  # working again (or still waiting for the agent)


def test_a_failing_action_is_explained_in_the_users_language(stack):
    chat = Chat(stack.env["RASA_URL"], token=app_token(stack.env["BACKEND_URL"], "13800000010"))
    with stopped(stack, "action server"):
        assert "something went wrong" in Chat.text(chat.say("what is my account status"))
        assert "系统暂时出了点问题" in Chat.text(chat.say("我的账户状态"))


def test_a_killed_action_server_is_restarted_by_the_supervisor(stack):
    service = stack.service("action server")
    before = stack.pid(service)
    os.killpg(before, signal.SIGKILL)
    wait_until(lambda: stack.pid(service) not in (0, before) and healthy(stack, "action server"), 60,
               "the action server's restart")
    chat = Chat(stack.env["RASA_URL"], token=app_token(stack.env["BACKEND_URL"], "13800000006"))
    assert "多头" in Chat.text(chat.say("借呗为什么被拒"))


def test_an_appeal_confirmed_while_the_action_server_hangs_is_filed_once(stack):
    backend = stack.env["BACKEND_URL"]
    token = app_token(backend, "13800000001")  # 张三: overdue records, appealable, nothing filed yet
    chat = Chat(stack.env["RASA_URL"], token=token)
    statement = "那两笔逾期是银行系统出错造成的，银行已经出具了更正说明"
    chat.say("我要申诉")
    assert "确认提交申诉吗" in Chat.text(chat.say(statement))
    with hung(stack, "action server"):
        replies, seconds = timed_say(chat, "/affirm")
        assert seconds < REPLY_SECONDS and "系统暂时出了点问题" in Chat.text(replies)
    # the user tries again, as told: whatever the first try did, one appeal, and they learn its number
    retry = Chat.text(chat.say("我要申诉"))
    if "确认提交申诉吗" not in retry and "进行中的申诉" not in retry:
        retry = Chat.text(chat.say(statement))
    if "确认提交申诉吗" in retry:
        retry = Chat.text(chat.say("/affirm"))
    appeals = http_json("GET", f"{backend}/api/v1/me/appeals", headers={"Authorization": f"Bearer {token}"})
    filed = [a for a in appeals if a["product"] == "huabei" and a["status"] in ("submitted", "in_review")]
    assert len(filed) == 1 and filed[0]["number"] in retry


def test_a_handoff_asked_while_the_backend_hangs_makes_one_ticket_at_most(stack):
    chat = Chat(stack.env["RASA_URL"], token=app_token(stack.env["BACKEND_URL"], "13800000008"))
    with hung(stack, "backend"):
        replies, seconds = timed_say(chat, "转人工")
        assert seconds < REPLY_SECONDS and replies
    chat.say("转人工")
    session = http_json("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login",
                        {"username": "xiaowang", "password": stack.env["DEMO_AGENT_PASSWORD"]})
    tickets = http_json("GET", f"{stack.env['BACKEND_URL']}/api/v1/agent/handoffs",
                        headers={"Authorization": f"Bearer {session['token']}"})
    assert len([t for t in tickets if t["conversation_id"] == chat.sender]) == 1


def test_rasa_killed_mid_verification_comes_back_and_the_conversation_goes_on(stack):
    rasa, backend = stack.env["RASA_URL"], stack.env["BACKEND_URL"]
    chat = Chat(rasa)
    chat.say("I can't log in")
    assert "code" in Chat.text(chat.say("13800000004"))
    before = user_texts(stack, chat.sender)
    service = stack.service("rasa")
    killed = stack.pid(service)
    os.killpg(killed, signal.SIGKILL)
    wait_until(lambda: stack.pid(service) not in (0, killed) and healthy(stack, "rasa"), 180, "Rasa's restart")
    code = latest_code(backend, "13800000004")
    replies = chat.say(code)  # the form is where it was: the code verifies and the cause is told
    assert chat.token and reason(backend, "LOCATION_MISMATCH", "en")["title"] in Chat.text(replies)
    assert user_texts(stack, chat.sender) == before + [code]  # every turn stored, once

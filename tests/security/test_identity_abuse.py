"""Guessing, replaying and flooding around who the user is: throttled in a way that protects
the customer instead of locking them out, and told truthfully."""
import uuid

from tests.helpers import Chat, app_token, http_json, latest_code
from tests.security.hostile import send


def asks_for_a_code(stack, phone: str, complaint: str = "我登录不了"):
    """A new chat that complained and typed the phone; the chat and the code sent to it."""
    chat = Chat(stack.env["RASA_URL"])
    chat.say(complaint)
    chat.say(phone)
    return chat, latest_code(stack.env["BACKEND_URL"], phone, chat.sender)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_an_attackers_wrong_codes_do_not_lock_the_owner_out(stack):
    phone = "13800000003"
    attacker, attacker_code = asks_for_a_code(stack, phone)
    answers = [Chat.text(attacker.say(wrong(attacker_code))) for _ in range(5)]
    assert "还可以再试 4 次" in answers[0]
    assert "已经失效" in answers[-1]  # that code is void: the attacker must start again
    attacker.say(attacker_code)  # even the right code, now
    assert not attacker.token

    owner, code = asks_for_a_code(stack, phone, "身份验证失败怎么办")
    verified = owner.say(code)
    assert owner.token, f"the owner was locked out: {Chat.text(verified)}"


def test_a_code_works_only_in_the_conversation_that_asked_for_it(stack):
    phone = "13800000007"
    owner, stolen = asks_for_a_code(stack, phone)
    thief, _ = asks_for_a_code(stack, phone)
    assert "不正确" in Chat.text(thief.say(stolen)) and not thief.token
    owner.say(stolen)
    assert owner.token


def test_a_used_code_cannot_be_replayed(stack):
    phone = "13800000008"
    chat, code = asks_for_a_code(stack, phone, "I can't log in")
    chat.say(code)
    assert chat.token
    replay = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/identity/otp/verify",
                  {"phone": phone, "code": code, "conversation_id": chat.sender},
                  headers={"X-Service-Token": stack.env["SERVICE_TOKEN"]})
    assert replay.status == 400 and replay.json()["code"] == "otp_expired"


def test_too_many_codes_for_one_number_get_the_truthful_answer(stack):
    rasa, phone = stack.env["RASA_URL"], "13800000009"
    answers = []
    for _ in range(6):  # five codes per number in ten minutes, each from a new conversation
        chat = Chat(rasa)
        chat.say("我登录不了")
        answers.append(Chat.text(chat.say(phone)))
    assert all("验证码" in a and "次数太多" not in a for a in answers[:5])
    assert "次数太多" in answers[5] and "暂时无法查询" not in answers[5]


def test_code_requests_without_the_service_token_are_refused(stack):
    for path, body in [("send", {"phone": "13800000001", "conversation_id": "x"}),
                       ("verify", {"phone": "13800000001", "code": "123456", "conversation_id": "x"})]:
        answer = send("POST", f"{stack.env['BACKEND_URL']}/api/v1/identity/otp/{path}", body)
        assert answer.status == 401 and answer.json()["code"] == "service_token_invalid"


def test_agent_password_guessing_is_throttled(stack):
    url = f"{stack.env['BACKEND_URL']}/api/v1/agent/login"
    target = f"agent-{uuid.uuid4().hex[:8]}"
    answers = [send("POST", url, {"username": target, "password": f"guess-{n}"}) for n in range(6)]
    assert [a.status for a in answers[:5]] == [401] * 5
    assert answers[5].status == 429 and answers[5].json()["code"] == "login_throttled"
    assert int(answers[5].headers["retry-after"]) > 0
    # the real agent, guessed at from elsewhere, is not locked out
    assert send("POST", url, {"username": "xiaowang", "password": stack.env["DEMO_AGENT_PASSWORD"]}).status == 200


def test_a_forged_or_expired_customer_token_sees_nothing(stack):
    for token in ("forged-token", app_token(stack.env["BACKEND_URL"], "13800000001")[:-2] + "xx"):
        answer = send("GET", f"{stack.env['BACKEND_URL']}/api/v1/me/accounts",
                      headers={"Authorization": f"Bearer {token}"})
        assert answer.status == 401 and answer.json()["code"] == "token_invalid"


def agent(stack) -> dict:
    session = http_json("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login",
                        {"username": "xiaowang", "password": stack.env["DEMO_AGENT_PASSWORD"]})
    return {"Authorization": f"Bearer {session['token']}"}


def test_a_ticket_for_a_conversation_that_never_asked_cannot_be_claimed(stack):
    """Even with the service token (which only the action server holds), a made-up ticket
    gives an agent neither the conversation nor its transcript."""
    backend = stack.env["BACKEND_URL"]
    victim = Chat(stack.env["RASA_URL"], token=app_token(backend, "13800000001"))
    victim.say("为什么我开不了花呗")
    created = send("POST", f"{backend}/api/v1/handoffs", {
        "conversation_id": victim.sender, "language": "zh", "product": "huabei", "reason_code": None,
        "summary": "Customer: 张三 (138****0001, verified)"}, headers={"X-Service-Token": stack.env["SERVICE_TOKEN"]})
    ticket = created.json()
    assert created.status == 201 and ticket["customer"] is None  # no token: nobody verified
    headers = agent(stack)
    transcript = send("GET", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/transcript", headers=headers)
    assert transcript.status == 409 and transcript.json()["code"] == "not_claimed"
    claim = send("POST", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/claim", headers=headers)
    assert claim.status == 409 and claim.json()["code"] == "conversation_not_waiting"
    message = send("POST", f"{backend}/api/v1/agent/handoffs/{ticket['id']}/messages", {"text": "hi"}, headers=headers)
    assert message.status == 409

"""Long conversations: the stack runs with a working window of 30 events (conftest), so
whatever the bot must remember from earlier has to be carried past the window."""
from tests.e2e.test_conversations import urls
from tests.helpers import WAITING_ZH, Chat, app_token, http_json, reason

SILENT_MESSAGES = 40  # one event each while paused: well past the window


def agent_headers(stack) -> dict:
    session = http_json("POST", f"{stack.env['BACKEND_URL']}/api/v1/agent/login",
                        {"username": "xiaowang", "password": stack.env["DEMO_AGENT_PASSWORD"]})
    return {"Authorization": f"Bearer {session['token']}"}


def ticket_for(stack, headers: dict, conversation_id: str) -> dict:
    tickets = http_json("GET", f"{stack.env['BACKEND_URL']}/api/v1/agent/handoffs", headers=headers)
    return next(t for t in tickets if t["conversation_id"] == conversation_id)


def test_a_long_wait_for_an_agent_gets_one_reply_then_the_bot_answers_again(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))
    overdue = reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")
    assert overdue["title"] in chat.text(chat.say("为什么我开不了花呗"))
    assert "人工客服" in chat.text(chat.say("转人工"))

    assert chat.text(chat.say("还有人吗？第1次问")) == WAITING_ZH
    for number in range(1, SILENT_MESSAGES):  # within the minute: one reply is enough
        assert chat.say(f"还有人吗？第{number + 1}次问") == []

    headers = agent_headers(stack)
    ticket = ticket_for(stack, headers, chat.sender)
    base = f"{backend}/api/v1/agent/handoffs/{ticket['id']}"
    http_json("POST", f"{base}/claim", {}, headers=headers)
    transcript = http_json("GET", f"{base}/transcript", headers=headers)
    user_lines = [line["text"] for line in transcript if line["sender"] == "user"]
    assert user_lines[:2] == ["为什么我开不了花呗", "转人工"]
    assert user_lines[2:] == [f"还有人吗？第{n + 1}次问" for n in range(SILENT_MESSAGES)]
    assert [line["text"] for line in transcript].count(WAITING_ZH) == 1  # the agent sees what the user was told

    http_json("POST", f"{base}/handback", {}, headers=headers)
    assert overdue["title"] in chat.text(chat.say("为什么我开不了花呗"))


def test_the_product_named_long_ago_is_still_the_one_discussed(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))  # 张三: Huabei refused, Jiebei never opened
    overdue = reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")
    first = chat.text(chat.say("借呗为什么开不了"))
    assert "您还没有开通借呗" in first and "花呗：申请被拒" in first
    for _ in range(8):
        assert chat.say("你好")
        assert chat.say("谢谢")
    answer = chat.text(chat.say("为什么开不了"))  # no product named: the one of the conversation
    assert "您还没有开通借呗" in answer and overdue["title"] not in answer

"""Real conversations over the REST channel against the running stack."""
import re

import pytest

from scripts.stack import Stack
from tests.helpers import Chat, app_token, latest_code, reason


CHINESE = re.compile(r"[\u4e00-\u9fff]")


def urls(stack: Stack):
    return stack.env["RASA_URL"], stack.env["BACKEND_URL"]


@pytest.mark.parametrize("greeting,expected", [("你好", "您好"), ("hello", "Hello")])
def test_greeting_in_the_users_language(stack, greeting, expected):
    assert Chat(urls(stack)[0]).text(Chat(urls(stack)[0]).say(greeting)).startswith(expected)


def test_pinyin_is_answered_in_the_conversations_language(stack):
    """Pinyin is Chinese typed without an input method, or a Chinese name in English."""
    rasa = urls(stack)[0]
    chat = Chat(rasa)
    assert CHINESE.search(chat.text(chat.say("ni hao")))
    english = Chat(rasa)
    assert english.text(english.say("hello")).startswith("Hello")
    assert not CHINESE.search(english.text(english.say("xiexie")))


def test_zhang_san_complains_in_pinyin_and_hears_his_cause_in_chinese(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))
    text = chat.text(chat.say("huabei weishenme kai bu liao"))
    catalog = reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")
    assert catalog["title"] in text and catalog["explanation"] in text


@pytest.mark.parametrize("puzzled", ["？？？", "!!!"])
def test_punctuation_alone_is_asked_to_be_rephrased(stack, puzzled):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))
    assert reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")["title"] in chat.text(chat.say("为什么我开不了花呗"))
    assert chat.text(chat.say(puzzled)) == "抱歉，我没太明白，能换个说法再说一遍吗？"


def test_zhang_san_with_app_token_learns_about_overdue_history(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000001"))
    text = chat.text(chat.say("为什么我开不了花呗"))
    catalog = reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")
    assert catalog["explanation"] in text and catalog["title"] in text


def test_anonymous_user_verifies_by_code_and_learns_about_the_location(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa)
    asked = chat.text(chat.say("I can't log in"))
    assert "mobile number" in asked
    assert "code" in chat.text(chat.say("13800000004"))
    replies = chat.say(latest_code(backend, "13800000004"))
    assert chat.token, "the bot hands the verified session token to the client"
    text = chat.text(replies)
    catalog = reason(backend, "LOCATION_MISMATCH", "en")
    assert catalog["title"] in text and catalog["explanation"] in text
    assert reason(backend, "DEVICE_UNSUPPORTED", "en")["title"] in text
    # the next message carries the token, as the widget does: no second verification
    assert "Your accounts" in chat.text(chat.say("what is my account status"))


def test_another_users_conversation_id_reveals_nothing(stack):
    rasa, backend = urls(stack)
    owner = Chat(rasa, token=app_token(backend, "13800000001"))
    assert "花呗" in owner.text(owner.say("我的账户状态"))
    intruder = Chat(rasa, sender=owner.sender)  # same conversation id, no token
    text = intruder.text(intruder.say("我的账户状态"))
    assert "申请被拒" not in text and "需要先确认您的身份" in text
    forged = Chat(rasa, token="forged-token", sender=owner.sender)
    assert "申请被拒" not in forged.text(forged.say("查一下我的花呗状态"))


def test_li_si_files_an_appeal_in_chinese(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa, token=app_token(backend, "13800000002"))
    assert "申诉" in chat.text(chat.say("我要申诉"))
    confirm = chat.say("我已经在现在的公司稳定工作一年多了，每月按时发工资")
    assert "确认提交申诉吗" in chat.text(confirm)
    filed = chat.say("/affirm")
    assert "申诉已提交，申诉编号：AP" in chat.text(filed)
    assert any((r.get("custom") or {}).get("upload") for r in filed)


@pytest.mark.parametrize("nonsense", ["asdkjh qwe", "qwpoe zmxn"])
def test_keyboard_mashing_is_neither_a_yes_nor_thanks(stack, nonsense):
    chat = Chat(urls(stack)[0])
    text = chat.text(chat.say(nonsense))
    assert "I can only help with Huabei and Jiebei" in text or "Did you mean" in text


def test_unclear_messages_end_in_the_offer_of_a_human(stack):
    """The two-stage fallback, driven by messages the model did not understand (sent as the
    fallback intent itself, so the dialogue is tested whatever the classifier's scores):
    the bot guesses or asks to rephrase, the user declines, and it ends in a human agent."""
    chat = Chat(urls(stack)[0])
    assert "Hello" in chat.text(chat.say("hi"))
    replies, turns = chat.say("/nlu_fallback"), 1
    while "human agent" not in chat.text(replies) and turns < 5:
        assert "Did you mean" in chat.text(replies) or "other words" in chat.text(replies)
        declined = any(b["payload"] == "/out_of_scope" for b in replies[-1].get("buttons") or [])
        replies, turns = chat.say("/out_of_scope" if declined else "/nlu_fallback"), turns + 1
    assert "human agent" in chat.text(replies) and turns <= 4
    assert replies[-1]["buttons"] == [{"title": "Talk to a human agent", "payload": "/request_human"}]


def test_a_product_named_first_is_explained_after_the_verification(stack):
    rasa, backend = urls(stack)
    chat = Chat(rasa)
    assert "手机号" in chat.text(chat.say("花呗"))
    assert "验证码" in chat.text(chat.say("13800000001"))
    text = chat.text(chat.say(latest_code(backend, "13800000001", chat.sender)))
    assert reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")["title"] in text


def test_the_user_can_refuse_the_verification(stack):
    chat = Chat(urls(stack)[0])
    assert "手机号" in chat.text(chat.say("我登录不了"))
    assert chat.text(chat.say("不想验证了 算了")) == "好的，已取消身份验证。"

"""Every demo customer of DESIGN.md gets their own true cause, in Chinese and in English."""
import pytest

from tests.helpers import Chat, app_token, reason

# phone, expected blocking reason (None: nothing wrong), a complaint in zh, one in en
CUSTOMERS = [
    ("13800000001", "CREDIT_OVERDUE_HISTORY", "为什么我开不了花呗", "why can't I open Huabei"),
    ("13800000002", "UNSTABLE_EMPLOYMENT", "借呗申请被拒了", "my Jiebei application was refused"),
    ("13800000003", "ID_INFO_MISMATCH", "身份验证失败怎么办", "identity verification failed, what now"),
    ("13800000004", "LOCATION_MISMATCH", "登录不了", "I can't log in"),
    ("13800000005", "SERVICE_OUTAGE", "借呗提示暂时无法使用本服务", "Jiebei says service temporarily unavailable"),
    ("13800000006", "MULTIPLE_LENDING", "借呗为什么被拒", "why was my Jiebei rejected"),
    ("13800000007", "BANK_CARD_MISMATCH", "花呗开通失败", "Huabei activation failed"),
    ("13800000008", "REGULATORY_RESTRICTION", "为什么花呗开不了", "why was Huabei refused"),
    ("13800000010", None, "为什么我开不了借呗", "why can't I open Jiebei"),
]


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("phone,code,zh,en", CUSTOMERS, ids=[c[1] or "nothing-wrong" for c in CUSTOMERS])
def test_each_customer_hears_their_own_cause(stack, phone, code, zh, en, language):
    rasa, backend = stack.env["RASA_URL"], stack.env["BACKEND_URL"]
    chat = Chat(rasa, token=app_token(backend, phone))
    text = chat.text(chat.say(zh if language == "zh" else en))
    if code is None:
        expected = "没有发现异常" if language == "zh" else "I don't see any problem"
        assert expected in text
        return
    catalog = reason(backend, code, language)
    assert catalog["title"] in text
    if code != "SERVICE_OUTAGE":  # an outage is explained with its incident and end time instead
        assert catalog["remedy"] in text


def test_zheng_yi_hears_about_his_appeal_in_progress(stack):
    rasa, backend = stack.env["RASA_URL"], stack.env["BACKEND_URL"]
    chat = Chat(rasa, token=app_token(backend, "13800000009"))
    assert "进行中的申诉" in chat.text(chat.say("我的借呗怎么还开不了"))
    english = chat.text(chat.say("how is my appeal going"))
    assert "Appeal AP-" in english and "in review" in english

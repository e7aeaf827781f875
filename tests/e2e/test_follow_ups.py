"""Follow-up questions after a cause was explained, over the running stack: the user reads a
short answer about that cause in the catalog's words, not a second diagnosis, a goodbye or
a fallback."""
import pytest

from tests.helpers import Chat, app_token, reason


def chat_for(stack, phone):
    return Chat(stack.env["RASA_URL"], token=app_token(stack.env["BACKEND_URL"], phone)), stack.env["BACKEND_URL"]


def test_zhang_san_is_offered_an_appeal_and_the_retry_date_then_asks_what_to_do_and_has_repaid(stack):
    chat, backend = chat_for(stack, "13800000001")
    catalog = reason(backend, "CREDIT_OVERDUE_HISTORY", "zh")
    first = chat.text(chat.say("为什么我开不了花呗"))
    assert catalog["title"] in first and "之后重新申请" in first and "提交申诉" in first
    what = chat.text(chat.say("那我该怎么办"))
    assert catalog["remedy"] in what and "之后重新申请" in what
    assert catalog["explanation"] not in what and "再见" not in what
    fixed = chat.text(chat.say("我已经还清了"))
    assert catalog["follow_up"]["already_fixed"] in fixed


def test_wu_shi_asks_what_regulation_means(stack):
    chat, backend = chat_for(stack, "13800000008")
    catalog = reason(backend, "REGULATORY_RESTRICTION", "en")
    assert catalog["title"] in chat.text(chat.say("why was Huabei refused"))
    meaning = chat.text(chat.say("regulation? what does that mean"))
    assert catalog["explanation"] in meaning and "Did you mean" not in meaning


def test_sun_ba_asks_if_it_is_fair_and_how_long(stack):
    chat, backend = chat_for(stack, "13800000006")
    catalog = reason(backend, "MULTIPLE_LENDING", "zh")
    assert catalog["title"] in chat.text(chat.say("借呗为什么被拒"))
    assert catalog["follow_up"]["why_me"] in chat.text(chat.say("这公平吗"))
    assert catalog["follow_up"]["timing"] in chat.text(chat.say("要多久"))


def test_li_si_asks_why_me_in_english(stack):
    chat, backend = chat_for(stack, "13800000002")
    catalog = reason(backend, "UNSTABLE_EMPLOYMENT", "en")
    assert catalog["title"] in chat.text(chat.say("my Jiebei application was refused"))
    assert catalog["follow_up"]["why_me"] in chat.text(chat.say("why me?"))


def test_qian_qi_asks_when_the_service_works_again(stack):
    chat, backend = chat_for(stack, "13800000005")
    catalog = reason(backend, "SERVICE_OUTAGE", "en")
    assert catalog["title"] in chat.text(chat.say("Jiebei says service temporarily unavailable"))
    when = chat.text(chat.say("when will it work again"))
    assert "expected to work again by" in when and catalog["explanation"] not in when


def test_zheng_yi_asks_what_to_do_while_his_appeal_is_open(stack):
    chat, backend = chat_for(stack, "13800000009")
    assert "进行中的申诉" in chat.text(chat.say("我的借呗怎么还开不了"))
    next_step = chat.text(chat.say("那我该怎么办"))
    assert "申诉 AP-" in next_step
    # the review time of his cause, from the catalog (7 working days for high-risk activity)
    days = reason(backend, "HIGH_RISK_BEHAVIOR", "zh")["appeal_review_days"]
    assert f"{days} 个工作日" in next_step


def test_an_angry_complaint_naming_the_product_gets_the_cause(stack):
    chat, backend = chat_for(stack, "13800000002")
    catalog = reason(backend, "UNSTABLE_EMPLOYMENT", "zh")
    text = chat.text(chat.say("借呗又被拒了 气死了😤"))
    assert "非常抱歉" in text and catalog["title"] in text


def test_zhou_jiu_bank_card_complaint_names_the_cause_and_the_materials(stack):
    chat, backend = chat_for(stack, "13800000007")
    catalog = reason(backend, "BANK_CARD_MISMATCH", "zh")
    text = chat.text(chat.say("开通花呗的时候说我银行卡有问题"))
    assert catalog["title"] in text
    assert all(m["name"] in text for m in catalog["required_materials"])


@pytest.mark.parametrize("yes", ["确认", "👍"])
def test_a_yes_with_nothing_to_confirm_is_not_the_final_fallback(stack, yes):
    chat = Chat(stack.env["RASA_URL"])
    text = chat.text(chat.say(yes))
    assert "目前没有需要您确认的事项" in text and "我还是没能理解" not in text


def test_qian_qi_asks_in_chinese_when_it_is_back_and_why_her(stack):
    chat, backend = chat_for(stack, "13800000005")
    catalog = reason(backend, "SERVICE_OUTAGE", "zh")
    assert catalog["title"] in chat.text(chat.say("借呗提示暂时无法使用本服务"))
    when = chat.text(chat.say("什么时候能恢复"))
    assert "预计在" in when and catalog["explanation"] not in when
    assert catalog["follow_up"]["why_me"] in chat.text(chat.say("为什么是我"))


@pytest.mark.parametrize("question", ["那设备的问题怎么办", "手机的问题怎么解决"])
def test_zhao_liu_asks_about_his_second_cause_and_hears_about_that_one(stack, question):
    chat, backend = chat_for(stack, "13800000004")
    location, device = (reason(backend, code, "zh") for code in ("LOCATION_MISMATCH", "DEVICE_UNSUPPORTED"))
    first = chat.text(chat.say("我登录不了"))
    assert location["title"] in first and device["title"] in first
    answer = chat.text(chat.say(question))
    assert device["remedy"] in answer and location["remedy"] not in answer


def test_zhao_liu_asks_what_the_device_cause_means(stack):
    chat, backend = chat_for(stack, "13800000004")
    location, device = (reason(backend, code, "zh") for code in ("LOCATION_MISMATCH", "DEVICE_UNSUPPORTED"))
    assert device["title"] in chat.text(chat.say("登不上去了"))
    answer = chat.text(chat.say("设备不支持是啥意思啊"))
    assert device["explanation"] in answer and location["explanation"] not in answer


@pytest.mark.parametrize("puzzled", ["啥？", "什么？"])
def test_zhou_jiu_is_puzzled_and_hears_what_his_cause_means(stack, puzzled):
    """A one-word "what?" after an explanation is about that explanation (it was taken for
    "which materials" or for "yes")."""
    chat, backend = chat_for(stack, "13800000007")
    catalog = reason(backend, "BANK_CARD_MISMATCH", "zh")
    assert catalog["title"] in chat.text(chat.say("开通花呗的时候说我银行卡有问题"))
    answer = chat.text(chat.say(puzzled))
    assert f"“{catalog['title']}”的意思是：{catalog['explanation']}" in answer
    assert catalog["remedy"] not in answer


def test_wu_shi_asks_whether_she_can_appeal_and_hears_it_would_not_change_the_decision(stack):
    chat, backend = chat_for(stack, "13800000008")
    catalog = reason(backend, "REGULATORY_RESTRICTION", "zh")
    assert catalog["title"] in chat.text(chat.say("花呗申请被拒了"))
    answer = chat.text(chat.say("那我还能申诉不"))
    assert f"无法通过申诉改变：{catalog['remedy']}" in answer and "还没有提交过申诉" not in answer


def test_zhou_jiu_says_the_card_is_changed(stack):
    chat, backend = chat_for(stack, "13800000007")
    catalog = reason(backend, "BANK_CARD_MISMATCH", "zh")
    assert catalog["title"] in chat.text(chat.say("花呗开通失败"))
    assert catalog["follow_up"]["already_fixed"] in chat.text(chat.say("卡已经换好了"))


@pytest.mark.parametrize("no,expected", [("算了", "好的。还有其他可以帮您的吗？"), ("no thanks", "All right. Is there anything else I can help with?")])
def test_a_no_with_nothing_to_decline_is_not_the_final_fallback(stack, no, expected):
    chat = Chat(stack.env["RASA_URL"])
    assert chat.text(chat.say(no)) == expected

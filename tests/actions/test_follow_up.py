"""Follow-up questions after a diagnosis: short answers about the diagnosed cause, in the
catalog's words, against the real backend."""
import time

from actions.account import ActionExplainHowToQualify
from actions.follow_up import ActionAnswerFollowUp
from actions.resume import ActionResumeRequest
from tests.actions.conftest import make_tracker, message, responses, run, slot_events
from tests.helpers import reason


def follow_up(token, intent, text, code, product=None, topic=None, language="zh"):
    slots = {"diagnosed_reason": code, "product": product, "topic": topic, "language": language}
    return run(ActionAnswerFollowUp(), make_tracker(text, intent, token, slots=slots))


def test_what_to_do_after_the_overdue_history_is_the_remedy_materials_and_retry_date(token_for, backend_url):
    dispatcher, events = follow_up(token_for("13800000001"), "ask_what_to_do", "那我该怎么办", "CREDIT_OVERDUE_HISTORY", "huabei")
    catalog = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")
    assert message(dispatcher, "utter_diagnosis_remedy")["remedy"] == catalog["remedy"]
    assert all(m["name"] in message(dispatcher, "utter_required_materials")["materials"] for m in catalog["required_materials"])
    assert message(dispatcher, "utter_retry_after")["date"].endswith("日")
    assert "utter_diagnosis_cause" not in responses(dispatcher)  # not a second diagnosis
    assert "diagnosed_reason" not in slot_events(events)


def test_regulation_what_does_that_mean_explains_the_regulatory_review(token_for, backend_url):
    dispatcher, _ = follow_up(token_for("13800000008"), "ask_meaning", "regulation? what does that mean",
                              "REGULATORY_RESTRICTION", "huabei", language="en")
    catalog = reason(backend_url, "REGULATORY_RESTRICTION", "en")
    meaning = message(dispatcher, "utter_follow_up_meaning")
    assert meaning["title"] == catalog["title"] and meaning["explanation"] == catalog["explanation"]
    assert responses(dispatcher) == ["utter_follow_up_meaning"]


def test_why_me_and_is_it_fair_get_the_catalogs_why_me_text(token_for, backend_url):
    dispatcher, _ = follow_up(token_for("13800000006"), "ask_why_me", "这公平吗", "MULTIPLE_LENDING", "jiebei")
    assert message(dispatcher, "utter_follow_up_text")["text"] == reason(backend_url, "MULTIPLE_LENDING", "zh")["follow_up"]["why_me"]


def test_how_long_gives_the_retry_date_and_the_timing(token_for, backend_url):
    dispatcher, _ = follow_up(token_for("13800000006"), "ask_when", "how long", "MULTIPLE_LENDING", "jiebei", language="en")
    assert message(dispatcher, "utter_retry_after")["date"]
    assert message(dispatcher, "utter_follow_up_text")["text"] == reason(backend_url, "MULTIPLE_LENDING", "en")["follow_up"]["timing"]


def test_when_will_it_work_again_during_an_outage_is_the_incidents_end(token_for):
    dispatcher, _ = follow_up(token_for("13800000005"), "ask_when", "什么时候能恢复", "SERVICE_OUTAGE", "jiebei", topic="service")
    assert responses(dispatcher) == ["utter_incident_end"]
    assert message(dispatcher, "utter_incident_end")["expected_end"].startswith("20")


def test_an_open_appeal_gets_its_status_and_next_step(token_for):
    """Zheng Yi's appeal has all its materials: nothing to do but wait the cause's review time."""
    dispatcher, _ = follow_up(token_for("13800000009"), "ask_what_to_do", "what now", "HIGH_RISK_BEHAVIOR", "jiebei", language="en")
    assert responses(dispatcher) == ["utter_appeal_next_review"]
    said = message(dispatcher, "utter_appeal_next_review")
    assert said["number"].startswith("AP-") and said["review_time"] == "7 working days"


def test_already_fixed_gets_the_catalogs_guidance(token_for, backend_url):
    dispatcher, _ = follow_up(token_for("13800000001"), "report_fixed", "我已经还清了", "CREDIT_OVERDUE_HISTORY", "huabei")
    catalog = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")
    assert message(dispatcher, "utter_follow_up_text")["text"] == catalog["follow_up"]["already_fixed"]


def test_a_cause_that_no_longer_blocks_is_still_answered_from_the_catalog(token_for, backend_url):
    """Emily has nothing wrong now; asked about a cause named earlier, the catalog answers."""
    dispatcher, _ = follow_up(token_for("13800000010"), "ask_meaning", "what does that mean", "DEVICE_UNSUPPORTED", language="en")
    assert message(dispatcher, "utter_follow_up_meaning")["explanation"] == reason(backend_url, "DEVICE_UNSUPPORTED", "en")["explanation"]


def test_with_no_cause_explained_yet_the_follow_up_runs_the_diagnosis(token_for):
    dispatcher, events = follow_up(token_for("13800000007"), "ask_what_to_do", "那我该怎么办", None, "huabei")
    assert "utter_diagnosis_cause" in responses(dispatcher)
    assert slot_events(events)["diagnosed_reason"] == "BANK_CARD_MISMATCH"


def test_without_a_token_the_user_is_asked_to_verify():
    dispatcher, events = run(ActionAnswerFollowUp(), make_tracker("那我该怎么办", "ask_what_to_do", None,
                                                                 slots={"diagnosed_reason": "CREDIT_OVERDUE_HISTORY"}))
    assert responses(dispatcher) == ["utter_identity_needed"]
    assert slot_events(events)["pending_request"] == "action_answer_follow_up"


def test_backend_down_still_gets_a_reply(monkeypatch, token_for):
    token = token_for("13800000001")
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")
    started = time.monotonic()
    dispatcher, _ = follow_up(token, "ask_when", "要多久", "CREDIT_OVERDUE_HISTORY", "huabei")
    assert time.monotonic() - started < 5
    assert responses(dispatcher) == ["utter_backend_unavailable"]


def test_how_to_qualify_starts_with_why_it_was_refused(token_for, backend_url):
    """Zhou Jiu's bank card: the cause and the materials, not only the steps."""
    tracker = make_tracker("开通花呗的时候说银行卡有问题 怎么才能开通", "ask_how_to_qualify", token_for("13800000007"),
                           slots={"product": "huabei"})
    dispatcher, events = run(ActionExplainHowToQualify(), tracker)
    catalog = reason(backend_url, "BANK_CARD_MISMATCH", "zh")
    assert responses(dispatcher)[:2] == ["utter_qualify_cause", "utter_how_to_qualify"]
    assert message(dispatcher, "utter_qualify_cause")["title"] == catalog["title"]
    assert catalog["required_materials"][0]["name"] in message(dispatcher, "utter_required_materials")["materials"]
    assert slot_events(events)["diagnosed_reason"] == "BANK_CARD_MISMATCH"


def test_an_appealable_refusal_offers_the_appeal_and_the_retry_date(token_for):
    """Zhang San (overdue history, appealable), asked as an application: both ways out."""
    from actions.account import ActionDiagnoseProblem

    tracker = make_tracker("为什么我开不了花呗", "activation_failed", token_for("13800000001"),
                           slots={"product": "huabei", "topic": "application"})
    dispatcher, _ = run(ActionDiagnoseProblem(), tracker)
    said = responses(dispatcher)
    assert {"utter_diagnosis_cause", "utter_diagnosis_remedy", "utter_required_materials", "utter_retry_after",
            "utter_offer_appeal"} <= set(said)


def test_a_fact_said_against_the_cause_gets_why_it_applies_and_the_appeal(token_for, backend_url):
    """Wang Wu, told his ID details do not match the real-name record, answers "but the ID IS
    mine" (`inform`, nothing asked): why the cause applies even so, and the appeal it allows;
    not the same diagnosis again."""
    tracker = make_tracker("but the ID IS mine", "inform", token_for("13800000003"), slots={
        "diagnosed_reason": "ID_INFO_MISMATCH", "topic": "verification", "language": "en"})
    dispatcher, _ = run(ActionResumeRequest(), tracker)
    why_me = reason(backend_url, "ID_INFO_MISMATCH", "en")["follow_up"]["why_me"]
    assert message(dispatcher, "utter_follow_up_text")["text"] == why_me
    assert responses(dispatcher) == ["utter_follow_up_text", "utter_offer_appeal"]


def test_a_fact_against_a_cause_that_cannot_be_appealed_offers_no_appeal(token_for, backend_url):
    tracker = make_tracker("我就借了两笔 这很正常吧", "inform", token_for("13800000006"), slots={
        "diagnosed_reason": "MULTIPLE_LENDING", "product": "jiebei", "topic": "application"})
    dispatcher, _ = run(ActionResumeRequest(), tracker)
    assert responses(dispatcher) == ["utter_follow_up_text"]


def test_a_product_named_without_being_asked_is_explained_even_after_a_diagnosis(token_for):
    tracker = make_tracker("借呗呢", "inform", token_for("13800000001"), slots={
        "diagnosed_reason": "CREDIT_OVERDUE_HISTORY", "product": "jiebei"})
    tracker.latest_message["entities"] = [{"entity": "product", "value": "jiebei"}]
    dispatcher, _ = run(ActionResumeRequest(), tracker)
    assert "utter_follow_up_text" not in responses(dispatcher)


def test_when_can_i_reapply_after_the_cause_was_explained_does_not_repeat_it(token_for):
    """Sun Ba has just been told why: "那什么时候可以重新申请" gets the steps and the date."""
    tracker = make_tracker("那什么时候可以重新申请", "ask_how_to_qualify", token_for("13800000006"),
                           slots={"product": "jiebei", "diagnosed_reason": "MULTIPLE_LENDING"})
    dispatcher, _ = run(ActionExplainHowToQualify(), tracker)
    assert "utter_qualify_cause" not in responses(dispatcher)
    assert responses(dispatcher)[0] == "utter_how_to_qualify"
    assert message(dispatcher, "utter_retry_after")["date"].endswith("日")


def test_how_much_longer_with_an_appeal_under_review_is_about_the_appeal(token_for):
    """Zheng Yi's Jiebei appeal is in progress; "还要多久啊 等好几天了" as her first question gets
    the appeal's status and what happens next, not a diagnosis with a reapply date."""
    dispatcher, _ = run(ActionAnswerFollowUp(), make_tracker("还要多久啊 等好几天了", "ask_when", token_for("13800000009")))
    said = responses(dispatcher)
    assert said in (["utter_appeal_next_review"], ["utter_appeal_next_upload"])
    assert "utter_retry_after" not in said and "utter_diagnosis_cause" not in said


def test_a_follow_up_naming_another_cause_on_record_is_about_that_cause(token_for, backend_url):
    """赵六: a login far from home explained; an unsupported device was an earlier attempt."""
    dispatcher, events = follow_up(token_for("13800000004"), "ask_what_to_do", "那设备的问题怎么办",
                                   "LOCATION_MISMATCH", topic="login")
    device = reason(backend_url, "DEVICE_UNSUPPORTED", "zh")
    assert message(dispatcher, "utter_diagnosis_remedy")["remedy"] == device["remedy"]
    assert slot_events(events)["diagnosed_reason"] == "DEVICE_UNSUPPORTED"  # the next follow-up is about it

    dispatcher, _ = follow_up(token_for("13800000004"), "ask_meaning", "and the app version thing, what does it mean",
                              "LOCATION_MISMATCH", topic="login", language="en")
    assert message(dispatcher, "utter_follow_up_meaning")["title"] == reason(backend_url, "DEVICE_UNSUPPORTED", "en")["title"]


def test_a_follow_up_naming_the_cause_discussed_too_stays_with_it(token_for, backend_url):
    dispatcher, events = follow_up(token_for("13800000004"), "ask_what_to_do", "我是出差到外地 手机版本也旧 怎么办",
                                   "LOCATION_MISMATCH", topic="login")
    location = reason(backend_url, "LOCATION_MISMATCH", "zh")
    assert message(dispatcher, "utter_diagnosis_remedy")["remedy"] == location["remedy"]
    assert "diagnosed_reason" not in slot_events(events)
    # a word of a cause that is not on the customer's record changes nothing either
    dispatcher, events = follow_up(token_for("13800000001"), "ask_what_to_do", "是不是我工作的原因",
                                   "CREDIT_OVERDUE_HISTORY", "huabei")
    assert message(dispatcher, "utter_diagnosis_remedy")["remedy"] == reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")["remedy"]
    assert "diagnosed_reason" not in slot_events(events)

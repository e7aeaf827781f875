"""Diagnosis, account status and how to qualify, for the seeded demo customers."""
import time

from actions.account import ActionCheckAccountStatus, ActionDiagnoseProblem, ActionExplainHowToQualify
from actions.appeals import ActionPrepareAppeal
from actions.resume import ActionResumeRequest
from tests.actions.conftest import make_tracker, message, responses, run, slot_events
from tests.helpers import reason


def test_zhang_san_learns_the_overdue_history_in_chinese(token_for, backend_url):
    tracker = make_tracker("为什么我开不了花呗", "activation_failed", token_for("13800000001"),
                           slots={"product": "huabei", "topic": "application"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    catalog = reason(backend_url, "CREDIT_OVERDUE_HISTORY", "zh")
    cause = message(dispatcher, "utter_diagnosis_cause")
    assert cause["title"] == catalog["title"]
    assert cause["explanation"] == catalog["explanation"]
    assert cause["subject"] == "花呗"
    assert message(dispatcher, "utter_diagnosis_remedy")["remedy"] == catalog["remedy"]
    assert slot_events(events)["diagnosed_reason"] == "CREDIT_OVERDUE_HISTORY"
    assert slot_events(events)["identity_needed"] is False


def test_the_product_is_found_when_only_one_has_a_problem(token_for):
    tracker = make_tracker("借呗申请不了", "activation_failed", token_for("13800000002"),
                           slots={"topic": "application"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    assert slot_events(events)["diagnosed_reason"] == "UNSTABLE_EMPLOYMENT"
    assert slot_events(events)["product"] == "jiebei"
    assert "utter_offer_appeal" in responses(dispatcher)


def test_zhao_liu_login_location_mismatch_in_english_mentions_the_device(token_for, backend_url):
    tracker = make_tracker("I can't log in", "login_failed", token_for("13800000004"),
                           slots={"language": "en", "topic": "login"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    cause = message(dispatcher, "utter_diagnosis_cause")
    assert cause["title"] == reason(backend_url, "LOCATION_MISMATCH", "en")["title"]
    assert reason(backend_url, "DEVICE_UNSUPPORTED", "en")["title"] in message(dispatcher, "utter_other_reasons")["reasons"]
    assert slot_events(events)["diagnosed_reason"] == "LOCATION_MISMATCH"


def test_qian_qi_hears_about_the_outage_and_when_it_ends(token_for):
    tracker = make_tracker("借呗提示暂时无法使用本服务", "service_unavailable", token_for("13800000005"),
                           slots={"product": "jiebei", "topic": "service"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    assert slot_events(events)["diagnosed_reason"] == "SERVICE_OUTAGE"
    incident = message(dispatcher, "utter_incident")
    assert incident["expected_end"].startswith("20")  # a real date, formatted for the reader


def test_wang_wu_identity_mismatch_lists_the_materials(token_for, backend_url):
    tracker = make_tracker("身份验证一直失败", "identity_verification_failed", token_for("13800000003"),
                           slots={"topic": "verification"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    assert slot_events(events)["diagnosed_reason"] == "ID_INFO_MISMATCH"
    materials = message(dispatcher, "utter_required_materials")["materials"]
    names = [m["name"] for m in reason(backend_url, "ID_INFO_MISMATCH", "zh")["required_materials"]]
    assert names and all(name in materials for name in names)


def test_emily_has_nothing_wrong(token_for):
    tracker = make_tracker("why can't I use jiebei", "activation_failed", token_for("13800000010"),
                           slots={"language": "en", "topic": "application", "product": "jiebei"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    assert responses(dispatcher) == ["utter_product_no_problem"]
    said = message(dispatcher, "utter_product_no_problem")
    assert (said["product_name"], said["status"]) == ("Jiebei", "active")


def test_a_product_never_opened_is_not_called_a_problem_and_the_refused_one_is_named(token_for):
    tracker = make_tracker("借呗为什么开不了", "activation_failed", token_for("13800000001"),
                           slots={"language": "zh", "topic": "application", "product": "jiebei"})
    dispatcher, events = run(ActionDiagnoseProblem(), tracker)
    assert responses(dispatcher) == ["utter_product_not_opened", "utter_other_products_with_problems"]
    assert message(dispatcher, "utter_product_not_opened")["product_name"] == "借呗"
    assert message(dispatcher, "utter_other_products_with_problems")["accounts"] == "花呗：申请被拒"
    assert slot_events(events).get("diagnosed_reason") is None


def test_no_token_means_no_account_data():
    dispatcher, events = run(ActionDiagnoseProblem(), make_tracker("花呗开不了", "activation_failed"))
    assert responses(dispatcher) == ["utter_identity_needed"]
    assert slot_events(events) == {
        "identity_needed": True, "pending_request": "action_diagnose_problem", "appeal_possible": False}


def test_a_product_named_unasked_by_an_unverified_user_starts_the_verification():
    tracker = make_tracker("花呗", "inform")
    tracker.latest_message["entities"] = [{"entity": "product", "value": "huabei"}]
    dispatcher, events = run(ActionResumeRequest(), tracker)
    assert responses(dispatcher) == ["utter_identity_needed"]
    assert slot_events(events)["pending_request"] == "action_diagnose_problem"


def test_a_request_held_through_a_failed_verification_is_not_asked_again():
    tracker = make_tracker("123456", "inform", slots={"pending_request": "action_diagnose_problem"})
    dispatcher, events = run(ActionResumeRequest(), tracker)
    assert responses(dispatcher) == ["utter_not_verified"]
    assert slot_events(events)["pending_request"] is None


def test_a_forged_token_reveals_nothing():
    tracker = make_tracker("花呗开不了", "activation_failed", "forged-token-value")
    dispatcher, events = run(ActionCheckAccountStatus(), tracker)
    assert responses(dispatcher) == ["utter_identity_needed"]


def test_a_token_in_a_slot_from_an_earlier_turn_is_ignored(token_for):
    earlier = [{"event": "user", "text": "123456", "metadata": {}},
               {"event": "slot", "name": "session_token", "value": token_for("13800000001")}]
    tracker = make_tracker("我的花呗什么状态", "check_account_status", events=earlier)
    dispatcher, _ = run(ActionCheckAccountStatus(), tracker)
    assert responses(dispatcher) == ["utter_identity_needed"]


def test_account_status_in_both_languages(token_for):
    token = token_for("13800000009")
    dispatcher, _ = run(ActionCheckAccountStatus(), make_tracker("我的账户状态", "check_account_status", token))
    assert message(dispatcher, "utter_account_status")["accounts"] == "花呗：正常可用、借呗：审核中"
    dispatcher, _ = run(ActionCheckAccountStatus(), make_tracker(
        "account status", "check_account_status", token, slots={"language": "en"}))
    assert message(dispatcher, "utter_account_status")["accounts"] == "Huabei: active, Jiebei: under review"


def test_sun_ba_learns_when_to_retry(token_for):
    tracker = make_tracker("借呗怎样才能开通", "ask_how_to_qualify", token_for("13800000006"), slots={"product": "jiebei"})
    dispatcher, _ = run(ActionExplainHowToQualify(), tracker)
    assert "utter_how_to_qualify" in responses(dispatcher)
    assert message(dispatcher, "utter_retry_after")["date"].endswith("日")


def test_backend_down_gets_a_reply_within_seconds(monkeypatch, token_for):
    token = token_for("13800000001")
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")  # nothing listens there
    started = time.monotonic()
    dispatcher, events = run(ActionDiagnoseProblem(), make_tracker("花呗开不了", "activation_failed", token))
    assert time.monotonic() - started < 5
    assert responses(dispatcher) == ["utter_backend_unavailable"]


def test_emily_is_told_both_products_are_already_active(token_for):
    tracker = make_tracker("how can I qualify", "ask_how_to_qualify", token_for("13800000010"), slots={"language": "en"})
    dispatcher, _ = run(ActionExplainHowToQualify(), tracker)
    assert [m["product_name"] for m in dispatcher.messages] == ["Huabei", "Jiebei"]
    assert responses(dispatcher) == ["utter_already_qualified", "utter_already_qualified"]


def test_every_account_action_of_the_domain_can_be_resumed_after_verification():
    from rasa.shared.core.domain import Domain

    from actions.common import AccountAction
    from actions.resume import REQUESTS
    from tests.helpers import ROOT

    domain_actions = set(Domain.load(str(ROOT / "domain.yml")).user_actions)
    account_actions = {cls().name() for cls in AccountAction.__subclasses__()}
    assert account_actions <= domain_actions
    assert set(REQUESTS) == account_actions


def test_a_product_name_the_backend_does_not_know_is_asked_for_again(token_for):
    """The NLU may take a misspelt name for the product ("jiebie shenqing bei ju le"): the user
    is asked which product, and the bad value is forgotten so later answers work again."""
    tracker = make_tracker("jiebie shenqing bei ju le", "activation_failed", token_for("13800000002"),
                           slots={"product": "jiebie", "topic": "application"})
    for action in (ActionDiagnoseProblem(), ActionExplainHowToQualify(), ActionPrepareAppeal()):
        dispatcher, events = run(action, tracker)
        assert responses(dispatcher) == ["utter_ask_which_product"], action.name()
        assert slot_events(events)["product"] is None
        assert slot_events(events)["pending_request"] == action.name()


def test_qian_qis_status_says_jiebei_is_down_until_the_outage_ends(token_for):
    """Qian Qi's Jiebei account is active, but the outage stops her using it: the status
    says so, with the expected end, instead of a bare "active"."""
    tracker = make_tracker("我的账户现在什么状态", "check_account_status", token_for("13800000005"))
    dispatcher, _ = run(ActionCheckAccountStatus(), tracker)
    assert responses(dispatcher) == ["utter_account_status", "utter_incident"]
    assert "北京时间" in message(dispatcher, "utter_incident")["expected_end"]


def test_the_outage_is_named_to_whoever_uses_jiebei_and_to_nobody_else(token_for):
    """The seeded outage is on Jiebei's service: Emily (Jiebei active) hears of it too;
    Zhang San, who has no usable Jiebei, does not."""
    dispatcher, _ = run(ActionCheckAccountStatus(), make_tracker(
        "account status", "check_account_status", token_for("13800000010"), slots={"language": "en"}))
    assert responses(dispatcher) == ["utter_account_status", "utter_incident"]
    assert "Beijing time" in message(dispatcher, "utter_incident")["expected_end"]
    dispatcher, _ = run(ActionCheckAccountStatus(), make_tracker(
        "我的账户状态", "check_account_status", token_for("13800000001")))
    assert responses(dispatcher) == ["utter_account_status"]

"""Appeals through the real backend: filed exactly once, or clearly not at all."""
import time

from rasa_sdk.executor import CollectingDispatcher

from actions.appeals import (
    ActionCheckAppealStatus, ActionConfirmMaterials, ActionExplainMaterialUpload,
    ActionListRequiredMaterials, ActionPrepareAppeal, ActionSubmitAppeal, ValidateAppealForm,
)
from tests.actions.conftest import make_tracker, message, responses, run, slot_events
from tests.helpers import reason


def confirmed(token, sender_id, **slots):
    return make_tracker("确认提交", "affirm", token, sender_id=sender_id, slots={
        "product": "jiebei", "statement": "我在现公司已稳定工作一年，工资按月发放", "appeal_confirmed": True, **slots})


def test_li_si_can_appeal_and_files_exactly_once(token_for):
    token = token_for("13800000002")
    dispatcher, events = run(ActionPrepareAppeal(), make_tracker("我要申诉", "request_appeal", token))
    assert slot_events(events)["appeal_possible"] is True
    assert slot_events(events)["product"] == "jiebei"
    assert "在职证明" in message(dispatcher, "utter_required_materials")["materials"]

    first, _ = run(ActionSubmitAppeal(), confirmed(token, "li-si-conversation"))
    number = message(first, "utter_appeal_filed")["number"]
    assert message(first, "utter_appeal_filed")["review_time"] == "3 个工作日"  # the catalog's, for this cause
    upload = next(m["custom"]["upload"] for m in first.messages if m.get("custom"))
    assert upload["appeal_number"] == number
    assert {k["kind"] for k in upload["kinds"]} == {"employment_proof", "income_proof"}

    # Rasa retrying the same action (same confirming message) files nothing new.
    again, _ = run(ActionSubmitAppeal(), confirmed(token, "li-si-conversation"))
    assert message(again, "utter_appeal_filed")["number"] == number

    status, _ = run(ActionCheckAppealStatus(), make_tracker("申诉进度", "check_appeal_status", token))
    said = [m for m in status.messages if m.get("response") == "utter_appeal_status"]
    assert [(m["number"], m["product_name"]) for m in said] == [(number, "借呗")]

    upload_again, _ = run(ActionExplainMaterialUpload(), make_tracker("上传材料", "submit_materials", token))
    assert message(upload_again, "utter_upload_materials")["number"] == number

    received, _ = run(ActionConfirmMaterials(), make_tracker("/materials_uploaded", "materials_uploaded", token))
    assert "在职证明" in message(received, "utter_materials_missing")["missing"]


def test_sun_ba_cannot_appeal_multiple_lending(token_for):
    token = token_for("13800000006")
    dispatcher, events = run(ActionPrepareAppeal(), make_tracker("I want to appeal", "request_appeal", token,
                                                                 slots={"language": "en"}))
    assert slot_events(events)["appeal_possible"] is False
    assert "utter_not_appealable" in responses(dispatcher)
    assert "utter_retry_after" in responses(dispatcher)


def test_zheng_yi_already_has_an_appeal_in_progress(token_for):
    token = token_for("13800000009")
    dispatcher, events = run(ActionPrepareAppeal(), make_tracker("借呗申诉", "request_appeal", token,
                                                                 slots={"product": "jiebei"}))
    assert slot_events(events)["appeal_possible"] is False
    assert message(dispatcher, "utter_appeal_already_open")["number"]


def validate_statement(text, token, lang="zh"):
    tracker = make_tracker(text, "inform", token, slots={"language": lang}, active_loop="appeal_form")
    dispatcher = CollectingDispatcher()
    return ValidateAppealForm().validate_statement(text, dispatcher, tracker, {}), dispatcher


def test_a_statement_is_held_to_the_backends_rule_in_the_users_language(token_for):
    token = token_for("13800000008")
    slots, dispatcher = validate_statement("  太短了  ", token)
    assert slots == {"statement": None}
    assert [m["text"] for m in dispatcher.messages] == ["申诉说明请写 5 到 2000 个字。"]
    slots, dispatcher = validate_statement("x" * 2001, token, lang="en")
    assert slots == {"statement": None}
    assert [m["text"] for m in dispatcher.messages] == ["The appeal statement can be at most 2000 characters."]
    slots, dispatcher = validate_statement("  我在现公司已稳定工作一年  ", token)
    assert slots == {"statement": "我在现公司已稳定工作一年"} and dispatcher.messages == []
    status, _ = run(ActionCheckAppealStatus(), make_tracker("申诉进度", "check_appeal_status", token))
    assert responses(status) == ["utter_no_appeals"]  # checking files nothing


def test_declining_files_nothing(token_for):
    token = token_for("13800000007")
    tracker = confirmed(token, "zhou-jiu", product="huabei", appeal_confirmed=False)
    dispatcher, _ = run(ActionSubmitAppeal(), tracker)
    assert responses(dispatcher) == ["utter_appeal_not_filed"]
    status, _ = run(ActionCheckAppealStatus(), make_tracker("申诉进度", "check_appeal_status", token))
    assert responses(status) == ["utter_no_appeals"]


def test_materials_for_the_users_own_case(token_for):
    dispatcher, _ = run(ActionListRequiredMaterials(), make_tracker(
        "需要什么材料", "ask_required_materials", token_for("13800000007"), slots={"product": "huabei"}))
    assert "utter_required_materials" in responses(dispatcher)


def test_backend_down_during_filing_says_not_filed(monkeypatch, token_for):
    token = token_for("13800000002")
    monkeypatch.setenv("BACKEND_URL", "http://127.0.0.1:9")
    started = time.monotonic()
    dispatcher, _ = run(ActionSubmitAppeal(), confirmed(token, "li-si-down"))
    assert time.monotonic() - started < 5
    assert responses(dispatcher) == ["utter_backend_unavailable"]


def test_what_to_upload_before_any_appeal_names_the_materials_then_the_appeal(token_for, backend_url):
    """Zhou Jiu was told to upload a photo of his bank card; "what do I upload" names it and
    says it goes with an appeal (he has none yet)."""
    tracker = make_tracker("what do i upload", "submit_materials", token_for("13800000007"),
                           slots={"language": "en", "product": "huabei"})
    dispatcher, _ = run(ActionExplainMaterialUpload(), tracker)
    assert responses(dispatcher) == ["utter_required_materials", "utter_no_open_appeal"]
    catalog = reason(backend_url, "BANK_CARD_MISMATCH", "en")
    named = message(dispatcher, "utter_required_materials")["materials"]
    assert named and all(m["name"] in named for m in catalog["required_materials"])

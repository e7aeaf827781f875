"""A reviewer's decision reaches the customer at their next conversation with the bot, once,
in the language they write in (the real backend decides and hands it out)."""
import pytest

from actions.account import ActionCheckAccountStatus, ActionDiagnoseProblem
from actions.appeals import ActionSubmitAppeal
from tests.actions.conftest import REVIEWER_PASSWORD, make_tracker, message, run, running_backend
from tests.helpers import http_json


@pytest.fixture(scope="module")
def backend_url(tmp_path_factory):
    """A backend of its own: these decisions change 李四's and 张三's accounts for good."""
    with running_backend(tmp_path_factory.mktemp("outcomes-backend")) as url:
        yield url


def reviewer_decides(backend_url, number, outcome, note):
    token = http_json("POST", f"{backend_url}/api/v1/agent/login",
                      {"username": "xiaochen", "password": REVIEWER_PASSWORD})["token"]
    return http_json("POST", f"{backend_url}/api/v1/review/appeals/{number}/decision",
                     {"outcome": outcome, "note": note}, {"Authorization": f"Bearer {token}"})


def file_appeal(token, product, sender_id, lang="zh"):
    tracker = make_tracker("确认提交", "affirm", token, sender_id=sender_id, slots={
        "product": product, "statement": "请人工复核我的情况，我可以提供证明", "appeal_confirmed": True, "language": lang})
    dispatcher, _ = run(ActionSubmitAppeal(), tracker)
    return message(dispatcher, "utter_appeal_filed")["number"]


def texts(dispatcher):
    return [m.get("text") for m in dispatcher.messages]


def test_li_si_is_told_the_approval_once_at_the_next_conversation(backend_url, token_for):
    token = token_for("13800000002")
    number = file_appeal(token, "jiebei", "li-si-filed-here")
    decided = reviewer_decides(backend_url, number, "approved", "在职证明核实无误")
    assert decided["decision"]["told_live"] is False  # no Rasa in these tests: the chat cannot be reached

    later = make_tracker("借呗现在能用了吗", "check_account_status", token, sender_id="li-si-next-day")
    dispatcher, _ = run(ActionCheckAccountStatus(), later)
    assert texts(dispatcher)[0] == f"您的申诉 {number} 已通过：借呗已恢复可用。审核说明：在职证明核实无误"
    assert dispatcher.messages[1].get("response")  # then the answer itself

    again, _ = run(ActionCheckAccountStatus(), later)
    assert not any(number in (t or "") for t in texts(again))  # once


def test_zhang_san_hears_the_rejection_in_english_with_the_retry_date(backend_url, token_for):
    token = token_for("13800000001")
    number = file_appeal(token, "huabei", "zhang-san-filed-here")
    decided = reviewer_decides(backend_url, number, "rejected", "the overdue records are correct")
    retry = decided["decision"]["retry_after"]

    tracker = make_tracker("why was huabei refused", "activation_failed", token, sender_id="zhang-san-next",
                           slots={"language": "en", "product": "huabei"})
    dispatcher, _ = run(ActionDiagnoseProblem(), tracker)
    assert texts(dispatcher)[0] == (f"Your appeal {number} was rejected. The reviewer's note: the overdue records "
                                    f"are correct. You can apply again after {retry}.")
    assert message(dispatcher, "utter_diagnosis_cause")  # the refusal still explained after it

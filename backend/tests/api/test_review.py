"""Reviewers decide appeals: the queue, the appeal's page, its materials, one decision that
changes the account, and the customer told in the chat the appeal came from or later."""

import io
import uuid
from datetime import timedelta

import httpx

from app.core.db import utcnow
from app.services import review
from app.services.rasa import RasaClient
from tests.api.test_concurrency import live_url, race  # noqa: F401  (fixture)
from tests.conftest import SERVICE_TOKEN, customer_headers, service_headers, staff_headers

API = "/api/v1"
PNG = __import__("app.seed.loader", fromlist=["SAMPLE_FILES"]).SAMPLE_FILES[".png"]


def file_appeal(client, who="li_si", product="jiebei", conversation="conv-li", lang="zh", statement="我已稳定就业半年，附在职证明"):
    """Filed as the action server does: the customer's token, the service token and the chat id."""
    headers = {**customer_headers(client, who), "Idempotency-Key": str(uuid.uuid4())}
    if conversation:
        headers.update(service_headers({"X-Conversation-Id": conversation}))
    filed = client.post(f"{API}/me/appeals?lang={lang}", json={"product": product, "statement": statement}, headers=headers)
    assert filed.status_code == 201, filed.text
    return filed.json()["number"], headers


def decide(client, number, outcome="approved", note="在职证明和社保记录核实无误", lang="zh"):
    return client.post(
        f"{API}/review/appeals/{number}/decision?lang={lang}",
        json={"outcome": outcome, "note": note},
        headers=staff_headers(client, "reviewer"),
    )


def pushed(fake_rasa):
    return [r for r in fake_rasa.requests if r["method"] == "POST" and r["path"].startswith("/webhooks/socketio/messages/")]


def test_queue_is_oldest_first_and_filters(client):
    reviewer = staff_headers(client, "reviewer")
    li_si, _ = file_appeal(client)
    zhang, _ = file_appeal(client, "zhang_san", "huabei", "conv-zhang")
    queue = client.get(f"{API}/review/appeals", headers=reviewer).json()
    numbers = [a["number"] for a in queue]
    assert numbers[-2:] == [li_si, zhang] and len(numbers) == 3  # Zheng Yi's seeded appeal is older
    assert queue[-1]["customer"]["masked_phone"] == "138****0001" and queue[-1]["reason_code"] == "CREDIT_OVERDUE_HISTORY"
    only_huabei = client.get(f"{API}/review/appeals?product=huabei", headers=reviewer).json()
    assert [a["number"] for a in only_huabei] == [zhang]
    by_reason = client.get(f"{API}/review/appeals?reason=UNSTABLE_EMPLOYMENT", headers=reviewer).json()
    assert [a["number"] for a in by_reason] == [li_si]
    assert client.get(f"{API}/review/appeals?status=approved", headers=reviewer).json() == []
    assert decide(client, li_si).status_code == 200
    assert [a["number"] for a in client.get(f"{API}/review/appeals?status=approved", headers=reviewer).json()] == [li_si]
    assert li_si not in [a["number"] for a in client.get(f"{API}/review/appeals", headers=reviewer).json()]
    bad = client.get(f"{API}/review/appeals?status=lost", headers=reviewer)
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"


def test_appeal_page_shows_the_customers_situation_and_materials_inline(client):
    reviewer = staff_headers(client, "reviewer")
    number, headers = file_appeal(client)
    upload = client.post(
        f"{API}/me/appeals/{number}/materials",
        data={"kind": "employment_proof"},
        files={"file": ("在职证明 <b>.png", io.BytesIO(PNG), "text/html")},
        headers={"Authorization": headers["Authorization"]},
    )
    assert upload.status_code == 201, upload.text
    page = client.get(f"{API}/review/appeals/{number}?lang=en", headers=reviewer).json()
    assert page["customer"]["name_en"] == "Li Si" and page["customer"]["region"] == "Chengdu, Sichuan"
    assert {a["product"]: a["status"] for a in page["accounts"]} == {"huabei": "active", "jiebei": "under_review"}
    assert page["reason"]["code"] == "UNSTABLE_EMPLOYMENT" and page["reason"]["retry_after_days"] == 60
    assert page["statement"] == "我已稳定就业半年，附在职证明"
    assert [e["status"] for e in page["timeline"]] == ["submitted"]
    assert page["account_decisions"][-1]["outcome"] == "refused" and page["decision"] is None
    material = page["materials"][0]
    shown = client.get(f"{API}/review/appeals/{number}/materials/{material['id']}/file", headers=reviewer)
    assert shown.status_code == 200 and shown.content == PNG
    assert shown.headers["content-type"] == "image/png"  # detected, not the declared text/html
    assert shown.headers["content-disposition"].startswith('inline; filename="') and "%E5%9C%A8" in shown.headers["content-disposition"]
    assert shown.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in shown.headers["content-security-policy"] and "default-src 'none'" in shown.headers["content-security-policy"]
    assert shown.headers["cache-control"] == "private, no-store"
    # the customer's own token does not open it, nor does another appeal's number
    assert client.get(f"{API}/review/appeals/{number}/materials/{material['id']}/file", headers=customer_headers(client, "li_si")).status_code == 401
    other = client.get(f"{API}/review/appeals/AP-20000101-0001/materials/{material['id']}/file", headers=reviewer)
    assert other.status_code == 404 and other.json()["code"] == "not_found"


def test_approval_reopens_the_account_and_tells_the_chat_it_came_from(client, fake_rasa):
    number, headers = file_appeal(client, lang="en", conversation="conv-li-en")
    approved = decide(client, number, note="Employment verified", lang="en")
    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["status"] == "approved" and body["decision"]["note"] == "Employment verified"
    assert body["decision"]["reviewer"] == "小陈" and body["decision"]["told_live"] is True
    assert body["timeline"][-1]["status"] == "approved" and "Employment verified" in body["timeline"][-1]["note"]
    accounts = client.get(f"{API}/me/accounts", headers=customer_headers(client, "li_si")).json()
    assert {a["product"]: a["status"] for a in accounts}["jiebei"] == "active"
    diagnosis = client.get(f"{API}/me/diagnosis?product=jiebei", headers=customer_headers(client, "li_si")).json()
    assert diagnosis["blocking_reason"] is None and diagnosis["status"] == "active"
    [push] = pushed(fake_rasa)
    assert push["path"] == "/webhooks/socketio/messages/conv-li-en" and push["query"] == {"token": "test-rasa-token"}
    assert push["json"]["request_id"] == f"appeal-{number}-decision"
    assert push["json"]["metadata"] == {"notice": "appeal_outcome"}
    assert push["json"]["text"].startswith(f"Your appeal {number} was approved: Jiebei is available again.")
    assert fake_rasa.delivered == [("conv-li-en", push["json"]["text"])]
    again = decide(client, number, outcome="rejected")
    assert again.status_code == 409 and again.json()["code"] == "appeal_decided"
    assert client.get(f"{API}/review/appeals/{number}", headers=staff_headers(client, "reviewer")).json()["status"] == "approved"


def test_rejection_keeps_the_refusal_and_sets_the_retry_date(client, fake_rasa):
    number, _ = file_appeal(client, "zhang_san", "huabei", "conv-zhang")
    rejected = decide(client, number, outcome="rejected", note="逾期记录属实")
    assert rejected.status_code == 200
    retry = (utcnow() + timedelta(days=90)).date().isoformat()
    assert rejected.json()["decision"]["retry_after"] == retry
    me = customer_headers(client, "zhang_san")
    diagnosis = client.get(f"{API}/me/diagnosis?product=huabei", headers=me).json()
    assert diagnosis["status"] == "refused" and diagnosis["blocking_reason"]["code"] == "CREDIT_OVERDUE_HISTORY"
    assert diagnosis["retry_after"] == retry and diagnosis["open_appeal"] is None
    [push] = pushed(fake_rasa)
    assert push["json"]["text"] == f"您的申诉 {number} 未通过。审核说明：逾期记录属实。您可以在 {retry} 之后重新申请。"
    assert client.get(f"{API}/me/appeals/{number}", headers=me).json()["timeline"][-1]["note"] == "审核未通过：逾期记录属实"


def test_told_once_at_the_next_conversation_when_not_live(client, fake_rasa):
    fake_rasa.fail_status = 500  # the widget's chat cannot be reached
    number, _ = file_appeal(client, lang="zh")
    body = decide(client, number).json()
    assert body["status"] == "approved" and body["decision"]["told_live"] is False
    fake_rasa.fail_status = None
    me = customer_headers(client, "li_si")
    deliver = lambda conv, lang="zh": client.post(  # noqa: E731
        f"{API}/me/appeal-outcomes/deliver?lang={lang}", headers={**me, **service_headers({"X-Conversation-Id": conv})}
    )
    first = deliver("conv-next", "en")
    assert first.status_code == 200
    assert [o["message"] for o in first.json()] == [
        f"Your appeal {number} was approved: Jiebei is available again. The reviewer's note: 在职证明和社保记录核实无误"
    ]
    assert deliver("conv-next").json() == [] and deliver("conv-later").json() == []
    told = client.get(f"{API}/review/appeals/{number}", headers=staff_headers(client, "reviewer")).json()
    assert told["decision"]["told_in_chat_at"] is not None


def test_the_chat_that_got_it_live_is_not_told_again(client, fake_rasa):
    number, _ = file_appeal(client, conversation="conv-live")
    assert decide(client, number).json()["decision"]["told_live"] is True
    me = customer_headers(client, "li_si")
    headers = {**me, **service_headers({"X-Conversation-Id": "conv-live"})}
    assert client.post(f"{API}/me/appeal-outcomes/deliver", headers=headers).json() == []


def test_a_push_retried_after_a_timeout_tells_the_chat_once(client, fake_rasa, app_settings, monkeypatch):
    """Rasa took the first try but its answer came too late: the retry carries the same request
    id, so the customer reads the decision once, live, and not again at the next turn."""
    number, _ = file_appeal(client, conversation="conv-slow")
    monkeypatch.setattr(app_settings, "rasa_timeout_seconds", 0.5)
    fake_rasa.delays = [1.0]
    assert decide(client, number).json()["decision"]["told_live"] is True
    assert len(pushed(fake_rasa)) == 2 and {p["json"]["request_id"] for p in pushed(fake_rasa)} == {f"appeal-{number}-decision"}
    headers = {**customer_headers(client, "li_si"), **service_headers({"X-Conversation-Id": "conv-slow"})}
    assert client.post(f"{API}/me/appeal-outcomes/deliver", headers=headers).json() == []
    [(conversation, text)] = fake_rasa.delivered
    assert conversation == "conv-slow" and text.startswith(f"您的申诉 {number} 已通过")


def test_the_same_outcome_pushed_twice_reaches_the_chat_once(client, db, fake_rasa, app_settings):
    number, _ = file_appeal(client, conversation="conv-twice")
    decide(client, number)
    appeal = review.get_appeal(db, number)
    assert review.push_outcome(db, appeal, RasaClient(app_settings)) is True  # e.g. a second worker
    assert [conversation for conversation, _ in fake_rasa.delivered] == ["conv-twice"]
    assert len(pushed(fake_rasa)) == 2


def test_a_customer_cannot_name_the_chat_to_push_to(client, fake_rasa):
    """Without the service token, X-Conversation-Id is ignored: nobody can aim an outcome at someone else's chat."""
    headers = {**customer_headers(client, "li_si"), "Idempotency-Key": str(uuid.uuid4()), "X-Conversation-Id": "victim"}
    number = client.post(f"{API}/me/appeals", json={"product": "jiebei", "statement": "请复核我的申请"}, headers=headers).json()["number"]
    assert decide(client, number).json()["decision"]["told_live"] is False
    assert pushed(fake_rasa) == []
    delivered = client.post(f"{API}/me/appeal-outcomes/deliver", headers=customer_headers(client, "li_si"))
    assert delivered.status_code == 401 and delivered.json()["code"] == "service_token_invalid"


def test_a_note_is_required_and_bounded_and_a_bad_decision_changes_nothing(client):
    number, _ = file_appeal(client)
    for body in ({"outcome": "approved", "note": ""}, {"outcome": "approved", "note": "x" * 1001},
                 {"outcome": "maybe", "note": "ok"}, {"outcome": "approved"}):
        refused = client.post(f"{API}/review/appeals/{number}/decision", json=body, headers=staff_headers(client, "reviewer"))
        assert refused.status_code == 422 and refused.json()["code"] == "validation_error", body
    page = client.get(f"{API}/review/appeals/{number}", headers=staff_headers(client, "reviewer")).json()
    assert page["status"] == "submitted" and page["decision"] is None
    missing = decide(client, "AP-20000101-0009")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_two_reviewers_deciding_at_once_make_one_decision(client, live_url, db):  # noqa: F811
    number, _ = file_appeal(client)
    token = staff_headers(client, "reviewer")

    def attempt(i):
        outcome = "approved" if i % 2 else "rejected"
        return httpx.post(f"{live_url}/review/appeals/{number}/decision", json={"outcome": outcome, "note": f"n{i}"}, headers=token, timeout=30)

    answers = race(attempt)
    assert sorted(a.status_code for a in answers) == [200] + [409] * (len(answers) - 1)
    winner = next(a.json() for a in answers if a.status_code == 200)
    page = client.get(f"{API}/review/appeals/{number}", headers=token).json()
    assert [e["status"] for e in page["timeline"]] == ["submitted", winner["status"]]
    decisions = page["account_decisions"]
    assert len(decisions) == 2 and decisions[-1]["outcome"] == ("approved" if winner["status"] == "approved" else "refused")

"""What each demo customer is told about their accounts (the diagnosis is the product's core)."""

import pytest
from sqlalchemy import select

from app.models import Account, Customer
from tests.conftest import PHONES, customer_headers

API = "/api/v1"


def diagnosis(client, who, **params):
    response = client.get(f"{API}/me/diagnosis", params=params, headers=customer_headers(client, who))
    assert response.status_code == 200, response.text
    return response.json()


def test_zhang_san_huabei_refused_for_overdue_history_in_chinese_and_english(client):
    zh = diagnosis(client, "zhang_san", product="huabei", lang="zh")
    en = diagnosis(client, "zhang_san", product="huabei", lang="en")

    assert zh["status"] == "refused" and zh["product_name"] == "花呗"
    assert zh["blocking_reason"]["code"] == "CREDIT_OVERDUE_HISTORY"
    assert zh["blocking_reason"]["title"] == "征信报告中有逾期记录"
    assert "人民银行征信报告" in zh["blocking_reason"]["explanation"]
    assert zh["decision"]["detail"] == "近两年内有两次信用卡逾期记录，最长一次逾期 45 天"

    assert en["product_name"] == "Huabei"
    assert en["blocking_reason"]["title"] == "Overdue payments in your credit report"
    assert "credit report from the People's Bank of China" in en["blocking_reason"]["explanation"]
    assert en["decision"]["detail"].startswith("two credit-card overdue records in the last two years")
    assert en["appealable"] is True
    assert [m["kind"] for m in en["required_materials"]] == ["credit_report_correction", "repayment_proof"]
    assert en["retry_after"] is not None


def test_language_follows_accept_language_then_customer_preference(client):
    headers = customer_headers(client, "zhang_san")
    by_header = client.get(
        f"{API}/me/diagnosis?product=huabei", headers={**headers, "Accept-Language": "en-US,en;q=0.9"}
    )
    assert by_header.json()["blocking_reason"]["title"] == "Overdue payments in your credit report"
    default = client.get(f"{API}/me/diagnosis?product=huabei", headers=headers)
    assert default.json()["blocking_reason"]["title"] == "征信报告中有逾期记录"
    emily = client.get(f"{API}/me/accounts", headers=customer_headers(client, "emily"))
    assert [a["product_name"] for a in emily.json()] == ["Huabei", "Jiebei"]


def test_zhao_liu_login_blocked_by_location_with_older_device_failure_secondary(client):
    result = diagnosis(client, "zhao_liu", topic="login", lang="en")
    assert result["blocking_reason"]["code"] == "LOCATION_MISMATCH"
    assert [r["code"] for r in result["other_reasons"]] == ["DEVICE_UNSUPPORTED"]
    latest, earlier = result["failed_attempts"][:2]
    assert latest["location"] == "Kunming, Yunnan" and latest["kind"] == "login"
    assert earlier["reason_code"] == "DEVICE_UNSUPPORTED" and earlier["app_version"] == "9.2.0"
    assert result["appealable"] is False


def test_qian_qi_sees_the_open_outage_with_its_expected_end(client):
    result = diagnosis(client, "qian_qi", product="jiebei", topic="service")
    assert result["status"] == "active"
    assert result["blocking_reason"]["code"] == "SERVICE_OUTAGE"
    [incident] = result["incidents"]
    assert incident["service"] == "jiebei-risk-control" and incident["status"] == "open"
    assert incident["expected_end"] > incident["started_at"]
    # Account-wide, without a topic, the outage is still what she ran into.
    assert diagnosis(client, "qian_qi")["blocking_reason"]["code"] == "SERVICE_OUTAGE"


def test_outage_no_longer_blocks_once_the_incident_is_resolved(client, db):
    from app.models import Incident

    db.query(Incident).update({"status": "resolved"})
    db.commit()
    result = diagnosis(client, "qian_qi", product="jiebei")
    assert result["blocking_reason"] is None and result["incidents"] == []


def test_sun_ba_multiple_lending_not_appealable_retry_after_180_days(client):
    from datetime import date, datetime

    result = diagnosis(client, "sun_ba", product="jiebei")
    assert result["blocking_reason"]["code"] == "MULTIPLE_LENDING"
    assert result["appealable"] is False and result["required_materials"] == []
    decided = datetime.fromisoformat(result["decision"]["decided_at"]).date()
    assert (date.fromisoformat(result["retry_after"]) - decided).days == 180


def test_zheng_yi_jiebei_under_review_with_appeal_in_review(client):
    result = diagnosis(client, "zheng_yi", product="jiebei", lang="en")
    assert result["status"] == "under_review"
    appeal = result["open_appeal"]
    assert appeal["status"] == "in_review"
    assert [step["status"] for step in appeal["timeline"]] == ["submitted", "in_review"]
    assert {m["kind"] for m in appeal["materials"]} == {"face_verification", "income_proof"}
    assert (appeal["product_name"], appeal["open"]) == ("Jiebei", True)
    assert result["appealable"] is False  # one appeal at a time


@pytest.mark.parametrize(
    "who, product, code, appealable",
    [
        ("li_si", "jiebei", "UNSTABLE_EMPLOYMENT", True),
        ("wang_wu", None, "ID_INFO_MISMATCH", True),
        ("zhou_jiu", "huabei", "BANK_CARD_MISMATCH", True),
        ("wu_shi", "huabei", "REGULATORY_RESTRICTION", False),
    ],
)
def test_blocking_reason_of_each_demo_situation(client, who, product, code, appealable):
    result = diagnosis(client, who, **({"product": product} if product else {}))
    assert result["blocking_reason"]["code"] == code
    assert result["appealable"] is appealable


def test_emily_has_nothing_wrong(client):
    for params in ({}, {"product": "huabei"}, {"product": "jiebei"}, {"topic": "login"}):
        result = diagnosis(client, "emily", **params)
        assert result["blocking_reason"] is None, params
        assert result["other_reasons"] == [] and result["failed_attempts"] == []
    accounts = client.get(f"{API}/me/accounts", headers=customer_headers(client, "emily")).json()
    assert {a["product"]: a["status"] for a in accounts} == {"huabei": "active", "jiebei": "active"}


def test_li_si_accounts(client):
    accounts = client.get(f"{API}/me/accounts?lang=zh", headers=customer_headers(client, "li_si")).json()
    assert [(a["product_name"], a["status"]) for a in accounts] == [("花呗", "active"), ("借呗", "refused")]
    assert [a["has_problem"] for a in accounts] == [False, True]


@pytest.mark.parametrize("topic", [None, "application"])
def test_a_complaint_naming_no_product_is_about_the_only_one_with_a_problem(client, topic):
    result = diagnosis(client, "li_si", **({"topic": topic} if topic else {}))
    assert (result["product"], result["product_name"], result["status"]) == ("jiebei", "借呗", "refused")
    assert result["blocking_reason"]["code"] == "UNSTABLE_EMPLOYMENT"
    assert result["ask_product"] is False
    assert [(a["product"], a["has_problem"]) for a in result["accounts"]] == [("huabei", False), ("jiebei", True)]


def account(db, who, product):
    customer = db.scalar(select(Customer).where(Customer.phone == PHONES[who]))
    return next(a for a in customer.accounts if a.product_code == product)


def test_several_products_with_a_problem_and_none_named_means_asking_which(client, db):
    account(db, "zhang_san", "jiebei").status = "suspended"
    db.commit()
    assert diagnosis(client, "zhang_san")["ask_product"] is True
    assert diagnosis(client, "zhang_san", topic="application")["ask_product"] is True
    assert diagnosis(client, "zhang_san", topic="login")["ask_product"] is False  # not about a product
    named = diagnosis(client, "zhang_san", product="huabei")
    assert named["ask_product"] is False and named["blocking_reason"]["code"] == "CREDIT_OVERDUE_HISTORY"


def test_a_product_without_an_account_is_not_opened(client, db):
    db.delete(account(db, "emily", "jiebei"))
    db.commit()
    result = diagnosis(client, "emily", product="jiebei", lang="en")
    assert (result["product_name"], result["status"], result["blocking_reason"]) == ("Jiebei", "not_opened", None)
    assert [a["product"] for a in result["accounts"]] == ["huabei"]


def test_unknown_product_and_topic(client):
    headers = customer_headers(client, "zhang_san")
    unknown = client.get(f"{API}/me/diagnosis?product=yuebao&lang=en", headers=headers)
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_product"
    bad_topic = client.get(f"{API}/me/diagnosis?topic=weather", headers=headers)
    assert bad_topic.status_code == 422 and bad_topic.json()["code"] == "validation_error"


@pytest.mark.parametrize("path", ["/me/accounts", "/me/diagnosis", "/me/appeals", "/identity/me"])
def test_customer_endpoints_need_a_valid_token(client, path):
    missing = client.get(f"{API}{path}")
    assert missing.status_code == 401 and missing.json()["code"] == "token_missing"
    wrong = client.get(f"{API}{path}", headers={"Authorization": "Bearer not-a-real-token"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "token_invalid"


def test_a_statement_is_checked_by_the_same_rule_before_filing(client):
    headers = customer_headers(client, "li_si")
    check = f"{API}/me/appeal-statements/check"
    assert client.post(check, json={"statement": "五个字符吧"}, headers=headers).json() == {"statement": "五个字符吧"}
    short = client.post(check, json={"statement": "太短"}, headers=headers)
    assert short.status_code == 422 and short.json()["message"] == "申诉说明请写 5 到 2000 个字。"
    long = client.post(check, json={"statement": "长" * 2001}, headers=headers)
    assert long.status_code == 413 and long.json()["code"] == "statement_too_long"
    assert client.post(check, json={"statement": "五个字符吧"}).status_code == 401
    assert client.get(f"{API}/me/appeals", headers=headers).json() == []  # nothing was filed

"""The public reason catalog, including the follow-up answers the bot gives after a diagnosis."""

import re

from app.i18n import working_days
from app.seed.catalog import REASONS

API = "/api/v1"
FOLLOW_UPS = ("why_me", "timing", "already_fixed")


def test_every_reason_has_its_follow_up_answers_in_both_languages(client):
    zh = {r["code"]: r for r in client.get(f"{API}/reasons", params={"lang": "zh"}).json()}
    en = {r["code"]: r for r in client.get(f"{API}/reasons", params={"lang": "en"}).json()}
    assert set(zh) == set(en) == {r["code"] for r in REASONS}
    for code in zh:
        for field in FOLLOW_UPS:
            assert zh[code]["follow_up"][field] and en[code]["follow_up"][field]
            assert zh[code]["follow_up"][field] != en[code]["follow_up"][field]
        # the fields that were there before are unchanged (backwards compatible)
        assert {"title", "explanation", "remedy", "required_materials", "appealable", "retry_after_days"} <= set(en[code])


def test_one_reason_and_the_diagnosis_carry_the_same_follow_up(client):
    from tests.conftest import customer_headers

    one = client.get(f"{API}/reasons/credit_overdue_history", params={"lang": "en"}).json()
    assert one["follow_up"]["already_fixed"].startswith("Once repaid")
    diagnosis = client.get(
        f"{API}/me/diagnosis", params={"product": "huabei", "lang": "en"}, headers=customer_headers(client, "zhang_san")
    ).json()
    assert diagnosis["blocking_reason"]["follow_up"] == one["follow_up"]


def test_unknown_reason_is_not_found(client):
    response = client.get(f"{API}/reasons/NO_SUCH_REASON")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_refusal_asked_about_as_an_application_still_has_its_retry_date(client):
    """Zhang San's refusal is on record as the failed application and as the decision: asked with
    topic=application the attempt comes first, and the decision still dates the retry."""
    from tests.conftest import customer_headers

    headers = customer_headers(client, "zhang_san")
    plain = client.get(f"{API}/me/diagnosis", params={"product": "huabei"}, headers=headers).json()
    on_topic = client.get(f"{API}/me/diagnosis", params={"product": "huabei", "topic": "application"}, headers=headers).json()
    assert on_topic["blocking_reason"]["code"] == "CREDIT_OVERDUE_HISTORY"
    assert on_topic["retry_after"] and on_topic["retry_after"] == plain["retry_after"]
    assert on_topic["appealable"] is True


def test_each_cause_states_one_appeal_review_time_everywhere(client):
    """The review time the bot quotes comes from appeal_review_days; every working-day figure in a
    cause's own texts must agree with it, so the catalog never says 3 days here and 7 there."""
    reasons = client.get(f"{API}/reasons", params={"lang": "zh"}).json()
    reasons += client.get(f"{API}/reasons", params={"lang": "en"}).json()
    for reason in reasons:
        days = reason["appeal_review_days"]
        assert (days is not None) == reason["appealable"], reason["code"]
        texts = " ".join([reason["explanation"], reason["remedy"], *filter(None, reason["follow_up"].values())])
        stated = {int(n) for n in re.findall(r"(\d+) *(?:个工作日|working days?)", texts)}
        assert stated <= {days}, (reason["code"], stated, days)


def test_working_days_read_naturally_in_both_languages():
    assert working_days(3) == ("3 个工作日", "3 working days")
    assert working_days(1) == ("1 个工作日", "1 working day")


def test_each_cause_has_its_own_words_in_both_languages(client):
    """The bot tells which cause a follow-up names by these words: each belongs to one cause,
    and no cause's word sits inside another's ("手机" would be in "手机号")."""
    reasons = client.get(f"{API}/reasons", params={"lang": "en"}).json()
    owners: dict[str, str] = {}
    for reason in reasons:
        words = reason["keywords"]
        assert any(w.isascii() for w in words) and any(not w.isascii() for w in words), reason["code"]
        assert all(w == w.lower().strip() and w for w in words), reason["code"]
        for word in words:
            assert word not in owners, f"{word} belongs to {owners.get(word)} and {reason['code']}"
            owners[word] = reason["code"]
    for word, code in owners.items():
        inside = [other for other, other_code in owners.items() if other_code != code and word != other
                  and (word in other if not word.isascii() else re.search(rf"\b{re.escape(word)}\b", other))]
        assert not inside, f"{word} ({code}) is inside {inside}"

"""No customer token ever shows another customer's data."""

import uuid

from tests.conftest import PHONES, customer_headers

API = "/api/v1"


def test_each_token_sees_only_its_own_customer(client):
    # Li Si files an appeal so there is more than Zheng Yi's to leak.
    li_si = customer_headers(client, "li_si")
    client.post(
        f"{API}/me/appeals",
        json={"product": "jiebei", "statement": "在职证明已准备好"},
        headers={**li_si, "Idempotency-Key": str(uuid.uuid4())},
    )
    appeal_owner = {}
    for who in PHONES:
        headers = customer_headers(client, who)
        me = client.get(f"{API}/identity/me", headers=headers).json()
        assert me["masked_phone"] == f"{PHONES[who][:3]}****{PHONES[who][-4:]}"
        for appeal in client.get(f"{API}/me/appeals", headers=headers).json():
            appeal_owner[appeal["number"]] = who
        diagnosis = client.get(f"{API}/me/diagnosis", headers=headers).json()
        if diagnosis["open_appeal"]:
            assert appeal_owner[diagnosis["open_appeal"]["number"]] == who
    assert sorted(appeal_owner.values()) == ["li_si", "zheng_yi"]

    for who in PHONES:
        headers = customer_headers(client, who)
        for number, owner in appeal_owner.items():
            status = client.get(f"{API}/me/appeals/{number}", headers=headers).status_code
            assert status == (200 if owner == who else 404), (who, number)


def test_the_body_cannot_choose_the_customer(client):
    """A handoff or appeal names no customer: it is always the token's."""
    headers = customer_headers(client, "emily")
    response = client.post(
        f"{API}/me/appeals",
        json={"product": "jiebei", "statement": "请复核我的申请", "customer_id": 2, "phone": PHONES["li_si"]},
        headers={**headers, "Idempotency-Key": "k"},
    )
    assert response.status_code == 409 and response.json()["code"] == "not_appealable"

"""Operations open, extend and close incidents; the diagnosis follows at once, and the chats
the bot explained an outage to are told when it ends, in their language."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from app.models.customer import IncidentNotice
from app.services import incidents
from app.services.rasa import RasaClient
from tests.conftest import customer_headers, service_headers, staff_headers

API = "/api/v1"


def later(hours=3) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def ended_request_id(incident_id: int, closed_at: str) -> str:
    return f"incident-{incident_id}-ended-{datetime.fromisoformat(closed_at):%Y%m%dT%H%M%S}"


def seeded_outage(client, ops) -> dict:
    [incident] = [i for i in client.get(f"{API}/operations/incidents", headers=ops).json() if i["status"] == "open"]
    return incident


def diagnose(client, who, conversation=None, lang="zh", **query):
    headers = customer_headers(client, who)
    if conversation:
        headers.update(service_headers({"X-Conversation-Id": conversation}))
    return client.get(f"{API}/me/diagnosis", params={"lang": lang, **query}, headers=headers).json()


def test_closing_the_outage_changes_the_answer_and_tells_the_chats_it_was_explained_to(client, fake_rasa):
    ops = staff_headers(client, "operations")
    outage = seeded_outage(client, ops)
    assert outage["product"] == "jiebei" and outage["conversations_told"] == 0
    assert diagnose(client, "qian_qi", "conv-qian-zh")["blocking_reason"]["code"] == "SERVICE_OUTAGE"
    assert diagnose(client, "qian_qi", "conv-qian-en", lang="en")["blocking_reason"]["code"] == "SERVICE_OUTAGE"
    diagnose(client, "qian_qi", "conv-qian-zh")  # asked twice in one chat: told once
    diagnose(client, "qian_qi")  # the customer's own call names no chat
    assert seeded_outage(client, ops)["conversations_told"] == 2

    closed = client.post(f"{API}/operations/incidents/{outage['id']}/close", headers=ops)
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"] and closed.json()["conversations_notified"] == 2
    assert diagnose(client, "qian_qi")["blocking_reason"] is None  # at once
    assert sorted(fake_rasa.delivered) == [
        ("conv-qian-en",
         "Update: the Jiebei service problem is over (Jiebei risk-control upgrade: loan requests and withdrawals "
         "are paused); you can use it again now."),
        ("conv-qian-zh", "通知：借呗服务故障已经结束（借呗风控系统升级维护，借款申请和提现暂时无法处理），现在可以重新使用了。"),
    ]
    sent = [r for r in fake_rasa.requests if r["method"] == "POST"]
    assert {r["path"] for r in sent} == {f"/webhooks/socketio/messages/{c}" for c in ("conv-qian-zh", "conv-qian-en")}
    assert {r["json"]["request_id"] for r in sent} == {ended_request_id(outage["id"], closed.json()["closed_at"])}
    assert all(r["json"]["metadata"] == {"notice": "incident_ended"} for r in sent)
    again = client.post(f"{API}/operations/incidents/{outage['id']}/close", headers={**ops, "Accept-Language": "en"})
    assert again.status_code == 409 and again.json() == {"code": "incident_closed", "message": "This incident is already closed."}
    moved = client.patch(f"{API}/operations/incidents/{outage['id']}", json={"expected_end": later()}, headers=ops)
    assert moved.status_code == 409 and moved.json()["code"] == "incident_closed"


def test_an_unreachable_chat_stays_not_notified(client, fake_rasa):
    ops = staff_headers(client, "operations")
    outage = seeded_outage(client, ops)
    diagnose(client, "qian_qi", "conv-gone")
    fake_rasa.fail_status = 503
    closed = client.post(f"{API}/operations/incidents/{outage['id']}/close", headers=ops).json()
    assert closed["status"] == "closed" and closed["conversations_told"] == 1 and closed["conversations_notified"] == 0


def test_an_end_notice_retried_after_a_timeout_or_sent_again_reaches_each_chat_once(
    client, db, fake_rasa, app_settings, monkeypatch
):
    """Rasa took the first try but answered too late; later the notice goes out again (a chat
    left not notified is tried again): the customer reads that the outage ended once."""
    ops = staff_headers(client, "operations")
    outage = seeded_outage(client, ops)
    diagnose(client, "qian_qi", "conv-qian-slow")
    monkeypatch.setattr(app_settings, "rasa_timeout_seconds", 0.5)
    fake_rasa.delays = [1.0]
    closed = client.post(f"{API}/operations/incidents/{outage['id']}/close", headers=ops).json()
    assert closed["conversations_notified"] == 1
    db.execute(update(IncidentNotice).where(IncidentNotice.incident_id == outage["id"]).values(notified_at=None))
    db.commit()
    assert incidents.notify_ended(db, incidents.get_incident(db, outage["id"]), RasaClient(app_settings)) == 1
    assert len([r for r in fake_rasa.requests if r["method"] == "POST"]) == 3  # first try, retry, sent again
    [(conversation, text)] = fake_rasa.delivered
    assert conversation == "conv-qian-slow" and text.startswith("通知：借呗服务故障已经结束")


def test_open_extend_and_close_a_new_incident(client):
    ops = staff_headers(client, "operations")
    body = {"product": "huabei", "service": "huabei-payments", "title_zh": "花呗支付通道维护",
            "title_en": "Huabei payment maintenance", "expected_end": later(2)}
    opened = client.post(f"{API}/operations/incidents?lang=en", json=body, headers=ops)
    assert opened.status_code == 201, opened.text
    incident = opened.json()
    assert incident["status"] == "open" and incident["title"] == "Huabei payment maintenance" and incident["product"] == "huabei"
    # Emily uses Huabei: asked about a service problem, the new outage is the answer now
    emily = diagnose(client, "emily", lang="en", product="huabei", topic="service")
    assert emily["blocking_reason"]["code"] == "SERVICE_OUTAGE"
    assert [i["title"] for i in emily["incidents"]] == ["Huabei payment maintenance"]
    new_end = later(6)
    moved = client.patch(f"{API}/operations/incidents/{incident['id']}", json={"expected_end": new_end}, headers=ops)
    assert moved.status_code == 200
    assert datetime.fromisoformat(moved.json()["expected_end"]) == datetime.fromisoformat(new_end)
    assert diagnose(client, "emily", product="huabei", topic="service")["incidents"][0]["expected_end"] == moved.json()["expected_end"]
    listed = client.get(f"{API}/operations/incidents", headers=ops).json()
    assert [i["status"] for i in listed] == ["open", "open"] and listed[0]["id"] == incident["id"]  # newest open first
    assert client.post(f"{API}/operations/incidents/{incident['id']}/close", headers=ops).status_code == 200
    assert diagnose(client, "emily", product="huabei", topic="service")["blocking_reason"] is None
    assert [i["status"] for i in client.get(f"{API}/operations/incidents", headers=ops).json()] == ["open", "closed"]


def test_bad_incidents_are_refused_and_change_nothing(client):
    ops = staff_headers(client, "operations")
    good = {"product": "jiebei", "service": "jiebei-risk-control", "title_zh": "维护", "title_en": "Maintenance",
            "expected_end": later()}
    cases = [
        ({**good, "expected_end": (datetime.now(UTC) - timedelta(hours=1)).isoformat()}, 422, "expected_end_invalid"),
        ({**good, "expected_end": "2099-01-01T00:00:00"}, 422, "expected_end_invalid"),  # no time zone
        ({**good, "title_en": ""}, 422, "validation_error"),
        ({**good, "title_zh": "长" * 201}, 422, "validation_error"),
        ({**good, "service": "Risk Control!"}, 422, "validation_error"),
        ({**good, "product": "yuebao"}, 404, "unknown_product"),
    ]
    for body, status, code in cases:
        refused = client.post(f"{API}/operations/incidents", json=body, headers={**ops, "Accept-Language": "en"})
        assert (refused.status_code, refused.json()["code"]) == (status, code), body
        assert refused.json()["message"]
    assert len(client.get(f"{API}/operations/incidents", headers=ops).json()) == 1
    missing = client.post(f"{API}/operations/incidents/999/close", headers=ops)
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    outage = seeded_outage(client, ops)
    past = client.patch(f"{API}/operations/incidents/{outage['id']}", json={"expected_end": "2000-01-01T00:00:00+00:00"}, headers=ops)
    assert past.status_code == 422 and seeded_outage(client, ops)["expected_end"] == outage["expected_end"]

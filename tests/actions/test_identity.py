"""Verification by phone and one-time code, through the real backend."""
import asyncio
import uuid

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk.executor import CollectingDispatcher

from actions.identity import ValidateIdentityForm, find_phone
from tests.actions.conftest import make_tracker, responses, slot_events
from tests.helpers import ROOT, latest_code

DOMAIN = Domain.load(str(ROOT / "domain.yml")).as_dict()


@pytest.fixture
def conversation() -> str:
    """A conversation of its own for each test: codes and send limits are per conversation."""
    return f"identity-{uuid.uuid4().hex}"


def validate(text, requested_slot, slots=None, candidate=None, conversation="identity-test"):
    """Runs the form validation as Rasa does after the user typed `text`."""
    slot, value = candidate or (requested_slot, text)
    tracker = make_tracker(
        text, "inform", slots={"requested_slot": requested_slot, **(slots or {})}, sender_id=conversation,
        active_loop="identity_form", events_after=[{"event": "slot", "name": slot, "value": value}],
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ValidateIdentityForm().run(dispatcher, tracker, DOMAIN))
    return dispatcher, slot_events(events)


@pytest.mark.parametrize("text,phone", [
    ("13800000004", "13800000004"), ("我手机号是138 0000 0004", "13800000004"),
    ("138-0000-0004", "13800000004"), ("12345", None), ("23800000004", None),
])
def test_phone_numbers_as_people_type_them(text, phone):
    assert find_phone(text) == phone


def test_a_code_is_sent_and_accepted(backend_url, conversation):
    dispatcher, slots = validate("13800000004", "phone", conversation=conversation)
    assert slots["phone"] == "13800000004"
    assert responses(dispatcher) == ["utter_code_sent"]
    code = latest_code(backend_url, "13800000004")
    dispatcher, slots = validate(code, "otp_code", slots={"phone": "13800000004"}, conversation=conversation)
    assert slots["otp_code"] == "verified" and slots["session_token"]
    assert [m["custom"]["session_token"] for m in dispatcher.messages if m.get("custom")] == [slots["session_token"]]
    assert "utter_verified" in responses(dispatcher)


def test_a_wrong_phone_is_asked_again():
    dispatcher, slots = validate("12345", "phone")
    assert slots["phone"] is None
    assert responses(dispatcher) == ["utter_invalid_phone"]


def test_a_wrong_code_says_how_many_tries_are_left(backend_url, conversation):
    validate("13800000003", "phone", conversation=conversation)
    dispatcher, slots = validate("000000", "otp_code", slots={"phone": "13800000003"}, conversation=conversation)
    if latest_code(backend_url, "13800000003") == "000000":  # one chance in a million
        pytest.skip("the random code happened to be 000000")
    assert slots["otp_code"] is None
    wrong = next(m for m in dispatcher.messages if m.get("response") == "utter_wrong_code")
    assert wrong["attempts_left"] == 4


def test_typing_another_number_while_asked_for_the_code_sends_a_new_code(backend_url, conversation):
    validate("13800000002", "phone", conversation=conversation)
    dispatcher, slots = validate("换成13800000006", "otp_code", slots={"phone": "13800000002"},
                                 candidate=("otp_code", "换成13800000006"), conversation=conversation)
    assert slots == {"phone": "13800000006", "otp_code": None}
    assert responses(dispatcher) == ["utter_code_sent"]
    assert latest_code(backend_url, "13800000006")


def test_an_old_phone_value_is_not_reused_when_the_form_starts_again():
    dispatcher, slots = validate("I can't log in", None, candidate=("phone", "13800000004"))
    assert slots["phone"] is None


def test_a_code_wrong_five_times_is_void_and_the_user_starts_again(backend_url, conversation):
    validate("13800000005", "phone", conversation=conversation)
    code = latest_code(backend_url, "13800000005")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        validate(wrong, "otp_code", slots={"phone": "13800000005"}, conversation=conversation)
    dispatcher, slots = validate(wrong, "otp_code", slots={"phone": "13800000005"}, conversation=conversation)
    assert responses(dispatcher) == ["utter_code_attempts_exhausted"]
    assert slots == {"otp_code": None, "phone": None}  # asked for the number again: a new code


def test_too_many_codes_in_one_conversation_end_the_verification_truthfully(conversation):
    for _ in range(3):  # OTP_SEND_LIMIT_PER_CONVERSATION: 3 per 10 minutes
        assert responses(validate("13800000010", "phone", conversation=conversation)[0]) == ["utter_code_sent"]
    dispatcher, slots = validate("13800000010", "phone", conversation=conversation)
    assert responses(dispatcher) == ["utter_code_send_limited"]
    limited = next(m for m in dispatcher.messages if m.get("response") == "utter_code_send_limited")
    assert limited["until"] and slots == {"phone": "limited", "otp_code": "limited"}

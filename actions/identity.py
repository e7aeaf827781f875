"""Who the user is: a session token, never the conversation id and never a slot alone.

The widget sends the customer's session token in the metadata of every message (the
app's own token, or the one this bot handed over after a one-time code). The only
other accepted source is a token obtained by a code in the current turn, before the
widget has had a chance to send it back: in any later turn that slot is ignored, so
someone who knows the conversation id inherits nothing.
"""
import re
from typing import Any, Dict, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.wording import format_time, language

_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


def session_token(tracker: Tracker) -> Optional[str]:
    """The token of the latest user message, or one verified later in this same turn."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "session_token" and event.get("value"):
            return event["value"]
        if event.get("event") == "user":
            return (event.get("metadata") or {}).get("session_token")
    return None


def find_phone(text: str) -> Optional[str]:
    """An 11-digit mainland mobile number in the text, spaces and dashes allowed."""
    match = _PHONE.search(re.sub(r"[\s\-]", "", text or ""))
    return match.group(0) if match else None


def find_code(text: str) -> Optional[str]:
    match = _CODE.search(re.sub(r"\s", "", text or ""))
    return match.group(0) if match else None


class ValidateIdentityForm(FormValidationAction):
    """Phone number, then one-time code, both checked by the backend.

    Values are only accepted from what the user typed in this turn, so a phone or
    code left in the slots by an earlier verification never passes again.
    """

    def name(self) -> Text:
        return "validate_identity_form"

    def _send_code(self, phone: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """The slots after asking the backend to send a code: the phone when it was sent;
        a send limit ends the verification (the user is told until when)."""
        lang = language(tracker)
        try:
            answer = BackendClient().send_code(phone, tracker.sender_id, lang)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"phone": None, "otp_code": None}
        except BackendError as error:
            if error.code == "otp_send_limited":
                dispatcher.utter_message(
                    response="utter_code_send_limited", until=format_time(error.body.get("retry_at"), lang)
                )
                return {"phone": "limited", "otp_code": "limited"}
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"phone": None, "otp_code": None}
        dispatcher.utter_message(
            response="utter_code_sent", masked_phone=answer.get("masked_phone", phone),
            minutes=max(1, int(answer.get("expires_in", 300)) // 60),
        )
        return {"phone": phone, "otp_code": None}

    def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "phone":  # a value left from an earlier verification
            return {"phone": None}
        phone = find_phone(tracker.latest_message.get("text", ""))
        if not phone:
            dispatcher.utter_message(response="utter_invalid_phone")
            return {"phone": None}
        return self._send_code(phone, dispatcher, tracker)

    def validate_otp_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "otp_code":
            return {"otp_code": None}
        lang = language(tracker)
        typed = tracker.latest_message.get("text", "")
        new_phone = find_phone(typed)
        if new_phone:
            return self._send_code(new_phone, dispatcher, tracker)
        code = find_code(typed)
        if not code:
            dispatcher.utter_message(response="utter_invalid_code")
            return {"otp_code": None}
        try:
            answer = BackendClient().verify_code(tracker.get_slot("phone"), code, tracker.sender_id, lang)
        except BackendUnavailable:
            dispatcher.utter_message(response="utter_backend_unavailable")
            return {"otp_code": None}
        except BackendError as error:
            return self._code_refused(error, dispatcher, lang)
        customer = answer["customer"]
        name = customer.get("name") if lang == "zh" else customer.get("name_en") or customer.get("name")
        dispatcher.utter_message(response="utter_verified", name=name)
        dispatcher.utter_message(
            json_message={"session_token": answer["token"], "expires_at": answer.get("expires_at")}
        )
        return {"otp_code": "verified", "session_token": answer["token"]}

    @staticmethod
    def _code_refused(error: BackendError, dispatcher: CollectingDispatcher, lang: str) -> Dict[Text, Any]:
        if error.code == "otp_attempts_exhausted":
            dispatcher.utter_message(response="utter_code_attempts_exhausted")
            return {"otp_code": None, "phone": None}
        if error.code == "otp_invalid":
            dispatcher.utter_message(response="utter_wrong_code", attempts_left=error.body.get("attempts_left", 0))
            return {"otp_code": None}
        dispatcher.utter_message(response="utter_code_expired")
        return {"otp_code": None, "phone": None}


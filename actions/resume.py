"""Carries on with what the user asked for once the missing piece is there.

After the identity form, or after the user named the product the bot asked about,
the request remembered in `pending_request` is answered (a product answer with
nothing pending means: explain that product).
"""
from typing import Dict, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import account, appeals  # noqa: F401  (defines the AccountAction subclasses)
from actions.common import AccountAction

REQUESTS: Dict[str, Type[AccountAction]] = {
    action().name(): action for action in AccountAction.__subclasses__()
}


class ActionResumeRequest(Action):
    def name(self) -> Text:
        return "action_resume_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        pending = tracker.get_slot("pending_request") or "action_diagnose_problem"
        action = REQUESTS.get(pending, account.ActionDiagnoseProblem)()
        return action.answer(dispatcher, tracker, may_ask_to_verify=False) + [
            SlotSet("phone", None), SlotSet("otp_code", None),
        ]


class ActionResetIdentity(Action):
    """Used when the user stops the verification: nothing of it is kept."""

    def name(self) -> Text:
        return "action_reset_identity"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return [
            SlotSet("phone", None), SlotSet("otp_code", None), SlotSet("session_token", None),
            SlotSet("identity_needed", False), SlotSet("pending_request", None),
        ]

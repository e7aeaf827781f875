"""Carries on with what the user asked for once the missing piece is there.

After the identity form, or after the user named the product the bot asked about,
the request remembered in `pending_request` is answered (a product answer with
nothing pending means: explain that product; a fact about the cause explained, a reply to it).
"""
import logging
from typing import Dict, List, Text, Type

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import account, appeals, follow_up
from actions.common import AccountAction

logger = logging.getLogger(__name__)

# Every request that may wait for the user's identity (tests/actions check it is complete).
REQUESTS: Dict[str, Type[AccountAction]] = {
    action().name(): action
    for action in (
        account.ActionCheckAccountStatus, account.ActionDiagnoseProblem, account.ActionExplainHowToQualify,
        appeals.ActionListRequiredMaterials, appeals.ActionPrepareAppeal, appeals.ActionSubmitAppeal,
        appeals.ActionCheckAppealStatus, appeals.ActionExplainMaterialUpload, appeals.ActionConfirmMaterials,
        follow_up.ActionAnswerFollowUp,
    )
}


class ActionResumeRequest(Action):
    def name(self) -> Text:
        return "action_resume_request"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        asked = tracker.get_slot("pending_request")
        pending = asked or self._unasked(tracker)
        if pending not in REQUESTS:
            logger.error("pending request %r is not a known request: answering with the diagnosis", pending)
            pending = account.ActionDiagnoseProblem().name()
        action = REQUESTS[pending]()
        # a request the bot was holding is answered now or not at all (the verification has
        # just run); "花呗" said unasked by a user not yet verified starts the verification
        return action.answer(dispatcher, tracker, may_ask_to_verify=not asked) + [
            SlotSet("phone", None), SlotSet("otp_code", None),
        ]

    @staticmethod
    def _unasked(tracker: Tracker) -> Text:
        """Information the bot did not ask for: a product named means "explain that product";
        a fact without one, once a cause was explained ("but I have a job"), is said against
        that cause and gets a follow-up answer, not the same diagnosis again."""
        named_product = any(e.get("entity") == "product" for e in tracker.latest_message.get("entities") or [])
        if tracker.get_slot("diagnosed_reason") and not named_product:
            return follow_up.ActionAnswerFollowUp().name()
        return account.ActionDiagnoseProblem().name()


class ActionResetIdentity(Action):
    """Used when the user stops the verification: nothing of it is kept."""

    def name(self) -> Text:
        return "action_reset_identity"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        return [
            SlotSet("phone", None), SlotSet("otp_code", None), SlotSet("session_token", None),
            SlotSet("identity_needed", False), SlotSet("pending_request", None),
        ]

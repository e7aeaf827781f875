"""Short answers to follow-up questions about the cause the bot has just explained.

"What should I do", "what does that mean", "why me", "how long", "I already fixed it", and a
fact said against the cause ("but I have a job"):
each refers to the cause in the `diagnosed_reason` slot, so the answer is one or two lines
about that cause, never a second full diagnosis. A follow-up that names another cause on the
customer's record by its words in the catalog ("那设备的问题怎么办" after a login far from
home was explained, with an unsupported device on an earlier attempt) is about that one,
which becomes the cause discussed. The texts are the backend's (the reason
catalog and the verified customer's diagnosis); with no cause explained yet, the question
gets the ordinary diagnosis.
"""
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk.events import EventType, SlotSet

from actions.account import ActionDiagnoseProblem, open_incidents, say_required_materials, say_retry_date
from actions.appeals import missing_materials, open_appeal
from actions.backend_client import BackendError
from actions.common import AccountAction, Context
from actions.wording import APPEAL_STATUS, format_time, label, material_names


def mentions(text: str, keyword: str) -> bool:
    """A Chinese keyword anywhere in the text; an English one as a word ("app" not in "apply")."""
    if keyword.isascii():
        return re.search(rf"\b{re.escape(keyword)}\b", text) is not None
    return keyword in text


def named_cause(text: Optional[str], diagnosis: Dict[str, Any], discussed: str) -> Optional[Dict[str, Any]]:
    """The one other cause on the customer's record that the message names, unless it also
    names the cause being discussed (then the question stays with that one)."""
    text = (text or "").lower()
    causes = [diagnosis.get("blocking_reason"), *diagnosis.get("other_reasons", [])]
    named = {cause["code"]: cause for cause in causes
             if cause and any(mentions(text, keyword) for keyword in cause.get("keywords") or [])}
    if discussed in named or len(named) != 1:
        return None
    return next(iter(named.values()))


class ActionAnswerFollowUp(AccountAction):
    """Answers a follow-up intent from the diagnosed cause (and product) of this conversation."""

    def name(self) -> Text:
        return "action_answer_follow_up"

    def serve(self, context: Context) -> List[EventType]:
        tracker = context.tracker
        code = tracker.get_slot("diagnosed_reason")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if not code:
            # "how much longer" with no cause explained here, from a customer whose appeal is
            # being reviewed, is about the appeal
            appeal = open_appeal(context) if intent == "ask_when" else None
            if appeal:
                self._say_appeal_next(context, appeal)
                return []
            return ActionDiagnoseProblem().serve(context)
        diagnosis = context.client.diagnosis(
            context.token, context.lang, product=tracker.get_slot("product"), topic=tracker.get_slot("topic")
        )
        events: List[EventType] = []
        named = named_cause(tracker.latest_message.get("text"), diagnosis, code)
        if named:
            reason, events = named, [SlotSet("diagnosed_reason", named["code"])]
        else:
            reason = self._reason(context, code, diagnosis)
        if reason is None:  # a code the catalog no longer has: the current diagnosis instead
            return ActionDiagnoseProblem().serve(context)
        answer = {
            "ask_meaning": self._meaning,
            "ask_why_me": self._why_me,
            "ask_when": self._when,
            "report_fixed": self._fixed,
            "inform": self._disputed,
        }.get(intent, self._what_to_do)
        answer(context, reason, diagnosis)
        return events

    @staticmethod
    def _reason(context: Context, code: str, diagnosis: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        """The diagnosed cause as the backend words it: from the diagnosis when it still blocks,
        else from the catalog (the user may ask about it after fixing it)."""
        blocking = diagnosis.get("blocking_reason")
        if blocking and blocking["code"] == code:
            return blocking
        try:
            return context.client.reason(code, context.lang)
        except BackendError:
            return None

    @staticmethod
    def _same_cause(reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> bool:
        blocking = diagnosis.get("blocking_reason")
        return bool(blocking and blocking["code"] == reason["code"])

    def _open_incident(self, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> Optional[Dict[str, Any]]:
        if reason["code"] != "SERVICE_OUTAGE":
            return None
        return next(iter(open_incidents(diagnosis)), None)

    def _say_incident_end(self, context: Context, incident: Dict[str, Any]) -> None:
        context.dispatcher.utter_message(
            response="utter_incident_end", title=incident["title"],
            expected_end=format_time(incident.get("expected_end"), context.lang),
        )

    def _say_appeal_next(self, context: Context, appeal: Dict[str, Any]) -> None:
        """An open appeal: its status and what happens next (upload what is missing, or wait)."""
        status = label(APPEAL_STATUS, appeal.get("status"), context.lang)
        missing = missing_materials(appeal)
        if missing:
            context.dispatcher.utter_message(
                response="utter_appeal_next_upload", number=appeal["number"], status=status,
                materials=material_names(missing, context.lang),
            )
        else:
            context.dispatcher.utter_message(
                response="utter_appeal_next_review", number=appeal["number"], status=status,
                review_time=appeal["review_time"],
            )

    def _say_text(self, context: Context, text: Optional[str]) -> bool:
        if text:
            context.dispatcher.utter_message(response="utter_follow_up_text", text=text)
        return bool(text)

    def _what_to_do(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        appeal, incident = diagnosis.get("open_appeal"), self._open_incident(reason, diagnosis)
        if appeal and self._same_cause(reason, diagnosis):
            self._say_appeal_next(context, appeal)
            return
        context.dispatcher.utter_message(response="utter_diagnosis_remedy", remedy=reason["remedy"])
        if incident:
            self._say_incident_end(context, incident)
            return
        say_required_materials(context, reason.get("required_materials", []))
        if self._same_cause(reason, diagnosis):
            say_retry_date(context, diagnosis)

    def _meaning(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        context.dispatcher.utter_message(
            response="utter_follow_up_meaning", title=reason["title"], explanation=reason["explanation"]
        )

    def _why_me(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        if not self._say_text(context, (reason.get("follow_up") or {}).get("why_me")):
            self._meaning(context, reason, diagnosis)

    def _disputed(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        """A fact said against the cause ("but I have a job", "the card IS mine"): why the
        cause applies even so, and the appeal when it can change the decision."""
        self._why_me(context, reason, diagnosis)
        if self._same_cause(reason, diagnosis) and diagnosis.get("appealable"):
            context.dispatcher.utter_message(response="utter_offer_appeal")

    def _when(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        appeal, incident = diagnosis.get("open_appeal"), self._open_incident(reason, diagnosis)
        if incident:
            self._say_incident_end(context, incident)
            return
        if appeal and self._same_cause(reason, diagnosis):
            self._say_appeal_next(context, appeal)
            return
        if self._same_cause(reason, diagnosis):
            say_retry_date(context, diagnosis)
        if not self._say_text(context, (reason.get("follow_up") or {}).get("timing")):
            context.dispatcher.utter_message(response="utter_diagnosis_remedy", remedy=reason["remedy"])

    def _fixed(self, context: Context, reason: Dict[str, Any], diagnosis: Dict[str, Any]) -> None:
        if not self._say_text(context, (reason.get("follow_up") or {}).get("already_fixed")):
            context.dispatcher.utter_message(response="utter_diagnosis_remedy", remedy=reason["remedy"])
        if self._same_cause(reason, diagnosis):
            say_retry_date(context, diagnosis)

"""Hands the conversation to a human agent: a ticket with a summary, then a pause."""
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.identity import session_token
from actions.wording import language

RECENT_MESSAGES = 6


def summarize(tracker: Tracker) -> str:
    """What the agent needs at a glance: which product, the cause found, what was tried.

    Who the customer is is not in here: the backend shows it from the verified token only,
    so nothing typed into the conversation can claim an identity."""
    user_events = [e for e in tracker.events if e.get("event") == "user"]
    intents = []
    for event in user_events:
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent and intent not in intents:
            intents.append(intent)
    recent = [e.get("text", "") for e in user_events[-RECENT_MESSAGES:]]
    return "\n".join([
        f"Product: {tracker.get_slot('product') or 'unknown'}",
        f"Diagnosed reason: {tracker.get_slot('diagnosed_reason') or 'none yet'}",
        f"Language: {language(tracker)}",
        f"Topics so far: {', '.join(intents) or 'none'}",
        "Latest user messages: " + " | ".join(recent),
    ])


class ActionHandoffToHuman(Action):
    def name(self) -> Text:
        return "action_handoff_to_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        client = BackendClient()
        token = session_token(tracker)
        try:
            customer = client.customer_for_token(token) if token else None
            client.create_handoff(customer and token, {
                "conversation_id": tracker.sender_id,
                "language": language(tracker),
                "product": tracker.get_slot("product"),
                "reason_code": tracker.get_slot("diagnosed_reason"),
                "summary": summarize(tracker),
            })
        except (BackendUnavailable, BackendError):
            dispatcher.utter_message(response="utter_handoff_unavailable")
            return []
        dispatcher.utter_message(response="utter_handoff_started")
        return [ConversationPaused()]

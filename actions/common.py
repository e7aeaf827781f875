"""The frame of every account action: check who the user is, answer even when the
backend is down."""
import logging
from abc import ABCMeta, abstractmethod
from dataclasses import dataclass
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.backend_client import BackendClient, BackendError, BackendUnavailable
from actions.identity import session_token
from actions.wording import language

logger = logging.getLogger(__name__)


def only_changes(tracker: Tracker, events: List[EventType]) -> List[EventType]:
    """Drops slot events that set a slot to the value it already has.

    Every event is stored and replayed on every later turn, so repeating unchanged
    slots would make long conversations slower for nothing.
    """
    values = dict(tracker.slots)
    changes = []
    for event in events:
        if event.get("event") == "slot":
            if values.get(event["name"]) == event["value"]:
                continue
            values[event["name"]] = event["value"]
        changes.append(event)
    return changes


def tell_appeal_outcomes(
    dispatcher: CollectingDispatcher, client: BackendClient, token: str, lang: str, conversation_id: str
) -> bool:
    """Starts the answer with any appeal decision the customer has not been told of yet (the
    backend hands each out once, in `lang`). It is the answer's first call with the token,
    so it also tells whether the backend knows the token: False when it does not. A refusal
    of another kind never keeps the answer back; an unreachable backend ends it
    (BackendUnavailable, as any of the answer's calls would)."""
    try:
        outcomes = client.deliver_appeal_outcomes(token, lang, conversation_id)
    except BackendError as error:
        if error.status == 401:
            return False
        logger.warning("could not fetch appeal outcomes: %s", error)
        return True
    for outcome in outcomes:
        dispatcher.utter_message(text=outcome["message"])
    return True


@dataclass
class Context:
    """One verified request: who asks, in which language, and how to reach the backend."""

    dispatcher: CollectingDispatcher
    tracker: Tracker
    client: BackendClient
    token: str
    lang: str


def ask_which_product(context: Context, action_name: Text) -> List[EventType]:
    """Asks for the product; its answer resumes `action_name` (action_resume_request)."""
    context.dispatcher.utter_message(response="utter_ask_which_product")
    return [SlotSet("pending_request", action_name)]


class AccountAction(Action, metaclass=ABCMeta):
    """An action that shows account data, so only to a verified user.

    Without a valid session token it asks the user to verify (the identity form runs
    next, then action_resume_request calls `answer` again). Backend failures always
    end in a reply to the user, never in silence.
    """

    @abstractmethod
    def name(self) -> Text:
        """The action's name in the domain."""

    @abstractmethod
    def serve(self, context: Context) -> List[EventType]:
        """Answers the verified user; backend failures may propagate."""

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return self.answer(dispatcher, tracker, may_ask_to_verify=True)

    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, may_ask_to_verify: bool
    ) -> List[EventType]:
        lang = language(tracker)
        client = BackendClient()
        token = session_token(tracker)
        done = [SlotSet("identity_needed", False), SlotSet("pending_request", None)]
        try:
            # one call both checks the token and tells pending appeal decisions
            verified = bool(token) and tell_appeal_outcomes(dispatcher, client, token, lang, tracker.sender_id)
            if not verified:
                if may_ask_to_verify:
                    dispatcher.utter_message(response="utter_identity_needed")
                    return [
                        SlotSet("identity_needed", True), SlotSet("pending_request", self.name()),
                        SlotSet("appeal_possible", False),
                    ]
                dispatcher.utter_message(response="utter_not_verified")
                return done + [SlotSet("appeal_possible", False)]
            context = Context(dispatcher, tracker, client, token, lang)
            try:
                events = self.serve(context)
            except BackendError as error:
                if error.code != "unknown_product":
                    raise
                # the NLU took a misspelt name ("jiebie") for the product: ask, and forget
                # it, or every later answer would fail on it again
                events = [SlotSet("product", None)] + ask_which_product(context, self.name())
        except BackendUnavailable as error:
            logger.warning("backend unavailable in %s: %s", self.name(), error)
            dispatcher.utter_message(response="utter_backend_unavailable")
            events = []
        if not any(e.get("name") == "appeal_possible" for e in events):
            events.append(SlotSet("appeal_possible", False))
        return only_changes(tracker, done + events)

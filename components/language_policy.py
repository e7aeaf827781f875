"""Keeps the `language` slot equal to the language of the user's latest message.

Responses pick their Chinese or English variation by a condition on this slot, so
every reply follows the language the user just wrote in. A policy is the one place
that sees every user turn before any action runs without a round trip to the action
server: it never wins a prediction (all zeros) but the ensemble applies the `events`
of every policy's prediction, whichever policy wins.
"""
from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from components.language import detect_language

LANGUAGE_SLOT = "language"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT,
    is_trainable=True,
)
class LanguagePolicy(Policy):
    """Sets the language slot from the latest user message; predicts no action."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"priority": 0}

    def train(
        self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any
    ) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        latest = tracker.latest_message.text if tracker.latest_message else None
        language = detect_language(latest)
        events = []
        if language and tracker.get_slot(LANGUAGE_SLOT) != language:
            events.append(SlotSet(LANGUAGE_SLOT, language))
        return self._prediction(self._default_predictions(domain), events=events)

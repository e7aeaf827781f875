"""Base of the classifiers that, after DIET, set one intent by a rule and with certainty."""
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message


class RuleIntentClassifier(GraphComponent, IntentClassifier):
    """Replaces the intent and its ranking where `intent_for` names one; leaves the rest."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuleIntentClassifier":
        return cls()

    def intent_for(self, message: Message) -> Optional[Text]:
        raise NotImplementedError

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = self.intent_for(message)
            if intent:
                certain = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, certain, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [certain], add_to_output=True)
        return messages

"""Punctuation alone ("？？？", "...", "!!!") asks the user to say more.

Such a message names no intent, but DIET still gives it one from the punctuation it has
seen in other examples: "？？？" was `bot_challenge`, "!!!" `request_human` (from "human
now!!!"), so a puzzled user was told the bot is a bot, or handed to an agent. This
classifier, after DIET, sets `nlu_fallback` with no ranking for a message made of
punctuation and spaces only, and the two-stage fallback asks the user to rephrase.
Emoji are left to DIET: "😡" and "👍" do say something.
"""
import unicodedata
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


def is_contentless(text: Optional[Text]) -> bool:
    """True for a text of punctuation and spaces only (Unicode categories P* and Z*)."""
    text = (text or "").strip()
    return bool(text) and all(unicodedata.category(char)[0] in "PZ" for char in text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ContentlessMessageClassifier(GraphComponent, IntentClassifier):
    """Sets `nlu_fallback` for messages of punctuation only."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ContentlessMessageClassifier":
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if is_contentless(message.get(TEXT)):
                fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [fallback], add_to_output=True)
        return messages

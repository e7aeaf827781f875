"""Punctuation alone ("？？？", "...", "!!!") asks the user to say more.

Such a message names no intent, but DIET still gives it one from the punctuation it has
seen in other examples: "？？？" was `bot_challenge`, "!!!" `request_human` (from "human
now!!!"), so a puzzled user was told the bot is a bot, or handed to an agent. This
classifier, after DIET, sets `nlu_fallback` with no ranking for a message made of
punctuation and spaces only, and the two-stage fallback asks the user to rephrase.
Emoji are left to DIET: "😡" and "👍" do say something.
"""
import unicodedata
from typing import Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.rule_intent import RuleIntentClassifier


def is_contentless(text: Optional[Text]) -> bool:
    """True for a text of punctuation and spaces only (Unicode categories P* and Z*)."""
    text = (text or "").strip()
    return bool(text) and all(unicodedata.category(char)[0] in "PZ" for char in text)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ContentlessMessageClassifier(RuleIntentClassifier):
    """Sets `nlu_fallback` for messages of punctuation only."""

    def intent_for(self, message: Message) -> Optional[Text]:
        return DEFAULT_NLU_FALLBACK_INTENT_NAME if is_contentless(message.get(TEXT)) else None

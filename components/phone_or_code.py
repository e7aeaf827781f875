"""A message that is only a mobile number or a one-time code is `inform`.

The verification asks for exactly these, and DIET's reading of a bare number hangs on the
handful of numbers among the training examples: adding sixteen unrelated examples once
took "397120" from `inform` (0.99) to below the fallback threshold. This classifier, after
DIET and the FallbackClassifier, sets `inform` for a message whose every token lies inside
a match of the `phone_number` or `verification_code` regex of data/nlu (the patterns the
RegexFeaturizer marks on the tokens), so the patterns stay defined in one place.
"""
from typing import Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from components.rule_intent import RuleIntentClassifier

PATTERNS = ("phone_number", "verification_code")


def is_phone_or_code(message: Message) -> bool:
    """True when the RegexFeaturizer marked every token with the phone or the code pattern."""
    tokens = [token for token in message.get(TOKENS_NAMES[TEXT]) or [] if token.text.strip()]
    return bool(tokens) and all(
        any((token.get("pattern") or {}).get(name) for name in PATTERNS) for token in tokens
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class PhoneOrCodeClassifier(RuleIntentClassifier):
    """Sets `inform` for a message that is only a mobile number or a one-time code."""

    def intent_for(self, message: Message) -> Optional[Text]:
        return "inform" if is_phone_or_code(message) else None

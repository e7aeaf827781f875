"""Jieba tokenizer that drops whitespace tokens and caps how many tokens it passes on.

Rasa's JiebaTokenizer turns the spaces of mixed text ("花呗 login 一直 fail") into
tokens of their own (Rasa issue 7910); they carry no meaning and confuse the
featurizers and the entity tagger. The domain words (花呗, 借呗, 人脸识别, …) are kept
whole by the user dictionary given as `dictionary_path`.

The channels refuse messages over MAX_MESSAGE_CHARS, but the model must not depend on
that: a 100 KB message once drove DIET to 24 GB. Only the first `MAX_TOKENS` tokens
go on to the featurizers and classifiers (a support question needs far fewer).
"""
from typing import List, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.training_data.message import Message

MAX_TOKENS = 200


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class DomainJiebaTokenizer(JiebaTokenizer):
    """JiebaTokenizer without whitespace tokens, at most MAX_TOKENS of them."""

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        return [token for token in tokens if token.text.strip()][:MAX_TOKENS]

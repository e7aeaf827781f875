"""Punctuation alone gets nlu_fallback; anything with a word, a digit or an emoji keeps
DIET's intent (components/contentless.py)."""
import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message

from components.contentless import ContentlessMessageClassifier, is_contentless


@pytest.mark.parametrize("text,contentless", [
    ("？？？", True), ("!!!", True), ("。。。", True), ("...", True), ("? ! ？", True), ("「」", True),
    ("？？？花呗呢", False), ("what?", False), ("1111", False), ("😡", False), ("👍", False), ("", False),
])
def test_punctuation_alone(text, contentless):
    assert is_contentless(text) is contentless


def test_the_classifier_replaces_the_intent_and_keeps_the_rest():
    guessed = {"name": "bot_challenge", "confidence": 0.66}
    puzzled = Message(data={"text": "？？？", INTENT: guessed, INTENT_RANKING_KEY: [guessed]})
    angry = Message(data={"text": "😡😡", INTENT: {"name": "express_frustration", "confidence": 1.0}})
    ContentlessMessageClassifier().process([puzzled, angry])
    assert puzzled.get(INTENT) == {"name": "nlu_fallback", "confidence": 1.0}
    assert [i["name"] for i in puzzled.get(INTENT_RANKING_KEY)] == ["nlu_fallback"]
    assert angry.get(INTENT)["name"] == "express_frustration"

"""A mobile number or a one-time code alone is `inform`, through the shipped model: its
tokenizer, the RegexFeaturizer with data/nlu's patterns, and components/phone_or_code.py."""
import asyncio

import pytest
from rasa.core.agent import Agent

from scripts.stack import latest_model


@pytest.fixture(scope="module")
def parse():
    agent = Agent.load(str(latest_model()))
    return lambda text: asyncio.run(agent.parse_message(text))


@pytest.mark.parametrize("text", [
    "397120", "845 210", "13812345678", "+86 139 1234 5678", "158-0000-0001", " 186 0000 1111 ",
])
def test_a_number_the_verification_asks_for_is_inform(parse, text):
    parsed = parse(text)
    assert parsed["intent"] == {"name": "inform", "confidence": 1.0}
    assert [i["name"] for i in parsed["intent_ranking"]] == ["inform"]


@pytest.mark.parametrize("text", ["12345678", "2025", "1111", "12345678901234", "我的验证码是397120不对吗", "你好"])
def test_anything_else_keeps_the_models_reading(parse, text):
    assert parse(text)["intent"]["confidence"] < 1.0 or len(parse(text)["intent_ranking"]) > 1

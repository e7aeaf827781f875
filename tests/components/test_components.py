"""The custom NLU pieces: language detection and the whitespace-free Jieba tokenizer."""
import re

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from components.language import CJK, LATIN_WORD, detect_language
from components.tokenizer import MAX_TOKENS, DomainJiebaTokenizer
from tests.helpers import ROOT


@pytest.mark.parametrize("text,language", [
    ("花呗开不了", "zh"), ("I can't log in", "en"), ("花呗 login 一直 fail", "zh"),
    ("13800000004", None), ("/affirm", None), ("EXTERNAL: EXTERNAL_handback", None), ("ok", "en"),
])
def test_language_of_a_message(text, language):
    assert detect_language(text) == language


def test_the_widget_tells_the_language_with_the_same_patterns():
    """JavaScript cannot import Python: the widget's copies are read from its source."""
    source = (ROOT / "web" / "static" / "common.js").read_text(encoding="utf-8")
    body = re.search(r"function languageOf\(text\) \{(.*?)\n  \}", source, re.S).group(1)
    assert re.findall(r"/(.+?)/\.test\(text\)", body) == [CJK.pattern, LATIN_WORD.pattern]


@pytest.fixture
def tokenizer(tmp_path):
    config = {**DomainJiebaTokenizer.get_default_config(),
              "dictionary_path": str(ROOT / "components" / "jieba_userdict")}
    return DomainJiebaTokenizer.create(config, LocalModelStorage(tmp_path), Resource("tokenizer"), None)


def test_mixed_text_gives_no_whitespace_tokens_and_whole_product_names(tokenizer):
    tokens = tokenizer.tokenize(Message(data={"text": "花呗 login 一直 fail"}), "text")
    assert [t.text for t in tokens] == ["花呗", "login", "一直", "fail"]


def test_a_huge_message_reaches_the_model_as_a_bounded_number_of_tokens(tokenizer):
    tokens = tokenizer.tokenize(Message(data={"text": "我的花呗开不了 " * 7000}), "text")
    assert len(tokens) == MAX_TOKENS and [t.text for t in tokens[:2]] == ["我", "的"]

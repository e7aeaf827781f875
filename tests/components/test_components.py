"""The custom NLU pieces: language detection and the whitespace-free Jieba tokenizer."""
import re

import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from components.language import (
    CJK, LATIN_WORD, LONGEST_SYLLABLE, LONGEST_WORD, NEUTRAL_WORDS, PINYIN_MARK, PINYIN_SYLLABLES,
    detect_language,
)
from components.tokenizer import MAX_TOKENS, DomainJiebaTokenizer
from tests.helpers import LANGUAGE_CASES, ROOT


@pytest.mark.parametrize("text,language", LANGUAGE_CASES)
def test_language_of_a_message(text, language):
    assert detect_language(text) == language


def test_the_widget_tells_the_language_with_the_same_patterns():
    """JavaScript cannot import Python: the widget's copies are read from its source."""
    source = (ROOT / "web" / "static" / "common.js").read_text(encoding="utf-8")
    body = re.search(r"function languageOf\(text\) \{(.*?)\n  \}", source, re.S).group(1)
    assert re.findall(r"/(.+?)/\.test\(text\)", body) == [CJK.pattern, LATIN_WORD.pattern]
    word_lists = dict(re.findall(r"const (\w+) = new Set\(`(.*?)`", source, re.S))
    assert set(word_lists["PINYIN_SYLLABLES"].split()) == PINYIN_SYLLABLES
    assert set(word_lists["NEUTRAL_WORDS"].split()) == NEUTRAL_WORDS
    assert re.search(r"const PINYIN_MARK = /(.+?)/;", source).group(1) == PINYIN_MARK.pattern
    assert int(re.search(r"const LONGEST_SYLLABLE = (\d+);", source).group(1)) == LONGEST_SYLLABLE
    assert int(re.search(r"const LONGEST_WORD = (\d+);", source).group(1)) == LONGEST_WORD


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

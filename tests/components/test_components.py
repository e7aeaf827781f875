"""The custom NLU pieces: language detection and the whitespace-free Jieba tokenizer."""
import pytest
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from components.language import detect_language
from components.tokenizer import DomainJiebaTokenizer
from tests.helpers import ROOT


@pytest.mark.parametrize("text,language", [
    ("花呗开不了", "zh"), ("I can't log in", "en"), ("花呗 login 一直 fail", "zh"),
    ("13800000004", None), ("/affirm", None), ("EXTERNAL: EXTERNAL_handback", None), ("ok", "en"),
])
def test_language_of_a_message(text, language):
    assert detect_language(text) == language


def test_mixed_text_gives_no_whitespace_tokens_and_whole_product_names(tmp_path):
    config = {**DomainJiebaTokenizer.get_default_config(),
              "dictionary_path": str(ROOT / "components" / "jieba_userdict")}
    tokenizer = DomainJiebaTokenizer.create(config, LocalModelStorage(tmp_path), Resource("tokenizer"), None)
    tokens = tokenizer.tokenize(Message(data={"text": "花呗 login 一直 fail"}), "text")
    assert [t.text for t in tokens] == ["花呗", "login", "一直", "fail"]

"""The shipped model, loaded without Rasa's training step, understands exactly what it
understands when Rasa loads it its own way (components/fast_load_diet.py)."""
import asyncio

from rasa.core.agent import Agent
from rasa.nlu.classifiers.diet_classifier import DIET

from components.fast_load_diet import DIETLoadedForPrediction, FastLoadingDIETClassifier
from scripts.stack import latest_model

UTTERANCES = ["你好", "我的花呗开不了", "jb借不了钱咋回事", "I can't log in to Huabei", "转人工",
              "13800000004", "身份验证一直失败", "asdkjh qwe", "谢谢"]


def understood(model_class, monkeypatch):
    monkeypatch.setattr(FastLoadingDIETClassifier, "model_class", staticmethod(lambda: model_class))
    agent = Agent.load(str(latest_model()))

    async def parse_all():
        return [await agent.parse_message(text) for text in UTTERANCES]
    return [(parsed["intent"]["name"], round(parsed["intent"]["confidence"], 4), [(e["entity"], e["value"], e["start"], e["end"]) for e in parsed["entities"]])
            for parsed in asyncio.run(parse_all())]


def test_the_model_understands_the_same_however_it_was_loaded(monkeypatch):
    ours = understood(DIETLoadedForPrediction, monkeypatch)
    rasas = understood(DIET, monkeypatch)
    assert ours == rasas
    assert [intent for intent, _, _ in ours][:2] == ["greet", "activation_failed"]
    assert ("product", "huabei", 2, 4) in ours[1][2]


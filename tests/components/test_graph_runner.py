"""The model graph run in a fixed order (components/graph_runner.py) understands and
predicts exactly what Rasa's dask run of the same graph does."""
import asyncio

from rasa.core.agent import Agent
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components import graph_runner
from scripts.stack import latest_model

UTTERANCES = ["你好", "我的花呗开不了", "I can't log in to Huabei", "转人工", "asdkjh qwe", "谢谢"]


def understood_and_predicted(run, monkeypatch):
    """Each utterance's intent, confidences and entities, and the first action the
    policies predict after it, with the graph run by `run`."""
    monkeypatch.setattr(DaskGraphRunner, "run", run)
    agent = Agent.load(str(latest_model()))

    async def each(text):
        parsed = await agent.parse_message(text)
        tracker = DialogueStateTracker.from_events(
            "graph-runner", [ActionExecuted("action_session_start"), SessionStarted(),
                             ActionExecuted("action_listen"), UserUttered(text, parsed["intent"], parsed["entities"])],
            agent.domain.slots)
        prediction = agent.processor.predict_next_with_tracker(tracker)
        best = max(prediction["scores"], key=lambda score: score["score"])["action"]
        return parsed["intent"], parsed["intent_ranking"], parsed["entities"], prediction["scores"], best

    return [asyncio.run(each(text)) for text in UTTERANCES]


def test_the_graph_in_a_fixed_order_gives_what_dask_gives(monkeypatch):
    ours = understood_and_predicted(graph_runner.run_in_order, monkeypatch)
    dasks = understood_and_predicted(graph_runner._dask_run, monkeypatch)
    assert ours == dasks
    assert ours[0][0]["name"] == "greet" and ours[0][4] == "utter_greet"
    assert ours[3][0]["name"] == "request_human"


def test_the_fixed_order_is_installed_with_our_components():
    assert DaskGraphRunner.run is graph_runner.run_in_order

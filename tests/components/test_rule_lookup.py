"""The cheaper search for applicable rules (components/rule_lookup.py) finds exactly the
rules Rasa's own search finds, at every point where our model predicts an action in the
conversations of our stories and rules."""
import json
from typing import List

import pytest
from rasa.core.agent import Agent
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from components import rule_lookup
from scripts.stack import ROOT, latest_model


@pytest.fixture(scope="module")
def model():
    agent = Agent.load(str(latest_model()))
    runner = agent.processor.graph_runner
    assert isinstance(runner, DaskGraphRunner)
    policy = next(node._component for node in runner._instantiated_nodes.values()
                  if isinstance(node._component, RulePolicy))
    return agent.domain, policy


def conversations(domain) -> List[DialogueStateTracker]:
    steps = []
    for folder in ("data/stories", "data/rules"):
        for path in sorted((ROOT / folder).glob("*.yml")):
            steps += YAMLStoryReader(domain).read_from_file(path)
    return TrainingDataGenerator(StoryGraph(steps), domain, augmentation_factor=0).generate()


def test_the_same_rules_apply_as_rasa_finds(model):
    domain, policy = model
    compared = narrowed = 0
    for conversation in conversations(domain):
        events = list(conversation.events)
        for end, event in enumerate(events):
            if not isinstance(event, ActionExecuted) or end == 0:
                continue
            tracker = DialogueStateTracker.from_events("rules", events[:end], domain.slots)
            for use_text in (True, False):
                states = policy._prediction_states(tracker, domain, use_text,
                                                   rule_only_data=policy._get_rule_only_data())
                for lookup in (policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH]):
                    ours = rule_lookup.get_possible_keys(policy, lookup, states)
                    assert ours == rule_lookup.rasa_get_possible_keys(policy, lookup, states)
                    compared += 1
                    narrowed += bool(ours) and len(ours) < len(lookup)
    assert compared > 800 and narrowed > 100, (compared, narrowed)  # many real predictions


def test_rules_added_later_are_searched_too(model):
    """Rasa adds rules to a lookup while it trains; an index of the lookup must follow."""
    domain, policy = model
    tracker = conversations(domain)[0]
    states = policy._prediction_states(tracker, domain, False, rule_only_data=policy._get_rule_only_data())
    lookup = dict(policy.lookup[RULES])
    rule_lookup.get_possible_keys(policy, lookup, states)
    added = json.dumps([{"prev_action": {"action_name": states[-1]["prev_action"]["action_name"]}}])
    lookup[added] = "action_listen"
    found = rule_lookup.get_possible_keys(policy, lookup, states)
    assert added in found and found == rule_lookup.rasa_get_possible_keys(policy, lookup, states)


def test_the_cheaper_search_is_installed_with_our_components():
    assert RulePolicy._get_possible_keys is rule_lookup.get_possible_keys

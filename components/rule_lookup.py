"""Finds the rules that apply to a conversation without testing every rule at every turn.

Rasa 3.6.21's ``RulePolicy._get_possible_keys`` checks every rule against the latest
state, then every remaining rule against each earlier state of the whole conversation,
also past the length of the longest rule, where every rule passes anyway. It runs two
to four times per message (once per predicted action, and once more on the message's
text): about 8 % of the Rasa server's CPU under ``scripts/benchmark.py`` (py-spy, issue 11).

This version returns the same set of rules with less work:

- the latest state is only compared with the rules whose last state names the same
  previous action and the same intent, or none (any other rule fails that comparison in
  ``_does_rule_match_state``);
- it stops once no rule is left, or once it is further back than the longest rule left
  (``_is_rule_applicable`` is true there).

Each remaining comparison is still Rasa's own ``_is_rule_applicable``. ``install()`` runs
when the ``components`` package is imported (every Rasa process that loads our model).
"""
from typing import Dict, List, NamedTuple, Optional, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.generator import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

from components.patching import require_written_for_this_rasa

ANY = None  # a rule's last state that does not require a previous action or an intent
rasa_get_possible_keys = RulePolicy._get_possible_keys


class RuleIndex(NamedTuple):
    keys: Tuple[Text, ...]  # the lookup the index was built from, in its order
    by_last_state: Dict[Tuple[Optional[Text], Optional[Text]], Set[Text]]
    length: Dict[Text, int]  # states per rule


def _required(value: Optional[Text]) -> Optional[Text]:
    """The action or intent name a rule's state requires, or ANY (unset, empty or "must not
    be set")."""
    return value if value and value != SHOULD_NOT_BE_SET else ANY


def _last_state_requires(state: State) -> Tuple[Optional[Text], Optional[Text]]:
    return (
        _required(state.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)),
        _required(state.get(USER, {}).get(INTENT)),
    )


def build_index(keys: Tuple[Text, ...]) -> RuleIndex:
    by_last_state: Dict[Tuple[Optional[Text], Optional[Text]], Set[Text]] = {}
    length = {}
    for key in keys:
        states = RulePolicy._rule_key_to_state(key)
        length[key] = len(states)
        by_last_state.setdefault(_last_state_requires(states[-1]), set()).add(key)
    return RuleIndex(keys, by_last_state, length)


def _candidates(index: RuleIndex, latest: State) -> Set[Text]:
    """The rules whose last state could match `latest`: the same or no required action,
    the same or no required intent."""
    action = latest.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    intent = latest.get(USER, {}).get(INTENT)
    found: Set[Text] = set()
    for required in {(action, intent), (action, ANY), (ANY, intent), (ANY, ANY)}:
        found |= index.by_last_state.get(required, set())
    return found


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
    """Same contract as ``RulePolicy._get_possible_keys``."""
    keys = tuple(lookup)
    indexes = self.__dict__.setdefault("_rule_indexes", {})
    index = indexes.get(id(lookup))
    if index is None or index.keys != keys:  # a new lookup, or rules added while training
        index = indexes[id(lookup)] = build_index(keys)
    if not states:
        return set(keys)
    reversed_states = list(reversed(states))
    if reversed_states[0].get(PREVIOUS_ACTION):
        possible_keys = _candidates(index, reversed_states[0])
    else:  # a conversation's first state: rules that start a conversation pass whatever the intent
        possible_keys = set(keys)
    for turn, state in enumerate(reversed_states):
        if not possible_keys or turn >= max(index.length[key] for key in possible_keys):
            break
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, turn, state)}
    return possible_keys


def install() -> None:
    require_written_for_this_rasa("components.rule_lookup")
    RulePolicy._get_possible_keys = get_possible_keys

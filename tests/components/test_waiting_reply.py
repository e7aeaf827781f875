"""Who gets `utter_waiting_for_agent` for a message typed in a paused conversation
(components/waiting_reply.py); the end-to-end tests check the reply itself."""
import pytest
from rasa.shared.core.events import BotUttered, ConversationPaused, ConversationResumed, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.waiting_reply import WAITING_REPLY_SECONDS, WAITING_RESPONSE, waiting_reply_due

NOW = 1_000_000.0


def at(event, seconds_ago: float):
    event.timestamp = NOW - seconds_ago
    return event


def waiting_reply(seconds_ago: float) -> BotUttered:
    return at(BotUttered("收到。", metadata={"utter_action": WAITING_RESPONSE}), seconds_ago)


def agent_message(seconds_ago: float) -> BotUttered:
    return at(BotUttered("您好，我是小王", metadata={"agent": "小王"}), seconds_ago)


@pytest.mark.parametrize("events,due", [
    ([UserUttered("转人工")], False),  # not paused: the bot answers as always
    ([ConversationPaused(), UserUttered("还有人吗")], True),
    ([ConversationPaused(), waiting_reply(10), UserUttered("喂")], False),  # a burst gets one reply
    ([ConversationPaused(), waiting_reply(WAITING_REPLY_SECONDS + 1), UserUttered("喂")], True),
    ([ConversationPaused(), agent_message(300), UserUttered("好的")], False),  # for the agent only
    ([ConversationPaused(), agent_message(300), ConversationResumed(), ConversationPaused(),
      UserUttered("还有人吗")], True),  # a second handoff: no agent has written in this one
])
def test_who_is_told_to_wait(events, due):
    tracker = DialogueStateTracker.from_events("waiting", events)
    assert waiting_reply_due(tracker, NOW) is due

"""A message typed while the conversation waits for a human agent gets a short reply.

`action_handoff_to_human` pauses the conversation, and Rasa then stores what the user
types but answers nothing (a paused conversation runs no prediction): a customer who
writes "还有人吗" while the agents are busy heard silence. ``install()`` wraps
`MessageProcessor._run_prediction_loop`: in a paused conversation that no agent has
written in since the pause, a user message gets `utter_waiting_for_agent` in the
conversation's language, at most once per WAITING_REPLY_SECONDS so that a burst of lines
gets one reply. It is stored like any bot message (the agent's transcript and the
widget's history show it). Once an agent has written (a bot message with
``metadata.agent``), the user's messages are for the agent only.

It patches a Rasa internal, so it checks the Rasa version it was written for and refuses
to load on another.
"""
import time

from rasa.core.actions.action import create_bot_utterance
from rasa.core.channels.channel import OutputChannel
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import BotUttered, ConversationPaused
from rasa.shared.core.trackers import DialogueStateTracker

from components.patching import require_written_for_this_rasa

WAITING_RESPONSE = "utter_waiting_for_agent"
WAITING_REPLY_SECONDS = 60
_original_loop = MessageProcessor._run_prediction_loop


def waiting_reply_due(tracker: DialogueStateTracker, now: float) -> bool:
    """Paused for an agent who has not written yet, and not told so in the last minute."""
    if not tracker.is_paused():
        return False
    for event in reversed(tracker.events):
        if isinstance(event, ConversationPaused):
            return True
        if isinstance(event, BotUttered):
            metadata = event.metadata or {}
            if metadata.get("agent"):
                return False
            if metadata.get("utter_action") == WAITING_RESPONSE and now - event.timestamp < WAITING_REPLY_SECONDS:
                return False
    return False


async def run_prediction_loop(
    self: MessageProcessor, output_channel: OutputChannel, tracker: DialogueStateTracker
) -> None:
    if waiting_reply_due(tracker, time.time()):
        reply = await self.nlg.generate(WAITING_RESPONSE, tracker, output_channel.name())
        if reply:
            reply["utter_action"] = WAITING_RESPONSE
            event = create_bot_utterance(reply)
            tracker.update(event)
            await output_channel.send_response(tracker.sender_id, event.message())
    return await _original_loop(self, output_channel, tracker)


def install() -> None:
    require_written_for_this_rasa("components.waiting_reply (MessageProcessor._run_prediction_loop)")
    MessageProcessor._run_prediction_loop = run_prediction_loop

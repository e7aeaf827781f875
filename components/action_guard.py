"""Custom actions that fail or hang still end in a reply, within seconds.

Rasa 3.6.21 waits up to 300 s for the action server and, when the call fails (server
down, hung, answering 500), logs the error and sends the user nothing (Rasa issue 7630).
``install()`` wraps ``RemoteAction.run``: the call gets ``ACTION_TIMEOUT_SECONDS``
(default 4, so that a reply reaches the user within 5 s), and any failure other than an
action's own rejection (which Rasa handles) becomes ``utter_action_failed`` in the
user's language, then listening. The action may still have finished on the action
server after the deadline; what it does is idempotent where it matters (an appeal's key
comes from the confirming message), so the user's retry never files twice.

It patches a Rasa internal, so it checks the Rasa version it was written for and refuses
to load on another.
"""
import asyncio
import logging
import os

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction, create_bot_utterance
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import FollowupAction

from components.patching import require_written_for_this_rasa

logger = logging.getLogger(__name__)

FAILURE_RESPONSE = "utter_action_failed"
_original_run = RemoteAction.run


def action_timeout() -> float:
    return float(os.environ.get("ACTION_TIMEOUT_SECONDS", "4"))


async def run_with_deadline(self: RemoteAction, output_channel, nlg, tracker, domain):
    """RemoteAction.run within the deadline; a failure is told to the user."""
    try:
        return await asyncio.wait_for(
            _original_run(self, output_channel, nlg, tracker, domain), timeout=action_timeout()
        )
    except ActionExecutionRejection:
        raise
    except Exception as error:  # noqa: BLE001 - every failure must end in a reply
        logger.error("custom action %s failed: %r", self.name(), error)
        reply = await nlg.generate(FAILURE_RESPONSE, tracker, output_channel.name())
        events = [FollowupAction(ACTION_LISTEN_NAME)]
        if reply:
            reply["utter_action"] = FAILURE_RESPONSE
            events.insert(0, create_bot_utterance(reply))
        return events


def install() -> None:
    require_written_for_this_rasa("components.action_guard (RemoteAction.run)")
    RemoteAction.run = run_with_deadline


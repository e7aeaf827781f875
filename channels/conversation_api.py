"""What the backend asks of a conversation on behalf of its agents, on the widget channel's
blueprint (``/webhooks/socketio/...``), each with Rasa's API token (``?token=RASA_API_TOKEN``,
else 401; an unknown conversation is 404):

- ``GET transcript/<conversation_id>``: the conversation as chat lines, by the same rule as
  the widget's history (``chat_lines``), so agents and users read the same conversation.
- ``POST messages/<conversation_id>`` ``{request_id, text, metadata?}``: a bot message
  from outside (an agent's: ``metadata.agent``), stored and sent to the widget.
- ``POST handback/<conversation_id>`` ``{request_id, intent}``: resume the paused
  conversation and trigger the intent, so the bot greets the user back.

Both POSTs are carried out once per ``request_id`` and conversation: the backend retries a
call that timed out (and an agent may click again), and the first try may have got through.
Under the conversation's lock (Rasa's lock store, shared through Redis when there are
several Rasa servers) the stored conversation is searched for an event carrying that
``request_id`` in its metadata; a request found there answers ``{"done": "before"}`` and
changes nothing. The event is stored before it is sent, so a try that fails after storing
is not repeated by the retry (the widget shows the message from its history).
"""
import hmac
import os
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Text

from rasa.core.agent import Agent
from rasa.core.channels.channel import OutputChannel
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.core.constants import ACTION_LISTEN_NAME, EXTERNAL_MESSAGE_PREFIX
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

MAX_REQUEST_ID = 100
MAX_TEXT = 4000


def quick_replies(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    return [{"title": b.get("title"), "payload": b.get("payload")} for b in buttons]


def chat_lines(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The conversation as people read it: user and bot texts in order, each with its time
    (ISO 8601, UTC) and sender (``user``, ``bot``, or ``agent`` with the agent's name).

    A button click is shown by the button's title; other ``/intent`` messages the widget
    sent on its own (such as ``/materials_uploaded``) and intents triggered from outside
    (``EXTERNAL: ...``, the agent's hand-back) are left out.
    """
    lines: List[Dict[Text, Any]] = []
    titles: Dict[Text, Text] = {}
    for event in events:
        text, kind = event.get("text"), event.get("event")
        if not text or kind not in ("user", "bot"):
            continue
        line: Dict[Text, Any] = {"sender": kind, "text": text, "at": _iso(event.get("timestamp"))}
        if kind == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = {b.get("payload"): b.get("title") for b in buttons}
            if buttons:
                line["quick_replies"] = quick_replies(buttons)
            agent = (event.get("metadata") or {}).get("agent")
            if agent:
                line.update(sender="agent", agent=agent)
        elif text in titles:
            line["text"] = titles[text]
        elif text.startswith((INTENT_MESSAGE_PREFIX, EXTERNAL_MESSAGE_PREFIX)):
            continue
        lines.append(line)
    return lines


def _iso(timestamp: Any) -> Optional[Text]:
    if not isinstance(timestamp, (int, float)):
        return None
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat()


def _authorized(request: Request) -> bool:
    """Rasa's API token, compared in constant time; no token configured admits nobody."""
    expected = os.environ.get("RASA_API_TOKEN", "")
    given = request.args.get("token") or ""
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _error(status: int, code: Text, message: Text) -> HTTPResponse:
    return response.json({"code": code, "message": message}, status=status)


def _done_before(tracker: DialogueStateTracker, request_id: Text) -> bool:
    return any((event.metadata or {}).get("request_id") == request_id for event in tracker.events)


def add_routes(blueprint: Blueprint, output_channel: Callable[[], OutputChannel]) -> None:
    """Adds the three routes above; ``output_channel`` reaches the conversation's widget."""

    def ready_agent(request: Request) -> Optional[Agent]:
        agent = getattr(request.app.ctx, "agent", None)
        return agent if agent is not None and agent.tracker_store is not None else None

    @blueprint.route("/transcript/<conversation_id>", methods=["GET"])
    async def transcript(request: Request, conversation_id: Text) -> HTTPResponse:
        if not _authorized(request):
            return _error(401, "unauthorized", "Rasa's API token is required.")
        agent = ready_agent(request)
        if agent is None:
            return _error(503, "not_ready", "The assistant is not ready yet.")
        stored = await agent.tracker_store.retrieve_full_tracker(conversation_id)
        if stored is None or not stored.events:
            return _error(404, "not_found", "No such conversation.")
        return response.json(chat_lines([event.as_dict() for event in stored.events]))

    async def once(request: Request, conversation_id: Text, run: Callable) -> HTTPResponse:
        """Runs ``run`` under the conversation's lock unless this request_id ran before."""
        if not _authorized(request):
            return _error(401, "unauthorized", "Rasa's API token is required.")
        agent = ready_agent(request)
        if agent is None:
            return _error(503, "not_ready", "The assistant is not ready yet.")
        body = request.json
        request_id = body.get("request_id") if isinstance(body, dict) else None
        if not (isinstance(request_id, str) and 0 < len(request_id) <= MAX_REQUEST_ID):
            return _error(400, "invalid_request", "The body must be an object with a short request_id.")
        async with agent.lock_store.lock(conversation_id):
            stored = await agent.tracker_store.retrieve_full_tracker(conversation_id)
            if stored is None or not stored.events:
                return _error(404, "not_found", "No such conversation.")
            if _done_before(stored, request_id):
                return response.json({"done": "before"})
            return await run(agent, conversation_id, body, request_id)

    async def send(agent: Agent, conversation_id: Text, body: Dict, request_id: Text) -> HTTPResponse:
        text, metadata = body.get("text"), body.get("metadata") or {}
        if not (isinstance(text, str) and 0 < len(text) <= MAX_TEXT) or not isinstance(metadata, dict):
            return _error(400, "invalid_request", "text must be a string, metadata an object.")
        message = BotUttered(text, metadata={**metadata, "request_id": request_id})
        tracker = await agent.tracker_store.retrieve(conversation_id)
        tracker.update(message)
        await agent.tracker_store.save(tracker)
        await output_channel().send_response(conversation_id, message.message())
        return response.json({"done": "now"})

    async def hand_back(agent: Agent, conversation_id: Text, body: Dict, request_id: Text) -> HTTPResponse:
        if not agent.is_ready():
            return _error(503, "not_ready", "The assistant has no model loaded.")
        intent = body.get("intent")
        if intent not in agent.domain.intents:
            return _error(400, "invalid_request", "intent must be an intent of the domain.")
        output = output_channel()
        tracker = await agent.processor.fetch_tracker_and_update_session(conversation_id, output)
        tracker.update(ConversationResumed(metadata={"request_id": request_id}))
        # Paused right after the handoff action, the tracker never listened; without this
        # action_listen a rule "<intent> -> utter_..." cannot match.
        tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await agent.trigger_intent(intent, [], output, tracker)  # runs the bot and saves
        return response.json({"done": "now"})

    @blueprint.route("/messages/<conversation_id>", methods=["POST"])
    async def messages(request: Request, conversation_id: Text) -> HTTPResponse:
        return await once(request, conversation_id, send)

    @blueprint.route("/handback/<conversation_id>", methods=["POST"])
    async def handback(request: Request, conversation_id: Text) -> HTTPResponse:
        return await once(request, conversation_id, hand_back)

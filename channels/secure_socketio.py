"""Input channels that never let a conversation id alone open someone else's conversation.

Rasa's socket.io channel lets a client name any ``session_id`` (and so read the bot's
answers and write into that conversation); its REST channel lets a caller name any sender.
Here the socket.io server issues every conversation id together with a secret,
``HMAC-SHA256(SOCKET_SECRET, session_id)``, that only the widget that received it holds:

- ``session_request {session_id, session_secret}``: a pair that matches joins that
  conversation and receives its history (``session_history``); anything else (no id, an
  id with a wrong or missing secret) gets a new conversation, never the old one.
- ``session_confirm {session_id, session_secret}`` answers it (rasa-webchat style clients
  read ``session_id`` from the object).
- ``user_uttered {message, metadata}``: the conversation is the one bound to the socket on
  the server; a ``session_id`` in the message is ignored. Metadata is passed through as
  Rasa does (actions read the customer's ``session_token`` from it).
- ``bot_uttered``: one event per bot message, ``{text, quick_replies?, agent?}`` (``agent``
  names the human who wrote it) or ``{custom: {...}}`` for custom payloads, which Rasa's
  own socket.io output would emit without any data.
- ``bot_turn_done {}``: sent to the sender once the bot has answered its message, so the
  widget shows "typing" for the whole answer, not only until its first line.

Conversations always persist across reconnects (rooms named by the conversation id), so
several replicas need the same ``SOCKET_SECRET``.
"""
import hashlib
import hmac
import inspect
import json
import logging
import os
import secrets
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from sanic import Blueprint
from sanic.exceptions import Forbidden
from sanic.request import Request

logger = logging.getLogger(__name__)

SESSION_PREFIX = "sio-"  # marks socket.io conversations, which the REST channel refuses


def _socket_secret() -> bytes:
    secret = os.environ.get("SOCKET_SECRET")
    if not secret:
        logger.warning(
            "SOCKET_SECRET is not set: using a random key, so widget conversations "
            "will not survive a restart of this server (scripts/setup.sh generates one)"
        )
        secret = secrets.token_urlsafe(32)
    return secret.encode()


def quick_replies(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    return [{"title": b.get("title"), "payload": b.get("payload")} for b in buttons]


def history_lines(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """What the widget shows of a conversation: user and bot texts (and buttons) in order.

    A button click is shown by the button's title; other ``/intent`` messages the widget
    sent on its own (such as ``/materials_uploaded``) and intents triggered from outside
    (the agent's hand-back) are left out.
    """
    lines: List[Dict[Text, Any]] = []
    titles: Dict[Text, Text] = {}
    for event in events:
        text = event.get("text")
        if event.get("event") == "bot" and text:
            buttons = (event.get("data") or {}).get("buttons") or []
            titles = {b.get("payload"): b.get("title") for b in buttons}
            line: Dict[Text, Any] = {"sender": "bot", "text": text}
            if buttons:
                line["quick_replies"] = quick_replies(buttons)
            agent = (event.get("metadata") or {}).get("agent")
            if agent:
                line.update(sender="agent", agent=agent)
            lines.append(line)
        elif event.get("event") == "user" and text:
            if text in titles:
                lines.append({"sender": "user", "text": titles[text]})
            elif not text.startswith(("/", EXTERNAL_MESSAGE_PREFIX)):
                lines.append({"sender": "user", "text": text})
    return lines


class SecureSocketIOOutput(SocketIOOutput):
    """One ``bot_uttered`` per bot message, carrying the agent's name and custom payloads."""

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        message: Dict[Text, Any] = {"text": text}
        if kwargs.get("agent"):
            message["agent"] = kwargs["agent"]
        await self._send_message(recipient_id, message)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"text": text, "quick_replies": quick_replies(buttons)})

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class SecureSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel, with server-issued conversation ids (see module docs)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key = _socket_secret()
        self._blueprint: Optional[Blueprint] = None

    def session_secret(self, session_id: Text) -> Text:
        return hmac.new(self._key, session_id.encode(), hashlib.sha256).hexdigest()

    def is_issued(self, session_id: Any, secret: Any) -> bool:
        return (
            isinstance(session_id, str)
            and isinstance(secret, str)
            and session_id.startswith(SESSION_PREFIX)
            and hmac.compare_digest(self.session_secret(session_id), secret)
        )

    def get_output_channel(self) -> Optional[SocketIOOutput]:
        if self.sio is None:
            return super().get_output_channel()
        return SecureSocketIOOutput(self.sio, self.bot_message_evt)

    async def _history(self, session_id: Text) -> List[Dict[Text, Any]]:
        apps = self._blueprint.apps if self._blueprint else set()
        agent = next(iter(apps)).ctx.agent if apps else None
        if agent is None or agent.tracker_store is None:
            return []
        tracker = await agent.tracker_store.retrieve_full_tracker(session_id)  # every session
        return history_lines([e.as_dict() for e in tracker.events]) if tracker else []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint (connect, disconnect, health) with our session and message handlers."""
        self._blueprint = super().blueprint(on_new_message)
        sio = self.sio

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id, secret = data.get("session_id"), data.get("session_secret")
            resumed = self.is_issued(session_id, secret)
            if not resumed:
                session_id = SESSION_PREFIX + uuid.uuid4().hex
                secret = self.session_secret(session_id)
            session = await sio.get_session(sid, namespace=self.namespace)
            previous = session.get("conversation")
            if previous and previous != session_id:
                sio.leave_room(sid, previous, namespace=self.namespace)
            entered = sio.enter_room(sid, session_id, namespace=self.namespace)
            if inspect.isawaitable(entered):  # a coroutine from python-socketio 5.9 on
                await entered
            await sio.save_session(sid, {"conversation": session_id}, namespace=self.namespace)
            await sio.emit(
                "session_confirm",
                {"session_id": session_id, "session_secret": secret},
                room=sid, namespace=self.namespace,
            )
            if resumed:
                await sio.emit(
                    "session_history", await self._history(session_id),
                    room=sid, namespace=self.namespace,
                )

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Optional[Dict]) -> None:
            session = await sio.get_session(sid, namespace=self.namespace)
            conversation = session.get("conversation")
            if not conversation or not isinstance(data, dict):
                logger.warning("socket.io message without a confirmed session ignored")
                return
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):  # as Rasa's channel accepts it
                metadata = json.loads(metadata)
            await on_new_message(
                UserMessage(
                    str(data.get("message", "")),
                    SecureSocketIOOutput(sio, self.bot_message_evt),
                    conversation,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )
            await sio.emit("bot_turn_done", {}, room=sid, namespace=self.namespace)

        return self._blueprint


class RestInputWithoutSocketSessions(RestInput):
    """The REST channel (tests, scripts), which may not address a widget's conversation."""

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        sender = await super()._extract_sender(req)
        if isinstance(sender, str) and sender.startswith(SESSION_PREFIX):
            raise Forbidden("This conversation belongs to the chat widget.")
        return sender

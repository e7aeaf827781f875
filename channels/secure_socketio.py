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

Both channels check every message first (channels/guard.py: shape, length, rate) and
answer a refused one themselves, in the user's language, without passing it to Rasa.
The socket.io transport refuses frames over ``MAX_SOCKET_FRAME_BYTES`` and browsers
from origins other than ``ALLOWED_ORIGINS`` (the app page's).
"""
import hashlib
import hmac
import inspect
import json
import logging
import os
import secrets
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.shared.core.constants import EXTERNAL_MESSAGE_PREFIX
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import (
    MessageLimits,
    Refusal,
    check_sender,
    check_text,
    clean_metadata,
    refusal_language,
)

logger = logging.getLogger(__name__)

SESSION_PREFIX = "sio-"  # marks socket.io conversations, which the REST channel refuses
MAX_SOCKET_FRAME_BYTES = int(os.environ.get("MAX_SOCKET_FRAME_BYTES", str(64 * 1024)))
PROCESSING_FAILED = (
    "抱歉，系统暂时出了点问题，请稍后再试，或输入“转人工”联系客服。",
    "Sorry, something went wrong on our side. Please try again in a moment, or type "
    "\"agent\" to talk to a person.",
)


def allowed_origins() -> List[Text]:
    """Browser origins that may open the widget's socket (the app page's); comma-separated."""
    value = os.environ.get("ALLOWED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
    return [origin.strip() for origin in value.split(",") if origin.strip()]


def client_address(request: Optional[Request]) -> Optional[Text]:
    """The user's address: the peer, or behind a balancer the address it forwards when Sanic
    is told to trust it (``SANIC_PROXIES_COUNT`` / ``SANIC_REAL_IP_HEADER``)."""
    if request is None:
        return None
    return request.remote_addr or request.ip


def processing_failed(text: Any) -> Text:
    zh, en = PROCESSING_FAILED
    return zh if refusal_language(text) == "zh" else en


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
        self.limits = MessageLimits()

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
        sio.eio.max_http_buffer_size = MAX_SOCKET_FRAME_BYTES
        sio.eio.cors_allowed_origins = allowed_origins()

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            request = environ.get("sanic.request")
            await sio.save_session(sid, {"address": client_address(request)}, namespace=self.namespace)
            return True

        async def say(sid: Text, text: Text) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)

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
            session["conversation"] = session_id
            await sio.save_session(sid, session, namespace=self.namespace)
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
                await sio.emit("bot_turn_done", {}, room=sid, namespace=self.namespace)
                return
            text = data.get("message")
            try:
                text = check_text(text)
                metadata = data.get(self.metadata_key)
                if isinstance(metadata, str):  # as Rasa's channel accepts it
                    try:
                        metadata = json.loads(metadata)
                    except ValueError:
                        metadata = "not an object"
                metadata = clean_metadata(metadata)
                self.limits.check(conversation, session.get("address"), text)
            except Refusal as refusal:
                await say(sid, refusal.text)
            else:
                try:
                    await on_new_message(
                        UserMessage(
                            text,
                            SecureSocketIOOutput(sio, self.bot_message_evt),
                            conversation,
                            input_channel=self.name(),
                            metadata=metadata,
                        )
                    )
                except Exception:
                    logger.exception("a socket.io message of %s could not be handled", conversation)
                    await say(sid, processing_failed(text))
            await sio.emit("bot_turn_done", {}, room=sid, namespace=self.namespace)

        return self._blueprint


class RestInputWithoutSocketSessions(RestInput):
    """The REST channel (tests, scripts), which checks every request and may not address a
    widget's conversation.

    ``POST /webhooks/rest/webhook`` with ``{"sender", "message", "metadata"?}``: 200 with the
    bot's messages; a refused request gets the project's error shape
    (``{"code", "message", ...}``) with 400 (not a JSON object, no valid sender or message),
    403 (a widget's conversation), 413 (message too long) or 429 (too many messages).
    """

    def __init__(self) -> None:
        self.limits = MessageLimits()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text, metadata = self._checked(request)
            except Refusal as refusal:
                return response.json(refusal.body(), status=refusal.status)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata)
                )
            except Exception:
                logger.exception("a REST message of %s could not be handled", sender)
                collector.messages.append({"recipient_id": sender, "text": processing_failed(text)})
            return response.json(collector.messages)

        return webhook

    def _checked(self, request: Request) -> Tuple[Text, Text, Dict[Text, Any]]:
        try:
            body = json.loads(request.body or b"")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise Refusal(400, "invalid_request", problem="the body must be a JSON object")
        text = check_text(body.get("message"))
        sender = check_sender(body.get("sender"))
        if sender.startswith(SESSION_PREFIX):
            raise Refusal(403, "widget_conversation", refusal_language(text))
        metadata = clean_metadata(body.get("metadata"))
        self.limits.check(sender, client_address(request), text)
        return sender, text, metadata

"""Input channels that never let a conversation id alone open someone else's conversation.

Rasa's socket.io channel lets a client name any ``session_id`` (and so read the bot's
answers and write into that conversation); its REST channel lets a caller name any sender.
Here the socket.io server issues every conversation id together with a secret,
``HMAC-SHA256(SOCKET_SECRET, session_id)``, that only the widget that received it holds:

- ``session_request {session_id, session_secret}``: a pair that matches joins that
  conversation and receives its history (``session_history``, the lines of
  channels/conversation_api.py); anything else (no id, an id with a wrong or missing
  secret) gets a new conversation, never the old one. With ``session_persistence: false``
  in credentials.yml every request gets a new conversation.
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

Every bot message goes to a room named by the conversation id, which each socket of that
conversation joins. With several Rasa servers behind a balancer, the widget's socket is on
one of them while the backend's calls (an agent's message, the hand-back; see
channels/conversation_api.py) and Rasa's ``output_channel=latest`` land on any: set
``SOCKET_MESSAGE_QUEUE_URL`` (e.g. ``redis://127.0.0.1:6379/2``, the same on every server)
and every emit goes through python-socketio's ``AsyncRedisManager``, so it reaches the
socket wherever it is. Unset, rooms live in this process only (one Rasa server). Several
servers also need the same ``SOCKET_SECRET``.

Both channels check every message first (channels/guard.py: shape, length, rate) and
answer a refused one themselves, in the user's language, without passing it to Rasa.
The socket.io transport refuses frames over ``MAX_SOCKET_FRAME_BYTES`` and browsers
from origins other than ``ALLOWED_ORIGINS`` (the app page's).
"""
import asyncio
import hashlib
import hmac
import json
import logging
import os
import secrets
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from channels.conversation_api import add_routes, chat_lines, quick_replies
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


def socket_server() -> AsyncServer:
    """The widget's socket.io server: through the Redis message queue when one is set."""
    queue = os.environ.get("SOCKET_MESSAGE_QUEUE_URL")
    return AsyncServer(
        async_mode="sanic",
        client_manager=AsyncRedisManager(queue) if queue else None,
        cors_allowed_origins=allowed_origins(),
        max_http_buffer_size=MAX_SOCKET_FRAME_BYTES,
    )


async def listen_to_message_queue(sio: AsyncServer, wait_seconds: float = 10) -> None:
    """Subscribes this server to the message queue as soon as it starts. python-socketio
    does so only at the first connection, in the background, and an emit that reaches the
    queue before the subscription is lost: a freshly started server's first widget could
    wait forever for its ``session_confirm``."""
    manager = sio.manager
    if sio.manager_initialized or not isinstance(manager, AsyncRedisManager):
        return
    sio.manager_initialized = True
    manager.initialize()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while not manager.pubsub.subscribed:
        if loop.time() > deadline:
            logger.error("Not subscribed to the socket.io message queue after %s s", wait_seconds)
            return
        await asyncio.sleep(0.01)


class SecureSocketIOOutput(OutputChannel):
    """One ``bot_uttered`` per bot message to the conversation's room, carrying the agent's
    name and custom payloads."""

    @classmethod
    def name(cls) -> Text:
        return SecureSocketIOInput.name()

    def __init__(self, sio: AsyncServer, bot_message_evt: Text, namespace: Optional[Text]) -> None:
        self.sio = sio
        self.bot_message_evt = bot_message_evt
        self.namespace = namespace

    async def _send_message(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        await self.sio.emit(self.bot_message_evt, message, room=recipient_id, namespace=self.namespace)

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


class SecureSocketIOInput(InputChannel):
    """The widget's socket.io channel, with server-issued conversation ids (see module docs)."""

    CREDENTIALS = (
        "user_message_evt", "bot_message_evt", "namespace", "session_persistence",
        "socketio_path", "metadata_key",
    )

    @classmethod
    def name(cls) -> Text:
        return "socketio"  # as Rasa's, so that conversations keep their channel

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Refuses keys it does not act on, so that no setting is silently ignored."""
        credentials = credentials or {}
        unknown = set(credentials) - set(cls.CREDENTIALS)
        if unknown:
            raise ValueError(f"{cls.__name__} does not support {sorted(unknown)} in credentials.yml")
        return cls(**credentials)

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        namespace: Optional[Text] = None,
        session_persistence: bool = True,
        socketio_path: Text = "/socket.io",
        metadata_key: Text = "metadata",
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.namespace = namespace
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.metadata_key = metadata_key
        self.sio: Optional[AsyncServer] = None
        self.app: Optional[Sanic] = None  # kept when the server starts: handlers have no request
        self.limits = MessageLimits()
        self._key = _socket_secret()

    def session_secret(self, session_id: Text) -> Text:
        return hmac.new(self._key, session_id.encode(), hashlib.sha256).hexdigest()

    def is_issued(self, session_id: Any, secret: Any) -> bool:
        return (
            isinstance(session_id, str)
            and isinstance(secret, str)
            and session_id.startswith(SESSION_PREFIX)
            and hmac.compare_digest(self.session_secret(session_id), secret)
        )

    def get_output_channel(self) -> Optional[OutputChannel]:
        """Rasa's ``output_channel=latest`` reaches the widget through this."""
        if self.sio is None:
            return None
        return SecureSocketIOOutput(self.sio, self.bot_message_evt, self.namespace)

    async def _history(self, session_id: Text) -> List[Dict[Text, Any]]:
        agent = self.app.ctx.agent if self.app else None
        if agent is None or agent.tracker_store is None:
            return []
        tracker = await agent.tracker_store.retrieve_full_tracker(session_id)  # every session
        return chat_lines([e.as_dict() for e in tracker.events]) if tracker else []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Our own socket.io server, its handlers, and the backend's routes (conversation_api)."""
        sio = self.sio = socket_server()
        namespace = self.namespace
        blueprint = SocketBlueprint(sio, self.socketio_path, "secure_socketio_webhook", __name__)

        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _loop: Any) -> None:
            self.app = app
            await listen_to_message_queue(sio)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        add_routes(blueprint, self.get_output_channel)

        async def emit(event: Text, data: Any, sid: Text) -> None:
            await sio.emit(event, data, room=sid, namespace=namespace)

        @sio.on("connect", namespace=namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            request = environ.get("sanic.request")
            await sio.save_session(sid, {"address": client_address(request)}, namespace=namespace)
            return True

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id, secret = data.get("session_id"), data.get("session_secret")
            resumed = self.session_persistence and self.is_issued(session_id, secret)
            if not resumed:
                session_id = SESSION_PREFIX + uuid.uuid4().hex
                secret = self.session_secret(session_id)
            session = await sio.get_session(sid, namespace=namespace)
            previous = session.get("conversation")
            if previous and previous != session_id:
                sio.leave_room(sid, previous, namespace=namespace)
            sio.enter_room(sid, session_id, namespace=namespace)
            session["conversation"] = session_id
            await sio.save_session(sid, session, namespace=namespace)
            await emit("session_confirm", {"session_id": session_id, "session_secret": secret}, sid)
            if resumed:
                await emit("session_history", await self._history(session_id), sid)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: Text, data: Optional[Dict]) -> None:
            session = await sio.get_session(sid, namespace=namespace)
            conversation = session.get("conversation")
            if not conversation or not isinstance(data, dict):
                logger.warning("socket.io message without a confirmed session ignored")
                await emit("bot_turn_done", {}, sid)
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
                await self.limits.check(conversation, session.get("address"), text)
            except Refusal as refusal:
                await emit(self.bot_message_evt, {"text": refusal.text}, sid)
            else:
                try:
                    await on_new_message(
                        UserMessage(
                            text, self.get_output_channel(), conversation,
                            input_channel=self.name(), metadata=metadata,
                        )
                    )
                except Exception:
                    logger.exception("a socket.io message of %s could not be handled", conversation)
                    await emit(self.bot_message_evt, {"text": processing_failed(text)}, sid)
            await emit("bot_turn_done", {}, sid)

        return blueprint


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
                sender, text, metadata = await self._checked(request)
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

    async def _checked(self, request: Request) -> Tuple[Text, Text, Dict[Text, Any]]:
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
        await self.limits.check(sender, client_address(request), text)
        return sender, text, metadata

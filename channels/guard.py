"""What both input channels check before a message reaches NLU.

A single 100 KB message once drove the Rasa process to 24 GB and made every other user
wait; a REST body that is a JSON array answered 500; a message without a sender joined
one shared "default" conversation. Here every message is checked for shape, length and
rate first, and refused with a short answer in the user's language, which changes
nothing (no event is stored, NLU never runs).

Limits (environment):
- ``MAX_MESSAGE_CHARS`` (1000): characters in one message.
- ``MESSAGE_LIMIT_PER_CONVERSATION`` (``20/60``): messages per conversation per window
  of seconds; a person types far fewer.
- ``MESSAGE_LIMIT_PER_ADDRESS`` (``300/60``): messages per client address (many people
  may share one address behind a carrier's NAT).

The rate windows are sliding, and refused attempts count too: a client that keeps
hammering stays refused until it slows down (its back-off). The counters live in this
process's memory: with several Rasa replicas, the balancer in front adds its own
per-address limit. Behind a balancer, tell Sanic to trust its forwarded address
(``SANIC_PROXIES_COUNT=1``, or ``SANIC_REAL_IP_HEADER``), or every user shares its address.
"""
import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, Optional, Text, Tuple

from components.language import detect_language

MAX_MESSAGE_CHARS = int(os.environ.get("MAX_MESSAGE_CHARS", "1000"))
SENDER_PATTERN = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
# The only metadata a client may send, with the longest value accepted.
ALLOWED_METADATA = {"session_token": 512}

REFUSALS: Dict[Text, Tuple[Text, Text]] = {
    "message_too_long": (
        "您的消息太长了（最多 {max_length} 个字）。请分几句简短地描述您遇到的问题，我会一一帮您查看。",
        "Your message is too long (at most {max_length} characters). Please describe your "
        "problem in a few shorter messages and I will look into it.",
    ),
    "message_empty": ("请输入您的问题。", "Please type your question."),
    "too_many_messages": (
        "您发送消息太快了，请 {retry_after} 秒后再发。",
        "You are sending messages too quickly. Please wait {retry_after} seconds and try again.",
    ),
    "widget_conversation": (
        "这个会话属于聊天窗口，不能通过这个接口访问。",
        "This conversation belongs to the chat widget and cannot be used here.",
    ),
    "invalid_request": (
        "请求格式不正确：{problem}",
        "The request is not valid: {problem}",
    ),
}


class Refusal(Exception):
    """A message the channel will not pass on; ``text`` is what the user is told."""

    def __init__(self, status: int, code: Text, lang: Text = "zh", **params: Any) -> None:
        zh, en = REFUSALS[code]
        self.status = status
        self.code = code
        self.params = params
        self.text = (zh if lang == "zh" else en).format(**params)
        super().__init__(f"{code}: {self.text}")

    def body(self) -> Dict[Text, Any]:
        """The project's error shape: code, message, and the parameters a client needs."""
        return {"code": self.code, "message": self.text, **self.params}


def refusal_language(text: Any) -> Text:
    """The language to refuse in: that of the (beginning of the) message, Chinese by default."""
    if not isinstance(text, str):
        return "zh"
    return detect_language(text[:200]) or "zh"


def check_text(text: Any) -> Text:
    """The message text, or a Refusal when it is not a string, empty or too long."""
    if not isinstance(text, str):
        raise Refusal(400, "invalid_request", problem="message must be a string")
    if not text.strip():
        raise Refusal(400, "message_empty", refusal_language(text))
    if len(text) > MAX_MESSAGE_CHARS:
        raise Refusal(413, "message_too_long", refusal_language(text), max_length=MAX_MESSAGE_CHARS)
    return text


def check_sender(sender: Any) -> Text:
    if not isinstance(sender, str) or not SENDER_PATTERN.match(sender):
        raise Refusal(
            400, "invalid_request",
            problem="sender must be 1-128 characters of letters, digits and ._:@-",
        )
    return sender


def clean_metadata(metadata: Any) -> Dict[Text, Any]:
    """Only the keys the assistant uses, as short strings: nothing else reaches the tracker."""
    if metadata is None:
        return {}
    if not isinstance(metadata, dict):
        raise Refusal(400, "invalid_request", problem="metadata must be an object")
    cleaned = {}
    for key, max_length in ALLOWED_METADATA.items():
        value = metadata.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > max_length:
            raise Refusal(400, "invalid_request", problem=f"metadata.{key} must be a short string")
        cleaned[key] = value
    return cleaned


def parse_limit(spec: Text) -> Tuple[int, float]:
    """``"20/60"`` → 20 messages per 60 seconds."""
    count, seconds = spec.split("/")
    return int(count), float(seconds)


@dataclass
class SlidingWindowLimiter:
    """At most ``count`` hits per ``seconds`` for each key; refused hits count as well."""

    count: int
    seconds: float
    max_keys: int = 100_000
    _hits: Dict[Text, Deque[float]] = field(default_factory=dict)

    def hit(self, key: Text, now: Optional[float] = None) -> Optional[int]:
        """None when allowed; otherwise the seconds to wait."""
        now = time.monotonic() if now is None else now
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._forget_idle(now)
            hits = self._hits[key] = deque(maxlen=self.count)
        full = len(hits) == self.count and now - hits[0] < self.seconds
        hits.append(now)
        if full:
            return max(1, int(self.seconds - (now - hits[0]) + 0.999))
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if now - hits[-1] >= self.seconds]:
            del self._hits[key]


class MessageLimits:
    """The per-conversation and per-address limits of one channel."""

    def __init__(self) -> None:
        self.per_conversation = SlidingWindowLimiter(
            *parse_limit(os.environ.get("MESSAGE_LIMIT_PER_CONVERSATION", "20/60"))
        )
        self.per_address = SlidingWindowLimiter(
            *parse_limit(os.environ.get("MESSAGE_LIMIT_PER_ADDRESS", "300/60"))
        )

    def check(self, conversation: Text, address: Optional[Text], text: Any) -> None:
        waits = [self.per_conversation.hit(conversation)]
        if address:
            waits.append(self.per_address.hit(address))
        wait = max((w for w in waits if w), default=None)
        if wait:
            raise Refusal(429, "too_many_messages", refusal_language(text), retry_after=wait)

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
hammering stays refused until it slows down (its back-off). Where the windows live:

- ``MESSAGE_LIMIT_STORAGE_URL`` unset: in this process's memory (one Rasa server).
- ``MESSAGE_LIMIT_STORAGE_URL=redis://host:6379/0`` (the same on every Rasa replica): in
  Redis, so the replicas behind a balancer count together and a client gets the limit once,
  not once per replica. Each window is a sorted set of hit times (Redis's clock, the same
  for every replica), checked, added to and trimmed in one Lua script, under
  ``<CLUSTER_NAME>:message_limit:conversation:<id>`` and ``…:address:<address>``
  (``CLUSTER_NAME`` as for the lock store, ``creditsupport`` when unset); a key expires one
  window after its last hit.

If Redis cannot be reached (or answers an error, or not in time: 0.5 s to connect, 0.5 s
for a reply, 1 s in all), the chat goes on: that check is counted in this process's memory instead, as without Redis
(each replica then counts alone), a warning is logged at most once a minute, and Redis is
tried again after a few seconds.

Behind a balancer, tell Sanic to trust its forwarded address (``SANIC_PROXIES_COUNT=1``,
or ``SANIC_REAL_IP_HEADER``), or every user shares its address.
"""
import asyncio
import logging
import os
import re
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Deque, Dict, List, Optional, Sequence, Text, Tuple

from components.language import detect_language

logger = logging.getLogger(__name__)

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


def retry_after(seconds_left: float) -> int:
    """Whole seconds to wait (at least 1) until the oldest counted hit leaves the window."""
    return max(1, int(seconds_left + 0.999))


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
            return retry_after(self.seconds - (now - hits[0]))
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if now - hits[-1] >= self.seconds]:
            del self._hits[key]


# One sliding window per key, the same rule as SlidingWindowLimiter: hits older than the
# window are dropped; the hit is refused when ``count`` hits remain; it is added either way
# and only the latest ``count`` are kept; the key expires one window after its last hit.
# KEYS: one per window; ARGV: the hit's member, then seconds and count for each key.
# Returns, per key, "" when allowed, else the seconds until its oldest kept hit leaves.
SLIDING_WINDOW_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local member = ARGV[1]
local waits = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i])
  local count = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local held = redis.call('ZCARD', key)
  redis.call('ZADD', key, now, member)
  if held + 1 > count then
    redis.call('ZREMRANGEBYRANK', key, 0, held - count)
  end
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  if held >= count then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    waits[i] = tostring(window - (now - tonumber(oldest[2])))
  else
    waits[i] = ''
  end
end
return waits
"""


class RedisWindows:
    """The sliding windows in Redis, shared by every Rasa replica using the same URL.

    ``hit`` raises what the connection raises; MessageLimits falls back to memory then.
    """

    def __init__(self, url: Text, key_prefix: Text, timeout: float = 0.5) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self.timeout = timeout
        self._client: Any = None
        self._script: Any = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None

    def key(self, kind: Text, key: Text) -> Text:
        return f"{self.key_prefix}:message_limit:{kind}:{key}"

    def client(self) -> Any:
        """The client of the running event loop (its connections belong to that loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio

            self._client = redis.asyncio.Redis.from_url(
                self.url, socket_connect_timeout=self.timeout, socket_timeout=self.timeout,
            )
            self._script = self._client.register_script(SLIDING_WINDOW_SCRIPT)
            self._loop = loop
        return self._client

    async def hit(self, windows: Sequence[Tuple[Text, Text, "SlidingWindowLimiter"]]) -> List[Optional[int]]:
        """One hit on each (kind, key, limiter) window, in one round trip: None when allowed,
        else the seconds to wait."""
        client = self.client()
        args: List[Any] = [uuid.uuid4().hex]
        for _, _, limiter in windows:
            args += [limiter.seconds, limiter.count]
        answers = await asyncio.wait_for(
            self._script(keys=[self.key(kind, key) for kind, key, _ in windows], args=args, client=client),
            timeout=2 * self.timeout,
        )
        return [retry_after(float(answer)) if answer else None for answer in answers]

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None


class MessageLimits:
    """The per-conversation and per-address limits of one channel, shared through Redis when
    ``MESSAGE_LIMIT_STORAGE_URL`` is set, else in this process's memory.

    When Redis fails (down, unreachable, an error, slower than ``timeout``), a check is
    counted in memory instead and the message is not refused for it; a warning is logged at
    most once every ``WARN_EVERY`` seconds, and Redis is tried again ``RETRY_AFTER`` seconds
    after the failure (meanwhile checks go straight to memory, adding no delay).
    """

    WARN_EVERY = 60.0
    RETRY_AFTER = 5.0

    def __init__(
        self, storage_url: Optional[Text] = None, key_prefix: Optional[Text] = None, timeout: float = 0.5,
    ) -> None:
        self.per_conversation = SlidingWindowLimiter(
            *parse_limit(os.environ.get("MESSAGE_LIMIT_PER_CONVERSATION", "20/60"))
        )
        self.per_address = SlidingWindowLimiter(
            *parse_limit(os.environ.get("MESSAGE_LIMIT_PER_ADDRESS", "300/60"))
        )
        url = os.environ.get("MESSAGE_LIMIT_STORAGE_URL") if storage_url is None else storage_url
        prefix = os.environ.get("CLUSTER_NAME", "creditsupport") if key_prefix is None else key_prefix
        self.shared: Optional[RedisWindows] = RedisWindows(url, prefix, timeout) if url else None
        self._redis_down_until = float("-inf")
        self._warned_at = float("-inf")

    async def check(self, conversation: Text, address: Optional[Text], text: Any) -> None:
        """Counts the message in each window; Refusal (429) when one of them is full."""
        windows = [("conversation", conversation, self.per_conversation)]
        if address:
            windows.append(("address", address, self.per_address))
        waits = await self._shared_hit(windows)
        if waits is None:
            waits = [limiter.hit(key) for _, key, limiter in windows]
        wait = max((w for w in waits if w), default=None)
        if wait:
            raise Refusal(429, "too_many_messages", refusal_language(text), retry_after=wait)

    async def _shared_hit(self, windows: List[Tuple[Text, Text, SlidingWindowLimiter]]) -> Optional[List[Optional[int]]]:
        """The waits counted in Redis, or None: no Redis configured, or it failed."""
        if self.shared is None or time.monotonic() < self._redis_down_until:
            return None
        try:
            return await self.shared.hit(windows)
        except Exception as error:  # whatever Redis does, the chat goes on
            now = time.monotonic()
            self._redis_down_until = now + self.RETRY_AFTER
            if now - self._warned_at >= self.WARN_EVERY:
                self._warned_at = now
                logger.warning(
                    "message limits: Redis at MESSAGE_LIMIT_STORAGE_URL failed (%s: %s); counting "
                    "in this process's memory until it answers again (each replica alone)",
                    type(error).__name__, error,
                )
            return None

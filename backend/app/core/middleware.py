"""Pure ASGI middleware: request bodies bounded while they stream in, and security headers.

Pure ASGI (not BaseHTTPMiddleware) so that a body is counted chunk by chunk as the server
receives it, before anything is parsed or spooled to disk.
"""

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import ApiError, error_response

CLOSE = {"Connection": "close"}  # the client may still be sending: stop reading it


class BodyLimit:
    """Answers 413 `request_too_large` once a body passes its limit, without reading further:
    at once when the declared Content-Length is over it, else as soon as the bytes received
    are. The application then sees a disconnected client and whatever it answers is dropped."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, routes: Iterable[tuple[set[str], re.Pattern, int]] = ()
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.routes = list(routes)  # (methods, path pattern, limit): routes allowed larger bodies

    def limit_for(self, scope: Scope) -> int:
        for methods, pattern, limit in self.routes:
            if scope["method"] in methods and pattern.match(scope["path"]):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)

        async def refuse() -> None:
            error = ApiError(413, "request_too_large", extra={"max_bytes": limit}, headers=CLOSE)
            await error_response(Request(scope), error)(scope, receive, send)

        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await refuse()
            return

        received = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await refuse()
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counting_receive, guarded_send)


def page_policy(rasa_url: str) -> str:
    """The pages' Content-Security-Policy: only our own files, plus the Rasa server the widget
    talks to over socket.io (http polling and websocket forms of its origin)."""
    rasa = urlsplit(rasa_url)
    socket_scheme = "wss" if rasa.scheme == "https" else "ws"
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {rasa.scheme}://{rasa.netloc} {socket_scheme}://{rasa.netloc}",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


class SecurityHeaders:
    """nosniff and no-referrer on every response; HTML also gets a Content-Security-Policy
    (`policies` by path, else `default_policy`) and may not be framed."""

    def __init__(self, app: ASGIApp, default_policy: str, policies: dict[str, str] | None = None) -> None:
        self.app = app
        self.default_policy = default_policy
        self.policies = policies or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    *message.get("headers", []),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                ]
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html"):
                    policy = self.policies.get(scope["path"], self.default_policy)
                    headers += [(b"content-security-policy", policy.encode()), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


# Pages with a policy of their own. /dev/otp (demo only) has an inline <style> and no script:
# nothing may run there. /docs is FastAPI's Swagger UI: its scripts and styles come from the
# jsDelivr CDN and it starts with an inline script; the page shows nothing but the schema.
OWN_POLICIES = {
    "/dev/otp": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'",
    "/docs": "default-src 'none'; script-src https://cdn.jsdelivr.net 'unsafe-inline'; "
    "style-src https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'",
}

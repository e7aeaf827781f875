"""The action server, reachable only by Rasa: ``python -m actions.server``.

rasa-sdk's own server listens on every interface and runs any action for anyone who
posts a tracker: a forged tracker once created a handoff ticket with a made-up summary
and sent one-time codes to any phone. This one

- listens on ``ACTIONS_HOST`` (default 127.0.0.1) and ``ACTIONS_PORT`` (5055);
- runs an action only for a caller that sends the shared secret ``ACTION_SERVER_TOKEN``
  in the ``X-Action-Token`` header (endpoints.yml makes Rasa send it); anything else
  gets 401 and runs nothing;
- refuses bodies that are not an action call (a JSON object with ``next_action`` and
  ``tracker``) with 400, and never echoes a request back in an error.

``/health`` stays open (it says nothing but "ok") for the process supervisor and the
stack's start-up check.
"""
import hmac
import json
import logging
import os
import sys
import zlib

from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)
TOKEN_HEADER = "X-Action-Token"
MAX_BODY_BYTES = 2 * 1024 * 1024  # a tracker window and, for form validators, the domain


def _error(status: int, code: str, message: str) -> HTTPResponse:
    return response.json({"code": code, "message": message}, status=status)


def _action_call(request: Request):
    """The decoded body when it is an action call, else None."""
    try:
        raw = request.body or b""
        if request.headers.get("Content-Encoding") == "deflate":
            decompressor = zlib.decompressobj()
            raw = decompressor.decompress(raw, MAX_BODY_BYTES)
            if decompressor.unconsumed_tail:
                return None
        body = json.loads(raw)
    except (ValueError, zlib.error):
        return None
    if not isinstance(body, dict) or not isinstance(body.get("next_action"), str):
        return None
    return body if isinstance(body.get("tracker"), dict) else None


def create_server(token: str) -> Sanic:
    """rasa-sdk's app with the secret check and body check in front of every action call."""
    if not token:
        raise SystemExit("ACTION_SERVER_TOKEN is not set: the action server refuses to start without it.")
    app = create_app("actions", cors_origins="")
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    expected = token.encode()

    @app.on_request
    async def guard(request: Request):
        if request.path == "/health":
            return None
        given = request.headers.get(TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return _error(401, "action_token_invalid", "This server only answers the assistant.")
        if request.path == "/webhook" and _action_call(request) is None:
            return _error(400, "invalid_action_call", "The body is not an action call.")
        return None

    @app.exception(Exception)
    async def unexpected(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("action server error on %s", request.path, exc_info=exception)
            return _error(500, "internal_error", "The action failed.")
        return _error(status, "invalid_request", str(exception)[:200])

    return app


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_server(os.environ.get("ACTION_SERVER_TOKEN", ""))
    host = os.environ.get("ACTIONS_HOST", "127.0.0.1")
    port = int(os.environ.get("ACTIONS_PORT", "5055"))
    logger.info("action server on http://%s:%s", host, port)
    app.run(host=host, port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    sys.exit(main())

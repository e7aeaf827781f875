"""Rasa's calls to the action server (and its other HTTP endpoints) reuse their connections.

Rasa 3.6.21 opens a new aiohttp session for every call of an endpoint
(``EndpointConfig.request``), so every custom action costs a new TCP connection: setting
it up was about 0.6 ms of the Rasa server's CPU per action call, plus the action server's
work to accept it (py-spy under ``scripts/benchmark.py``, issue 11). Here each endpoint
keeps one session per event loop, configured as Rasa configures it (headers, basic auth,
timeout), whose idle connections are closed after ``IDLE_CONNECTION_SECONDS``: well
before the action server closes them (Sanic: 5 s; HAProxy in the cluster: 10 s), so that
a connection the server is about to close is never picked for a call.

``install()`` runs when the ``components`` package is imported, i.e. in every Rasa
process that loads our model.
"""
import asyncio
import weakref

import aiohttp
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from components.patching import require_written_for_this_rasa

IDLE_CONNECTION_SECONDS = 2.0


class KeptOpen:
    """What ``async with endpoint.session()`` gets: the kept session, left open afterwards."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self.session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self.session

    async def __aexit__(self, *_exception) -> None:
        return None


def kept_session(self: EndpointConfig) -> KeptOpen:
    """This endpoint's session on the running event loop, opened on first use."""
    loop = asyncio.get_running_loop()
    sessions = self.__dict__.setdefault("_kept_sessions", weakref.WeakKeyDictionary())
    session = sessions.get(loop)
    if session is None or session.closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=IDLE_CONNECTION_SECONDS),
        )
        sessions[loop] = session
    return KeptOpen(session)


def install() -> None:
    require_written_for_this_rasa("components.action_client (EndpointConfig.session)")
    EndpointConfig.session = kept_session

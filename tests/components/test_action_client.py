"""Rasa's action calls reuse their connection to the action server, and a connection the
server has closed (restart, idle limit) never costs a call (components/action_client.py).

Each case calls a real HTTP server on this machine through Rasa's own RemoteAction, as
the Rasa server does."""
import asyncio

from aiohttp import web
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa.utils.endpoints import EndpointConfig

import components  # noqa: F401  (installs the kept sessions, as loading our model does)
from components.action_client import kept_session
from scripts.stack import free_port
from tests.components.test_action_guard import DOMAIN, tracker


class ActionServer:
    """Answers every action call with one slot event; notes the client port of each call."""

    def __init__(self, port: int, close_after_seconds: float = 0) -> None:
        self.port, self.close_after_seconds, self.client_ports = port, close_after_seconds, []

    async def answer(self, request: web.Request) -> web.Response:
        self.client_ports.append(request.transport.get_extra_info("peername")[1])
        if self.close_after_seconds:  # as a server closes a connection left idle
            asyncio.get_running_loop().call_later(self.close_after_seconds, request.transport.close)
        return web.json_response({"events": [{"event": "slot", "name": "product", "value": "huabei"}],
                                  "responses": []})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhook", self.answer)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        await self.runner.cleanup()


def call(action: RemoteAction):
    return action.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(DOMAIN.responses),
                      tracker("zh"), DOMAIN)


def test_action_calls_share_one_connection():
    async def scenario():
        server = ActionServer(free_port())
        await server.start()
        action = RemoteAction("action_diagnose_problem", EndpointConfig(f"http://127.0.0.1:{server.port}/webhook"))
        results = [await call(action) for _ in range(5)]
        await kept_session(action.action_endpoint).session.close()
        await server.stop()
        return results, server.client_ports

    results, client_ports = asyncio.run(scenario())
    assert all(events == [SlotSet("product", "huabei")] for events in results)
    assert len(client_ports) == 5 and len(set(client_ports)) == 1


def test_a_connection_the_server_closed_is_not_used_again():
    async def scenario():
        port = free_port()
        action = RemoteAction("action_diagnose_problem", EndpointConfig(f"http://127.0.0.1:{port}/webhook"))
        server = ActionServer(port, close_after_seconds=0.3)
        await server.start()
        first = await call(action)
        await asyncio.sleep(1.0)
        after_idle = await call(action)
        await server.stop()  # a restart: the kept connection is gone
        restarted = ActionServer(port)
        await restarted.start()
        after_restart = await call(action)
        await kept_session(action.action_endpoint).session.close()
        await restarted.stop()
        return [first, after_idle, after_restart], server.client_ports + restarted.client_ports

    results, client_ports = asyncio.run(scenario())
    assert all(events == [SlotSet("product", "huabei")] for events in results)  # no utter_action_failed
    assert len(set(client_ports)) == 3

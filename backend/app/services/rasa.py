"""The few Rasa calls the agent console needs, made server-side with the API token.

Reading a conversation, an agent's message and the hand-back go to routes of Rasa's widget
channel (channels/conversation_api.py): it turns events into chat lines by the one rule the
widget's history uses too, and carries out a message or hand-back once per request id, so
the retry of a call that timed out (here, or the agent clicking again) cannot reach the user
twice.
"""

from urllib.parse import quote

import httpx

from app.core.config import Settings
from app.errors import ApiError

HANDOFF_ACTION = "action_handoff_to_human"
CHANNEL = "/webhooks/socketio"


class RasaClient:
    def __init__(self, settings: Settings) -> None:
        self.base = settings.rasa_url.rstrip("/")
        self.token = settings.rasa_api_token
        self.timeout = settings.rasa_timeout_seconds

    def _call(
        self, method: str, path: str, params: dict | None = None, body: dict | list | None = None, tries: int = 1
    ) -> dict | list:
        """Unreachable or timing out -> 503; an error answer from Rasa -> 502. A call that is
        safe to repeat gets `tries` > 1: a timeout is tried again."""
        for attempt in range(1, tries + 1):
            try:
                response = httpx.request(
                    method,
                    f"{self.base}{path}",
                    params={**(params or {}), "token": self.token},
                    json=body,
                    timeout=self.timeout,
                )
                break
            except httpx.TimeoutException:
                if attempt == tries:
                    raise ApiError(503, "rasa_unavailable") from None
            except httpx.HTTPError:
                raise ApiError(503, "rasa_unavailable") from None
        if response.status_code >= 400:
            raise ApiError(502, "rasa_unavailable", extra={"rasa_status": response.status_code})
        return response.json() if response.content else {}

    @staticmethod
    def _conversation(conversation_id: str) -> str:
        return f"/conversations/{quote(conversation_id, safe='')}"

    def _tracker(self, conversation_id: str) -> dict:
        return self._call("GET", f"{self._conversation(conversation_id)}/tracker")

    def transcript(self, conversation_id: str) -> list[dict]:
        """Chat lines `{sender: user|bot|agent, text, at, agent?}`, as the widget shows them."""
        return self._call("GET", f"{CHANNEL}/transcript/{quote(conversation_id, safe='')}")

    def waiting_for_human(self, conversation_id: str) -> bool:
        """Paused, by the handoff action since the conversation was last resumed."""
        tracker = self._tracker(conversation_id)
        if tracker.get("paused") is not True:
            return False
        for event in reversed(tracker.get("events") or []):
            if event.get("event") == "resume":
                return False
            if event.get("event") == "action" and event.get("name") == HANDOFF_ACTION:
                return True
        return False

    def send_message(self, conversation_id: str, request_id: str, text: str, metadata: dict) -> None:
        """A bot message (an agent's: metadata.agent) to the conversation and its widget, once
        per request id."""
        self._call(
            "POST",
            f"{CHANNEL}/messages/{quote(conversation_id, safe='')}",
            body={"request_id": request_id, "text": text, "metadata": metadata},
            tries=2,
        )

    def hand_back(self, conversation_id: str, request_id: str, intent: str) -> None:
        """Resumes the paused conversation and triggers `intent`, once per request id."""
        self._call(
            "POST",
            f"{CHANNEL}/handback/{quote(conversation_id, safe='')}",
            body={"request_id": request_id, "intent": intent},
            tries=2,
        )

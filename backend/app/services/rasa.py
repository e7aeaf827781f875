"""The few Rasa HTTP API calls the agent console needs, made server-side with the API token."""

from datetime import UTC, datetime
from urllib.parse import quote

import httpx

from app.core.config import Settings
from app.errors import ApiError

HANDOFF_ACTION = "action_handoff_to_human"


class RasaClient:
    def __init__(self, settings: Settings) -> None:
        self.base = settings.rasa_url.rstrip("/")
        self.token = settings.rasa_api_token
        self.timeout = settings.rasa_timeout_seconds

    def _call(self, method: str, path: str, params: dict | None = None, body: dict | None = None) -> dict:
        """Unreachable or timing out -> 503; an error answer from Rasa -> 502."""
        try:
            response = httpx.request(
                method,
                f"{self.base}{path}",
                params={**(params or {}), "token": self.token},
                json=body,
                timeout=self.timeout,
            )
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
        return transcript_from_events(self._tracker(conversation_id).get("events") or [])

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

    def post_event(self, conversation_id: str, event: dict | list[dict]) -> None:
        self._call(
            "POST",
            f"{self._conversation(conversation_id)}/tracker/events",
            params={"output_channel": "latest", "execute_side_effects": "true"},
            body=event,
        )

    def trigger_intent(self, conversation_id: str, intent: str) -> None:
        self._call(
            "POST",
            f"{self._conversation(conversation_id)}/trigger_intent",
            params={"output_channel": "latest"},
            body={"name": intent},
        )


def transcript_from_events(events: list[dict]) -> list[dict]:
    """User and bot utterances in order; a bot event carrying metadata.agent was typed by an agent."""
    lines = []
    for event in events:
        kind, text = event.get("event"), event.get("text")
        if kind not in ("user", "bot") or not text:
            continue
        sender = (
            "user" if kind == "user" else "agent" if (event.get("metadata") or {}).get("agent") else "bot"
        )
        at = event.get("timestamp")
        lines.append(
            {
                "sender": sender,
                "text": text,
                "at": datetime.fromtimestamp(at, UTC).isoformat() if isinstance(at, (int, float)) else None,
            }
        )
    return lines

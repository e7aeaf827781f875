"""Known conversations written into a tracker store the way Rasa's SQL tracker store writes
them (table `events`, same columns), for tests of what the backend reads from it."""

import json
from datetime import datetime

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, delete, insert

metadata = MetaData()
EVENTS = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


class TrackerStore:
    """Writes conversations turn by turn: user message, slots, the actions that answered."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(url)
        metadata.create_all(self.engine)

    def clear(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(EVENTS))

    def _write(self, rows: list[dict]) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(EVENTS), rows)

    def conversation(self, sender_id: str, turns: list[dict]) -> None:
        """Each turn: {"at": datetime, "text", "intent", "confidence", "slots": {..}, "actions": [..]};
        the first turn also writes the session start, as Rasa does."""
        rows: list[dict] = []

        def event(at: datetime, type_name: str, data: dict, intent=None, action=None) -> None:
            stamp = at.timestamp() + len(rows) / 1000  # in order, as Rasa stamps them
            rows.append(
                {
                    "sender_id": sender_id,
                    "type_name": type_name,
                    "timestamp": stamp,
                    "intent_name": intent,
                    "action_name": action,
                    "data": json.dumps({"event": type_name, "timestamp": stamp, **data}),
                }
            )

        first = turns[0]["at"]
        event(first, "action", {"name": "action_session_start"}, action="action_session_start")
        event(first, "session_started", {})
        event(first, "action", {"name": "action_listen"}, action="action_listen")
        for turn in turns:
            at = turn["at"]
            intent = {"name": turn["intent"], "confidence": turn.get("confidence", 0.97)}
            event(
                at,
                "user",
                {
                    "text": turn["text"],
                    "parse_data": {"intent": intent, "entities": [], "text": turn["text"]},
                    "metadata": {"session_token": "[redacted]"},
                },
                intent=turn["intent"],
            )
            for name, value in turn.get("slots", {}).items():
                event(at, "slot", {"name": name, "value": value}, action=name)
            for action in turn.get("actions", ["utter_answer"]):
                event(at, "action", {"name": action}, action=action)
                event(at, "bot", {"text": f"answer by {action}", "data": {}})
            event(at, "action", {"name": "action_listen"}, action="action_listen")
        self._write(rows)

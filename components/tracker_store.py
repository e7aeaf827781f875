"""Rasa's SQL tracker store, with the latest session of recent conversations kept in memory.

Rasa's ``SQLTrackerStore`` reads every event of the current session from the database
and parses each one from JSON on every user message: with a 50-turn conversation that
was a quarter of the Rasa server's time per turn (``scripts/benchmark.py``), growing
with the length of the conversation. This store keeps the parsed events of the
conversations it saw last and rebuilds the tracker from them, after one cheap check
that the database holds no events it does not know of (another Rasa server, or the
HTTP API of this one, may have added some). Everything is still written to the
database first, so a restart or a second server loses nothing.

Configured in endpoints.yml (``type: components.tracker_store.CachedSQLTrackerStore``)
with the same keys as Rasa's SQL store, plus ``cached_conversations``.
"""
import itertools
from collections import OrderedDict
from typing import Iterator, List, NamedTuple, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_CACHED_CONVERSATIONS = 1000


class CachedSession(NamedTuple):
    stored_events: int  # all events of the conversation in the database, every session
    session_events: List[Event]  # the events from the latest SessionStarted on


def latest_session(events: List[Event]) -> List[Event]:
    """The events Rasa's SQL store would load: from the latest SessionStarted on."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            return events[index:]
    return events


class CachedSQLTrackerStore(SQLTrackerStore):
    """An SQL tracker store that rebuilds trackers of recent conversations from memory."""

    def __init__(self, *args, cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cached_conversations = int(cached_conversations)
        self._sessions: "OrderedDict[Text, CachedSession]" = OrderedDict()

    def _stored_event_count(self, sender_id: Text) -> int:
        with self.session_scope() as session:
            return session.execute(
                sa.select(sa.func.count(self.SQLEvent.id)).where(self.SQLEvent.sender_id == sender_id)
            ).scalar()

    def _cached_session_of(self, tracker: DialogueStateTracker) -> Optional[CachedSession]:
        """The cached session this tracker was rebuilt from (it starts with the same events)."""
        cached = self._sessions.get(tracker.sender_id)
        if cached is None or len(tracker.events) < len(cached.session_events):
            return None
        known = len(cached.session_events)
        if known and tracker.events[known - 1] is not cached.session_events[-1]:
            return None
        return cached

    def _remember(self, tracker: DialogueStateTracker, stored_events: int) -> None:
        self._sessions[tracker.sender_id] = CachedSession(stored_events, latest_session(list(tracker.events)))
        self._sessions.move_to_end(tracker.sender_id)
        while len(self._sessions) > self.cached_conversations:
            self._sessions.popitem(last=False)

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        stored_events = self._stored_event_count(sender_id)
        cached = self._sessions.get(sender_id)
        if cached is not None and cached.stored_events == stored_events:
            self._sessions.move_to_end(sender_id)
            return DialogueStateTracker.from_events(sender_id, cached.session_events, self.domain.slots)
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self._sessions.pop(sender_id, None)
        else:
            self._remember(tracker, stored_events)
        return tracker

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator:
        """The events to insert: those after the cached ones, without counting them in SQL."""
        cached = self._cached_session_of(tracker)
        if cached is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, len(cached.session_events), None)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Writes the new events; Rasa holds the conversation's lock meanwhile, so no one else does."""
        cached = self._cached_session_of(tracker)
        await super().save(tracker)
        if cached is None:
            stored_events = self._stored_event_count(tracker.sender_id)
        else:
            stored_events = cached.stored_events + len(tracker.events) - len(cached.session_events)
        self._remember(tracker, stored_events)

"""Rasa's SQL tracker store, with a bounded working window of recent conversations in memory.

Rasa's ``SQLTrackerStore`` reads every event of the current session from the database
and parses each one from JSON on every user message, and the policies then featurize
all of them: the time per turn grows with the length of the conversation
(``scripts/benchmark.py``: the 50th turn took 3 times the 5th). This store keeps, for
the conversations it saw last,

- ``carried``: a few events that recreate the state the conversation had reached before
  its recent part: every slot that differs from its initial value, the active form, a
  pause for a human agent;
- ``recent``: the conversation's latest events (at most ``working_events`` of them, cut
  at the start of a user turn),

and gives Rasa the tracker rebuilt from those: the same slots, form and pause, the same
last turns (the policies look at the last 5 at most), in a time that no longer depends
on the length of the conversation. After one cheap check that the database holds the
same rows as when it was cached (count and last id: another Rasa server may have added
some), it is a cache hit; otherwise the session is read from the database as Rasa does. Every event is
still written to the database, and the full history (the widget's history, the agents'
transcript, Rasa's ``/conversations/<id>/tracker`` API) is read from there.

The window also holds at least ``MIN_ML_TURNS`` actions that the machine-learning
policies see: they skip turns predicted by rules alone, and a window made only of such
turns (a user typing wrong codes into the identity form) once left them no state at all
(``IndexError`` in ``_choose_last_user_input``), so the turn failed and was never stored.

Customer session tokens are never written: the user message's ``metadata.session_token``,
the ``session_token`` slot, Rasa's ``session_started_metadata`` slot (a copy of the first
message's metadata) and the bot's custom payload that hands a token to the widget are
stored as ``[redacted]`` (and kept so in memory after the turn). Actions still get
the current turn's token, from the message itself.

Configured in endpoints.yml (``type: components.tracker_store.CachedSQLTrackerStore``)
with the keys of Rasa's SQL store plus ``working_events`` and ``cached_conversations``.
"""
import copy
import itertools
import json
from collections import OrderedDict
from typing import Any, Dict, List, NamedTuple, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

DEFAULT_WORKING_EVENTS = 40
DEFAULT_CACHED_CONVERSATIONS = 1000
# Enough for a policy that looks back 5 states (TED's default; config.yml now has rules only,
# whose rules are shorter), plus one so that the first state of the window (which has no
# previous action) is never among them.
MIN_ML_TURNS = 7
TOKEN_KEY = "session_token"
REDACTED = "[redacted]"


def _holds_token(values: Any) -> bool:
    return isinstance(values, dict) and values.get(TOKEN_KEY) not in (None, "", REDACTED)


def redacted(event: Event) -> Event:
    """The event as it may be stored: the same object when it holds no session token (also
    when it was redacted before, so the cached window is not copied again on every save)."""
    if isinstance(event, UserUttered) and _holds_token(event.metadata):
        metadata = {**event.metadata, TOKEN_KEY: REDACTED}
        copied = copy.copy(event)
        copied.metadata = metadata
        copied.parse_data = {**event.parse_data, "metadata": metadata}  # it holds a copy too
        return copied
    if isinstance(event, SlotSet) and event.key == TOKEN_KEY and event.value not in (None, "", REDACTED):
        return SlotSet(TOKEN_KEY, REDACTED, event.timestamp, event.metadata)
    if isinstance(event, SlotSet) and _holds_token(event.value):
        # session_started_metadata: Rasa keeps the first message's metadata in a slot
        return SlotSet(event.key, {**event.value, TOKEN_KEY: REDACTED}, event.timestamp, event.metadata)
    if isinstance(event, BotUttered) and _holds_token((event.data or {}).get("custom")):
        copied = copy.copy(event)
        copied.data = {**event.data, "custom": {**event.data["custom"], TOKEN_KEY: REDACTED}}
        return copied
    return event


class StoredVersion(NamedTuple):
    """What the database holds of a conversation: any insert raises `last_id`, any delete
    lowers `count`, so no other writer's change goes unnoticed (rows rewritten in place by
    UPDATE would be: a retention job must delete and insert)."""

    count: int
    last_id: Optional[int]


class CachedSession(NamedTuple):
    version: StoredVersion  # the conversation's rows in the database, every session
    events: List[Event]  # carried + recent: what the tracker is rebuilt from


# Set on every tracker this store hands out: how many of its events are already stored.
# A save writes the events after them, whatever happened to the cache in between.
STORED_EVENTS = "_events_already_stored"


def event_row(sender_id: Text, event: Event) -> Dict[Text, Any]:
    """The columns Rasa's SQL store writes for an event (without session tokens)."""
    data = redacted(event).as_dict()
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


def latest_session(events: List[Event]) -> List[Event]:
    """The events Rasa's SQL store would load: from the latest SessionStarted on."""
    for index in range(len(events) - 1, -1, -1):
        if isinstance(events[index], SessionStarted):
            return events[index:]
    return events


def state_events(tracker: DialogueStateTracker) -> List[Event]:
    """Events that bring a new tracker to this tracker's slots, form and pause."""
    events: List[Event] = [
        SlotSet(name, slot.value) for name, slot in tracker.slots.items() if slot.value != slot.initial_value
    ]
    if tracker.active_loop_name:  # at a turn's start it is never interrupted nor rejected
        events.append(ActiveLoop(tracker.active_loop_name))
    if tracker.is_paused():
        events.append(ConversationPaused())
    return events


def use_write_ahead_log(connection, _record) -> None:
    """SQLite: readers never wait for the writer, and a commit does not wait for the disk
    (a crash of the process loses nothing; a power cut may lose the last turns)."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class CachedSQLTrackerStore(SQLTrackerStore):
    """An SQL tracker store that gives Rasa the recent part of recent conversations from memory."""

    def __init__(
        self,
        *args,
        working_events: int = DEFAULT_WORKING_EVENTS,
        cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":  # one kept connection instead of one per query
            self.engine.dispose()
            self.engine = sa.create_engine(
                self.engine.url, poolclass=sa.pool.StaticPool, connect_args={"check_same_thread": False}
            )
            sa.event.listen(self.engine, "connect", use_write_ahead_log)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.working_events = int(working_events)
        self.cached_conversations = int(cached_conversations)
        self._sessions: "OrderedDict[Text, CachedSession]" = OrderedDict()
        # conversations for which `retrieve` just found no row: Rasa creates their tracker
        # next (under the conversation's lock), and its first save need not count rows again
        self._new_conversations: "OrderedDict[Text, bool]" = OrderedDict()
        events = self.SQLEvent.__table__
        self._version_query = sa.select(sa.func.count(events.c.id), sa.func.max(events.c.id)).where(
            events.c.sender_id == sa.bindparam("sender_id")
        )

    def _stored_version(self, sender_id: Text, session: Optional[sa.orm.Session] = None) -> StoredVersion:
        """One indexed query, built once: it runs twice per message (an ORM query built
        anew each time cost the Rasa server about 10% of its time per message)."""
        if session is not None:
            return StoredVersion(*session.execute(self._version_query, {"sender_id": sender_id}).one())
        with self.engine.connect() as connection:
            return StoredVersion(*connection.execute(self._version_query, {"sender_id": sender_id}).one())

    def _working_window(self, sender_id: Text, events: List[Event]) -> List[Event]:
        """carried + recent: recent starts a user turn, and is at most `working_events` long
        unless it needs to reach further back for `MIN_ML_TURNS` actions the ML policies see."""
        if len(events) <= self.working_events:
            return events
        cut = next(
            (i for i in range(len(events) - self.working_events, len(events)) if isinstance(events[i], UserUttered)),
            None,
        )
        if cut is None:  # one very long turn: keep it whole
            return events
        ml_turns = sum(1 for e in events[cut:] if isinstance(e, ActionExecuted) and not e.hide_rule_turn)
        earlier = 0  # ML actions before the cut, counted once the cut moves past them
        for index in range(cut - 1, -1, -1):
            if ml_turns >= MIN_ML_TURNS:
                break
            event = events[index]
            if isinstance(event, ActionExecuted) and not event.hide_rule_turn:
                earlier += 1
            elif isinstance(event, UserUttered):
                cut, ml_turns, earlier = index, ml_turns + earlier, 0
        if ml_turns < MIN_ML_TURNS:  # the whole session has fewer
            return events
        before = DialogueStateTracker.from_events(sender_id, events[:cut], self.domain.slots)
        return state_events(before) + events[cut:]

    def _keep_recent(self, entries: OrderedDict, sender_id: Text, value: Any) -> None:
        """Stores `value` as the most recent entry; the oldest go past `cached_conversations`."""
        entries[sender_id] = value
        entries.move_to_end(sender_id)
        while len(entries) > self.cached_conversations:
            entries.popitem(last=False)

    def _remember(self, tracker: DialogueStateTracker, version: StoredVersion) -> None:
        events = self._working_window(tracker.sender_id, [redacted(e) for e in latest_session(list(tracker.events))])
        self._keep_recent(self._sessions, tracker.sender_id, CachedSession(version, events))

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        version = self._stored_version(sender_id)
        if version.count == 0:  # a new conversation: Rasa's query would find nothing either
            self._sessions.pop(sender_id, None)
            self._keep_recent(self._new_conversations, sender_id, True)
            return None
        self._new_conversations.pop(sender_id, None)
        cached = self._sessions.get(sender_id)
        if cached is None or cached.version != version:
            tracker = await super().retrieve(sender_id)
            if tracker is None:
                self._sessions.pop(sender_id, None)
                return None
            self._remember(tracker, version)
            cached = self._sessions[sender_id]
        self._sessions.move_to_end(sender_id)
        tracker = DialogueStateTracker.from_events(sender_id, cached.events, self.domain.slots)
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Inserts the new events in one statement (Rasa's store adds an ORM object per event).

        The new events are those after the ones the tracker was handed out with, even when
        its conversation left the cache meanwhile; for a tracker this store did not hand out,
        all events are new when `retrieve` has just found no row of its conversation (Rasa's
        `get_or_create_tracker`), otherwise it is compared with the database as Rasa's store
        does. Rasa holds the conversation's lock meanwhile, so no one else writes to it.
        """
        await self.stream_events(tracker)
        already_stored = getattr(tracker, STORED_EVENTS, None)
        with self.session_scope() as session:
            if already_stored is None and self._new_conversations.pop(tracker.sender_id, False):
                new_events = iter(tracker.events)  # Rasa's create_tracker after retrieve found no row
            elif already_stored is None:
                new_events = self._additional_events(session, tracker)
            else:
                new_events = itertools.islice(tracker.events, already_stored, None)
            rows = [event_row(tracker.sender_id, event) for event in new_events]
            if rows:
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            version = self._stored_version(tracker.sender_id, session)
            session.commit()
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        self._remember(tracker, version)

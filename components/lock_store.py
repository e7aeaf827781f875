"""A Redis lock store in which every change of a conversation's lock is one atomic step.

Rasa processes one message of a conversation at a time by handing out tickets; with
several Rasa servers the tickets must live in Redis. Rasa 3.6's ``RedisLockStore`` reads
the whole lock, changes it in Python and writes it back (RasaHQ/rasa#9213): two servers
issuing tickets at the same moment can both get the same number and process the same
conversation at once, and a ticket issued between another server's "is anyone waiting?"
and its "delete the lock" is deleted with the lock.

Here a conversation's live tickets are a Redis sorted set (member: ticket number,
score: expiry time) and numbers come from ``INCR`` on a counter, so that issuing is one
``INCR`` plus one ``ZADD``, finishing one ``ZREM``, expiring one ``ZREMRANGEBYSCORE``, and
removing an empty lock a Lua script that deletes nothing while a ticket is live. The
ticket served is always the lowest live number, exactly as Rasa's ``TicketLock`` does.

endpoints.yml (several Rasa servers; one server keeps Rasa's in-memory default)::

    lock_store:
      type: components.lock_store.AtomicRedisLockStore
      url: ${REDIS_HOST}
      port: 6379
      db: 1
"""
import time
from collections import deque
from typing import Any, Optional, Text

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

# Deletes the tickets key only when no live ticket is left in it, in one step.
_DELETE_IF_EMPTY = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class AtomicRedisLockStore(RedisLockStore):
    """Ticket locks in Redis without read-modify-write (see the module docstring)."""

    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:  # as Rasa creates a lock store named by its class
            kwargs = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **kwargs}
        super().__init__(**kwargs)
        self._delete_if_empty = self.red.register_script(_DELETE_IF_EMPTY)

    def _tickets(self, conversation_id: Text) -> Text:
        return f"{self.key_prefix}{conversation_id}:tickets"

    def _counter(self, conversation_id: Text) -> Text:
        return f"{self.key_prefix}{conversation_id}:counter"

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """A number no other server gets for this conversation, queued behind the live ones."""
        keep_seconds = int(lock_lifetime) + 60
        try:
            number = self.red.incr(self._counter(conversation_id))
            now = time.time()
            with self.red.pipeline(transaction=True) as pipe:
                pipe.zadd(self._tickets(conversation_id), {str(number): now + lock_lifetime})
                pipe.expire(self._tickets(conversation_id), keep_seconds)
                pipe.expire(self._counter(conversation_id), keep_seconds)
                pipe.execute()
            return number
        except Exception as error:  # noqa: BLE001 - Rasa expects a LockError
            raise LockError(f"Error while issuing a ticket for '{conversation_id}': {error}")

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The live tickets, lowest number (the one served) first; None when there are none."""
        live = self.red.zrangebyscore(self._tickets(conversation_id), time.time(), "+inf", withscores=True)
        if not live:
            return None
        tickets = sorted((Ticket(int(number), expires) for number, expires in live), key=lambda t: t.number)
        return TicketLock(conversation_id, deque(tickets))

    def update_lock(self, conversation_id: Text) -> None:
        self.red.zremrangebyscore(self._tickets(conversation_id), "-inf", time.time())

    def finish_serving(self, conversation_id: Text, ticket_number: int) -> None:
        self.red.zrem(self._tickets(conversation_id), str(ticket_number))

    def is_someone_waiting(self, conversation_id: Text) -> bool:
        return self.red.zcount(self._tickets(conversation_id), time.time(), "+inf") > 0

    def delete_lock(self, conversation_id: Text) -> None:
        """Removes the lock only if it is empty at that very moment (the counter expires by
        itself, so numbers keep rising while tickets may still be around)."""
        deleted = self._delete_if_empty(keys=[self._tickets(conversation_id)], args=[time.time()])
        self._log_deletion(conversation_id, bool(deleted))

    def save_lock(self, lock: TicketLock) -> None:
        """Never a whole lock at once: that is the race this store exists to avoid."""
        raise NotImplementedError("AtomicRedisLockStore changes locks one atomic step at a time")

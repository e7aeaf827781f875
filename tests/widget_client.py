"""The widget's socket.io protocol (channels/secure_socketio.py), spoken by a test client;
needs python-socketio (requirements/browser-tests.txt, in the backend's environment)."""
import queue
import time

import socketio

SETTLE_SECONDS = 2.0


class Widget:
    """A socket.io client speaking the widget's protocol (channels/secure_socketio.py)."""

    def __init__(self, rasa_url: str) -> None:
        self.client = socketio.Client(reconnection=False)
        self.events: "queue.Queue[tuple]" = queue.Queue()
        for name in ("session_confirm", "session_history", "bot_uttered"):
            self.client.on(name, lambda data, name=name: self.events.put((name, data)))
        self.client.connect(rasa_url, transports=["websocket"])

    def session(self, **request) -> dict:
        self.client.emit("session_request", request)
        return self.next("session_confirm")

    def next(self, name: str, timeout: float = 10) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event, data = self.events.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if event == name:
                return data
        raise AssertionError(f"no {name} event")

    def say(self, text: str, token: str = None, **extra) -> str:
        """Sends a message and returns every bot text that arrives until the bot goes quiet."""
        self.client.emit("user_uttered", {"message": text, "metadata": {"session_token": token} if token else {}, **extra})
        return " ".join(str(m.get("text") or m.get("custom")) for m in self.replies())

    def replies(self, first_timeout: float = 30) -> list:
        replies, timeout = [], first_timeout
        while True:
            try:
                event, data = self.events.get(timeout=timeout)
            except queue.Empty:
                return replies
            if event == "bot_uttered":
                replies.append(data)
                timeout = SETTLE_SECONDS

    def close(self) -> None:
        self.client.disconnect()

"""A small HTTP client for the account backend (see docs/backend-api.md).

Short timeouts, because Rasa sends the user nothing when an action hangs or fails:
every caller catches BackendUnavailable and answers the user itself.
"""
import os
from typing import Any, Dict, List, Optional

import requests

CONNECT_TIMEOUT = float(os.environ.get("BACKEND_CONNECT_TIMEOUT", "1.5"))
READ_TIMEOUT = float(os.environ.get("BACKEND_READ_TIMEOUT", "3"))

# One connection pool for the whole action server: actions run one at a time on its
# event loop, and a new session per action would open a new connection per call.
_SESSION = requests.Session()


class BackendUnavailable(Exception):
    """The backend could not be reached or failed (network error, timeout, 5xx)."""


class BackendError(Exception):
    """The backend refused the request with a JSON error such as `not_appealable`."""

    def __init__(self, status: int, body: Dict[str, Any]):
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status = status
        self.code = body.get("code", "")
        self.body = body


class BackendClient:
    """Calls the backend on behalf of one customer session (or as the service)."""

    def __init__(self, base_url: Optional[str] = None, service_token: Optional[str] = None):
        self.base_url = (base_url or os.environ.get("BACKEND_URL", "http://127.0.0.1:8000")).rstrip("/")
        self.service_token = service_token or os.environ.get("SERVICE_TOKEN", "")

    def _request(
        self,
        method: str,
        path: str,
        token: Optional[str] = None,
        service: bool = False,
        headers: Optional[Dict[str, str]] = None,
        **kwargs: Any,
    ) -> Any:
        all_headers = dict(headers or {})
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if service:
            all_headers["X-Service-Token"] = self.service_token
        try:
            response = _SESSION.request(
                method, f"{self.base_url}/api/v1{path}", headers=all_headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), **kwargs,
            )
        except requests.RequestException as error:
            raise BackendUnavailable(str(error)) from error
        if response.status_code >= 500:
            raise BackendUnavailable(f"{response.status_code} from {path}")
        try:
            body = response.json()
        except ValueError as error:
            raise BackendUnavailable(f"non-JSON answer from {path}") from error
        if response.status_code >= 400:
            raise BackendError(response.status_code, body)
        return body

    # identity
    def customer_for_token(self, token: str) -> Optional[Dict[str, Any]]:
        """The customer a session token names, or None when it is unknown or expired."""
        try:
            return self._request("GET", "/identity/me", token=token)
        except BackendError as error:
            if error.status == 401:
                return None
            raise

    def send_code(self, phone: str, conversation_id: str, language: str) -> Dict[str, Any]:
        """A code valid only in this conversation (the backend limits sends per phone and
        per conversation: BackendError `otp_send_limited` with `retry_at`)."""
        return self._request(
            "POST", "/identity/otp/send", service=True,
            json={"phone": phone, "conversation_id": conversation_id}, params={"lang": language},
        )

    def verify_code(self, phone: str, code: str, conversation_id: str, language: str) -> Dict[str, Any]:
        return self._request(
            "POST", "/identity/otp/verify", service=True,
            json={"phone": phone, "code": code, "conversation_id": conversation_id},
            params={"lang": language},
        )

    # customer view
    def accounts(self, token: str, language: str) -> List[Dict[str, Any]]:
        return self._request("GET", "/me/accounts", token=token, params={"lang": language})

    def diagnosis(
        self, token: str, language: str, product: Optional[str] = None, topic: Optional[str] = None,
        conversation_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """With `conversation_id`, an outage explained here is remembered for this chat, which
        the backend tells when the outage ends."""
        params = {"lang": language}
        if product:
            params["product"] = product
        if topic:
            params["topic"] = topic
        return self._request("GET", "/me/diagnosis", token=token, params=params,
                             **self._from_chat(conversation_id))

    def _from_chat(self, conversation_id: Optional[str], headers: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        """Names the chat to the backend; it believes the name only with the service token."""
        if not conversation_id:
            return {"headers": headers} if headers else {}
        return {"service": True, "headers": {**(headers or {}), "X-Conversation-Id": conversation_id}}

    def deliver_appeal_outcomes(self, token: str, language: str, conversation_id: str) -> List[Dict[str, Any]]:
        """Decided appeals this customer has not been told of in a conversation yet (each once)."""
        return self._request("POST", "/me/appeal-outcomes/deliver", token=token, params={"lang": language},
                             **self._from_chat(conversation_id))

    def reason(self, code: str, language: str) -> Dict[str, Any]:
        """One entry of the public reason catalog (BackendError 404 when there is none)."""
        return self._request("GET", f"/reasons/{code}", params={"lang": language})

    # appeals
    def create_appeal(
        self, token: str, language: str, product: str, statement: str, idempotency_key: str,
        conversation_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """With `conversation_id`, the reviewer's decision is pushed to this chat."""
        return self._request(
            "POST", "/me/appeals", token=token, params={"lang": language},
            json={"product": product, "statement": statement},
            **self._from_chat(conversation_id, {"Idempotency-Key": idempotency_key}),
        )

    def check_statement(self, token: Optional[str], language: str, statement: str) -> Dict[str, Any]:
        """Whether the backend would accept this appeal statement (BackendError
        `statement_too_short` or `statement_too_long` with its message in `language`)."""
        return self._request(
            "POST", "/me/appeal-statements/check", token=token, params={"lang": language}, json={"statement": statement}
        )

    def appeals(self, token: str, language: str) -> List[Dict[str, Any]]:
        return self._request("GET", "/me/appeals", token=token, params={"lang": language})

    # handoff
    def create_handoff(self, token: Optional[str], ticket: Dict[str, Any]) -> Dict[str, Any]:
        return self._request("POST", "/handoffs", token=token, service=True, json=ticket)

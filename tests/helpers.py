"""Test helpers shared by the action and end-to-end tests (standard library only)."""
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def http_json(method: str, url: str, body: Optional[Dict[str, Any]] = None,
              headers: Optional[Dict[str, str]] = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Content-Type": "application/json", **(headers or {})})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def app_token(backend_url: str, phone: str) -> str:
    """A demo app session for a seeded customer (stands for the app's login)."""
    return http_json("POST", f"{backend_url}/api/v1/demo/app-session", {"phone": phone})["token"]


def latest_code(backend_url: str, phone: str) -> str:
    """The one-time code the demo backend 'sent' to a phone."""
    return http_json("GET", f"{backend_url}/api/v1/demo/otp?phone={phone}")["code"]


def reason(backend_url: str, code: str, lang: str) -> Dict[str, Any]:
    """A reason of the backend catalog, to compare the bot's words with."""
    return http_json("GET", f"{backend_url}/api/v1/reasons/{code}?lang={lang}")

"""Raw HTTP for the hostile suite: any bytes, any headers, chunked bodies; never raises on
an error status (an attacker reads every answer)."""
import http.client
import json
import time
from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, Union
from urllib.parse import urlsplit


@dataclass
class Answer:
    status: int
    headers: Dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def send(method: str, url: str, body: Union[bytes, str, dict, list, None] = None,
         headers: Optional[Dict[str, str]] = None, chunks: Optional[Iterable[bytes]] = None,
         timeout: float = 60) -> Answer:
    """One request; `chunks` sends a chunked body without Content-Length."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    all_headers = dict(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        all_headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode()
    started = time.monotonic()
    try:
        if chunks is not None:
            connection.putrequest(method, path)
            for name, value in {**all_headers, "Transfer-Encoding": "chunked"}.items():
                connection.putheader(name, value)
            connection.endheaders()
            try:
                for chunk in chunks:
                    connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                connection.send(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server refused before the end: read its answer
        else:
            connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()},
                      response.read(), time.monotonic() - started)
    finally:
        connection.close()

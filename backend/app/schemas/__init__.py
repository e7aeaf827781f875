"""Request and response bodies of the HTTP API (see docs/backend-api.md)."""

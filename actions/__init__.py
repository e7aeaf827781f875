"""Custom actions of the support assistant, one module per flow.

The action server talks to the account backend only over HTTP (backend_client) and
knows the user only through a session token verified by the backend (identity).
"""

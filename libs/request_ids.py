"""The current request's ids, as context variables.

Set by the request middleware (libs/api/request_context.py) and read by whatever runs inside
the request: log lines, and the audit rows libs/audit writes. Here, below both, so that the
audit library reads the request id without depending on the web layer.
"""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
client_request_id_var: ContextVar[str | None] = ContextVar("client_request_id", default=None)


def current_request_id() -> str | None:
    """Ours: what audit rows and log lines carry."""
    return request_id_var.get()


def current_client_request_id() -> str | None:
    """The id the client gave its request, if any: for correlating with the client's logs."""
    return client_request_id_var.get()

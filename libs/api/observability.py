"""Access logs and Prometheus metrics, one place for every process.

Each request leaves one JSON log line (method, route template, status, duration, request id)
and one observation in `halopos_http_request_duration_seconds`. Both name the route
*template* (`/v1/orders/{order_id}`), never the concrete path: ids and query strings stay out
of logs and metric labels. Metrics are served on a loopback port of their own
(HALOPOS_METRICS_PORT), never on the public app, so clients cannot read them.
"""

from __future__ import annotations

import logging
import os
import time

from prometheus_client import Histogram, start_http_server
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("halopos.access")

REQUEST_DURATION = Histogram(
    "halopos_http_request_duration_seconds",
    "HTTP requests by service, method, route template and status",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)
UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    """The gateway names the RBAC route it matched; a service, its own matched route."""
    state = scope.get("state") or {}
    if "route_template" in state:
        return str(state["route_template"])
    route = scope.get("route")
    return str(getattr(route, "path", UNMATCHED))


class AccessLogMiddleware:
    """Sits inside the request-id middleware, so its line carries the request id."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            REQUEST_DURATION.labels(self.service, scope["method"], route, str(status)).observe(
                seconds
            )
            logger.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "fields": {
                        "method": scope["method"],
                        "route": route,
                        "status": status,
                        "duration_ms": round(seconds * 1000, 2),
                    }
                },
            )


def start_metrics_server() -> int | None:
    """Prometheus text format on 127.0.0.1:$HALOPOS_METRICS_PORT, in a daemon thread of this
    process; nothing when the variable is unset. Returns the port."""
    port = os.environ.get("HALOPOS_METRICS_PORT")
    if not port:
        return None
    start_http_server(int(port), addr="127.0.0.1")
    return int(port)

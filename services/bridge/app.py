"""The bridge service: Bridge tokens for the backoffice (`tokens/`), and the print queue the
venue's Bridges poll and acknowledge (`print_jobs/`). The orders service queues the jobs
(libs/bridge/queue.py); the reference Bridge agent is `agent/` (docs/bridge.md)."""

from __future__ import annotations

from fastapi import FastAPI
from libs.auth.access_tokens import TokenVerifier
from libs.bridge.token_verifier import BridgeTokenVerifier

from libs.api.app import create_service_app
from libs.bridge.settings import PrintSettings
from libs.tenancy.database import TenantDatabase
from services.bridge.bridge_tokens.router import router as tokens_router
from services.bridge.print_jobs.router import admin_router as print_jobs_admin_router
from services.bridge.print_jobs.router import router as print_jobs_router
from services.bridge.print_jobs.wakeups import PrintJobWakeups, listener_dsn

NAME = "bridge"


async def listen_for_print_jobs(app: FastAPI) -> None:
    """Wake waiting polls when a job is queued at their location (print_jobs/wakeups.py)."""
    database: TenantDatabase = app.state.database
    wakeups: PrintJobWakeups = app.state.print_wakeups
    await wakeups.run(listener_dsn(database.engine.url))


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    settings: PrintSettings | None = None,
) -> FastAPI:
    settings = settings or PrintSettings()
    app = create_service_app(
        NAME,
        [tokens_router, print_jobs_router, print_jobs_admin_router],
        database=database,
        verifier=verifier,
        background=[listen_for_print_jobs],
        bridges=lambda database: BridgeTokenVerifier(database, record_use=True),
    )
    app.state.print_settings = settings
    app.state.print_wakeups = PrintJobWakeups()
    return app

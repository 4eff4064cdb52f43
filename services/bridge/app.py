"""The bridge service: Bridge tokens for the backoffice (`tokens/`), and the print queue the
venue's Bridges poll and acknowledge (`print_jobs/`). The orders service queues the jobs
(libs/bridge/queue.py); the reference Bridge agent is `agent/` (docs/bridge.md)."""

from __future__ import annotations

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.tokens import TokenVerifier
from libs.bridge.settings import PrintSettings
from libs.bridge.tokens import BridgeTokenVerifier
from libs.tenancy.database import TenantDatabase
from services.bridge.tokens.router import router as tokens_router

NAME = "bridge"


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    settings: PrintSettings | None = None,
) -> FastAPI:
    settings = settings or PrintSettings()
    app = create_service_app(
        NAME,
        [tokens_router],
        database=database,
        verifier=verifier,
        bridges=lambda database: BridgeTokenVerifier(database, record_use=True),
    )
    app.state.print_settings = settings
    return app

"""The audit service: reads (and, with the audit issue, verifies and exports) the audit log."""

from __future__ import annotations

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.audit.events.router import router as events_router

NAME = "audit"


def create_app(
    database: TenantDatabase | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    return create_service_app(NAME, [events_router], database=database, verifier=verifier)

"""The orders service: `uvicorn --factory services.orders.app:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase
from services.orders.limits.router import router as limits_router
from services.orders.orders.router import router as orders_router

NAME = "orders"


def create_app(
    database: TenantDatabase | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    return create_service_app(
        NAME, [orders_router, limits_router], database=database, verifier=verifier
    )

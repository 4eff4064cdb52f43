"""The billing service process. Its domain arrives with its own issue; until then it serves health
only, and the gateway routes none of its paths (see libs/rbac/matrix.py ROUTES)."""

from __future__ import annotations

from fastapi import FastAPI

from libs.api.app import create_service_app
from libs.auth.tokens import TokenVerifier
from libs.tenancy.database import TenantDatabase

NAME = "billing"


def create_app(
    database: TenantDatabase | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    return create_service_app(NAME, [], database=database, verifier=verifier)

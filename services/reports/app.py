"""The reports service process: daily summary, item mix, payment reconciliation, X/Z per
shift, period closures, BAS (AU) and VAT summary (EU), as JSON, CSV and export bundles
(docs/reports.md). It reads the orders schema under row-level security and writes only its
period closures and their audit entries."""

from __future__ import annotations

from fastapi import FastAPI
from libs.auth.access_tokens import TokenVerifier

from libs.api.app import create_service_app
from libs.tenancy.database import TenantDatabase
from services.reports.router import router

NAME = "reports"


def create_app(
    database: TenantDatabase | None = None, verifier: TokenVerifier | None = None
) -> FastAPI:
    return create_service_app(NAME, [router], database=database, verifier=verifier)

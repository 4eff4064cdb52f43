"""The orders service: `uvicorn --factory services.orders.app:create_app`."""

from __future__ import annotations

from doubles.terminal import SimulatedTerminal
from fastapi import FastAPI
from libs.auth.access_tokens import TokenVerifier

from libs.api.app import create_service_app
from libs.bridge.settings import PrintSettings
from libs.tenancy.database import TenantDatabase
from services.orders.limits.router import router as limits_router
from services.orders.menu.router import router as menu_router
from services.orders.ordering.router import router as orders_router
from services.orders.payments.router import router as payments_router
from services.orders.payments.terminal import PaymentTerminal
from services.orders.printing.router import router as printing_router
from services.orders.receipts.router import router as receipts_router
from services.orders.refunds.router import router as refunds_router
from services.orders.shifts.router import router as shifts_router
from services.orders.sync.router import router as sync_router
from services.orders.sync.settings import SyncSettings
from services.orders.tax.router import router as tax_router

NAME = "orders"


def create_app(
    database: TenantDatabase | None = None,
    verifier: TokenVerifier | None = None,
    terminal: PaymentTerminal | None = None,
    print_settings: PrintSettings | None = None,
    sync_settings: SyncSettings | None = None,
) -> FastAPI:
    routers = [orders_router, payments_router, refunds_router, receipts_router, limits_router]
    routers += [shifts_router, printing_router, sync_router]
    routers += [menu_router, tax_router]
    app = create_service_app(NAME, routers, database=database, verifier=verifier)
    # Card payments go through the venue's EFTPOS terminal. No production adapter ships yet:
    # the simulated terminal (approves, declines ...51, times out ...52) serves development.
    app.state.terminal = terminal or SimulatedTerminal()
    # Read once per process (HALOPOS_PRINT_*): how long a queued job is worth printing.
    app.state.print_settings = print_settings or PrintSettings()
    # HALOPOS_SYNC_*: how old an offline card payment may be before it is flagged.
    app.state.sync_settings = sync_settings or SyncSettings()
    return app

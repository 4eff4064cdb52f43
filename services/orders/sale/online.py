"""The sale online: what a request's handler gets to run a command (the unit of work on the
request's transaction, and the till it runs at, under the online policy), and how the
answer is written. The routers (orders/, payments/, refunds/, printing/, shifts/) stay thin:
validate, run one command, flush, answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, etag
from libs.api.overrides import ManagerOverride
from libs.api.tenant_connection import TenantConnection
from libs.auth.overrides import OverrideGate
from libs.auth.principal import Principal
from libs.bridge.settings import PrintSettings
from libs.problems import merge_responses, problems
from services.orders.menu.snapshot import MenuChanging, snapshots
from services.orders.sale import rules
from services.orders.sale.commands import Till
from services.orders.sale.model import Sale, order_json
from services.orders.sale.policy import OnlinePolicy
from services.orders.sale.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class OnlineSale:
    """A request's unit of work and till."""

    uow: UnitOfWork
    till: Till


def online_sale(
    request: Request,
    connection: AsyncConnection,
    principal: Principal,
    override: OverrideGate | None = None,
) -> OnlineSale:
    print_settings: PrintSettings = request.app.state.print_settings
    uow = UnitOfWork(
        connection, principal=principal, snapshots=snapshots, print_settings=print_settings
    )
    return OnlineSale(uow, Till(principal, OnlinePolicy(override)))


async def _sale(
    request: Request, connection: TenantConnection, principal: CurrentPrincipal
) -> OnlineSale:
    return online_sale(request, connection, principal)


async def _sale_with_override(
    request: Request,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    override: ManagerOverride,
) -> OnlineSale:
    return online_sale(request, connection, principal, override)


# A command at the caller's till, in the request's transaction.
SaleAtTill = Annotated[OnlineSale, Depends(_sale)]
# The same, for commands a manager may have to approve (X-Override-Token).
ApprovedSale = Annotated[OnlineSale, Depends(_sale_with_override)]


def order_answer(sale: Sale) -> tuple[dict[str, Any], dict[str, str]]:
    """The order as the API answers it, and its ETag."""
    return order_json(sale), {"ETag": etag(sale.version)}


# What a command on an order declares (`responses=`): its version, and what the sale's rules
# refuse (services/orders/sale/rules.py), priced from the menu in force.
ORDER_CHANGE = merge_responses(
    VERSIONED,
    problems(
        rules.OrderNotFound,
        rules.LineNotFound,
        rules.OrderNotOpen,
        rules.PaymentInProgress,
        rules.LineVoided,
        rules.ItemNotSellable,
        rules.ModifiersInvalid,
        rules.NoTaxRate,
        rules.PricingRefused,
        rules.ReasonRequired,
        rules.DiscountChangeFirst,
        MenuChanging,
    ),
)

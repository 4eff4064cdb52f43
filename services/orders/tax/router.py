from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from libs.api.authentication import CurrentPrincipal
from libs.api.concurrency import VERSIONED, VERSIONED_READ, IfMatch, etag, expected_version
from libs.api.permissions import requires
from libs.api.tenant_connection import TenantConnection
from libs.audit.append import AuditLog
from libs.problems import merge_responses, problems
from libs.rbac import Permission
from services.orders.idempotency import Idempotent
from services.orders.tax import service
from services.orders.tax.repository import TaxRepository
from services.orders.tax.schemas import (
    TaxCategory,
    TaxCategoryCreate,
    TaxCategoryList,
    TaxCategoryUpdate,
    TaxRateSchedule,
    TaxSettings,
    TaxSettingsUpdate,
)

router = APIRouter(prefix="/v1/tax", tags=["tax"])


def _audit(connection: TenantConnection) -> AuditLog:
    return AuditLog.from_connection(connection, service="orders")


@router.get(
    "/settings",
    dependencies=[requires(Permission.TAX_READ)],
    responses=merge_responses(problems(service.TaxSettingsNotFound), VERSIONED_READ),
)
async def get_tax_settings(connection: TenantConnection, response: Response) -> TaxSettings:
    """The business's currency, whether its menu prices include tax, its cash rounding step,
    its tax basis and tax number. The ETag is the version to send back when changing them."""
    settings = await service.get_settings(tax=TaxRepository.from_connection(connection))
    response.headers["ETag"] = etag(settings.version)
    return settings


@router.patch(
    "/settings",
    dependencies=[requires(Permission.TAX_WRITE)],
    responses=merge_responses(
        VERSIONED, problems(service.TaxSettingsNotFound, service.InvalidTaxId)
    ),
)
async def update_tax_settings(
    body: TaxSettingsUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> TaxSettings:
    """Switch between tax-inclusive and tax-exclusive prices, change the cash rounding step
    (1, 5 or 10 minor units), the tax basis (accrual or cash: which tax period a sale's GST
    or VAT is reported in) or the tax number the tax reports print. The currency is fixed at
    provisioning. Open orders keep the pricing basis they were opened with."""
    version = expected_version(body.version, if_match)
    settings = await service.update_settings(
        tax=TaxRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        request=body,
        expected_version=version,
    )
    response.headers["ETag"] = etag(settings.version)
    return settings


@router.get("/categories", dependencies=[requires(Permission.TAX_READ)])
async def list_tax_categories(connection: TenantConnection) -> TaxCategoryList:
    """Every tax category (archived ones too, flagged), by code, each with the rate in force
    now and its full rate history, scheduled changes included. Not paginated: a business has
    a handful."""
    return await service.list_categories(tax=TaxRepository.from_connection(connection))


@router.post(
    "/categories",
    response_model=TaxCategory,
    status_code=201,
    dependencies=[requires(Permission.TAX_WRITE)],
    responses=problems(service.TaxCategoryCodeTaken),
)
async def create_tax_category(
    body: TaxCategoryCreate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """A new tax category; its first rate is in force immediately."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.create_category(
        tax=TaxRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=201)


@router.patch(
    "/categories/{category_id}",
    dependencies=[requires(Permission.TAX_WRITE)],
    responses=problems(service.TaxCategoryNotFound, service.TaxCategoryInUse),
)
async def update_tax_category(
    category_id: UUID,
    body: TaxCategoryUpdate,
    connection: TenantConnection,
    principal: CurrentPrincipal,
) -> TaxCategory:
    """Rename, archive (`{"archived": true}`) or restore a tax category. No version: only its
    name and archive flag change, and rates are never edited (schedule a new one)."""
    return await service.update_category(
        tax=TaxRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        category_id=category_id,
        request=body,
    )


@router.post(
    "/categories/{category_id}/rates",
    response_model=TaxCategory,
    status_code=201,
    dependencies=[requires(Permission.TAX_WRITE)],
    responses=problems(
        service.TaxCategoryNotFound,
        service.TaxRateDuplicate,
        service.TaxCategoryArchived,
        service.TaxRateRetroactive,
    ),
)
async def schedule_tax_rate(
    category_id: UUID,
    body: TaxRateSchedule,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    idempotency: Idempotent,
    response: Response,
) -> JSONResponse:
    """Schedule a rate change: from `effective_from` (strictly in the future, by the
    database's clock) sales in this category are taxed at the new rate. Sales before it
    keep the old rate; rates are never edited or deleted. Returns the category with its
    updated history."""
    if (replay := await idempotency.replay()) is not None:
        return replay
    answer = await service.schedule_rate(
        tax=TaxRepository.from_connection(connection),
        audit=_audit(connection),
        principal=principal,
        category_id=category_id,
        request=body,
    )
    return await idempotency.respond_as(answer, response, status_code=201)

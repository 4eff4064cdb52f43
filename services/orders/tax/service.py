"""Tax configuration rules. No SQL here and no commit: the request's tenant transaction
commits once.

A rate is never edited: a change is a new rate effective from a future moment, so every sale
is taxed at the rate in force when it was made (`TaxRepository.rates_in_force`), and a rate
change at midnight applies to sales after it, never retroactively.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any
from uuid import UUID

from libs.api.concurrency import VersionConflict, check_version
from libs.audit.append import Actor, AuditLog
from libs.auth.principal import Principal
from libs.problems import Conflict, NotFound, Problem
from libs.sales import tax_ids
from services.orders.tax.repository import CategoryRow, RateRow, TaxRepository
from services.orders.tax.schemas import (
    TaxCategory,
    TaxCategoryCreate,
    TaxCategoryList,
    TaxCategoryUpdate,
    TaxRate,
    TaxRateSchedule,
    TaxSettings,
    TaxSettingsUpdate,
)


class TaxSettingsNotFound(NotFound):
    code = "tax-settings-not-found"
    title = "This business has no tax settings (it was not provisioned)"


class InvalidTaxId(Problem):
    status = 422
    code = "invalid-tax-id"
    title = "This is not a tax number of the business's country"


class TaxCategoryNotFound(NotFound):
    code = "tax-category-not-found"
    title = "No such tax category"


class TaxCategoryCodeTaken(Conflict):
    code = "tax-category-code-taken"
    title = "The business has a tax category with this code already"


class TaxCategoryArchived(Conflict):
    code = "tax-category-archived"
    title = "The tax category is archived; restore it first"


class TaxCategoryInUse(Conflict):
    code = "tax-category-in-use"
    title = "Menu items are taxed in this category; move or archive them first"


class TaxRateRetroactive(Problem):
    status = 422
    code = "tax-rate-retroactive"
    title = "A rate change applies to sales after it, never retroactively"


class TaxRateDuplicate(Conflict):
    code = "tax-rate-duplicate"
    title = "The tax category has a rate from this exact moment already"


def _device(principal: Principal) -> str | None:
    return str(principal.device_id) if principal.device_id else None


def _category(row: CategoryRow, rates: list[RateRow], *, now: datetime) -> TaxCategory:
    in_force = [rate for rate in rates if rate.effective_from <= now]
    return TaxCategory(
        id=row.id,
        code=row.code,
        name=row.name,
        archived=row.archived_at is not None,
        archived_at=row.archived_at,
        created_at=row.created_at,
        # Rates come oldest first: the last one already in force is the current one.
        current_rate_percent=in_force[-1].rate_percent if in_force else None,
        rates=[
            TaxRate(
                rate_percent=rate.rate_percent,
                effective_from=rate.effective_from,
                created_by=rate.created_by,
                created_at=rate.created_at,
                scheduled=rate.effective_from > now,
            )
            for rate in rates
        ],
    )


async def _with_rates(tax: TaxRepository, rows: list[CategoryRow]) -> list[TaxCategory]:
    now = await tax.database_now()
    by_category: dict[UUID, list[RateRow]] = defaultdict(list)
    for rate in await tax.rates([row.id for row in rows]):
        by_category[rate.tax_category_id].append(rate)
    return [_category(row, by_category[row.id], now=now) for row in rows]


# -- settings ----------------------------------------------------------------------------------


async def get_settings(*, tax: TaxRepository) -> TaxSettings:
    current = await tax.settings()
    if current is None:
        raise TaxSettingsNotFound()
    return current


async def update_settings(
    *,
    tax: TaxRepository,
    audit: AuditLog,
    principal: Principal,
    request: TaxSettingsUpdate,
    expected_version: int,
) -> TaxSettings:
    before = await get_settings(tax=tax)
    check_version(before.version, expected_version)
    changes = request.model_dump(exclude_unset=True, exclude={"version"})
    if changes.get("tax_id") is not None:
        try:
            changes["tax_id"] = tax_ids.tax_id(changes["tax_id"], await tax.region())
        except tax_ids.InvalidTaxId as error:
            raise InvalidTaxId(str(error)) from None
    after = await tax.update_settings(
        changes, expected_version=expected_version, updated_by=principal.subject
    )
    if after is None:
        # Changed by someone else between our read and our write.
        current = await get_settings(tax=tax)
        raise VersionConflict(current.version)
    await audit.append(
        actor=Actor.of(principal),
        action="tax_settings.changed",
        resource_type="tax_settings",
        resource_id=str(principal.tenant_id),
        payload={
            "before": {name: getattr(before, name) for name in changes},
            "after": {name: getattr(after, name) for name in changes},
            "version": after.version,
            "device_id": _device(principal),
        },
    )
    return after


# -- categories --------------------------------------------------------------------------------


async def list_categories(*, tax: TaxRepository) -> TaxCategoryList:
    return TaxCategoryList(items=await _with_rates(tax, await tax.categories()))


async def create_category(
    *, tax: TaxRepository, audit: AuditLog, principal: Principal, request: TaxCategoryCreate
) -> TaxCategory:
    row = await tax.insert_category(code=request.code, name=request.name)
    if row is None:
        raise TaxCategoryCodeTaken(tax_category_code=request.code)
    await tax.insert_rate(
        category_id=row.id,
        rate_percent=request.rate_percent,
        effective_from=None,
        created_by=principal.subject,
    )
    (category,) = await _with_rates(tax, [row])
    await audit.append(
        actor=Actor.of(principal),
        action="tax_category.created",
        resource_type="tax_category",
        resource_id=str(row.id),
        payload={
            "code": row.code,
            "name": row.name,
            "rate_percent": str(request.rate_percent),
            "effective_from": category.rates[0].effective_from.isoformat(),
            "device_id": _device(principal),
        },
    )
    return category


async def update_category(
    *,
    tax: TaxRepository,
    audit: AuditLog,
    principal: Principal,
    category_id: UUID,
    request: TaxCategoryUpdate,
) -> TaxCategory:
    before = await tax.category(category_id, for_update=True)
    if before is None:
        raise TaxCategoryNotFound()
    after = await tax.update_category(category_id, name=request.name, archived=request.archived)
    assert after is not None, "the category is locked by this transaction"
    was_archived, is_archived = before.archived_at is not None, after.archived_at is not None
    if is_archived and not was_archived:
        # Items still sold in it would become unsellable without anyone noticing. Item
        # creation holds the category FOR SHARE, so none can slip in while this is decided.
        in_use = await tax.active_items_using(category_id)
        if in_use:
            raise TaxCategoryInUse(f"{in_use} menu item(s) use it.", active_items=in_use)
    (category,) = await _with_rates(tax, [after])
    if before.name == after.name and was_archived == is_archived:
        return category  # Nothing changed (archived again, same name): nothing to audit.
    action = "tax_category.changed"
    if was_archived != is_archived:
        action = "tax_category.archived" if is_archived else "tax_category.restored"
    changed: dict[str, Any] = {}
    if before.name != after.name:
        changed["name"] = (before.name, after.name)
    if was_archived != is_archived:
        changed["archived"] = (was_archived, is_archived)
    await audit.append(
        actor=Actor.of(principal),
        action=action,
        resource_type="tax_category",
        resource_id=str(category_id),
        payload={
            "code": after.code,
            "before": {name: values[0] for name, values in changed.items()},
            "after": {name: values[1] for name, values in changed.items()},
            "device_id": _device(principal),
        },
    )
    return category


async def schedule_rate(
    *,
    tax: TaxRepository,
    audit: AuditLog,
    principal: Principal,
    category_id: UUID,
    request: TaxRateSchedule,
) -> TaxCategory:
    category = await tax.category(category_id)
    if category is None:
        raise TaxCategoryNotFound()
    if category.archived_at is not None:
        raise TaxCategoryArchived()
    # The database's clock, not this process's: the same clock the sale's rate lookup uses.
    now = await tax.database_now()
    if request.effective_from <= now:
        raise TaxRateRetroactive(
            f"effective_from must be after {now.isoformat()}.", database_now=now.isoformat()
        )
    previous = (await tax.rates_in_force([category_id], request.effective_from)).get(category_id)
    rate = await tax.insert_rate(
        category_id=category_id,
        rate_percent=request.rate_percent,
        effective_from=request.effective_from,
        created_by=principal.subject,
    )
    if rate is None:
        raise TaxRateDuplicate(effective_from=request.effective_from.isoformat())
    await audit.append(
        actor=Actor.of(principal),
        action="tax_rate.scheduled",
        resource_type="tax_category",
        resource_id=str(category_id),
        payload={
            "tax_category_id": str(category_id),
            "code": category.code,
            "rate_percent": str(rate.rate_percent),
            "effective_from": rate.effective_from.isoformat(),
            "replaces_rate_percent": str(previous) if previous is not None else None,
            "device_id": _device(principal),
        },
    )
    (updated,) = await _with_rates(tax, [category])
    return updated

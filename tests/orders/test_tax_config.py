"""Tax configuration against the real Postgres: regional defaults, rates by effective date
(never retroactive), the pricing basis, and who may read and write them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from services.orders.tax.repository import TaxRepository
from tests.support.database import Connect, Provision, as_service
from tests.support.tokens import TokenFactory


async def categories(client: httpx.AsyncClient, auth: httpx.Auth) -> dict[str, dict[str, Any]]:
    response = await client.get("/v1/tax/categories", auth=auth)
    assert response.status_code == 200, response.text
    return {category["code"]: category for category in response.json()["items"]}


async def audit_rows(connect_as: Connect, tenant: uuid.UUID, action: str) -> list[dict[str, Any]]:
    rows = await as_service(
        connect_as,
        "orders",
        tenant,
        "SELECT actor_id, resource_id, payload FROM audit.events WHERE action = $1 ORDER BY seq",
        action,
    )
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


async def rate_count(connect_as: Connect, tenant: uuid.UUID) -> int:
    rows = await as_service(connect_as, "orders", tenant, "SELECT count(*) FROM orders.tax_rates")
    count: int = rows[0][0]
    return count


def in_an_hour(hours: float = 1) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def test_an_australian_business_starts_with_gst(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    owner = token(await provision(), Role.OWNER)
    found = await categories(orders_client, owner)
    assert {code: c["current_rate_percent"] for code, c in found.items()} == {
        "gst": "10.000",
        "gst-free": "0.000",
    }
    assert not any(c["archived"] for c in found.values())
    assert [rate["scheduled"] for rate in found["gst"]["rates"]] == [False]

    settings = await orders_client.get("/v1/tax/settings", auth=owner)
    assert settings.status_code == 200
    assert settings.json() == {
        "currency": "AUD",
        "prices_include_tax": True,
        "cash_rounding_minor": 5,
        "tax_basis": "accrual",
        "tax_id": None,
        "version": 1,
    }
    assert settings.headers["etag"] == '"1"'


async def test_a_german_business_starts_with_two_vat_rates(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    owner = token(await provision("eu"), Role.OWNER)
    found = await categories(orders_client, owner)
    assert {code: c["current_rate_percent"] for code, c in found.items()} == {
        "standard": "19.000",
        "reduced": "7.000",
    }
    settings = (await orders_client.get("/v1/tax/settings", auth=owner)).json()
    assert (settings["currency"], settings["cash_rounding_minor"]) == ("EUR", 1)


async def test_a_scheduled_rate_applies_from_its_moment_on_never_before(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    tenant = await provision()
    manager = token(tenant, Role.MANAGER, subject="staff-manager")
    gst = (await categories(orders_client, manager))["gst"]
    moment = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
    scheduled = await orders_client.post(
        f"/v1/tax/categories/{gst['id']}/rates",
        # In Sydney's offset: the same instant, however it is written.
        json={"rate_percent": "12.5", "effective_from": moment.astimezone().isoformat()},
        auth=manager,
    )
    assert scheduled.status_code == 201, scheduled.text
    category = scheduled.json()
    assert category["current_rate_percent"] == "10.000"
    assert [(r["rate_percent"], r["scheduled"]) for r in category["rates"]] == [
        ("10.000", False),
        ("12.500", True),
    ]
    assert datetime.fromisoformat(category["rates"][1]["effective_from"]) == moment
    assert category["rates"][1]["created_by"] == "staff-manager"
    assert (await categories(orders_client, manager))["gst"]["current_rate_percent"] == "10.000"

    gst_id, gst_free_id = uuid.UUID(gst["id"]), uuid.uuid4()
    async with service_databases["orders"].provisioning_transaction(tenant) as connection:
        rates = TaxRepository.from_connection(connection)
        before = await rates.rates_in_force([gst_id, gst_free_id], moment - timedelta(seconds=1))
        at = await rates.rates_in_force([gst_id], moment)
        after = await rates.rates_in_force([gst_id], moment + timedelta(days=365))
        assert await rates.rates_in_force([], moment) == {}
        with pytest.raises(ValueError, match="timezone-aware"):
            await rates.rates_in_force([gst_id], moment.replace(tzinfo=None))
    # An unknown category has no rate at all; it is absent, not zero.
    assert before == {gst_id: Decimal("10.000")}
    assert at == after == {gst_id: Decimal("12.500")}

    (row,) = await audit_rows(connect_as, tenant, "tax_rate.scheduled")
    assert row["actor_id"] == "staff-manager"
    assert row["resource_id"] == gst["id"]
    assert row["payload"]["tax_category_id"] == gst["id"]
    assert row["payload"]["rate_percent"] == "12.500"
    assert row["payload"]["replaces_rate_percent"] == "10.000"
    assert datetime.fromisoformat(row["payload"]["effective_from"]) == moment

    again = await orders_client.post(
        f"/v1/tax/categories/{gst['id']}/rates",
        json={"rate_percent": 13, "effective_from": moment.isoformat()},
        auth=manager,
    )
    assert again.status_code == 409
    assert again.json()["code"] == "tax-rate-duplicate"


async def test_rates_in_force_sees_only_its_own_business(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    ours, theirs = await provision(), await provision("eu")
    standard = (await categories(orders_client, token(theirs)))["standard"]
    async with service_databases["orders"].provisioning_transaction(ours) as connection:
        found = await TaxRepository.from_connection(connection).rates_in_force(
            [uuid.UUID(standard["id"])], datetime.now(UTC)
        )
    assert found == {}


@pytest.mark.parametrize(
    "effective_from",
    [
        "2020-01-01T00:00:00+00:00",
        (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "2000-01-01T00:00:00Z",
    ],
)
async def test_a_rate_change_is_never_retroactive(
    effective_from: str,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    owner = token(tenant)
    gst = (await categories(orders_client, owner))["gst"]
    rates = await rate_count(connect_as, tenant)
    response = await orders_client.post(
        f"/v1/tax/categories/{gst['id']}/rates",
        json={"rate_percent": "15", "effective_from": effective_from},
        auth=owner,
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "tax-rate-retroactive"
    assert "never retroactively" in problem["title"]
    assert await rate_count(connect_as, tenant) == rates
    assert await audit_rows(connect_as, tenant, "tax_rate.scheduled") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rate_percent": "10", "effective_from": "2030-01-01T00:00:00"}, "effective_from"),
        ({"rate_percent": "10", "effective_from": "2030-01-01"}, "effective_from"),
        ({"rate_percent": "100", "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"rate_percent": 150, "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"rate_percent": "-1", "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"rate_percent": "10.0005", "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"rate_percent": "NaN", "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"rate_percent": "ten", "effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        ({"effective_from": "2030-01-01T00:00:00Z"}, "rate_percent"),
        (
            {"rate_percent": "10", "effective_from": "2030-01-01T00:00:00Z", "id": "x"},
            "id",
        ),
    ],
)
async def test_a_bad_rate_is_refused(
    body: dict[str, Any],
    field: str,
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    owner = token(tenant)
    gst = (await categories(orders_client, owner))["gst"]
    rates = await rate_count(connect_as, tenant)
    response = await orders_client.post(
        f"/v1/tax/categories/{gst['id']}/rates", json=body, auth=owner
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert any(field in map(str, error["location"]) for error in problem["errors"]), problem
    assert await rate_count(connect_as, tenant) == rates


async def test_a_rate_may_be_sent_as_a_number_with_up_to_three_decimals(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    owner = token(await provision("eu"))
    reduced = (await categories(orders_client, owner))["reduced"]
    response = await orders_client.post(
        f"/v1/tax/categories/{reduced['id']}/rates",
        json={"rate_percent": 5.5, "effective_from": in_an_hour()},
        auth=owner,
    )
    assert response.status_code == 201, response.text
    assert response.json()["rates"][-1]["rate_percent"] == "5.500"


async def test_a_new_category_is_in_force_at_once_and_its_code_is_unique(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
    service_databases: dict[str, TenantDatabase],
) -> None:
    tenant = await provision("eu")
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    created = await orders_client.post(
        "/v1/tax/categories",
        json={"code": "super-reduced", "name": "Super-reduced VAT", "rate_percent": "2.1"},
        auth=owner,
    )
    assert created.status_code == 201, created.text
    category = created.json()
    assert category["current_rate_percent"] == "2.100"
    assert (category["code"], category["archived"]) == ("super-reduced", False)
    async with service_databases["orders"].provisioning_transaction(tenant) as connection:
        found = await TaxRepository.from_connection(connection).rates_in_force(
            [uuid.UUID(category["id"])], datetime.now(UTC) + timedelta(seconds=1)
        )
    assert found == {uuid.UUID(category["id"]): Decimal("2.100")}
    (row,) = await audit_rows(connect_as, tenant, "tax_category.created")
    assert row["payload"]["code"] == "super-reduced"
    assert row["payload"]["rate_percent"] == "2.1"

    taken = await orders_client.post(
        "/v1/tax/categories",
        json={"code": "standard", "name": "Another standard", "rate_percent": "20"},
        auth=owner,
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "tax-category-code-taken"
    bad_code = await orders_client.post(
        "/v1/tax/categories",
        json={"code": "Standard VAT", "name": "x", "rate_percent": "20"},
        auth=owner,
    )
    assert bad_code.status_code == 422


async def test_a_category_is_renamed_archived_and_restored_without_a_version(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision()
    owner = token(tenant)
    created = await orders_client.post(
        "/v1/tax/categories",
        json={"code": "export", "name": "Export", "rate_percent": "0"},
        auth=owner,
    )
    category_id = created.json()["id"]
    path = f"/v1/tax/categories/{category_id}"
    renamed = await orders_client.patch(path, json={"name": "Exports (GST-free)"}, auth=owner)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Exports (GST-free)"
    archived = await orders_client.patch(path, json={"archived": True}, auth=owner)
    assert archived.json()["archived"] is True
    archived_at = archived.json()["archived_at"]
    again = await orders_client.patch(path, json={"archived": True}, auth=owner)
    assert again.json()["archived_at"] == archived_at
    refused = await orders_client.post(
        f"{path}/rates", json={"rate_percent": "1", "effective_from": in_an_hour()}, auth=owner
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "tax-category-archived"
    restored = await orders_client.patch(path, json={"archived": False}, auth=owner)
    assert restored.json()["archived"] is False

    (renaming,) = await audit_rows(connect_as, tenant, "tax_category.changed")
    assert renaming["payload"]["before"] == {"name": "Export"}
    assert renaming["payload"]["after"] == {"name": "Exports (GST-free)"}
    assert len(await audit_rows(connect_as, tenant, "tax_category.archived")) == 1
    assert len(await audit_rows(connect_as, tenant, "tax_category.restored")) == 1
    for body in ({}, {"version": 1, "name": "x"}, {"name": None}, {"code": "other"}):
        invalid = await orders_client.patch(path, json=body, auth=owner)
        assert invalid.status_code == 422, body


async def test_the_pricing_basis_changes_with_the_version_and_is_audited(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    tenant = await provision("eu")
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    missing = await orders_client.patch(
        "/v1/tax/settings", json={"prices_include_tax": False}, auth=owner
    )
    assert missing.status_code == 428
    assert missing.json()["code"] == "version-required"

    changed = await orders_client.patch(
        "/v1/tax/settings", json={"prices_include_tax": False, "version": 1}, auth=owner
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {
        "currency": "EUR",
        "prices_include_tax": False,
        "cash_rounding_minor": 1,
        "tax_basis": "accrual",
        "tax_id": None,
        "version": 2,
    }
    assert changed.headers["etag"] == '"2"'

    stale = await orders_client.patch(
        "/v1/tax/settings", json={"cash_rounding_minor": 5, "version": 1}, auth=owner
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "version-conflict"
    assert stale.json()["current_version"] == 2
    assert (await orders_client.get("/v1/tax/settings", auth=owner)).json()[
        "cash_rounding_minor"
    ] == 1

    by_header = await orders_client.patch(
        "/v1/tax/settings", json={"cash_rounding_minor": 5}, headers={"If-Match": '"2"'}, auth=owner
    )
    assert by_header.status_code == 200, by_header.text
    assert by_header.json()["cash_rounding_minor"] == 5

    rows = await audit_rows(connect_as, tenant, "tax_settings.changed")
    assert [(row["payload"]["before"], row["payload"]["after"]) for row in rows] == [
        ({"prices_include_tax": True}, {"prices_include_tax": False}),
        ({"cash_rounding_minor": 1}, {"cash_rounding_minor": 5}),
    ]
    assert rows[0]["actor_id"] == "staff-owner"

    for body in (
        {"currency": "USD", "version": 3},
        {"cash_rounding_minor": 2, "version": 3},
        {"version": 3},
        {"prices_include_tax": None, "version": 3},
    ):
        invalid = await orders_client.patch("/v1/tax/settings", json=body, auth=owner)
        assert invalid.status_code == 422, body
    assert (await orders_client.get("/v1/tax/settings", auth=owner)).json()["version"] == 3


async def test_the_tax_basis_and_a_checked_tax_number_are_set_by_the_owner_and_audited(
    provision: Provision,
    orders_client: httpx.AsyncClient,
    token: TokenFactory,
    connect_as: Connect,
) -> None:
    au_tenant, eu_tenant = await provision(), await provision("eu")
    au, eu = token(au_tenant, Role.OWNER), token(eu_tenant, Role.OWNER)

    async def patch(auth: httpx.Auth, body: dict[str, Any]) -> httpx.Response:
        version = (await orders_client.get("/v1/tax/settings", auth=auth)).json()["version"]
        return await orders_client.patch(
            "/v1/tax/settings", json={**body, "version": version}, auth=auth
        )

    # The ATO's example ABN, typed without spaces, is written back in its usual form.
    changed = await patch(au, {"tax_basis": "cash", "tax_id": "51824753556"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["tax_basis"], changed.json()["tax_id"]) == ("cash", "51 824 753 556")
    # One digit off fails the ABN's check; a German number is not an Australian one.
    for wrong in ("51 824 753 557", "DE136695976", "1234"):
        refused = await patch(au, {"tax_id": wrong})
        assert refused.status_code == 422, wrong
        assert refused.json()["code"] == "invalid-tax-id", refused.text
    refused = await patch(au, {"tax_basis": "invoice"})
    assert refused.status_code == 422
    assert refused.json()["code"] == "validation-failed"
    assert (await orders_client.get("/v1/tax/settings", auth=au)).json()["tax_id"] == (
        "51 824 753 556"
    )

    # In Germany: a USt-IdNr. (its check digit counted), or a Steuernummer as written.
    assert (await patch(eu, {"tax_id": "de 136 695 976"})).json()["tax_id"] == "DE136695976"
    assert (await patch(eu, {"tax_id": "DE136695975"})).json()["code"] == "invalid-tax-id"
    assert (await patch(eu, {"tax_id": "21/815/08150"})).json()["tax_id"] == "21/815/08150"
    assert (await patch(eu, {"tax_basis": "cash"})).json()["tax_basis"] == "cash"
    # The number can be removed; the basis cannot.
    assert (await patch(eu, {"tax_id": None})).json()["tax_id"] is None
    assert (await patch(eu, {"tax_basis": None})).status_code == 422

    rows = await audit_rows(connect_as, au_tenant, "tax_settings.changed")
    assert [(row["payload"]["before"], row["payload"]["after"]) for row in rows] == [
        (
            {"tax_basis": "accrual", "tax_id": None},
            {"tax_basis": "cash", "tax_id": "51 824 753 556"},
        )
    ]


async def test_a_cashier_sees_no_tax_route_and_an_accountant_only_reads(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    tenant = await provision()
    owner, cashier, accountant = (
        token(tenant, Role.OWNER),
        token(tenant, Role.CASHIER),
        token(tenant, Role.ACCOUNTANT),
    )
    gst_id = (await categories(orders_client, owner))["gst"]["id"]
    writes: list[tuple[str, str, dict[str, Any]]] = [
        ("PATCH", "/v1/tax/settings", {"prices_include_tax": False, "version": 1}),
        ("POST", "/v1/tax/categories", {"code": "x", "name": "X", "rate_percent": "1"}),
        ("PATCH", f"/v1/tax/categories/{gst_id}", {"name": "Renamed"}),
        (
            "POST",
            f"/v1/tax/categories/{gst_id}/rates",
            {"rate_percent": "11", "effective_from": in_an_hour()},
        ),
    ]
    reads = [("GET", "/v1/tax/settings"), ("GET", "/v1/tax/categories")]
    for method, path in reads:
        assert (await orders_client.request(method, path, auth=cashier)).status_code == 403
        assert (await orders_client.request(method, path, auth=accountant)).status_code == 200
    for method, path, body in writes:
        for auth in (cashier, accountant):
            refused = await orders_client.request(method, path, json=body, auth=auth)
            assert refused.status_code == 403, (method, path)
            assert refused.json()["code"] == "permission-denied"
    # Nothing changed.
    assert (await categories(orders_client, owner))["gst"]["name"] == "GST"
    assert len((await categories(orders_client, owner))["gst"]["rates"]) == 1
    assert (await orders_client.get("/v1/tax/settings", auth=owner)).json()["version"] == 1

    manager = token(tenant, Role.MANAGER)
    for method, path, body in writes:
        allowed = await orders_client.request(method, path, json=body, auth=manager)
        assert allowed.status_code in (200, 201), (path, allowed.text)


async def test_another_businesss_tax_category_is_not_found(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> None:
    ours, theirs = token(await provision()), token(await provision())
    their_gst = (await categories(orders_client, theirs))["gst"]["id"]
    renamed = await orders_client.patch(
        f"/v1/tax/categories/{their_gst}", json={"name": "Mine now"}, auth=ours
    )
    assert renamed.status_code == 404
    assert renamed.json()["code"] == "tax-category-not-found"
    scheduled = await orders_client.post(
        f"/v1/tax/categories/{their_gst}/rates",
        json={"rate_percent": "0", "effective_from": in_an_hour()},
        auth=ours,
    )
    assert scheduled.status_code == 404
    assert (await categories(orders_client, theirs))["gst"]["name"] == "GST"
    assert len((await categories(orders_client, theirs))["gst"]["rates"]) == 1

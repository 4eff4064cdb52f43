"""Fixtures the orders tests share: a business whose owner builds its menu (test_menu.py,
test_menu_snapshot.py)."""

from __future__ import annotations

import httpx
import pytest

from libs.rbac import Role
from tests.support.database import Provision
from tests.support.menu import Venue
from tests.support.tokens import TokenFactory


@pytest.fixture
async def venue(
    provision: Provision, orders_client: httpx.AsyncClient, token: TokenFactory
) -> Venue:
    tenant = await provision()
    owner = token(tenant, Role.OWNER, subject="staff-owner")
    listed = await orders_client.get("/v1/tax/categories", auth=owner)
    return Venue(tenant, owner, {c["code"]: c["id"] for c in listed.json()["items"]})

"""The till the sale's tests sell at (the steps of a sale are tests/support/sale.py)."""

from __future__ import annotations

import pytest

from tests.support.database import Connect, Provision
from tests.support.tills import OpenTill, name_venue, open_till
from tests.support.tokens import TokenFactory


@pytest.fixture
async def till(provision: Provision, connect_as: Connect, token: TokenFactory) -> OpenTill:
    """A cashier, staff-17, signed in at a till with an open shift at the Front bar of the
    Harbour Café Group (Sydney), in a new business. The tests that read the paper find the
    business's name on it; the order's and its audit entry's actor is staff-17. A module whose
    tests need more (stations, limits) arranges its own `till`."""
    till = await open_till(connect_as, token, await provision(), subject="staff-17")
    await name_venue(
        connect_as,
        till.tenant,
        till.location_id,
        business="Harbour Café Group",
        venue="Front bar",
        time_zone="Australia/Sydney",
    )
    return till

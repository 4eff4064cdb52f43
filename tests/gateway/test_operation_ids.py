"""The merged OpenAPI document names every operation `<group>.<handler>`: unique, short, and
made of identifiers, so a generated client's functions read as what they do
(`orders.open_order`, not `open_order_v1_orders_post`)."""

from __future__ import annotations

import re
from collections import Counter

from tests.fuzz.stack import merged_openapi_document

OPERATION_ID = re.compile(r"[a-z][a-z_]*\.[a-z][a-z0-9_]*")


def test_every_operation_has_a_unique_readable_id() -> None:
    document = merged_openapi_document()
    ids = [
        operation["operationId"]
        for methods in document["paths"].values()
        for operation in methods.values()
    ]
    assert ids
    assert [name for name, count in Counter(ids).items() if count > 1] == []
    assert [name for name in ids if not OPERATION_ID.fullmatch(name)] == []
    assert max(len(name) for name in ids) <= 48
    assert "orders.open_order" in ids
    assert "menu.set_menu_item_location_price" in ids

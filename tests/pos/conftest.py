"""The platform the till's browser tests share (tests/web_stack.py, as tests/backoffice/), started
once for this folder, and a business (tests/backoffice/business.py) whose owner makes the
activation codes.

The scenarios (tests/pos/test_online_sale.py and the others) each get a business of their own
(`till_business`, tests/pos/till_business.py: a café with a menu, a cashier and a manager),
so the books each one checks afterwards are its own, and a receipt printer at its venue
(`receipt_printer`, tests/pos/receipt_printer.py: the reference Bridge agent and a fake
printer)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from ops.platform import PreparedDatabase
from tests.backoffice.browser import MISSING
from tests.backoffice.business import Business, set_up_business
from tests.fuzz.stack import FuzzStack
from tests.pos.receipt_printer import ReceiptPrinter, receipt_printer_at_venue
from tests.pos.till_business import TillBusiness, set_up_till_business
from tests.web_stack import skip_folder_without, web_stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    skip_folder_without(MISSING, "tests/pos/", items)


@pytest.fixture(scope="package")
def stack(database: PreparedDatabase) -> Iterator[tuple[FuzzStack, str]]:
    with web_stack(database) as started:
        yield started


@pytest.fixture(scope="package")
def business(stack: tuple[FuzzStack, str]) -> Business:
    platform, public_url = stack
    return platform.run(set_up_business(platform, public_url, name="Harbour Lane Till"))


@pytest.fixture(scope="module")
def till_business(stack: tuple[FuzzStack, str]) -> TillBusiness:
    """A café of the test module's own (its name tells the modules' businesses apart)."""
    platform, public_url = stack
    name = f"Harbour Lane Café {uuid.uuid4().hex[:6]}"
    return platform.run(set_up_till_business(platform, public_url, name=name))


@pytest.fixture(scope="module")
def receipt_printer(
    stack: tuple[FuzzStack, str],
    till_business: TillBusiness,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ReceiptPrinter]:
    """The reference Bridge agent printing the module's venue's receipts to a fake printer,
    for the whole module; what the printer received."""
    platform, _ = stack
    with receipt_printer_at_venue(
        platform, till_business, tmp_path_factory.mktemp("bridge")
    ) as printer:
        yield printer

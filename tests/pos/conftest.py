"""The platform the till's browser tests share (tests/web_stack.py, as tests/backoffice/), started
once for this folder, and a business (tests/backoffice/business.py) whose owner makes the
activation codes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ops.platform import PreparedDatabase
from tests.backoffice.browser import MISSING
from tests.backoffice.business import Business, set_up_business
from tests.fuzz.stack import FuzzStack
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

"""Fixtures of the API fuzz: the platform on a loop of its own, and the business it signs in
to as a cashier and as an owner; started for this package's tests and stopped after them, so
the rest of the suite does not share the machine with an idle stack."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ops.platform import PreparedDatabase

from tests.fuzz.sessions import Business, set_up_business
from tests.fuzz.stack import FuzzStack


@pytest.fixture(scope="package")
def fuzz_stack(database: PreparedDatabase) -> Iterator[FuzzStack]:
    stack = FuzzStack(database)
    stack.start()
    yield stack
    stack.stop()


@pytest.fixture(scope="package")
def business(fuzz_stack: FuzzStack) -> Business:
    return fuzz_stack.run(set_up_business(fuzz_stack))

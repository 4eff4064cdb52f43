"""Tax per rate: the one rule for adding tax up, shared by a shift's X and Z reports
(shift_report.py) and the back office's reports (services/reports/aggregate.py), so a rate's
totals are the same wherever they are shown."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

from pydantic import BaseModel, Field

from libs.text import RateString

# Tax rates are percent with three decimals, as stored: 10.000, 7.000, 0.000.
RATE_PLACES = Decimal("0.001")


def rate(value: object) -> Decimal:
    """A tax rate as stored, from a number or its text: 10 and "10.000" are one rate."""
    return Decimal(str(value)).quantize(RATE_PLACES)


class TaxGroup(Protocol):
    """Amounts taxed at one rate: an order's or a refund's, or many of them summed."""

    @property
    def rate(self) -> Decimal: ...
    @property
    def net_minor(self) -> int: ...
    @property
    def tax_minor(self) -> int: ...
    @property
    def gross_minor(self) -> int: ...


class TaxRateTotal(BaseModel):
    rate: RateString = Field(description="Percent, e.g. 10.000")
    net_minor: int
    tax_minor: int
    gross_minor: int


def tax_by_rate(groups: Iterable[TaxGroup]) -> list[TaxRateTotal]:
    """Net, tax and gross added up per rate, highest rate first."""
    totals: dict[Decimal, list[int]] = defaultdict(lambda: [0, 0, 0])
    for group in groups:
        total = totals[rate(group.rate)]
        total[0] += group.net_minor
        total[1] += group.tax_minor
        total[2] += group.gross_minor
    return [
        TaxRateTotal(rate=key, net_minor=net, tax_minor=tax, gross_minor=gross)
        for key, (net, tax, gross) in sorted(totals.items(), reverse=True)
    ]

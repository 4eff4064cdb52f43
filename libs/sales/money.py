"""Rounding money, and the tenders a sale is paid in: shared by the orders service's money
engine (services/orders/pricing.py) and the reports service's figures
(services/reports/aggregate.py)."""

from __future__ import annotations

from fractions import Fraction

# What a sale is paid in, in the order every report and export lists them.
TENDERS = ("cash", "card")


def round_half_up(value: Fraction) -> int:
    """The nearest whole cent; half a cent goes away from zero (ROUND_HALF_UP)."""
    magnitude = abs(value)
    rounded = (2 * magnitude.numerator + magnitude.denominator) // (2 * magnitude.denominator)
    return -rounded if value < 0 else rounded

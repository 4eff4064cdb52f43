"""The EFTPOS terminal seen from the orders service: what it is asked and what it may answer.

No card data, ever: the customer taps or inserts the card on the terminal, and all that comes
back is the outcome, the amount, the terminal's reference for the transaction and, when
approved, the card scheme, the last four digits and the authorisation code. That is what a
receipt prints and what a refund or a dispute needs; nothing a card could be charged with.
`TerminalResult` refuses anything else in those fields, so an adapter for a real terminal
cannot pass a card number through by mistake.

The simulated terminal that stands in for a real one is in `doubles/terminal.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

_LAST_FOUR = re.compile(r"[0-9]{4}")
_AUTHORISATION_CODE = re.compile(r"[0-9A-Za-z]{6}")


class TerminalOutcome(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"
    TIMED_OUT = "timed_out"


@dataclass(frozen=True, slots=True)
class TerminalResult:
    outcome: TerminalOutcome
    amount_minor: int
    terminal_reference: str
    scheme: str | None = None  # "visa", "mastercard", "amex", "eftpos" — None unless approved
    last4: str | None = None  # exactly 4 digits, None unless approved
    auth_code: str | None = None  # 6 chars, None unless approved

    def __post_init__(self) -> None:
        if self.outcome is not TerminalOutcome.APPROVED and (
            self.scheme is not None or self.last4 is not None or self.auth_code is not None
        ):
            raise ValueError("Only an approved transaction carries card details.")
        # The one field a careless adapter could fill with the whole card number.
        if self.last4 is not None and not _LAST_FOUR.fullmatch(self.last4):
            raise ValueError("last4 must be exactly four digits.")
        if self.auth_code is not None and not _AUTHORISATION_CODE.fullmatch(self.auth_code):
            raise ValueError("An authorisation code is six letters or digits.")


class TerminalUnreachable(Exception):
    """The terminal could not be asked, or its answer was lost: whether the card was charged
    is unknown until `lookup` says."""


class PaymentTerminal(Protocol):
    """A venue's EFTPOS terminal. Each transaction names a `reference` (the payment's or
    refund's id); asking again about it never charges again."""

    async def purchase(
        self, *, amount_minor: int, currency: str, reference: str
    ) -> TerminalResult: ...

    async def refund(
        self, *, amount_minor: int, currency: str, reference: str
    ) -> TerminalResult: ...

    async def lookup(self, *, reference: str) -> TerminalResult | None:
        """What became of the transaction with this reference; None if the terminal never
        took it (nothing was charged)."""
        ...

"""A simulated EFTPOS terminal, for development and tests: a `PaymentTerminal`
(services/orders/payments/terminal.py) that needs no hardware.

It answers like an acquirer's test environment, by the cents of the amount (the last two
digits, `amount_minor % 100`):

- ...51 (e.g. 10.51): declined.
- ...52 (e.g. 10.52): times out: waits `timeout_seconds`, then answers TIMED_OUT, as if the
  terminal had stopped responding.
- anything else: approved.

The same for purchases and refunds. Everything else in the answer is derived from the
`reference` the caller sends (a SHA-256 of it), so a retried request gets the same answer and a
test can predict it: the card (scheme and last four) depends on the reference alone, so a
purchase and its refund show the same card; the authorisation code and terminal reference
also depend on whether it is a purchase or a refund, so the two are told apart.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Literal

from services.orders.payments.terminal import TerminalOutcome, TerminalResult

_CURRENCY = re.compile(r"[A-Z]{3}")

DECLINED_CENTS = 51
TIMED_OUT_CENTS = 52
SIMULATED_SCHEMES = ("visa", "mastercard", "amex", "eftpos")


class SimulatedTerminal:
    """A `PaymentTerminal` that needs no hardware: outcomes by test amount, details by
    reference (see the module docstring)."""

    def __init__(self, *, timeout_seconds: float = 0.0) -> None:
        if timeout_seconds < 0:
            raise ValueError("timeout_seconds cannot be negative.")
        self.timeout_seconds = timeout_seconds
        # What the terminal answered, by reference, as a real terminal keeps its journal.
        self._journal: dict[str, TerminalResult] = {}

    async def lookup(self, *, reference: str) -> TerminalResult | None:
        return self._journal.get(reference)

    async def purchase(self, *, amount_minor: int, currency: str, reference: str) -> TerminalResult:
        result = await self._transact(
            "purchase", amount_minor=amount_minor, currency=currency, reference=reference
        )
        self._journal[reference] = result
        return result

    async def refund(self, *, amount_minor: int, currency: str, reference: str) -> TerminalResult:
        result = await self._transact(
            "refund", amount_minor=amount_minor, currency=currency, reference=reference
        )
        self._journal[reference] = result
        return result

    async def _transact(
        self,
        operation: Literal["purchase", "refund"],
        *,
        amount_minor: int,
        currency: str,
        reference: str,
    ) -> TerminalResult:
        if amount_minor <= 0:
            raise ValueError("The amount must be more than zero.")
        if not _CURRENCY.fullmatch(currency):
            raise ValueError("The currency must be a three-letter ISO 4217 code, e.g. AUD.")
        if not reference:
            raise ValueError("A reference is needed so that a retry can be recognised.")

        card = hashlib.sha256(reference.encode()).digest()
        transaction = hashlib.sha256(f"{operation}\x00{reference}".encode()).digest()
        terminal_reference = "SIM-" + transaction[:6].hex()

        cents = amount_minor % 100
        if cents == TIMED_OUT_CENTS:
            await asyncio.sleep(self.timeout_seconds)
            return TerminalResult(
                outcome=TerminalOutcome.TIMED_OUT,
                amount_minor=amount_minor,
                terminal_reference=terminal_reference,
            )
        if cents == DECLINED_CENTS:
            return TerminalResult(
                outcome=TerminalOutcome.DECLINED,
                amount_minor=amount_minor,
                terminal_reference=terminal_reference,
            )
        return TerminalResult(
            outcome=TerminalOutcome.APPROVED,
            amount_minor=amount_minor,
            terminal_reference=terminal_reference,
            scheme=SIMULATED_SCHEMES[card[0] % len(SIMULATED_SCHEMES)],
            last4=f"{int.from_bytes(card[1:5], 'big') % 10_000:04d}",
            auth_code=f"{int.from_bytes(transaction[6:10], 'big') % 1_000_000:06d}",
        )

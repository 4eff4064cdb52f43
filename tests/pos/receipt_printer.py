"""The venue's receipt printer for the till's scenarios: the reference Bridge agent
(services/bridge/agent/, run as its command, as a venue runs it) polling the platform's
gateway with a Bridge token the owner made through the API, printing to a fake network
printer (doubles/printer.py) that keeps what it was sent.

tests/pos/conftest.py's `receipt_printer` fixture starts one for a test module's business;
the test reads the paper with `ReceiptPrinter.wait_for`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from doubles.printer import FakePrinter
from tests.fuzz.stack import FuzzStack
from tests.pos.till_business import TillBusiness
from tests.support import REPO_ROOT
from tests.support.printing import printed_lines

# How long a test waits for paper before failing instead of hanging: a safety net far above
# what printing takes (docs/bridge.md: milliseconds), not a measurement.
GIVE_UP_SECONDS = 60.0


class _KeepingPrinter(FakePrinter):
    """The fake printer, also keeping every job where a thread other than the stack's loop
    (the test's) can wait for it."""

    def __init__(self) -> None:
        super().__init__()
        self.jobs: list[bytes] = []
        self.arrived = threading.Condition()

    async def received(self, content: bytes, *, last_byte_at: float) -> None:
        await super().received(content, last_byte_at=last_byte_at)
        with self.arrived:
            self.jobs.append(content)
            self.arrived.notify_all()


@dataclass
class Paper:
    """One job as it came out of the printer."""

    body: bytes

    @property
    def lines(self) -> list[str]:
        """The printed lines, without ESC/POS styling."""
        return printed_lines(self.body)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class ReceiptPrinter:
    """What the fake printer received, in order of arrival."""

    def __init__(self, printer: _KeepingPrinter, agent_log: Path) -> None:
        self._printer = printer
        self.agent_log = agent_log

    @property
    def printed(self) -> list[Paper]:
        with self._printer.arrived:
            return [Paper(body) for body in self._printer.jobs]

    def wait_for(self, count: int, *, timeout: float = GIVE_UP_SECONDS) -> list[Paper]:
        """The first `count` jobs, once that many have been printed."""
        deadline = time.monotonic() + timeout
        with self._printer.arrived:
            while len(self._printer.jobs) < count:
                left = deadline - time.monotonic()
                assert left > 0, (
                    f"{len(self._printer.jobs)} of {count} jobs printed; the agent's log:\n"
                    f"{self.agent_log.read_text()}"
                )
                self._printer.arrived.wait(left)
            return [Paper(body) for body in self._printer.jobs[:count]]

    def receipt(self, number: str, *, timeout: float = GIVE_UP_SECONDS) -> Paper:
        """The printed receipt that carries `number` (e.g. "R1-000001")."""
        deadline = time.monotonic() + timeout
        with self._printer.arrived:
            while True:
                for body in self._printer.jobs:
                    if number.encode("ascii") in body:
                        return Paper(body)
                left = deadline - time.monotonic()
                assert left > 0, f"receipt {number} was not printed: {self.printed}"
                self._printer.arrived.wait(left)


def bridge_token(stack: FuzzStack, business: TillBusiness, name: str = "Mac mini") -> str:
    """A Bridge token for the business's venue, made by the owner through the API (the only
    time its secret is shown)."""
    made = httpx.post(
        f"{stack.gateway}/v1/admin/security/bridge-tokens",
        json={"location_id": str(business.location_id), "name": name},
        auth=business.owner,
        timeout=30,
    )
    assert made.status_code == 201, made.text
    token: str = made.json()["token"]
    return token


@contextmanager
def receipt_printer_at_venue(
    stack: FuzzStack, business: TillBusiness, folder: Path
) -> Iterator[ReceiptPrinter]:
    """The agent, as a process, printing the venue's receipts on a fake printer until the
    block ends (SIGTERM: it stops cleanly)."""
    printer = _KeepingPrinter()
    stack.run(printer.start())
    log_path = folder / "bridge-agent.log"
    log = log_path.open("w")
    agent = subprocess.Popen(  # noqa: S603 - the repository's own agent
        [
            sys.executable,
            "-m",
            "services.bridge.agent",
            "--url",
            stack.gateway,
            "--printer",
            f"receipt={printer.address}",
            "--wait",
            "5",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "HALOPOS_BRIDGE_TOKEN": bridge_token(stack, business)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield ReceiptPrinter(printer, log_path)
    finally:
        agent.send_signal(signal.SIGTERM)
        try:
            agent.wait(timeout=30)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait()
        log.close()
        stack.run(printer.stop())

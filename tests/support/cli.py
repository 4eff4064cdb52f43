"""The `halopos` command line as an operator runs it, for tests."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING

from ops.cli import main

if TYPE_CHECKING:
    import pytest


async def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    """The CLI as an operator runs it: its own event loop (here, in a worker thread)."""
    status = await asyncio.to_thread(main, list(argv))
    captured = capsys.readouterr()
    return status, json.loads(captured.out if status == 0 else captured.err)

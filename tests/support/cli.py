"""The `halopos` command line in the test's process, for tests that read what it wrote.

Runs with the service logins `cli_environment` sets; tests/ops/test_cli.py runs every command
as its own process from a plain shell instead."""

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

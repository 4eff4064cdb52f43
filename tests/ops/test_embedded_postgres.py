"""The embedded Postgres comes back on its own port when restarted, so the services that were
connected to it reconnect to the same address (ops/embedded_postgres.py).

Found by the fault run: restarted within about a minute, it came back on another port,
because the free-port check bound without SO_REUSEADDR while the stopped server's closed
connections were still in TIME_WAIT. A cluster of the test's own, in a temporary directory:
the shared one keeps running for the other tests.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import asyncpg
import pytest

from ops.embedded_postgres import DEFAULT_PORT, ensure_running

# Starts a Postgres server of its own. `-m "not process"` leaves it out.
pytestmark = pytest.mark.process


def bound_without_reuse(port: int) -> bool:
    """What the old free-port check asked: can a plain socket bind the port."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def connected_then_stopped(admin_url: str, stop: object) -> None:
    connection = await asyncpg.connect(admin_url)
    assert await connection.fetchval("SELECT 1") == 1
    # Stopped with the connection open: the server closes it first, so the server's end of
    # it lingers in TIME_WAIT on the server's port.
    await asyncio.to_thread(stop)  # type: ignore[arg-type]
    connection.terminate()


def test_a_restarted_server_keeps_its_port(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HALOPOS_EMBEDDED_PG_PORT", raising=False)
    data_dir = tmp_path / "pg"
    first = ensure_running(data_dir)
    try:
        assert first.started_here
        # The shared server holds the default port here, so this one was given another.
        assert first.port != DEFAULT_PORT or bound_without_reuse(DEFAULT_PORT)
        asyncio.run(connected_then_stopped(first.admin_url(), first.stop))
        assert not bound_without_reuse(first.port), "the scenario: TIME_WAIT on its port"

        second = ensure_running(data_dir)
        try:
            assert second.started_here
            assert second.port == first.port

            async def answers() -> int:
                connection = await asyncpg.connect(second.admin_url())
                try:
                    value: int = await connection.fetchval("SELECT 1")
                    return value
                finally:
                    await connection.close()

            assert asyncio.run(answers()) == 1
            # A second call finds it running and says so, on the same port.
            again = ensure_running(data_dir)
            assert (again.port, again.started_here) == (first.port, False)
        finally:
            second.stop()
    finally:
        first.stop()

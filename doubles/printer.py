"""A fake network receipt printer, for the Bridge agent to print to in tests and the bench.

A real one listens on its raw port (9100, "JetDirect") and prints whatever bytes a connection
sends; the agent (services/bridge/agent/printers.py: `NetworkPrinter`) opens one connection per
job and closes it when the job is sent. This one listens on a free port of 127.0.0.1 and keeps
each connection's bytes as one job instead of printing them.
"""

from __future__ import annotations

import asyncio
import time
from typing import Self

# How long `next_print` waits before failing instead of hanging: a safety net, far above
# anything the agent needs, not a measurement.
GIVE_UP = 30.0


class FakePrinter:
    """A network printer's raw port on 127.0.0.1: records the bytes of each connection, once
    the agent has closed it. It can go away and come back on the same port."""

    def __init__(self) -> None:
        self.port = 0
        self.printed: asyncio.Queue[bytes] = asyncio.Queue()
        self._server: asyncio.Server | None = None

    async def start(self) -> Self:
        self._server = await asyncio.start_server(self._receive, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    @property
    def address(self) -> str:
        """As the agent's `--printer role=address` names it."""
        return f"tcp://127.0.0.1:{self.port}"

    async def next_print(self) -> bytes:
        return await asyncio.wait_for(self.printed.get(), GIVE_UP)

    async def received(self, content: bytes, *, last_byte_at: float) -> None:
        """One whole job, `last_byte_at` on `time.perf_counter()`'s clock. Kept for
        `next_print`; a subclass that measures or inspects jobs as they arrive overrides it."""
        self.printed.put_nowait(content)

    async def _receive(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        content = bytearray()
        last_byte_at = time.perf_counter()
        # Until the agent closes its side: that is where a job ends.
        while chunk := await reader.read(65536):
            last_byte_at = time.perf_counter()
            content += chunk
        writer.close()
        await self.received(bytes(content), last_byte_at=last_byte_at)

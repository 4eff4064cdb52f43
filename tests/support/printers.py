"""Network printers on loopback for the Bridge agent to print to: its raw port (9100 on a
real printer) on 127.0.0.1, at a port of the system's choosing. The tests' printer keeps the
bytes; the printing bench's keeps when each receipt arrived (bench/printing.py)."""

from __future__ import annotations

import asyncio
from typing import Self


class LoopbackPrinter:
    """A printer's raw port: each connection's bytes go to `_receive`. It can go away and come
    back on the same port."""

    def __init__(self) -> None:
        self.port = 0
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
        """As the agent is configured with it (`--printer receipt=tcp://...`)."""
        return f"tcp://127.0.0.1:{self.port}"

    async def _receive(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class FakePrinter(LoopbackPrinter):
    """Records the bytes of each connection, once the agent has closed it."""

    def __init__(self, *, give_up: float = 30.0) -> None:
        super().__init__()
        self.printed: asyncio.Queue[bytes] = asyncio.Queue()
        self._give_up = give_up

    async def next_print(self) -> bytes:
        return await asyncio.wait_for(self.printed.get(), self._give_up)

    async def _receive(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        content = await reader.read()  # until the agent closes its side
        self.printed.put_nowait(content)
        writer.close()

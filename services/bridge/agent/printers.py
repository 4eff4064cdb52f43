"""The venue's printers, as the agent reaches them: a network printer's raw port (9100, the
"JetDirect" socket every ESC/POS network printer listens on) or a file (a USB printer's device
node, or a plain file to try the agent without hardware).

A printer is named on the command line by its role, optionally for one register:

    receipt=tcp://192.168.1.50:9100     every receipt
    receipt@2=tcp://192.168.1.51        receipts rung up at register 2 (port 9100 by default)
    kitchen=file:/tmp/kitchen.bin       kitchen tickets, appended to a file
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

ROLES = ("receipt", "kitchen", "bar")
RAW_PORT = 9100


class PrinterError(Exception):
    """The printer could not be reached or did not take the bytes; the message says why and
    is sent to the cloud as the job's failure reason."""


class Printer(Protocol):
    async def print(self, content: bytes) -> None: ...


@dataclass(frozen=True)
class NetworkPrinter:
    """One connection per job: printers on port 9100 serve one client at a time, and a
    connection held open between jobs would lock out anything else that prints to them."""

    host: str
    port: int = RAW_PORT
    connect_timeout: float = 5.0
    write_timeout: float = 20.0

    async def print(self, content: bytes) -> None:
        where = f"{self.host}:{self.port}"
        try:
            async with asyncio.timeout(self.connect_timeout):
                _, writer = await asyncio.open_connection(self.host, self.port)
        except TimeoutError:
            raise PrinterError(
                f"printer {where} did not answer within {self.connect_timeout:g} s"
            ) from None
        except OSError as error:
            raise PrinterError(f"cannot connect to printer {where}: {_describe(error)}") from None
        try:
            async with asyncio.timeout(self.write_timeout):
                writer.write(content)
                await writer.drain()
                writer.close()
                await writer.wait_closed()
        except TimeoutError:
            raise PrinterError(
                f"printer {where} did not take the job within {self.write_timeout:g} s "
                "(out of paper, cover open or busy?)"
            ) from None
        except OSError as error:
            raise PrinterError(
                f"printer {where} dropped the connection: {_describe(error)}"
            ) from None
        finally:
            writer.close()

    def __str__(self) -> str:
        return f"tcp://{self.host}:{self.port}"


@dataclass(frozen=True)
class FilePrinter:
    path: Path

    async def print(self, content: bytes) -> None:
        try:
            # A USB printer's device node can block on a full buffer; keep the loop free.
            await asyncio.to_thread(self._append, content)
        except OSError as error:
            raise PrinterError(f"cannot write to {self.path}: {_describe(error)}") from None

    def _append(self, content: bytes) -> None:
        with self.path.open("ab") as file:
            file.write(content)

    def __str__(self) -> str:
        return f"file:{self.path}"


def _describe(error: OSError) -> str:
    return error.strerror or str(error) or type(error).__name__


@dataclass
class Printers:
    """Which printer each job goes to: the one for its role at its register if there is one,
    else the one for its role."""

    by_role: dict[str, Printer] = field(default_factory=dict)
    by_register: dict[tuple[str, int], Printer] = field(default_factory=dict)

    @property
    def roles(self) -> list[str]:
        """The roles to poll for: asking for others would lease jobs this Bridge can't print."""
        named = set(self.by_role) | {role for role, _ in self.by_register}
        return [role for role in ROLES if role in named]

    def add(self, role: str, register: int | None, printer: Printer) -> None:
        if register is None:
            self.by_role[role] = printer
        else:
            self.by_register[role, register] = printer

    def for_job(self, role: str, register: int | None) -> Printer | None:
        if register is not None and (role, register) in self.by_register:
            return self.by_register[role, register]
        return self.by_role.get(role)


def parse_printer(text: str) -> tuple[str, int | None, Printer]:
    """`role[@register]=tcp://host[:port]` or `role[@register]=file:/path`."""
    name, separator, address = text.partition("=")
    if not separator or not address:
        raise ValueError(f"expected role=address, got {text!r}")
    role, _, register_text = name.partition("@")
    if role not in ROLES:
        raise ValueError(f"unknown printer role {role!r}: expected one of {', '.join(ROLES)}")
    register = None
    if register_text:
        if not register_text.isdigit() or int(register_text) < 1:
            raise ValueError(f"register must be a number from 1, got {register_text!r}")
        register = int(register_text)
    return role, register, _printer(address)


def _printer(address: str) -> Printer:
    if address.startswith("file:"):
        path = address.removeprefix("file:").removeprefix("//")
        if not path:
            raise ValueError(f"no path in {address!r}")
        return FilePrinter(Path(path))
    parts = urlsplit(address)
    if parts.scheme != "tcp" or not parts.hostname:
        raise ValueError(f"expected tcp://host[:port] or file:/path, got {address!r}")
    try:
        port = parts.port or RAW_PORT
    except ValueError:
        raise ValueError(f"bad port in {address!r}") from None
    return NetworkPrinter(parts.hostname, port)

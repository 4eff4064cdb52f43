"""The reference Bridge agent: a small program on the venue's LAN that prints the location's
receipts and kitchen tickets from the halopos cloud (README.md). It needs Python 3.11 and httpx,
nothing else from this repository: copy this folder onto the Bridge as it is (its imports are
relative so that it runs under any package name) and run `python -m <folder>`."""

from .agent import AgentSettings, BridgeAgent, TokenRejected
from .printers import (
    FilePrinter,
    NetworkPrinter,
    Printer,
    PrinterError,
    Printers,
    parse_printer,
)

__all__ = [
    "AgentSettings",
    "BridgeAgent",
    "FilePrinter",
    "NetworkPrinter",
    "Printer",
    "PrinterError",
    "Printers",
    "TokenRejected",
    "parse_printer",
]

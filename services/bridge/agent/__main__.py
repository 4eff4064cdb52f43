"""Runs the reference Bridge agent (README.md in this folder):

    export HALOPOS_BRIDGE_TOKEN=hpb_...
    python -m services.bridge.agent --url https://api.halopos.example \\
        --printer receipt=tcp://192.168.1.50:9100 --printer kitchen=tcp://192.168.1.60

Exit status: 0 when stopped (SIGINT, SIGTERM), 1 when the cloud refuses the token (revoked
or rotated out: restarting will not help, a new token will), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from .agent import AgentSettings, BridgeAgent, TokenRejected
from .printers import Printers, parse_printer

TOKEN_VARIABLE = "HALOPOS_BRIDGE_TOKEN"  # noqa: S105 - the variable's name, not a token
TOKEN_PREFIX = "hpb_"  # noqa: S105 - the recognisable prefix, not a token
EXIT_TOKEN_REJECTED = 1
# What every LogRecord has; anything else on a record is a field the agent logged.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, event, and the fields logged with it."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": record.getMessage(),
            **{k: v for k, v in vars(record).items() if k not in _RECORD_ATTRIBUTES},
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def parse_arguments(argv: Sequence[str] | None) -> tuple[AgentSettings, Printers, str]:
    parser = argparse.ArgumentParser(
        prog=f"python -m {__package__}",
        description="Prints the venue's receipts and tickets from the halopos cloud.",
    )
    parser.add_argument("--url", required=True, help="the cloud, e.g. https://api.halopos.example")
    parser.add_argument(
        "--token",
        default=os.environ.get(TOKEN_VARIABLE),
        help=f"the Bridge token (hpb_...); better in ${TOKEN_VARIABLE}, out of `ps`",
    )
    parser.add_argument(
        "--printer",
        action="append",
        required=True,
        metavar="ROLE[@REGISTER]=ADDRESS",
        help="receipt|kitchen|bar, optionally @register number, = tcp://host[:port] or "
        "file:/path; repeat for each printer",
    )
    parser.add_argument(
        "--wait", type=int, default=25, help="seconds a poll waits for a job (0-30, default 25)"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=0.0,
        help="seconds between empty polls (default 0: rely on --wait)",
    )
    parser.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    options = parser.parse_args(argv)
    if not options.token:
        parser.error(f"no token: set ${TOKEN_VARIABLE} (or pass --token)")
    if not options.token.startswith(TOKEN_PREFIX):
        parser.error(f"not a Bridge token: it starts with {TOKEN_PREFIX}")
    if not 0 <= options.wait <= 30:
        parser.error("--wait must be from 0 to 30")
    if options.interval < 0:
        parser.error("--interval must not be negative")
    printers = Printers()
    for text in options.printer:
        try:
            printers.add(*parse_printer(text))
        except ValueError as error:
            parser.error(f"--printer {text}: {error}")
    settings = AgentSettings(
        url=options.url, token=options.token, wait=options.wait, interval=options.interval
    )
    return settings, printers, options.log_level


async def serve(agent: BridgeAgent) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await agent.run(stop)
    except TokenRejected as error:
        logging.getLogger("halopos.bridge.agent").critical(
            "the cloud refused the Bridge token (revoked or rotated out); stopping. "
            "Create a new token in the backoffice and restart with it.",
            extra={"code": str(error)},
        )
        return EXIT_TOKEN_REJECTED
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    settings, printers, log_level = parse_arguments(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=log_level, handlers=[handler])
    # httpx logs every request at INFO: one line per poll, all day.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if any(argument.startswith("--token") for argument in argv or sys.argv[1:]):
        logging.getLogger("halopos.bridge.agent").warning(
            f"the token is on the command line, where `ps` shows it; use ${TOKEN_VARIABLE}"
        )
    return asyncio.run(serve(BridgeAgent(settings, printers)))


if __name__ == "__main__":
    sys.exit(main())

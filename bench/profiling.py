"""Where the services spend their CPU: py-spy attached to the running uvicorn processes for the
length of one scenario (`--profile` in bench/orders.py and bench/sync.py).

py-spy reads the target's Python stacks from outside (ptrace), so the services run unmodified
code, and it sees a coroutine's frames as the event loop runs them, where cProfile charges an
asyncio program's time to whatever frame happens to await. Only samples taken while the
process holds the GIL are kept (`--gil`): uvloop lets go of it while it waits in epoll, and
py-spy's own idle detection counts that wait as busy. So the samples are where the process was
running Python, or C called from Python: `own` is the innermost function of each sample,
`cumulative` every function anywhere on its stack (once per sample). Code in C (asyncpg's
protocol, httptools, uvloop's callbacks) is charged to the Python frame that called it, or to
the loop's own frames when no task is running.

Sampling pauses the target for each sample, so a profiled scenario is slower: the benches run
it as an extra pass whose throughput is not reported.
"""

from __future__ import annotations

import asyncio
import shutil
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

RATE_PER_SECOND = 200
TOP = 15
# A | inside a Markdown table cell, code spans included.
ESCAPED_PIPE = "\\|"


def py_spy() -> str:
    """The py-spy beside this interpreter (the dev dependency), else on PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise RuntimeError("py-spy is not installed: make lock's dev extra installs it")
    return found


class Profiler:
    """py-spy recording each named process into `directory`, from `begin` to `end` (a
    bench/load.py instrument): `profiles` after `end`."""

    def __init__(self, pids: Mapping[str, int], directory: Path) -> None:
        self._pids = dict(pids)
        self._directory = directory
        self._recorders: dict[str, subprocess.Popen[bytes]] = {}
        self.profiles: dict[str, dict[str, Any]] = {}

    async def begin(self) -> None:
        self.start()

    async def end(self) -> None:
        self.profiles = await asyncio.to_thread(self.stop)

    def _output(self, name: str) -> Path:
        return self._directory / f"{name}.txt"

    def start(self) -> None:
        for name, pid in self._pids.items():
            self._output(name).unlink(missing_ok=True)
            command = [
                py_spy(),
                "record",
                "--pid",
                str(pid),
                "--format",
                "raw",
                "--nolineno",
                "--gil",
                "--rate",
                str(RATE_PER_SECOND),
                "--output",
                str(self._output(name)),
            ]
            log = (self._directory / f"{name}.log").open("wb")
            self._recorders[name] = subprocess.Popen(command, stdout=log, stderr=log)

    def stop(self) -> dict[str, dict[str, Any]]:
        """Each process's summary (see `summarise`). py-spy writes its file on SIGINT."""
        for recorder in self._recorders.values():
            recorder.send_signal(signal.SIGINT)
        summaries = {}
        for name, recorder in self._recorders.items():
            recorder.wait(timeout=60)
            output = self._output(name)
            if not output.exists():
                log = (self._directory / f"{name}.log").read_text(errors="replace")
                raise RuntimeError(f"py-spy wrote no profile of {name}: {log[-500:]}")
            summaries[name] = summarise(output.read_text())
        self._recorders.clear()
        return summaries


# Frames under every sample: the interpreter starting uvicorn, and the event loop. A sample
# whose innermost frame is one of these is the loop's own work in C (uvloop: I/O, callbacks,
# httptools' and aiohttp's parsers), with no task's Python running.
_BOOTSTRAP = (
    "<frozen runpy>",
    "click/",
    "uvicorn/main.py",
    "uvicorn/__main__.py",
    "uvicorn/_compat.py",
    "uvicorn/server.py",
    "asyncio/runners.py",
    "asyncio/base_events.py",
    "asyncio/events.py",
)
EVENT_LOOP = "(the event loop in C: uvloop's I/O and callbacks, C parsers)"
# The web framework's layers wrap every request: on nearly every sample, so left out of the
# cumulative ranking (their own time still counts in `own`).
_FRAMEWORK = ("uvicorn/", "starlette/", "fastapi/", "anyio/", "contextlib.py")
_OURS = ("services/", "libs/", "gateway/")


def _path(frame: str) -> str:
    """The file of `name (path/to/module.py)`, as py-spy prints a frame with --nolineno."""
    return frame.rpartition("(")[2].rstrip(")")


def _bootstrap(frame: str) -> bool:
    return any(marker in _path(frame) for marker in _BOOTSTRAP)


def _package(frame: str) -> str:
    """The frame's package: the first directory of its path (two for our own code)."""
    parts = _path(frame).split("/")
    if len(parts) == 1:
        return parts[0] or "?"
    if parts[0] in ("services", "libs", "gateway", "ops", "doubles", "clients"):
        return "/".join(parts[:2])
    return parts[0]


def summarise(raw: str, top: int = TOP) -> dict[str, Any]:
    """py-spy's raw (collapsed-stack) output, `outer;...;inner count` per line, reduced to
    shares of all samples: the top functions by own samples; by cumulative samples (anywhere
    on the stack, once per sample), libraries' functions apart from our own code's, neither
    counting the event loop and the web framework that are under every request; and own
    samples by package."""
    own: Counter[str] = Counter()
    cumulative: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = [frame.strip() for frame in stack.split(";") if frame.strip()]
        if not frames:
            continue
        count = int(count_text)
        total += count
        if _bootstrap(frames[-1]):
            own[EVENT_LOOP] += count
            packages[EVENT_LOOP] += count
        else:
            own[frames[-1]] += count
            packages[_package(frames[-1])] += count
        for function in {frame for frame in frames if not _bootstrap(frame)}:
            path = _path(function)
            if path.startswith(_OURS):
                ours[function] += count
            elif not path.startswith(_FRAMEWORK):
                cumulative[function] += count

    def ranked(counter: Counter[str], limit: int) -> list[dict[str, Any]]:
        return [
            {"function": name, "samples": n, "share": round(n / total, 4)}
            for name, n in counter.most_common(limit)
        ]

    return {
        "samples": total,
        "rate_per_second": RATE_PER_SECOND,
        "cpu_seconds_sampled": round(total / RATE_PER_SECOND, 2),
        "own": ranked(own, top),
        "cumulative": ranked(cumulative, top),
        "cumulative_ours": ranked(ours, top),
        "own_by_package": ranked(packages, 12),
    }


def markdown(profiles: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One table per process: the top functions by own time, by cumulative time in libraries
    (the web framework aside), and by cumulative time in our own code (services/, libs/,
    gateway/)."""
    lines: list[str] = []
    for process, summary in profiles.items():
        lines += [
            f"**{process}**: {summary['samples']:,} samples at {summary['rate_per_second']}/s "
            f"(~{summary['cpu_seconds_sampled']} s holding the GIL).",
            "",
            "| # | own time | % | cumulative, libraries | % | cumulative, our code | % |",
            "| ---: | --- | ---: | --- | ---: | --- | ---: |",
        ]
        columns = [summary["own"], summary["cumulative"], summary.get("cumulative_ours", [])]
        for rank in range(max(len(column) for column in columns)):
            cells = " | ".join(" | ".join(_entry(column, rank)) for column in columns)
            lines.append(f"| {rank + 1} | {cells} |")
        packages = ", ".join(
            f"{entry['function']} {entry['share']:.0%}" for entry in summary["own_by_package"]
        )
        lines += ["", f"Own time by package: {packages}.", ""]
    return lines


def _entry(ranked: Sequence[Mapping[str, Any]], rank: int) -> tuple[str, str]:
    """A ranked function and its share as two table cells (empty past the end)."""
    if rank >= len(ranked):
        return "", ""
    entry = ranked[rank]
    return f"`{entry['function'].replace('|', ESCAPED_PIPE)}`", f"{entry['share']:.1%}"

"""Measuring another checkout with this bench (`--code PATH --label NAME`), so that one
results file shows the code before a change and after it, measured by the same instruments.

The bench re-runs itself in a child interpreter whose import path is a directory of symbolic
links: `bench` is this checkout's, everything else (`deploy`, `services`, `libs`, `gateway`,
`clients`) the other checkout's. So the other checkout's migrations build the schema, its
provisioning code sets up the tenants, and `ops.state.REPO` (which follows the links) names
it: the uvicorn processes start there and import its code. The load generator, the counters
and the reports stay this checkout's, and the results are written to this checkout's
bench/results.

The state directory stays this checkout's (HALOPOS_STATE_DIR): it holds the passwords the
database roles are given, and roles are shared by every database on the server, so another
checkout's fresh passwords would lock out everyone else using it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ops.state import STATE

BENCH = Path(__file__).resolve().parent
CODE_PACKAGES = ("deploy", "services", "libs", "gateway", "clients")
# Set in the child: the checkout it measures.
CODE_ENV = "HALOPOS_BENCH_CODE"


def rerun_with_code(code: Path, module: str, argv: Sequence[str]) -> int:
    """Runs `python -m module argv` with the servers' code from `code`; its exit status."""
    code = code.resolve()
    missing = [name for name in CODE_PACKAGES if not (code / name).is_dir()]
    if missing:
        raise SystemExit(f"--code {code}: not a halopos checkout (no {', '.join(missing)})")
    with tempfile.TemporaryDirectory(prefix="halopos-bench-code-") as farm:
        (Path(farm) / "bench").symlink_to(BENCH)
        for name in CODE_PACKAGES:
            (Path(farm) / name).symlink_to(code / name)
        environment = {
            **os.environ,
            "PYTHONPATH": farm,
            "HALOPOS_STATE_DIR": str(STATE),
            CODE_ENV: str(code),
        }
        # The working directory is the link farm too: `python -m` puts it first on the path.
        completed = subprocess.run(
            [sys.executable, "-m", module, *argv], env=environment, cwd=farm, check=False
        )
    return completed.returncode


def strip_code(argv: Sequence[str]) -> list[str]:
    """argv without `--code PATH` (or `--code=PATH`), for the child."""
    stripped: list[str] = []
    skip = False
    for argument in argv:
        if skip:
            skip = False
        elif argument == "--code":
            skip = True
        elif not argument.startswith("--code="):
            stripped.append(argument)
    return stripped

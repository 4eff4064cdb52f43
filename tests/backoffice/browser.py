"""Running one of the web apps' browser scripts (web/backoffice/e2e/*.e2e.mjs, and the till's
web/pos/e2e/ with `scripts=POS_SCRIPTS`) against the platform the tests of a folder share, and
reading back what it saw.

Each script gets a config.json: the platform's origin, the business, the people it signs in
as and whatever else the test passes, the chromium to drive, and the folders for its files and
screenshots. `make screenshots` sets HALOPOS_SCREENSHOTS to docs/backoffice/, so the docs'
pictures are the test run's; a plain test run keeps them in its own temporary folder, so the
tree stays as committed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.support import REPO_ROOT

CHROMIUM = Path(os.environ.get("HALOPOS_CHROMIUM", "/usr/bin/chromium"))
NODE = shutil.which("node")
SCRIPTS = REPO_ROOT / "web" / "backoffice" / "e2e"
POS_SCRIPTS = REPO_ROOT / "web" / "pos" / "e2e"
DOC_SCREENSHOTS = os.environ.get("HALOPOS_SCREENSHOTS")
MISSING = (
    None
    if CHROMIUM.exists() and NODE is not None
    else ("needs Debian's chromium and Node.js (.ci/run installs chromium)")
)


def run_browser(
    script: str,
    out: Path,
    config: dict[str, Any],
    *,
    timeout_seconds: int = 180,
    scripts: Path = SCRIPTS,
) -> dict[str, Any]:
    """Runs `<scripts>/<script>` (web/backoffice/e2e/ unless told) with `config` (plus the
    chromium and the folders); the script's result.json, with `out` and `screenshots_dir`
    added."""
    screenshots = Path(DOC_SCREENSHOTS) if DOC_SCREENSHOTS else out / "screenshots"
    full = {**config, "chromium": str(CHROMIUM), "out": str(out), "screenshots": str(screenshots)}
    (out / "config.json").write_text(json.dumps(full))
    assert NODE is not None
    finished = subprocess.run(  # noqa: S603 - our own script, with our pinned Playwright
        [NODE, str(scripts / script), str(out / "config.json")],
        cwd=REPO_ROOT / "web",
        capture_output=True,
        text=True,
        timeout=timeout_seconds,
        check=False,
    )
    assert finished.returncode == 0, (
        f"{finished.stdout}{finished.stderr}\n(the page as it failed: {out}/failure.png)"
    )
    result: dict[str, Any] = json.loads((out / "result.json").read_text())
    result["out"] = str(out)
    result["screenshots_dir"] = str(screenshots)
    return result


def unexpected_console_errors(result: dict[str, Any], expected: dict[str, str]) -> list[str]:
    """The console errors a run logged, but those `expected`: {who: part of the message}, e.g.
    {"manager": "status of 403"} (a refused API answer is logged by the browser as a failed
    load). Anything else (a CSP violation, a script error) is not expected."""
    return [
        message
        for message in result["console_errors"]
        if not any(
            message.startswith(f"{who}: ") and part in message for who, part in expected.items()
        )
    ]

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
import time
from collections.abc import Callable
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


# A script's question, answered by the test while the script runs (e.g. "activate a till
# with this code"): from its name and what the script wrote, what to write back.
Answer = Callable[[str, dict[str, Any]], dict[str, Any]]


def run_browser(
    script: str,
    out: Path,
    config: dict[str, Any],
    *,
    timeout_seconds: int = 180,
    scripts: Path = SCRIPTS,
    answer: Answer | None = None,
) -> dict[str, Any]:
    """Runs `<scripts>/<script>` (web/backoffice/e2e/ unless told) with `config` (plus the
    chromium and the folders); the script's result.json, with `out` and `screenshots_dir`
    added.

    With `answer`, the script's questions are answered while it runs: each `ask-<name>.json`
    it writes into `out` gets `answer-<name>.json`, from `answer(name, question)` (a failure
    is answered with its message, so the script stops with it)."""
    screenshots = Path(DOC_SCREENSHOTS) if DOC_SCREENSHOTS else out / "screenshots"
    full = {**config, "chromium": str(CHROMIUM), "out": str(out), "screenshots": str(screenshots)}
    (out / "config.json").write_text(json.dumps(full))
    assert NODE is not None
    log = (out / "browser.log").open("w")
    browser = subprocess.Popen(  # noqa: S603 - our own script, with our pinned Playwright
        [NODE, str(scripts / script), str(out / "config.json")],
        cwd=REPO_ROOT / "web",
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    answered: set[str] = set()
    deadline = time.monotonic() + timeout_seconds
    try:
        while browser.poll() is None:
            assert time.monotonic() < deadline, "the browser script took too long"
            for asked in sorted(out.glob("ask-*.json")) if answer is not None else ():
                name = asked.stem.removeprefix("ask-")
                if name in answered:
                    continue
                answered.add(name)
                try:
                    reply = answer(name, json.loads(asked.read_text()))
                except Exception as error:  # handed to the script, which fails with it
                    reply = {"error": repr(error)}
                part = out / f"answer-{name}.json.part"
                part.write_text(json.dumps(reply))
                part.rename(out / f"answer-{name}.json")
            time.sleep(0.05)
    finally:
        if browser.poll() is None:
            browser.kill()
        browser.wait()
        log.close()
    assert browser.returncode == 0, (
        f"{(out / 'browser.log').read_text()}\n(the page as it failed: {out}/failure.png)"
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

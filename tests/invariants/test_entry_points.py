"""Each process's entry module imports on its own, in a fresh interpreter.

In this test process the modules are imported in whatever order the fixtures happen to use,
which can hide an import cycle that breaks `uvicorn --factory <module>:create_app` (and so
`make run` and `make bench`) for every process.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from libs.config import SERVICES
from tests.support import REPO_ROOT

# Starts processes or servers of its own: a fresh interpreter per entry module.
# `-m "not process"` leaves it out.
pytestmark = pytest.mark.process

ENTRY_MODULES = ["gateway.app", *(f"services.{spec.name}.app" for spec in SERVICES)]
PROJECT_PACKAGES = ["clients", "doubles", "gateway", "libs", "ops", "services"]

# One interpreter pays for the third-party imports once; a forked child per entry module then
# imports the project's modules from nothing, as a freshly started process would.
IMPORT_EACH_FROM_A_FORK = """
import os, sys, traceback
import aiohttp, argon2, asyncpg, cryptography, fastapi, httpx, jwt, prometheus_client
import pydantic, pydantic_settings, starlette, uvicorn
import sqlalchemy, sqlalchemy.ext.asyncio, sqlalchemy.orm
project, modules = sys.argv[1].split(","), sys.argv[2:]
preloaded = [name for name in sys.modules if name.split(".")[0] in project]
assert not preloaded, preloaded
failed = []
for module in modules:
    child = os.fork()
    if child == 0:
        try:
            __import__(module)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitpid(child, 0)[1] != 0:
        failed.append(module)
print(",".join(failed))
"""


def test_every_entry_module_imports_in_a_fresh_interpreter() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter, script and module names
        [sys.executable, "-c", IMPORT_EACH_FROM_A_FORK, ",".join(PROJECT_PACKAGES), *ENTRY_MODULES],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "", result.stderr[-3000:]

"""The OpenAPI document does not depend on what a process imported first.

typing caches `Literal[...] | None` by equality, and two Literals with the same values in
another order are equal: a module that spelled the operation states in another order, imported
earlier, used to change the enum order the document shows for `GET /v1/sync/operations`, so
the document the gateway served and the one the fuzz read could differ.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support import REPO_ROOT

# Starts processes or servers of its own: a fresh interpreter, so typing's cache starts empty.
# `-m "not process"` leaves it out.
pytestmark = pytest.mark.process

DOCUMENT_AFTER_ANOTHER_SPELLING = """
import json
from typing import Literal

earlier = Literal["pending", "waiting", "applied", "rejected"] | None

from fastapi import FastAPI
from services.orders.sync.router import router

app = FastAPI()
app.include_router(router)
document = app.openapi()
parameters = document["paths"]["/v1/sync/operations"]["get"]["parameters"]
status = next(p for p in parameters if p["name"] == "status")["schema"]["anyOf"][0]["enum"]
state = document["components"]["schemas"]["ItemResult"]["properties"]["state"]["anyOf"][0]
print(json.dumps([status, state["enum"]]))
"""


def test_the_operation_states_read_the_same_whatever_was_imported_first() -> None:
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", DOCUMENT_AFTER_ANOTHER_SPELLING],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    status, state = json.loads(result.stdout)
    assert status == state == ["applied", "pending", "waiting", "rejected"]

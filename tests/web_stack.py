"""The platform the browser tests of the web apps share (tests/backoffice/, tests/pos/): the
gateway serving both built apps and the API, every service behind it, a real Postgres
(tests/fuzz/stack.py, the same processes `make run` starts, in one). Each folder's conftest
starts one for itself (`web_stack`) and skips its tests where chromium or Node is missing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from libs.config import platform_settings
from ops.platform import PreparedDatabase
from tests.conftest import _free_port
from tests.fuzz.stack import FuzzStack
from tests.support import REPO_ROOT

BACKOFFICE_DIST = REPO_ROOT / "web" / "backoffice" / "dist"
POS_DIST = REPO_ROOT / "web" / "pos" / "dist"


def skip_folder_without(missing: str | None, folder: str, items: list[pytest.Item]) -> None:
    """Marks the tests under `folder` (e.g. "tests/pos/") skipped when `missing` says why."""
    if missing is None:
        return
    for item in items:
        if folder in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.skip(reason=missing))


@contextmanager
def web_stack(database: PreparedDatabase) -> Iterator[tuple[FuzzStack, str]]:
    """The platform with its gateway on a port chosen here: the browser's proofs name the page's
    origin, so the public URL every layer checks them against is that origin."""
    assert (BACKOFFICE_DIST / "index.html").exists(), "build the backoffice first: make backoffice"
    assert (POS_DIST / "index.html").exists(), "build the till first: make pos"
    port = _free_port()
    public_url = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HALOPOS_PUBLIC_URL", public_url)
        platform_settings.cache_clear()
        platform = FuzzStack(
            database,
            gateway_port=port,
            backoffice_dir=str(BACKOFFICE_DIST),
            pos_dir=str(POS_DIST),
        )
        platform.start()
        try:
            yield platform, public_url
        finally:
            platform.stop()
            platform_settings.cache_clear()
    platform_settings.cache_clear()

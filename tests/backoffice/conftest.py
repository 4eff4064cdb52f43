"""The platform the backoffice's browser tests share: the gateway serving the built app and the
API, every service behind it, a real Postgres (tests/fuzz/stack.py, the same processes `make
run` starts, in one), started once for this folder, and the business they sign in to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from libs.config import platform_settings
from ops.platform import PreparedDatabase
from tests.backoffice.browser import DIST, MISSING
from tests.backoffice.business import Business, set_up_business
from tests.conftest import _free_port
from tests.fuzz.stack import FuzzStack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if MISSING is None:
        return
    for item in items:
        if "tests/backoffice/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.skip(reason=MISSING))


@pytest.fixture(scope="package")
def stack(database: PreparedDatabase) -> Iterator[tuple[FuzzStack, str]]:
    """The platform with its gateway on a port chosen here: the browser's proofs name the page's
    origin, so the public URL every layer checks them against is that origin."""
    assert (DIST / "index.html").exists(), "build the backoffice first: make backoffice"
    port = _free_port()
    public_url = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HALOPOS_PUBLIC_URL", public_url)
        platform_settings.cache_clear()
        platform = FuzzStack(database, gateway_port=port, backoffice_dir=str(DIST))
        platform.start()
        try:
            yield platform, public_url
        finally:
            platform.stop()
            platform_settings.cache_clear()
    platform_settings.cache_clear()


@pytest.fixture(scope="package")
def business(stack: tuple[FuzzStack, str]) -> Business:
    platform, public_url = stack
    return platform.run(set_up_business(platform, public_url))

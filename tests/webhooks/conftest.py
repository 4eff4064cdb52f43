from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.webhooks import Receiver, serve


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    listening = Receiver()
    runner = await serve(listening)
    yield listening
    await runner.cleanup()
    # Whatever the test read, every body it was sent matched the document (support/webhooks.py).
    assert not listening.mismatches, listening.mismatches

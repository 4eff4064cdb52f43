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

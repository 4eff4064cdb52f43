"""What one fake Stripe account is: its secret key, its webhook endpoint and where it is reached."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# The version the pinned `stripe` library sends (`stripe.api_version`); the shapes the fake
# answers with are this version's. A test keeps the two equal when the library is upgraded.
API_VERSION = "2026-10-28.endive"

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8010"


@dataclass(frozen=True)
class FakeStripeConfig:
    # The only secret key accepted (`Authorization: Bearer …`), e.g. "sk_test_…". Neither
    # secret appears in the config's repr, so a logged config or a traceback does not leak it.
    api_key: str = field(repr=False)
    # "whsec_…": signs every webhook delivery, as the endpoint's signing secret does on Stripe.
    webhook_secret: str = field(repr=False)
    # Where a browser reaches the fake: the hosted Checkout and portal URLs start with it.
    public_url: str
    # Where each new event is pushed, like `stripe listen --forward-to`; None pushes nothing.
    webhook_url: str | None = None
    # JSON file keeping every object and event across restarts (`make run`); None keeps memory.
    state_file: Path | None = None

    @classmethod
    def from_environment(cls) -> FakeStripeConfig:
        """For `uvicorn --factory doubles.fake_stripe.app:create_app`."""
        state_file = os.environ.get("HALOPOS_FAKE_STRIPE_STATE_FILE")
        return cls(
            api_key=_required("HALOPOS_STRIPE_API_KEY"),
            webhook_secret=_required("HALOPOS_STRIPE_WEBHOOK_SECRET"),
            public_url=os.environ.get("HALOPOS_FAKE_STRIPE_PUBLIC_URL", DEFAULT_PUBLIC_URL),
            webhook_url=os.environ.get("HALOPOS_FAKE_STRIPE_WEBHOOK_URL") or None,
            state_file=Path(state_file) if state_file else None,
        )


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"{name} must be set for the fake Stripe server")
    return value

"""What the tests and the benches (bench/) share: connections as the services' own roles bound
to a tenant, access tokens as the identity service mints them, and the arranged venues, tills,
Bridges and sales the tests and benches start from. Nothing here is a pytest fixture, so a
bench imports it without pytest; tests/conftest.py builds the fixtures from it."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]

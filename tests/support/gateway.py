"""The gateway's shared secret for a test: the gateway and the services of this process trust
each other's forwarded headers only with it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from libs.config import platform_settings

if TYPE_CHECKING:
    import pytest


SECRET = "test-gateway-secret-" + "x" * 32


def trust_the_gateway(monkeypatch: pytest.MonkeyPatch, secret: str = SECRET) -> str:
    """The gateway and the services of this process share `secret` for the test (as
    HALOPOS_GATEWAY_SECRET would give it to every process); both read it per request."""
    monkeypatch.setattr(platform_settings(), "gateway_secret", secret)
    return secret

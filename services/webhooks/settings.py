"""The webhooks service's settings, from the environment (HALOPOS_WEBHOOKS_*).

The key that encrypts endpoints' signing secrets at rest is read from a file
(HALOPOS_WEBHOOKS_SECRET_KEY_FILE: the base64 of 32 random bytes), as the identity service
reads its TOTP key; `halopos run --development` makes one in .state/, production names one
from its secret store. It is never in the repository or the database.
"""

from __future__ import annotations

import base64
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Standard Webhooks' suggested schedule after the first try (immediately): 5 s, 5 min, 30 min,
# 2 h, 5 h, 10 h, 10 h. Eight attempts over about 27.6 hours.
DEFAULT_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


class WebhookSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALOPOS_", extra="ignore")

    webhooks_secret_key_file: Path | None = None
    # Seconds to wait before each retry (the first attempt is immediate); a delivery that
    # fails them all is `failed` (a replay starts it again). Jitter: each wait is stretched
    # by up to `webhooks_retry_jitter` of itself, so receivers coming back up are not hit by
    # every sender at once.
    webhooks_retry_schedule: tuple[float, ...] = Field(default=DEFAULT_RETRY_SCHEDULE)
    webhooks_retry_jitter: float = Field(default=0.2, ge=0, le=1)
    # An endpoint is disabled when every attempt to it has failed for this long, or when this
    # many messages in a row have spent the whole schedule without one success.
    webhooks_disable_after_seconds: float = Field(default=5 * 24 * 3600, gt=0)
    webhooks_disable_after_failed_messages: int = Field(default=5, ge=1)
    # Seconds a rotated-out secret keeps signing beside the new one.
    webhooks_rotation_grace_seconds: int = Field(default=24 * 3600, ge=0)
    # One attempt's limit: resolving the name, connecting, sending and reading the status line.
    webhooks_send_timeout: float = Field(default=10.0, gt=0)
    # How often the worker asks the database for work (it is also woken by its own API).
    webhooks_poll_interval: float = Field(default=1.0, gt=0)
    # Development and tests only: let endpoints be http:// on loopback (127.0.0.1, ::1), which
    # production refuses like every private address (docs/webhooks.md, "Where we send").
    webhooks_allow_loopback: bool = False

    @field_validator("webhooks_retry_schedule")
    @classmethod
    def _positive(cls, schedule: tuple[float, ...]) -> tuple[float, ...]:
        if any(wait < 0 for wait in schedule):
            raise ValueError("retry waits must not be negative")
        return schedule

    def secret_key(self) -> bytes:
        if self.webhooks_secret_key_file is None:
            raise RuntimeError("HALOPOS_WEBHOOKS_SECRET_KEY_FILE is not set")
        text = self.webhooks_secret_key_file.read_text().strip()
        return base64.b64decode(text, validate=True)

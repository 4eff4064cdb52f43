"""Offline sync settings, from the environment (HALOPOS_SYNC_*)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class SyncSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALOPOS_SYNC_", extra="ignore")

    # Seconds after which a card payment taken offline (store and forward) is flagged when
    # it reaches us: acquirers accept offline authorisations only for so long, and a
    # payment that old may never settle.
    offline_card_max_age_seconds: int = Field(86_400, gt=0)
    # Seconds within which a close or refund the server numbers (a till that was online:
    # docs/sync.md, "Live operations") must reach us for its paper to be queued. The
    # customer is still at the counter for that long; a receipt or kitchen ticket printed
    # later helps nobody, so a later one is numbered, not printed, and flagged.
    live_print_seconds: int = Field(120, ge=0)

    @property
    def offline_card_max_age(self) -> timedelta:
        return timedelta(seconds=self.offline_card_max_age_seconds)

    @property
    def live_print_window(self) -> timedelta:
        return timedelta(seconds=self.live_print_seconds)

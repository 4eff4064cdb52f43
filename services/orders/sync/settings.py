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

    @property
    def offline_card_max_age(self) -> timedelta:
        return timedelta(seconds=self.offline_card_max_age_seconds)

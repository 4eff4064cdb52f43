"""Print queue settings, from the environment (HALOPOS_PRINT_*). The orders service reads the
job age limit when it queues a job; the bridge service reads the rest when it leases them."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PrintSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALOPOS_PRINT_", extra="ignore")

    # Seconds after which an unprinted job is expired instead of printed: a kitchen ticket
    # or a receipt that arrives a quarter of an hour late does more harm than good.
    job_max_age: int = Field(900, gt=0)
    # Seconds a leased job stays invisible to other polls; a Bridge that crashes mid-print
    # gets it again after this.
    lease_seconds: int = Field(30, gt=0)
    # Deliveries before a job that keeps failing (or is never acknowledged) is parked as
    # failed for a person to look at.
    max_attempts: int = Field(5, gt=0)
    # The longest a poll may wait for a job (`?wait=`); below the gateway's 45 s long-poll
    # timeout (gateway/forwarding.py), so a waiting poll is answered, never cut off.
    max_wait: int = Field(25, gt=0)

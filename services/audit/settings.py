"""The audit service's settings, from the environment (HALOPOS_AUDIT_*)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class AuditSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALOPOS_AUDIT_", extra="ignore")

    # The Ed25519 private key (PKCS#8 PEM) that signs checkpoints; `halopos run` makes one.
    signing_key_file: Path | None = None
    # Checkpoint origins are "<origin>/<tenant id>": a schema-less URL naming this platform.
    origin: str = "audit.halopos.localhost"
    # Seconds between periodic checkpoints of every tenant with new entries; 0 turns them off.
    checkpoint_interval: float = 300.0

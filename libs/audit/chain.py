"""The audit hash chain: what is hashed and how (pure functions, no I/O).

    hash = SHA-256(prev_hash || canonical_entry)

`prev_hash` is the raw 32-byte hash of the tenant's previous entry, or 32 zero bytes
(`GENESIS_HASH`) for its first entry (seq 1). `canonical_entry` is the RFC 8785 (JCS)
serialisation, UTF-8, of exactly the fields in `CHAINED_FIELDS`: UUIDs lower-case hex with
hyphens, `seq` an integer, `occurred_at` RFC 3339 UTC with microseconds and a `Z`
(`2026-11-23T11:20:37.123456Z`), `request_id` a string or null, `payload` a JSON object whose
numbers are integers within +/-2^53 (money is integer minor units, never floats).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import rfc8785

GENESIS_HASH = bytes(32)

CHAINED_FIELDS = (
    "tenant_id",
    "seq",
    "id",
    "occurred_at",
    "service",
    "actor_type",
    "actor_id",
    "action",
    "resource_type",
    "resource_id",
    "request_id",
    "payload",
)


def format_timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_entry(entry: Mapping[str, Any]) -> bytes:
    missing = [name for name in CHAINED_FIELDS if name not in entry]
    if missing:
        raise ValueError(f"audit entry lacks {missing}")
    document = {name: entry[name] for name in CHAINED_FIELDS}
    return bytes(rfc8785.dumps(document))


def entry_hash(prev_hash: bytes, entry: Mapping[str, Any]) -> bytes:
    if len(prev_hash) != 32:
        raise ValueError("prev_hash must be 32 bytes")
    return hashlib.sha256(prev_hash + canonical_entry(entry)).digest()

"""The audit hash chain: what is hashed and how (pure functions, no I/O).

    hash = SHA-256(prev_hash || canonical_entry)

`prev_hash` is the raw 32-byte hash of the tenant's previous entry, or 32 zero bytes
(`GENESIS_HASH`) for its first entry (seq 1). `canonical_entry` is the RFC 8785 (JCS)
serialisation, UTF-8, of exactly the fields in `CHAINED_FIELDS`: UUIDs lower-case hex with
hyphens, `seq` an integer, `occurred_at` RFC 3339 UTC with microseconds and a `Z`
(`2026-11-23T11:20:37.123456Z`), `request_id` a string or null, `payload` a JSON object whose
numbers are integers within +/-(2^53 - 1) (money is integer minor units, never floats).
The specification, for implementers elsewhere, is docs/audit-chain.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import rfc8785

GENESIS_HASH = bytes(32)
# Payload integers must survive every JSON implementation exactly (IEEE doubles).
MAX_SAFE_INTEGER = 2**53 - 1

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


def check_payload(value: Any, path: str = "payload") -> None:
    """Refuse what the chain specification does not allow in a payload: floats (their
    canonical form differs between implementations), integers beyond +/-(2^53 - 1), and
    anything that is not JSON."""
    if value is None or isinstance(value, (str, bool)):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"{path}: integer {value} is beyond +/-(2^53 - 1)")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object keys must be strings")
            check_payload(item, f"{path}.{key}")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            check_payload(item, f"{path}[{index}]")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not allowed in an audit payload")


def canonical_entry(entry: Mapping[str, Any]) -> bytes:
    missing = [name for name in CHAINED_FIELDS if name not in entry]
    if missing:
        raise ValueError(f"audit entry lacks {missing}")
    if not isinstance(entry["payload"], Mapping):
        raise ValueError("an audit payload is a JSON object")
    check_payload(entry["payload"])
    document = {name: entry[name] for name in CHAINED_FIELDS}
    return bytes(rfc8785.dumps(document))


def canonical_around_seq(entry: Mapping[str, Any]) -> tuple[bytes, bytes]:
    """`canonical_entry` split where `seq` goes: for every seq n,

        canonical_entry(entry with seq n) == before + ASCII decimal digits of n + after

    so that whoever learns the seq last (the append, under the chain head's lock: see
    append.py) can finish the hash without canonicalising again. JCS sorts the members by
    name, so `seq` is followed by exactly the chained fields that sort after it."""
    document = canonical_entry({**entry, "seq": 0})
    following = {name: entry[name] for name in CHAINED_FIELDS if name > "seq"}
    after = b"," + bytes(rfc8785.dumps(following))[1:]
    marker = b'"seq":0' + after
    if not document.endswith(marker):
        raise ValueError("seq is not where JCS puts it")  # cannot happen with these names
    return document[: -len(after) - 1], after


def entry_hash(prev_hash: bytes, entry: Mapping[str, Any]) -> bytes:
    if len(prev_hash) != 32:
        raise ValueError("prev_hash must be 32 bytes")
    return hashlib.sha256(prev_hash + canonical_entry(entry)).digest()


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first entry at which a chain stops being valid, and why."""

    seq: int
    reason: str


class ChainWalk:
    """Checks a tenant's entries one at a time, in seq order, from genesis or from a trusted
    point (a checkpoint's size and hash). `step` returns the first break and stops there."""

    def __init__(self, tenant: str, *, size: int = 0, head: bytes = GENESIS_HASH) -> None:
        self.tenant = tenant
        self.size = size
        self.head = head
        self.broken: ChainBreak | None = None

    def step(self, entry: Mapping[str, Any], prev_hash: bytes, hash: bytes) -> ChainBreak | None:
        if self.broken is not None:
            return self.broken
        expected = self.size + 1
        self.broken = self._check(expected, entry, prev_hash, hash)
        if self.broken is None:
            self.size, self.head = expected, hash
        return self.broken

    def _check(
        self, expected: int, entry: Mapping[str, Any], prev_hash: bytes, hash: bytes
    ) -> ChainBreak | None:
        seq = entry.get("seq")
        if seq != expected:
            if isinstance(seq, int) and seq > expected:
                return ChainBreak(expected, f"entry {expected} is missing (the next is {seq})")
            return ChainBreak(expected, f"entry {expected} is out of order (found seq {seq})")
        if entry.get("tenant_id") != self.tenant:
            return ChainBreak(expected, "the entry belongs to another tenant")
        if prev_hash != self.head:
            return ChainBreak(expected, f"prev_hash does not link to entry {self.size}")
        try:
            recomputed = entry_hash(prev_hash, entry)
        except ValueError as error:
            return ChainBreak(expected, f"the entry cannot be canonicalised: {error}")
        if recomputed != hash:
            return ChainBreak(expected, "the hash does not recompute: the entry was changed")
        return None

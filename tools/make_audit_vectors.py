"""Writes docs/audit-chain-vectors.json: known answers for the audit chain specification.

    .venv/bin/python -m tools.make_audit_vectors > docs/audit-chain-vectors.json

Every input is fixed, so the output is reproducible; tests/libs/audit/test_audit_vectors.py
checks the committed file against both implementations. The entries exercise what canonicalisation
gets wrong most often: member order by UTF-16 code units, escapes, non-ASCII, nesting,
large integers, null.
"""

from __future__ import annotations

import hashlib
import json
import sys
import uuid
from typing import Any

from libs.audit.chain import CHAINED_FIELDS, GENESIS_HASH, canonical_entry, entry_hash
from libs.audit.checkpoints import CheckpointSigner, origin_for

TENANT = "0b6f3c1e-5a7d-4e2b-9c11-3f0e8a2d4b6c"
ORIGIN_PREFIX = "audit.halopos.localhost"
# Published on purpose: the key that signs the vector checkpoint. Never use it for anything.
TEST_KEY_SEED = hashlib.sha256(b"halopos audit-chain test vector key: not a secret").digest()

_BASE = {"tenant_id": TENANT, "service": "orders", "request_id": None}
ENTRIES: list[dict[str, Any]] = [
    {
        **_BASE,
        "id": "6a1f7c2e-0d4b-4f8a-9e3c-1b2d3e4f5a6b",
        "occurred_at": "2026-11-23T09:00:00.000000Z",
        "service": "identity",
        "actor_type": "operator",
        "actor_id": "ops@halopos",
        "action": "tenant.created",
        "resource_type": "tenant",
        "resource_id": TENANT,
        "payload": {"name": "Harbour Lane Café", "region": "ap-southeast-2", "currency": "AUD"},
    },
    {
        **_BASE,
        "id": "7b2e8d3f-1e5c-4a9b-8f4d-2c3e4f5a6b7c",
        "occurred_at": "2026-11-23T09:15:42.123456Z",
        "actor_type": "cashier",
        "actor_id": "staff-17",
        "action": "order.closed",
        "resource_type": "order",
        "resource_id": "c0ffee00-0000-4000-8000-000000000001",
        "request_id": "req-01HX",
        "payload": {
            "total_minor": 1250,
            "tax": [{"rate_bps": 1000, "tax_minor": 114}, {"rate_bps": 0, "tax_minor": 0}],
            "receipt": "R1-000001",
            "rounding_minor": -2,
            "paid": True,
            "note": None,
        },
    },
    {
        **_BASE,
        "id": "8c3f9e4a-2f6d-4bac-9a5e-3d4e5f6a7b8c",
        "occurred_at": "2026-11-23T09:16:00.000001Z",
        "actor_type": "manager",
        "actor_id": "staff-3",
        "action": "order.refunded",
        "resource_type": "order",
        "resource_id": "c0ffee00-0000-4000-8000-000000000001",
        "payload": {
            # Members sorted by UTF-16 code units: "\U0001f600" (D83D DE00) before "\ue000".
            "\ue000": "private use",
            "\U0001f600": "emoji key",
            "a": 1,
            "B": 2,
            "é": 3,
            "reason": 'quote " backslash \\ tab \t newline \n bell \x07 del \x7f',
            "unicode": "Größe, 東京, \u2028, \U0001f9fe",
            "limits": [9007199254740991, -9007199254740991, 0],
            "nested": {"empty_object": {}, "empty_list": [], "flag": False},
        },
    },
    {
        **_BASE,
        "id": "9d4a0f5b-3a7e-4cbd-8b6f-4e5f6a7b8c9d",
        "occurred_at": "2026-11-24T02:59:59.999999Z",
        "actor_type": "owner",
        "actor_id": "staff-1",
        "action": "tax_rate.scheduled",
        "resource_type": "tax_category",
        "resource_id": "standard",
        "payload": {},
    },
]


def vectors() -> dict[str, Any]:
    signer = CheckpointSigner.from_seed(TEST_KEY_SEED)
    origin = origin_for(ORIGIN_PREFIX, uuid.UUID(TENANT))
    chain: list[dict[str, Any]] = []
    previous = GENESIS_HASH
    for seq, fields in enumerate(ENTRIES, start=1):
        entry = {name: {**fields, "seq": seq}[name] for name in CHAINED_FIELDS}
        digest = entry_hash(previous, entry)
        chain.append(
            {
                "entry": entry,
                "prev_hash": previous.hex(),
                "canonical_entry": canonical_entry(entry).decode("utf-8"),
                "hash": digest.hex(),
            }
        )
        previous = digest
    checkpoints = [
        {
            "size": size,
            "hash": bytes.fromhex(chain[size - 1]["hash"]).hex(),
            "note": signer.sign(origin, size, bytes.fromhex(chain[size - 1]["hash"])),
        }
        for size in (2, len(chain))
    ]
    return {
        "specification": "docs/audit-chain.md",
        "genesis_hash": GENESIS_HASH.hex(),
        "chain": chain,
        "checkpoint_key": {
            "note": "a published test key: never use it for anything but these vectors",
            "ed25519_seed": TEST_KEY_SEED.hex(),
            "public_key": signer.public_key.hex(),
            "key_name": origin,
            "key_id": signer.key_id(origin).hex(),
            "verifier_key": signer.verifier_key(origin),
        },
        "checkpoints": checkpoints,
    }


def main() -> None:
    json.dump(vectors(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

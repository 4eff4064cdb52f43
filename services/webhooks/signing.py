"""Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme").

A delivery carries `webhook-id` (the message id, the same on every retry), `webhook-timestamp`
(Unix seconds of this attempt) and `webhook-signature`: `v1,<base64 HMAC-SHA256>` over
`"{id}.{timestamp}.{body}"`, keyed with the bytes of the endpoint's secret; during a rotation
one such signature per live secret, separated by spaces, and a receiver accepts the delivery
if any of them verifies with a secret it holds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Sequence

from services.webhooks.signing_secrets import key_of


def signature(secret: str, *, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(
    secrets: Sequence[str], *, message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id=message_id, timestamp=timestamp, body=body)
            for secret in secrets
        ),
        "content-type": "application/json",
    }

"""Local state of a development checkout: `.state/` (git-ignored), created on first use.

It holds the embedded Postgres data directory, generated dev secrets (database role passwords,
the dev token-signing key, the TOTP encryption key, the audit checkpoint key, the gateway's
shared secret, demo staff credentials) and nothing that a production deployment would read.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
STATE = Path(os.environ.get("HALOPOS_STATE_DIR", REPO / ".state"))
SECRETS_FILE = STATE / "secrets.json"
SIGNING_KEY_FILE = STATE / "keys" / "identity-signing.pem"
TOTP_KEY_FILE = STATE / "keys" / "identity-totp.key"
WEBHOOKS_KEY_FILE = STATE / "keys" / "webhooks-secrets.key"
AUDIT_KEY_FILE = STATE / "keys" / "audit-checkpoints.pem"


def dev_secrets() -> dict[str, Any]:
    """Generated once per checkout, readable by its owner only."""
    if SECRETS_FILE.exists():
        loaded: dict[str, Any] = json.loads(SECRETS_FILE.read_text())
        return loaded
    STATE.mkdir(parents=True, exist_ok=True)
    generated = {
        "superuser_password": secrets.token_urlsafe(24),
        "role_passwords": {},
    }
    descriptor = os.open(SECRETS_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        json.dump(generated, file)
    return generated


def role_password(role: str) -> str:
    data = dev_secrets()
    passwords: dict[str, str] = data["role_passwords"]
    if role not in passwords:
        passwords[role] = secrets.token_urlsafe(24)
        SECRETS_FILE.write_text(json.dumps(data))
    return passwords[role]


def gateway_secret() -> str:
    """The dev secret the gateway sends with every forwarded request (X-Halopos-Gateway), by
    which the services know its forwarding headers are the gateway's (libs/api/
    request_context.py). Stable across runs; production reads HALOPOS_GATEWAY_SECRET from its
    secret store."""
    data = dev_secrets()
    if "gateway_secret" not in data:
        data["gateway_secret"] = secrets.token_urlsafe(32)
        SECRETS_FILE.write_text(json.dumps(data))
    secret: str = data["gateway_secret"]
    return secret


def demo_secret(name: str, *, digits: int | None = None) -> str:
    """A generated demo credential (staff passwords and PINs), stable across runs."""
    data = dev_secrets()
    demo: dict[str, str] = data.setdefault("demo", {})
    if name not in demo:
        if digits is None:
            demo[name] = secrets.token_urlsafe(12)
        else:
            demo[name] = "".join(secrets.choice("0123456789") for _ in range(digits))
        SECRETS_FILE.write_text(json.dumps(data))
    return demo[name]


def _ensure_key(path: Path) -> Path:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.b64encode(secrets.token_bytes(32)).decode("ascii"))
    return path


def ensure_totp_key() -> Path:
    """The dev key that encrypts TOTP secrets at rest (production: from its secret store)."""
    return _ensure_key(TOTP_KEY_FILE)


def ensure_webhooks_key() -> Path:
    """The dev key that encrypts webhook endpoints' signing secrets at rest (production: from
    its secret store)."""
    return _ensure_key(WEBHOOKS_KEY_FILE)

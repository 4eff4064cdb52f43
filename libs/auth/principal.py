from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from libs.rbac.matrix import Role


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, as proven by a verified access token. The only source of a tenant id."""

    subject: str
    tenant_id: UUID
    role: Role
    location_id: UUID | None = None
    device_id: UUID | None = None
    token_id: str | None = None
    # The sign-in session (refresh-token family) the token was issued in.
    session_id: UUID | None = None
    # RFC 7638 thumbprint of the device key the token is bound to (cnf.jkt), when bound.
    key_thumbprint: str | None = None

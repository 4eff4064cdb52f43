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
    # The venues (location ids) this caller reaches: None is every location of the business.
    # A caller at a location (a till's session, a Bridge) reaches that location alone, so it
    # is filled from `location_id` when not given; a backoffice session reaches the
    # locations its staff member is assigned to (the token's `locs` claim). An empty set
    # reaches nothing.
    venues: frozenset[UUID] | None = None

    def __post_init__(self) -> None:
        if self.location_id is None:
            return
        if self.venues is None:
            object.__setattr__(self, "venues", frozenset({self.location_id}))
        elif self.venues != {self.location_id}:
            raise ValueError("a principal at a location reaches that location alone")

    def reaches(self, location_id: UUID) -> bool:
        """Whether this caller may see and act on what happens at `location_id`."""
        return self.venues is None or location_id in self.venues

"""The roster a till shows on its PIN pad before anyone has signed in on it.

No session exists yet, so the till proves itself as it does at PIN sign-in (docs/sessions.md):
its handle names the business and the device, and a DPoP proof shows it holds the key the
device registered at activation. The venue comes from the device record alone; the request
names nothing else. A read: nothing is audited, and the answer carries what a PIN pad shows
(id, display name, role), never an email, a PIN hash or anything else about a person.
"""

from __future__ import annotations

import hashlib
import json
from uuid import UUID

from libs.problems import Problem, Unauthenticated
from services.identity.devices.repository import DeviceRepository
from services.identity.devices.schemas import DeviceStatus, Roster, RosterMember


class DeviceNotRecognised(Unauthenticated):
    code = "device-not-recognised"
    title = "No device of this business holds the key that signed this request"


class DeviceRevoked(Problem):
    status = 403
    code = "device-revoked"
    title = "This device has been revoked; activate it again with a new code"


def _version(location_id: UUID, members: list[RosterMember]) -> str:
    """A digest of everything the answer says: it changes exactly when the roster does, with
    no counter to keep (a rename, a role change, someone joining, leaving or moving venue)."""
    content = [str(location_id)] + [
        [str(member.id), member.display_name, member.role.value] for member in members
    ]
    encoded = json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


async def roster_for_device(
    *, devices: DeviceRepository, device_id: UUID, key_thumbprint: str
) -> Roster | DeviceNotRecognised | DeviceRevoked:
    """The roster of the device's venue, or why the device gets none.

    An unknown device and a device held under another key get one answer: that costs the
    caller nothing to learn and says nothing. A revoked device proven by its own key is told
    so, so that the till can wipe what it keeps (docs/pos-client.md, "Signing in offline")."""
    found = await devices.get(device_id)
    if found is None or found.key_thumbprint != key_thumbprint:
        return DeviceNotRecognised()
    if found.status is not DeviceStatus.ACTIVE:
        return DeviceRevoked()
    members = await devices.roster(found.location_id)
    return Roster(
        location_id=found.location_id,
        version=_version(found.location_id, members),
        staff=members,
    )

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_event_payload import AuditEventPayload


T = TypeVar("T", bound="AuditEvent")


@_attrs_define
class AuditEvent:
    """One entry of the business's audit log: who did what to which resource, when, and the
    hash chain that makes a later edit or deletion detectable.

        Attributes:
            seq (int): The entry's place in the business's log: 1, 2, 3...
            id (UUID):
            occurred_at (datetime.datetime): When it happened (on a till, if offline)
            recorded_at (datetime.datetime): When the log recorded it
            service (str): The service that wrote it: orders, identity, ...
            actor_type (str): Who did it: a role (owner, manager, cashier, accountant), or `device`, `bridge`, `operator`
                (the command line), `system`, `stripe`
            actor_id (str): The staff member's id, or the device's, bridge's, ...
            action (str): What was done, `<resource>.<verb>`: `order.closed`
            resource_type (str):
            resource_id (str):
            request_id (None | str): The request that did it (X-Request-ID)
            payload (AuditEventPayload): What the action changed, as a JSON object whose members depend on the action: the
                fields sent and the values before and after, amounts in minor units; a sale's entries add the device
                (`device_id`), an override's approver (`approved_by`, `approved_by_role`, `override_jti`,
                `approved_amount_minor`, `approved_percent_bps`), and an offline operation's `offline`, `claims` and `flags`
            prev_hash (str): The previous entry's `hash`
            hash_ (str): SHA-256 over this entry's canonical bytes and `prev_hash` (hex)
    """

    seq: int
    id: UUID
    occurred_at: datetime.datetime
    recorded_at: datetime.datetime
    service: str
    actor_type: str
    actor_id: str
    action: str
    resource_type: str
    resource_id: str
    request_id: None | str
    payload: AuditEventPayload
    prev_hash: str
    hash_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        id = str(self.id)

        occurred_at = self.occurred_at.isoformat()

        recorded_at = self.recorded_at.isoformat()

        service = self.service

        actor_type = self.actor_type

        actor_id = self.actor_id

        action = self.action

        resource_type = self.resource_type

        resource_id = self.resource_id

        request_id: None | str
        request_id = self.request_id

        payload = self.payload.to_dict()

        prev_hash = self.prev_hash

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "id": id,
                "occurred_at": occurred_at,
                "recorded_at": recorded_at,
                "service": service,
                "actor_type": actor_type,
                "actor_id": actor_id,
                "action": action,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "request_id": request_id,
                "payload": payload,
                "prev_hash": prev_hash,
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.audit_event_payload import AuditEventPayload

        d = dict(src_dict)
        seq = d.pop("seq")

        id = UUID(d.pop("id"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        service = d.pop("service")

        actor_type = d.pop("actor_type")

        actor_id = d.pop("actor_id")

        action = d.pop("action")

        resource_type = d.pop("resource_type")

        resource_id = d.pop("resource_id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        payload = AuditEventPayload.from_dict(d.pop("payload"))

        prev_hash = d.pop("prev_hash")

        hash_ = d.pop("hash")

        audit_event = cls(
            seq=seq,
            id=id,
            occurred_at=occurred_at,
            recorded_at=recorded_at,
            service=service,
            actor_type=actor_type,
            actor_id=actor_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            request_id=request_id,
            payload=payload,
            prev_hash=prev_hash,
            hash_=hash_,
        )

        audit_event.additional_properties = d
        return audit_event

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

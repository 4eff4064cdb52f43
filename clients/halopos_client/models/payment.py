from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.payment_card_verification_type_0 import PaymentCardVerificationType0
from ..models.payment_status import PaymentStatus
from ..models.payment_tender import PaymentTender
from ..types import UNSET, Unset

T = TypeVar("T", bound="Payment")


@_attrs_define
class Payment:
    """
    Attributes:
        id (UUID):
        tender (PaymentTender):
        status (PaymentStatus): `pending`: a card payment the terminal is still deciding (resume it by retrying the
            request with its Idempotency-Key, or `POST .../payments/{id}/resolve`)
        amount_minor (int):
        tendered_minor (int | None):
        change_minor (int | None):
        rounding_minor (int):
        scheme (None | str):
        last4 (None | str):
        auth_code (None | str):
        terminal_reference (None | str):
        refunded_minor (int):
        shift_id (UUID):
        created_by (str):
        created_at (datetime.datetime):
        card_verification (None | PaymentCardVerificationType0 | Unset): Card: `terminal` (taken through the terminal by
            the server), `unverified` (recorded by a till offline with the terminal's evidence; not yet matched by a card
            settlement), `settlement` (its shift's card settlement matched)
    """

    id: UUID
    tender: PaymentTender
    status: PaymentStatus
    amount_minor: int
    tendered_minor: int | None
    change_minor: int | None
    rounding_minor: int
    scheme: None | str
    last4: None | str
    auth_code: None | str
    terminal_reference: None | str
    refunded_minor: int
    shift_id: UUID
    created_by: str
    created_at: datetime.datetime
    card_verification: None | PaymentCardVerificationType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        tender = self.tender.value

        status = self.status.value

        amount_minor = self.amount_minor

        tendered_minor: int | None
        tendered_minor = self.tendered_minor

        change_minor: int | None
        change_minor = self.change_minor

        rounding_minor = self.rounding_minor

        scheme: None | str
        scheme = self.scheme

        last4: None | str
        last4 = self.last4

        auth_code: None | str
        auth_code = self.auth_code

        terminal_reference: None | str
        terminal_reference = self.terminal_reference

        refunded_minor = self.refunded_minor

        shift_id = str(self.shift_id)

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        card_verification: None | str | Unset
        if isinstance(self.card_verification, Unset):
            card_verification = UNSET
        elif isinstance(self.card_verification, PaymentCardVerificationType0):
            card_verification = self.card_verification.value
        else:
            card_verification = self.card_verification

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "tender": tender,
                "status": status,
                "amount_minor": amount_minor,
                "tendered_minor": tendered_minor,
                "change_minor": change_minor,
                "rounding_minor": rounding_minor,
                "scheme": scheme,
                "last4": last4,
                "auth_code": auth_code,
                "terminal_reference": terminal_reference,
                "refunded_minor": refunded_minor,
                "shift_id": shift_id,
                "created_by": created_by,
                "created_at": created_at,
            }
        )
        if card_verification is not UNSET:
            field_dict["card_verification"] = card_verification

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        tender = PaymentTender(d.pop("tender"))

        status = PaymentStatus(d.pop("status"))

        amount_minor = d.pop("amount_minor")

        def _parse_tendered_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        tendered_minor = _parse_tendered_minor(d.pop("tendered_minor"))

        def _parse_change_minor(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        change_minor = _parse_change_minor(d.pop("change_minor"))

        rounding_minor = d.pop("rounding_minor")

        def _parse_scheme(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scheme = _parse_scheme(d.pop("scheme"))

        def _parse_last4(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        last4 = _parse_last4(d.pop("last4"))

        def _parse_auth_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        auth_code = _parse_auth_code(d.pop("auth_code"))

        def _parse_terminal_reference(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        terminal_reference = _parse_terminal_reference(d.pop("terminal_reference"))

        refunded_minor = d.pop("refunded_minor")

        shift_id = UUID(d.pop("shift_id"))

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_card_verification(
            data: object,
        ) -> None | PaymentCardVerificationType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                card_verification_type_0 = PaymentCardVerificationType0(data)

                return card_verification_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PaymentCardVerificationType0 | Unset, data)

        card_verification = _parse_card_verification(d.pop("card_verification", UNSET))

        payment = cls(
            id=id,
            tender=tender,
            status=status,
            amount_minor=amount_minor,
            tendered_minor=tendered_minor,
            change_minor=change_minor,
            rounding_minor=rounding_minor,
            scheme=scheme,
            last4=last4,
            auth_code=auth_code,
            terminal_reference=terminal_reference,
            refunded_minor=refunded_minor,
            shift_id=shift_id,
            created_by=created_by,
            created_at=created_at,
            card_verification=card_verification,
        )

        payment.additional_properties = d
        return payment

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.token_response import TokenResponse


T = TypeVar("T", bound="EnrolmentConfirmed")


@_attrs_define
class EnrolmentConfirmed:
    """The authenticator is set up and the staff member is signed in. The recovery codes are
    shown this once; each signs in once in place of a code. Any earlier ones no longer work.

        Attributes:
            recovery_codes (list[str]):
            session (TokenResponse): A new or refreshed session. Send the access token as `Authorization: DPoP <token>`
                with a proof from the same key on every call; exchange the refresh token (once) at
                `POST /v1/auth/token` before the access token expires.
    """

    recovery_codes: list[str]
    session: TokenResponse
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        recovery_codes = self.recovery_codes

        session = self.session.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "recovery_codes": recovery_codes,
                "session": session,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.token_response import TokenResponse

        d = dict(src_dict)
        recovery_codes = cast(list[str], d.pop("recovery_codes"))

        session = TokenResponse.from_dict(d.pop("session"))

        enrolment_confirmed = cls(
            recovery_codes=recovery_codes,
            session=session,
        )

        enrolment_confirmed.additional_properties = d
        return enrolment_confirmed

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

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="PasswordSignIn")


@_attrs_define
class PasswordSignIn:
    """Backoffice sign-in: the business (its id, as in its sign-in link), then who and how.

    Attributes:
        business (UUID): The business to sign in to, as in its sign-in link
        email (str):
        password (str):
        enrol_totp (bool | Unset): Set up an authenticator app during this sign-in; ignored for staff who have one (they
            are asked for a code), and refused to owners whose business requires one (they need an `enrolment_code`)
            Default: False.
        enrolment_code (None | str | Unset): An enrolment code another owner issued to you (`POST
            /v1/admin/security/totp-enrolment-codes`): sets up, or replaces, your authenticator app during this sign-in
    """

    business: UUID
    email: str
    password: str
    enrol_totp: bool | Unset = False
    enrolment_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        business = str(self.business)

        email = self.email

        password = self.password

        enrol_totp = self.enrol_totp

        enrolment_code: None | str | Unset
        if isinstance(self.enrolment_code, Unset):
            enrolment_code = UNSET
        else:
            enrolment_code = self.enrolment_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "business": business,
                "email": email,
                "password": password,
            }
        )
        if enrol_totp is not UNSET:
            field_dict["enrol_totp"] = enrol_totp
        if enrolment_code is not UNSET:
            field_dict["enrolment_code"] = enrolment_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        business = UUID(d.pop("business"))

        email = d.pop("email")

        password = d.pop("password")

        enrol_totp = d.pop("enrol_totp", UNSET)

        def _parse_enrolment_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        enrolment_code = _parse_enrolment_code(d.pop("enrolment_code", UNSET))

        password_sign_in = cls(
            business=business,
            email=email,
            password=password,
            enrol_totp=enrol_totp,
            enrolment_code=enrolment_code,
        )

        return password_sign_in

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RecoveryCodeSignIn")


@_attrs_define
class RecoveryCodeSignIn:
    """One unused recovery code, in place of the app's code.

    Attributes:
        challenge (str): The `challenge` the password step answered with
        recovery_code (str): One of the codes shown at setup
        code (None | Unset):
    """

    challenge: str
    recovery_code: str
    code: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        challenge = self.challenge

        recovery_code = self.recovery_code

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge": challenge,
                "recovery_code": recovery_code,
            }
        )
        if code is not UNSET:
            field_dict["code"] = code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        challenge = d.pop("challenge")

        recovery_code = d.pop("recovery_code")

        code = d.pop("code", UNSET)

        recovery_code_sign_in = cls(
            challenge=challenge,
            recovery_code=recovery_code,
            code=code,
        )

        return recovery_code_sign_in

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CodeSignIn")


@_attrs_define
class CodeSignIn:
    """The 6 digits the authenticator app shows.

    Attributes:
        challenge (str): The `challenge` the password step answered with
        code (str): The 6 digits the authenticator app shows
        recovery_code (None | Unset):
    """

    challenge: str
    code: str
    recovery_code: None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        challenge = self.challenge

        code = self.code

        recovery_code = self.recovery_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge": challenge,
                "code": code,
            }
        )
        if recovery_code is not UNSET:
            field_dict["recovery_code"] = recovery_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        challenge = d.pop("challenge")

        code = d.pop("code")

        recovery_code = d.pop("recovery_code", UNSET)

        code_sign_in = cls(
            challenge=challenge,
            code=code,
            recovery_code=recovery_code,
        )

        return code_sign_in

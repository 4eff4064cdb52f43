from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EnrolmentConfirm")


@_attrs_define
class EnrolmentConfirm:
    """
    Attributes:
        challenge (str): The `challenge` the password step answered with
        code (str): The 6 digits the authenticator app shows
    """

    challenge: str
    code: str

    def to_dict(self) -> dict[str, Any]:
        challenge = self.challenge

        code = self.code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "challenge": challenge,
                "code": code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        challenge = d.pop("challenge")

        code = d.pop("code")

        enrolment_confirm = cls(
            challenge=challenge,
            code=code,
        )

        return enrolment_confirm

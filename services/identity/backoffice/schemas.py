from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, Self
from uuid import UUID

from libs.text import Email
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from services.identity.sessions.schemas import TokenResponse

_CHALLENGE = "The `challenge` the password step answered with"
_CODE = r"^[0-9]{6}$"


class PasswordSignIn(BaseModel):
    """Backoffice sign-in: the business (its id, as in its sign-in link), then who and how."""

    model_config = ConfigDict(extra="forbid")

    business: UUID = Field(description="The business to sign in to, as in its sign-in link")
    email: Email
    password: str = Field(min_length=1, max_length=256)
    enrol_totp: bool = Field(
        default=False,
        description="Set up an authenticator app during this sign-in; ignored for staff who "
        "have one (they are asked for a code), and refused to owners whose business requires "
        "one (they need an `enrolment_code`)",
    )
    enrolment_code: str | None = Field(
        default=None,
        min_length=20,
        max_length=40,
        description="An enrolment code another owner issued to you "
        "(`POST /v1/admin/security/totp-enrolment-codes`): sets up, or replaces, your "
        "authenticator app during this sign-in",
    )

    @field_validator("email")
    @classmethod
    def _normalise_email(cls, value: str) -> str:
        return value.strip().lower()


class PasswordSignedIn(TokenResponse):
    """The password was enough: a session, bound to the key that signed the proof."""

    status: Literal["signed_in"] = "signed_in"


class TotpRequired(BaseModel):
    """Answer `POST /v1/auth/totp` with the challenge and a code (or a recovery code), with
    a DPoP proof from the same key, before `expires_in` seconds pass."""

    status: Literal["totp_required"] = "totp_required"
    challenge: str
    expires_in: int = Field(description="Seconds the challenge is valid")


class TotpEnrolmentRequired(BaseModel):
    """This staff member must set up an authenticator app before signing in: call
    `POST /v1/auth/totp/enrolment`, then `POST /v1/auth/totp/enrolment/confirm`."""

    status: Literal["totp_enrolment_required"] = "totp_enrolment_required"
    challenge: str
    expires_in: int = Field(description="Seconds the challenge is valid")


PasswordSignInResult = Annotated[
    PasswordSignedIn | TotpRequired | TotpEnrolmentRequired, Field(discriminator="status")
]


class TotpSignIn(BaseModel):
    """The second factor: a code from the authenticator app, or one unused recovery code."""

    model_config = ConfigDict(extra="forbid")

    challenge: str = Field(max_length=200, description=_CHALLENGE)
    code: str | None = Field(
        default=None, pattern=_CODE, description="The 6 digits the authenticator app shows"
    )
    recovery_code: str | None = Field(
        default=None, min_length=10, max_length=20, description="One of the codes shown at setup"
    )

    @model_validator(mode="after")
    def _one_factor(self) -> Self:
        if (self.code is None) == (self.recovery_code is None):
            raise ValueError("send either `code` or `recovery_code`")
        return self


class EnrolmentStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    challenge: str = Field(max_length=200, description=_CHALLENGE)


class TotpEnrolment(BaseModel):
    """Add the secret to an authenticator app (the URI is what a QR code carries), then
    confirm with the code it shows. Shown only during this sign-in."""

    secret: str = Field(description="Base32, for typing into the app by hand")
    otpauth_uri: str


class EnrolmentConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    challenge: str = Field(max_length=200, description=_CHALLENGE)
    code: str = Field(pattern=_CODE, description="The 6 digits the authenticator app shows")


class EnrolmentConfirmed(BaseModel):
    """The authenticator is set up and the staff member is signed in. The recovery codes are
    shown this once; each signs in once in place of a code. Any earlier ones no longer work."""

    recovery_codes: list[str]
    session: TokenResponse


class SecuritySettings(BaseModel):
    owner_totp_required: bool = Field(
        description="Owners must sign in with an authenticator code; an owner without one "
        "needs an enrolment code from another owner to set one up"
    )


class SecuritySettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner_totp_required: bool


class EnrolmentCodeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: UUID = Field(description="Who will set up (or replace) their authenticator app")


class EnrolmentCode(BaseModel):
    """Give the code to the staff member through a channel you trust (in person, by phone):
    with their password it sets up an authenticator app, once, before `expires_at`. It is
    shown this once; issuing another revokes it."""

    staff_id: UUID
    enrolment_code: str
    expires_at: datetime

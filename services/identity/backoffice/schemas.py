from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from libs.api.json_schema import member
from libs.text import Email
from services.identity.sessions.schemas import BACKOFFICE_SESSION_EXAMPLE, TokenResponse

_CHALLENGE = "The `challenge` the password step answered with"
_CODE = r"^[0-9]{6}$"


class PasswordSignIn(BaseModel):
    """Backoffice sign-in: the business (its id, as in its sign-in link), then who and how."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "business": "c2f7a4e9-8d1b-4c6f-a3e8-5b9d2c7f1a46",
                    "email": "alex@harbourlane.example",
                    "password": "correct horse battery staple",
                }
            ]
        },
        extra="forbid",
    )

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


# -- examples ----------------------------------------------------------------------------------
CHALLENGE_EXAMPLE = (
    "hpc_c2f7a4e98d1b4c6fa3e85b9d2c7f1a46_jcRllffcANcwRjsQnByjyBmB986ch8n8uZEHoDhh3mL"
)


class PasswordSignedIn(TokenResponse):
    """The password was enough: a session, bound to the key that signed the proof."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{**BACKOFFICE_SESSION_EXAMPLE, "status": "signed_in"}]}
    )

    status: Literal["signed_in"] = "signed_in"


class TotpRequired(BaseModel):
    """Answer `POST /v1/auth/totp` with the challenge and a code (or a recovery code), with
    a DPoP proof from the same key, before `expires_in` seconds pass."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"status": "totp_required", "challenge": CHALLENGE_EXAMPLE, "expires_in": 300}
            ]
        }
    )

    status: Literal["totp_required"] = "totp_required"
    challenge: str
    expires_in: int = Field(description="Seconds the challenge is valid")


class TotpEnrolmentRequired(BaseModel):
    """This staff member must set up an authenticator app before signing in: call
    `POST /v1/auth/totp/enrolment`, then `POST /v1/auth/totp/enrolment/confirm`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "status": "totp_enrolment_required",
                    "challenge": CHALLENGE_EXAMPLE,
                    "expires_in": 300,
                }
            ]
        }
    )

    status: Literal["totp_enrolment_required"] = "totp_enrolment_required"
    challenge: str
    expires_in: int = Field(description="Seconds the challenge is valid")


PasswordSignInResult = Annotated[
    PasswordSignedIn | TotpRequired | TotpEnrolmentRequired, Field(discriminator="status")
]


class _TotpSignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    challenge: str = Field(max_length=200, description=_CHALLENGE)
    code: str | None = None
    recovery_code: str | None = None


class CodeSignIn(_TotpSignIn):
    """The 6 digits the authenticator app shows."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"challenge": CHALLENGE_EXAMPLE, "code": "492817"}]}
    )

    code: str = Field(pattern=_CODE, description="The 6 digits the authenticator app shows")
    recovery_code: None = None


class RecoveryCodeSignIn(_TotpSignIn):
    """One unused recovery code, in place of the app's code."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"challenge": CHALLENGE_EXAMPLE, "recovery_code": "7KQ2M9XP4T"}]
        }
    )

    recovery_code: str = Field(
        min_length=10, max_length=20, description="One of the codes shown at setup"
    )
    code: None = None


def _second_factor(body: Any) -> str:
    """A code, unless the body names a recovery code and no code (a body with both or
    neither is then refused by the one chosen)."""
    recovery = member(body, "recovery_code") is not None and member(body, "code") is None
    return "recovery" if recovery else "code"


# The second factor: a code from the authenticator app, or one unused recovery code (the
# document's `oneOf`).
TotpSignIn = Annotated[
    Annotated[CodeSignIn, Tag("code")] | Annotated[RecoveryCodeSignIn, Tag("recovery")],
    Discriminator(_second_factor),
]


class EnrolmentStart(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"challenge": CHALLENGE_EXAMPLE}]},
        extra="forbid",
    )

    challenge: str = Field(max_length=200, description=_CHALLENGE)


class TotpEnrolment(BaseModel):
    """Add the secret to an authenticator app (the URI is what a QR code carries), then
    confirm with the code it shows. Shown only during this sign-in."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                    "otpauth_uri": "otpauth://totp/halopos:alex%40harbourlane.example?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=halopos",
                }
            ]
        }
    )

    secret: str = Field(description="Base32, for typing into the app by hand")
    otpauth_uri: str


class EnrolmentConfirm(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"challenge": CHALLENGE_EXAMPLE, "code": "492817"}]},
        extra="forbid",
    )

    challenge: str = Field(max_length=200, description=_CHALLENGE)
    code: str = Field(pattern=_CODE, description="The 6 digits the authenticator app shows")


class EnrolmentConfirmed(BaseModel):
    """The authenticator is set up and the staff member is signed in. The recovery codes are
    shown this once; each signs in once in place of a code. Any earlier ones no longer work."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "recovery_codes": [
                        "7KQ2M9XP4T",
                        "H3VN8RC2WD",
                        "Q9ZB4TK7MF",
                        "X2PJ6DH9RA",
                        "M5WC3QV8NK",
                        "T8RF2XB6JZ",
                        "D4KH9PM3WC",
                        "V7NA5ZQ2HX",
                        "B9TD3RW6KM",
                        "R2XM8FJ4VQ",
                    ],
                    "session": BACKOFFICE_SESSION_EXAMPLE,
                }
            ]
        }
    )

    recovery_codes: list[str]
    session: TokenResponse


class SecuritySettings(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"owner_totp_required": True}]})

    owner_totp_required: bool = Field(
        description="Owners must sign in with an authenticator code; an owner without one "
        "needs an enrolment code from another owner to set one up"
    )


class SecuritySettingsUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"owner_totp_required": True}]}, extra="forbid"
    )

    owner_totp_required: bool


class EnrolmentCodeRequest(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"staff_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37"}]},
        extra="forbid",
    )

    staff_id: UUID = Field(description="Who will set up (or replace) their authenticator app")


class EnrolmentCode(BaseModel):
    """Give the code to the staff member through a channel you trust (in person, by phone):
    with their password it sets up an authenticator app, once, before `expires_at`. It is
    shown this once; issuing another revokes it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "staff_id": "4c8f1a6d-2e9b-4d3a-a7f5-8b1e4c9d2a37",
                    "enrolment_code": "Q4ZT7M2KX9PDRW3H8NVC",
                    "expires_at": "2026-12-08T09:30:00+11:00",
                }
            ]
        }
    )

    staff_id: UUID
    enrolment_code: str
    expires_at: datetime

"""Second factors, as pure functions: TOTP (RFC 6238) codes and one-time recovery codes.

TOTP as every authenticator app does it: SHA-1, 6 digits, 30-second steps. A code is accepted
for the step before and after the current one too (clocks drift, people type slowly), but
the caller records the step it matched and never accepts that step or an earlier one again.

Recovery codes are 10 characters of Crockford's base32 (50 bits), shown as `XXXXX-XXXXX`.
They are typed by people, so case, spaces, dashes and the letters Crockford reads as digits
(O as 0, I and L as 1) do not matter. Only a SHA-256 of the normalised code, salted with the
staff member's id, is stored; a code is useless without the password step before it.

Enrolment codes (to set up or replace an authenticator) are the same alphabet, 20
characters (100 bits) shown as `XXXXX-XXXXX-XXXXX-XXXXX`, stored the same way; one works
once, for one staff member, with their password, within a day.
"""

from __future__ import annotations

import secrets
from uuid import UUID

import pyotp
from libs.auth.opaque_credentials import digest_of
from pyotp.exceptions import OTPVerificationError

ISSUER = "halopos"
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
ENROLMENT_CODE_LENGTH = 20
_TYPABLE = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def new_totp_secret() -> str:
    """160 random bits in base32, the size RFC 4226 recommends for HMAC-SHA-1."""
    return pyotp.random_base32(32)


def otpauth_uri(secret: str, *, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def matching_step(secret: str, code: str, *, at: float | None = None) -> int | None:
    """The time step whose code this is (now, or one step either side), or None."""
    try:
        return pyotp.TOTP(secret).verify_and_get_timecode(code, for_time=at, valid_window=1)
    except OTPVerificationError:
        return None


def _typable_code(length: int) -> str:
    code = "".join(secrets.choice(_TYPABLE) for _ in range(length))
    return "-".join(code[start : start + 5] for start in range(0, length, 5))


def new_recovery_codes(count: int = RECOVERY_CODE_COUNT) -> list[str]:
    return [_typable_code(RECOVERY_CODE_LENGTH) for _ in range(count)]


def new_enrolment_code() -> str:
    return _typable_code(ENROLMENT_CODE_LENGTH)


def normalise_recovery_code(text: str) -> str:
    return text.upper().translate(_READ_AS)


def recovery_code_digest(staff_id: UUID, code: str) -> bytes:
    return digest_of(f"recovery-code:{staff_id}:{normalise_recovery_code(code)}")


def enrolment_code_digest(staff_id: UUID, code: str) -> bytes:
    return digest_of(f"totp-enrolment-code:{staff_id}:{normalise_recovery_code(code)}")

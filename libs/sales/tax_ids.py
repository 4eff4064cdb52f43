"""A business's tax number, as its tax reports print it: read, checked and written one way.

- Australia: the ABN, 11 digits whose weighted sum (first digit less one; weights 10, 1, 3,
  5, ..., 19) is a multiple of 89 (the ATO's published check). Written "51 824 753 556".
- Germany: the USt-IdNr., "DE" and 9 digits, the last a check digit by ISO 7064 MOD 11,10
  (the Bundeszentralamt für Steuern's method); or, for a business without one, the
  Steuernummer of its tax office: 10 to 13 digits, kept with the separators it was given in
  ("21/815/08150"), since each state writes it its own way.

A number that fails its check is refused: a BAS or UStVA filed under a mistyped number is
worse than none, and the owner can correct it in a second.
"""

from __future__ import annotations

import re

AU_REGION = "ap-southeast-2"
EU_REGION = "eu-central-1"

_ABN_WEIGHTS = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
_SPACES = re.compile(r"[\s\u00a0]+")
_VAT_ID = re.compile(r"DE([0-9]{9})")
_STEUERNUMMER = re.compile(r"[0-9][0-9 /]{8,16}[0-9]")


class InvalidTaxId(ValueError):
    """A tax number that is not one of the business's region."""


def _abn_valid(digits: str) -> bool:
    numbers = [int(digit) for digit in digits]
    numbers[0] -= 1
    return sum(n * w for n, w in zip(numbers, _ABN_WEIGHTS, strict=True)) % 89 == 0


def _de_check_digit(digits: str) -> int:
    """ISO 7064 MOD 11,10 over the first 8 digits of a German USt-IdNr."""
    product = 10
    for digit in digits:
        total = (int(digit) + product) % 10 or 10
        product = (2 * total) % 11
    check = 11 - product
    return 0 if check == 10 else check


def tax_id(text: str, region: str) -> str:
    """The tax number in its written form, or InvalidTaxId saying what is wrong."""
    compact = _SPACES.sub("", text).upper()
    if region == AU_REGION:
        if not re.fullmatch(r"[0-9]{11}", compact):
            raise InvalidTaxId("An ABN is 11 digits, such as 51 824 753 556.")
        if not _abn_valid(compact):
            raise InvalidTaxId(f"{text!r} is not an ABN: its check digits do not add up.")
        return f"{compact[:2]} {compact[2:5]} {compact[5:8]} {compact[8:]}"
    if region == EU_REGION:
        if match := _VAT_ID.fullmatch(compact):
            digits = match[1]
            if _de_check_digit(digits[:8]) != int(digits[8]):
                raise InvalidTaxId(f"{text!r} is not a USt-IdNr.: its check digit is wrong.")
            return compact
        written = text.strip()
        if _STEUERNUMMER.fullmatch(written) and 10 <= sum(c.isdigit() for c in written) <= 13:
            return written
        raise InvalidTaxId(
            "Give the USt-IdNr. (DE and 9 digits, such as DE136695976) or the Steuernummer "
            "(10 to 13 digits, such as 21/815/08150)."
        )
    raise InvalidTaxId(f"No tax number is known for region {region!r}.")

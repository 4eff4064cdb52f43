"""Tax numbers, checked by hand against the published check-digit methods."""

from __future__ import annotations

import pytest

from libs.sales.tax_ids import AU_REGION, EU_REGION, InvalidTaxId, tax_id


def test_an_abn_is_checked_and_written_in_groups() -> None:
    # 51 824 753 556: (5-1)*10 + 1*1 + 8*3 + 2*5 + 4*7 + 7*9 + 5*11 + 3*13 + 5*15 + 5*17
    # + 6*19 = 40 + 1 + 24 + 10 + 28 + 63 + 55 + 39 + 75 + 85 + 114 = 534 = 6 * 89.
    assert tax_id("51824753556", AU_REGION) == "51 824 753 556"
    assert tax_id(" 51 824\u00a0753 556 ", AU_REGION) == "51 824 753 556"
    # The last digit one more: 535, not a multiple of 89.
    with pytest.raises(InvalidTaxId, match="check digits"):
        tax_id("51 824 753 557", AU_REGION)
    with pytest.raises(InvalidTaxId, match="11 digits"):
        tax_id("5182475355", AU_REGION)


def test_a_german_vat_id_has_its_iso_7064_check_digit() -> None:
    # DE 13669597 6: MOD 11,10 over 1,3,6,6,9,5,9,7 leaves product 5; 11 - 5 = 6.
    assert tax_id("de 136 695 976", EU_REGION) == "DE136695976"
    with pytest.raises(InvalidTaxId, match="check digit"):
        tax_id("DE136695975", EU_REGION)


def test_a_steuernummer_is_kept_as_written() -> None:
    assert tax_id("21/815/08150", EU_REGION) == "21/815/08150"
    assert tax_id("2181508150", EU_REGION) == "2181508150"
    for wrong in ("21/815", "51 824 753 556 1234", "DE12"):
        with pytest.raises(InvalidTaxId):
            tax_id(wrong, EU_REGION)

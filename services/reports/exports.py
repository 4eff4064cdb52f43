"""Reports as files: a CSV table per report, flattened from the very report object the API
returns (so the numbers cannot differ), and the export bundle an accountant files.

Every CSV starts with a header block an accountant reads in a spreadsheet (business, tax id,
report, venues, period, currency, tax basis, when it was generated and the audit range), a
row of empty cells, then the table (docs/reports.md, "Files"). The block's rows are padded to
the table's width, so the file stays a rectangle of cells (RFC 4180); a program skips to the
row after the first empty one (`manifest.json` says how many lines that is). The block holds
the same fields as the report's JSON and the bundle's manifest.

The bundle is a ZIP of `<file>.json` (the API's answer), `<file>.csv` and `manifest.json`:
the report, its parameters, who generated it and when, the audit log range its figures come
from, the header block's fields, and per file its size, row count and SHA-256. An accountant
keeps the bundle with what was filed; anyone can later recompute the digests, and match the
audit range against the business's audit export and checkpoints. Files are named for the
business, the venue (for a venue's report), the report and the period:
`Harbour-Cafe-Pty-Ltd_Harbour-Cafe_daily-summary_2026-12-07.csv`.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from libs.api.csv_cells import Cell, write_rows
from libs.sales.money import TENDERS
from services.reports.schemas import (
    Bas,
    DailySummary,
    ItemMix,
    LocationOut,
    Reconciliation,
    TaxRateTotal,
    TenderTotal,
    Totals,
    VatSummary,
)

Table = tuple[list[str], list[list[Any]]]
# Files in the ZIP carry this time, so the same report gives the same bytes.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _rate_key(rate: Decimal) -> str:
    return f"{rate.normalize():f}"


def _totals_columns(rates: Sequence[Decimal], refunded_rates: Sequence[Decimal]) -> list[str]:
    columns = [
        "orders",
        "covers",
        "gross_sales_minor",
        "discounts_minor",
        "service_charges_minor",
        "net_sales_minor",
        "sales_excluding_tax_minor",
        "tax_minor",
        "sales_including_tax_minor",
        "tips_minor",
        "rounding_minor",
        "average_ticket_minor",
        "refunds_count",
        "refunds_amount_minor",
        "refunds_tax_minor",
        "voided_orders",
        "voided_orders_minor",
        "voided_lines",
        "voided_lines_minor",
    ]
    for tender in TENDERS:
        columns += [
            f"{tender}_payments",
            f"{tender}_paid_minor",
            f"{tender}_refunded_minor",
            f"{tender}_net_minor",
        ]
    for rate in rates:
        key = _rate_key(rate)
        columns += [f"tax_{key}_net_minor", f"tax_{key}_tax_minor", f"tax_{key}_gross_minor"]
    for rate in refunded_rates:
        key = _rate_key(rate)
        columns += [
            f"refunds_tax_{key}_net_minor",
            f"refunds_tax_{key}_tax_minor",
            f"refunds_tax_{key}_gross_minor",
        ]
    return columns


def _per_rate(groups: Sequence[TaxRateTotal], rates: Sequence[Decimal]) -> list[Any]:
    by_rate: dict[Decimal, TaxRateTotal] = {group.rate: group for group in groups}
    row: list[Any] = []
    for rate in rates:
        group = by_rate.get(rate)
        row += [group.net_minor, group.tax_minor, group.gross_minor] if group else [0, 0, 0]
    return row


def _totals_row(
    totals: Totals, rates: Sequence[Decimal], refunded_rates: Sequence[Decimal]
) -> list[Any]:
    row: list[Any] = [
        totals.orders,
        totals.covers,
        totals.gross_sales_minor,
        totals.discounts_minor,
        totals.service_charges_minor,
        totals.net_sales_minor,
        totals.sales_excluding_tax_minor,
        totals.tax_minor,
        totals.sales_including_tax_minor,
        totals.tips_minor,
        totals.rounding_minor,
        totals.average_ticket_minor,
        totals.refunds.count,
        totals.refunds.amount_minor,
        totals.refunds.tax_minor,
        totals.voids.orders.count,
        totals.voids.orders.amount_minor,
        totals.voids.lines.count,
        totals.voids.lines.amount_minor,
    ]
    tenders: dict[str, TenderTotal] = {tender.tender: tender for tender in totals.payments}
    for name in TENDERS:
        tender = tenders.get(name)
        row += (
            [tender.count, tender.paid_minor, tender.refunded_minor, tender.net_minor]
            if tender
            else [0, 0, 0, 0]
        )
    return row + _per_rate(totals.tax, rates) + _per_rate(totals.refunds.tax, refunded_rates)


def daily_summary_table(report: DailySummary) -> Table:
    """One row per business day, then the period's total (`day` = "total"); every rate sold
    in the period gets three columns of sales tax, every rate refunded three of refunds.

    The total row is the JSON's `totals`, never a sum of the rows: its average ticket is the
    period's own, and it has no `hours` (a day's length is not a figure to add up)."""
    rates = sorted({group.rate for group in report.totals.tax}, reverse=True)
    refunded = sorted({group.rate for group in report.totals.refunds.tax}, reverse=True)
    header = ["day", "hours", *_totals_columns(rates, refunded)]
    rows = [
        [day.day.isoformat(), day.hours, *_totals_row(day, rates, refunded)] for day in report.days
    ]
    rows.append(["total", None, *_totals_row(report.totals, rates, refunded)])
    return header, rows


def item_mix_table(report: ItemMix) -> Table:
    """Items, categories, modifiers, the refunds that name no item, then the totals: each
    money column under its JSON name."""
    header = [
        "section",
        "item_id",
        "name",
        "category",
        "quantity",
        "gross_sales_minor",
        "discounts_minor",
        "service_charges_minor",
        "net_sales_minor",
        "refunded_quantity",
        "refunds_minor",
    ]

    def figures(row: Any) -> list[Any]:  # an item's, a category's or the totals' row
        return [
            row.quantity,
            row.gross_sales_minor,
            row.discounts_minor,
            row.service_charges_minor,
            row.net_sales_minor,
            row.refunded_quantity,
            row.refunds_minor,
        ]

    rows: list[list[Any]] = [
        ["item", item.item_id or "", item.name, item.category or "", *figures(item)]
        for item in report.items
    ]
    rows += [
        ["category", "", "", category.category or "", *figures(category)]
        for category in report.categories
    ]
    rows += [
        [
            "modifier",
            modifier.modifier_id or "",
            modifier.name,
            "",
            modifier.quantity,
            modifier.gross_minor,
            "",
            "",
            "",
            "",
            "",
        ]
        for modifier in report.modifiers
    ]
    rows.append(
        [
            "refunds not attributed",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            report.refunds_not_attributed_minor,
        ]
    )
    rows.append(["total", "", "", "", *figures(report.totals)])
    return header, rows


def reconciliation_table(report: Reconciliation) -> Table:
    """One row per shift and tender, people and registers by name, times in the venue's
    (with the UTC offset); then the totals per tender (`shift` = "total")."""
    header = [
        "shift",
        "register",
        "register_number",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "z_version",
        "tender",
        "expected_minor",
        "counted_minor",
        "difference_minor",
        "shift_id",
    ]
    rows: list[list[Any]] = [
        [
            "shift",
            shift.register_name,
            shift.register_number,
            shift.opened_by_name,
            shift.opened_at.isoformat(),
            shift.closed_by_name,
            shift.closed_at.isoformat(),
            shift.z_version,
            tender.tender,
            tender.expected_minor,
            tender.counted_minor,
            tender.difference_minor,
            shift.shift_id,
        ]
        for shift in report.shifts
        for tender in shift.tenders
    ]
    rows += [
        [
            "total",
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            tender.tender,
            tender.expected_minor,
            tender.counted_minor,
            tender.difference_minor,
            None,
        ]
        for tender in report.totals
    ]
    return header, rows


def bas_table(report: Bas) -> Table:
    """The labels as the JSON has them (G9 is `worksheet_gst_minor`, 1A `invoice_gst_minor`),
    then the refunds: G18's decreasing adjustment and its GST, and the GST-free refunds, which
    need no adjustment. `whole_dollars` is what goes on the form, where the form has a box."""
    header = ["label", "description", "amount_minor", "whole_dollars"]
    rows: list[list[Any]] = [
        [label.label, label.description, label.amount_minor, label.whole_dollars]
        for label in report.labels
    ]
    adjustments = report.decreasing_adjustments
    rows.append(
        [
            "G18",
            adjustments.description,
            adjustments.amount_minor,
            adjustments.amount_whole_dollars,
        ]
    )
    rows.append(
        [
            "G18 GST",
            "GST on those refunds (decreasing adjustments)",
            adjustments.gst_minor,
            adjustments.gst_whole_dollars,
        ]
    )
    rows.append(
        [
            "GST-free refunds",
            "Refunds of GST-free sales: no adjustment",
            report.gst_free_refunds_minor,
            None,
        ]
    )
    return header, rows


def vat_table(report: VatSummary) -> Table:
    """Per rate (`section` = "rate"): sales, refunds and the difference; the total; then the
    UStVA's boxes (`section` = "box"): the amount in cents and in whole euros, the tax."""
    header = [
        "section",
        "rate",
        "kennzahl",
        "tax_kennzahl",
        "description",
        "sales_net_minor",
        "sales_tax_minor",
        "sales_gross_minor",
        "refunds_net_minor",
        "refunds_tax_minor",
        "refunds_gross_minor",
        "net_minor",
        "tax_minor",
        "net_whole_euros",
        "form_tax_minor",
    ]
    rows: list[list[Any]] = [
        [
            "rate",
            _rate_key(row.rate),
            None,
            None,
            None,
            row.sales.net_minor,
            row.sales.tax_minor,
            row.sales.gross_minor,
            row.refunds.net_minor,
            row.refunds.tax_minor,
            row.refunds.gross_minor,
            row.net_minor,
            row.tax_minor,
            None,
            None,
        ]
        for row in report.rates
    ]
    rows.append(["total", *[None] * 10, report.net_minor, report.tax_minor, None, None])
    rows += [
        [
            "box",
            _rate_key(box.rate) if box.rate is not None else None,
            box.kennzahl,
            box.tax_kennzahl,
            box.description,
            *[None] * 6,
            box.base_minor,
            box.tax_minor,
            box.base_whole_euros,
            box.form_tax_minor,
        ]
        for box in report.boxes
    ]
    return header, rows


TABLES: dict[type[BaseModel], Callable[[Any], Table]] = {
    DailySummary: daily_summary_table,
    ItemMix: item_mix_table,
    Reconciliation: reconciliation_table,
    Bas: bas_table,
    VatSummary: vat_table,
}


def table(report: Report) -> Table:
    return TABLES[type(report)](report)


# --- the header block -------------------------------------------------------------------------

TITLES = {
    "daily-summary": "Daily summary",
    "item-mix": "Item mix",
    "reconciliation": "Payment reconciliation",
    "bas": "BAS: GST calculation worksheet (sales)",
    "vat-summary": "VAT summary: Umsatzsteuer-Voranmeldung (sales)",
}
# How the German forms name the basis (UStG § 13 (1) Nr. 1 a and b, § 20).
BESTEUERUNGSART = {"accrual": "Soll-Versteuerung", "cash": "Ist-Versteuerung"}


# Every report, as the files see it: each has a business, a period, a currency, when it was
# generated and its audit range; a venue's report has a `location`, a business's `locations`.
Report = DailySummary | ItemMix | Reconciliation | Bas | VatSummary


def _locations(report: Report) -> list[LocationOut]:
    if isinstance(report, Bas | VatSummary):
        return list(report.locations)
    return [report.location]


def header_fields(report: Report) -> dict[str, Any]:
    """The header block's fields as JSON (the manifest's `header`): every one is the report's
    own, so the block, the manifest and the JSON say the same."""
    business, period = report.business, report.period
    locations = _locations(report)
    fields: dict[str, Any] = {
        "business": business.name,
        "tax_id_label": business.tax_id_label,
        "tax_id": business.tax_id,
        "report": report.report,
        "locations": [
            {"id": str(location.id), "name": location.name, "time_zone": location.time_zone}
            for location in locations
        ],
        "period": {
            "label": period.label,
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
        },
        "currency": report.currency,
    }
    if isinstance(report, DailySummary | ItemMix):
        fields["prices_include_tax"] = report.prices_include_tax
    if isinstance(report, Bas | VatSummary):
        fields["tax_basis"] = report.tax_basis
    if isinstance(report, Reconciliation):
        fields["open_shifts"] = report.open_shifts
    fields["generated_at"] = report.generated_at.isoformat()
    fields["time_zone"] = locations[0].time_zone if locations else "UTC"
    fields["audit"] = json.loads(report.model_dump_json(include={"audit"}))["audit"]
    return fields


def header_block(report: Report) -> list[list[Cell]]:
    """The rows an accountant reads above the table: a label, then its value(s)."""
    fields = header_fields(report)
    rows: list[list[Cell]] = [
        ["Business", fields["business"]],
        [fields["tax_id_label"], fields["tax_id"]],
        ["Report", TITLES[fields["report"]], fields["report"]],
    ]
    rows += [
        ["Location", location["name"], location["time_zone"]] for location in fields["locations"]
    ]
    period = fields["period"]
    rows += [
        ["Period", period["label"], period["first_day"], period["last_day"]],
        ["Currency", fields["currency"], "amounts in minor units (cents)"],
    ]
    if "prices_include_tax" in fields:
        rows.append(["Prices include tax", "yes" if fields["prices_include_tax"] else "no"])
    if "tax_basis" in fields:
        basis = fields["tax_basis"]
        if fields["tax_id_label"] == "ABN":
            rows.append(["Tax basis", basis])
        else:
            rows.append(["Tax basis", basis, BESTEUERUNGSART[basis]])
    if "open_shifts" in fields:
        rows.append(["Shifts still open at the period's end", fields["open_shifts"]])
    audit = fields["audit"]
    rows += [
        ["Generated at", fields["generated_at"], fields["time_zone"]],
        ["Audit log entries", audit["from_seq"], audit["through_seq"], audit["through_hash"]],
    ]
    return rows


def to_csv(report: Report) -> bytes:
    """RFC 4180 (libs/api/csv_cells.py): text quoted, and escaped where a spreadsheet would
    run it as a formula; numbers bare, so a refund's -450 is still a number. The header block,
    an empty row, then the table; every row as wide as the widest."""
    header, rows = table(report)
    block = header_block(report)
    width = max(len(header), *(len(row) for row in block))

    def padded(row: Sequence[Cell]) -> list[Cell]:
        return [*row, *[None] * (width - len(row))]

    return write_rows([*map(padded, block), padded([]), padded(header), *map(padded, rows)])


def header_lines(report: Report) -> int:
    """How many lines come before the table's header row (the block and the empty row)."""
    return len(header_block(report)) + 1


def to_json(report: Report) -> bytes:
    return report.model_dump_json(indent=2).encode()


# --- file names -----------------------------------------------------------------------------


def _slug(text: str, *, ascii_only: bool) -> str:
    """A name as a file name part: letters and digits kept, anything else one hyphen."""
    if ascii_only:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^\w]+|_", "-", text).strip("-")


def file_stem(report: Report, *, ascii_only: bool = False) -> str:
    """`<business>_<venue>_<report>_<period>`: a venue's report names the venue, a business's
    report does not. A range of days is `first--last` (ISO 8601's interval, in a file name)."""
    parts = [_slug(report.business.name, ascii_only=ascii_only) or "business"]
    if not isinstance(report, Bas | VatSummary):
        parts.append(_slug(report.location.name, ascii_only=ascii_only) or "venue")
    parts.append(report.report)
    parts.append(report.period.label.replace("..", "--"))
    return "_".join(parts)


def content_disposition(report: Report, extension: str) -> str:
    """RFC 6266: an ASCII `filename` every client understands, and `filename*` (RFC 8187,
    UTF-8) with the business's and venue's names as they are written."""
    plain = f"{file_stem(report, ascii_only=True)}.{extension}"
    full = f"{file_stem(report)}.{extension}"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(full, safe='')}"


# --- the bundle -------------------------------------------------------------------------------


def bundle(
    name: str,
    report: Report,
    *,
    parameters: dict[str, Any],
    generated_by: str,
) -> bytes:
    """The export ZIP: `<file>.json`, `<file>.csv` and `manifest.json`."""
    _, rows = table(report)
    stem = file_stem(report)
    files = {f"{stem}.json": to_json(report), f"{stem}.csv": to_csv(report)}
    fields = header_fields(report)
    manifest = {
        "report": name,
        "parameters": parameters,
        "generated_at": fields["generated_at"],
        "generated_by": generated_by,
        "audit": fields["audit"],
        "header": fields,
        "files": [
            {
                "name": file_name,
                "bytes": len(content),
                # The CSV's data rows (block and table header excluded); the JSON holds the
                # same rows.
                "rows": len(rows),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            for file_name, content in files.items()
        ],
        # A program reading the CSV skips this many lines to reach the table's header row.
        "csv_header_lines": header_lines(report),
    }
    files["manifest.json"] = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for file_name, content in files.items():
            # Names that are not ASCII are flagged UTF-8 in the archive (zipfile does it).
            info = zipfile.ZipInfo(file_name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, content)
    return archive.getvalue()

"""Reports as files: a CSV table per report, flattened from the very report object the API
returns (so the numbers cannot differ), and the export bundle an accountant files.

The bundle is a ZIP of `<report>.json` (the API's answer), `<report>.csv` and
`manifest.json`: the report, its parameters, who generated it and when, the audit log range
its figures come from, and per file its size, row count and SHA-256. An accountant keeps the
bundle with what was filed; anyone can later recompute the digests, and match the audit range
against the business's audit export and checkpoints.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from libs.api.csv_cells import write_csv
from libs.sales.money import TENDERS
from services.reports.schemas import (
    Bas,
    DailySummary,
    ItemMix,
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


def _totals_columns(rates: Sequence[Decimal]) -> list[str]:
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
        columns += [f"{tender}_payments", f"{tender}_paid_minor", f"{tender}_refunded_minor"]
    for rate in rates:
        key = _rate_key(rate)
        columns += [f"tax_{key}_net_minor", f"tax_{key}_tax_minor", f"tax_{key}_gross_minor"]
    return columns


def _totals_row(totals: Totals, rates: Sequence[Decimal]) -> list[Any]:
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
        row += [tender.count, tender.paid_minor, tender.refunded_minor] if tender else [0, 0, 0]
    groups: dict[Decimal, TaxRateTotal] = {group.rate: group for group in totals.tax}
    for rate in rates:
        group = groups.get(rate)
        row += [group.net_minor, group.tax_minor, group.gross_minor] if group else [0, 0, 0]
    return row


def daily_summary_table(report: DailySummary) -> Table:
    """One row per business day, then the period's total (`day` = "total"); the tax of
    every rate sold in the period gets its own three columns."""
    rates = sorted({group.rate for group in report.totals.tax}, reverse=True)
    header = ["day", "hours", *_totals_columns(rates)]
    rows = [[day.day.isoformat(), day.hours, *_totals_row(day, rates)] for day in report.days]
    hours = sum(day.hours for day in report.days)
    rows.append(["total", hours, *_totals_row(report.totals, rates)])
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
    header = [
        "shift_id",
        "register",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
        "z_version",
        "tender",
        "expected_minor",
        "counted_minor",
        "difference_minor",
    ]
    rows: list[list[Any]] = [
        [
            shift.shift_id,
            f"R{shift.register_number}",
            shift.opened_by,
            shift.opened_at.isoformat(),
            shift.closed_by,
            shift.closed_at.isoformat(),
            shift.z_version,
            tender.tender,
            tender.expected_minor,
            tender.counted_minor,
            tender.difference_minor,
        ]
        for shift in report.shifts
        for tender in shift.tenders
    ]
    rows += [
        [
            "total",
            "",
            "",
            "",
            "",
            "",
            "",
            tender.tender,
            tender.expected_minor,
            tender.counted_minor,
            tender.difference_minor,
        ]
        for tender in report.totals
    ]
    return header, rows


def bas_table(report: Bas) -> Table:
    header = ["label", "description", "amount_minor", "whole_dollars"]
    rows: list[list[Any]] = [
        [label.label, label.description, label.amount_minor, label.whole_dollars]
        for label in report.labels
    ]
    adjustments = report.decreasing_adjustments
    rows.append(
        [
            "G18 (refunds)",
            adjustments.description,
            adjustments.amount_minor,
            adjustments.amount_minor // 100,
        ]
    )
    rows.append(
        ["G18 GST", "GST on those refunds", adjustments.gst_minor, adjustments.gst_minor // 100]
    )
    return header, rows


def vat_table(report: VatSummary) -> Table:
    header = [
        "rate",
        "sales_net_minor",
        "sales_tax_minor",
        "sales_gross_minor",
        "refunds_net_minor",
        "refunds_tax_minor",
        "refunds_gross_minor",
        "net_minor",
        "tax_minor",
    ]
    rows: list[list[Any]] = [
        [
            _rate_key(row.rate),
            row.sales.net_minor,
            row.sales.tax_minor,
            row.sales.gross_minor,
            row.refunds.net_minor,
            row.refunds.tax_minor,
            row.refunds.gross_minor,
            row.net_minor,
            row.tax_minor,
        ]
        for row in report.rates
    ]
    rows.append(["total", "", "", "", "", "", "", report.net_minor, report.tax_minor])
    return header, rows


TABLES: dict[type[BaseModel], Callable[[Any], Table]] = {
    DailySummary: daily_summary_table,
    ItemMix: item_mix_table,
    Reconciliation: reconciliation_table,
    Bas: bas_table,
    VatSummary: vat_table,
}


def table(report: BaseModel) -> Table:
    return TABLES[type(report)](report)


def to_csv(report: BaseModel) -> bytes:
    """RFC 4180 (libs/api/csv_cells.py): text quoted, and escaped where a spreadsheet would
    run it as a formula; numbers bare, so a refund's -450 is still a number."""
    header, rows = table(report)
    return write_csv(header, rows)


def to_json(report: BaseModel) -> bytes:
    return report.model_dump_json(indent=2).encode()


def bundle(
    name: str,
    report: BaseModel,
    *,
    parameters: dict[str, Any],
    generated_by: str,
    generated_at: datetime | None = None,
) -> bytes:
    """The export ZIP: `<name>.json`, `<name>.csv` and `manifest.json`."""
    _, rows = table(report)
    files = {f"{name}.json": to_json(report), f"{name}.csv": to_csv(report)}
    manifest = {
        "report": name,
        "parameters": parameters,
        "generated_at": (generated_at or datetime.now(UTC)).isoformat(),
        "generated_by": generated_by,
        "audit": json.loads(report.model_dump_json(include={"audit"}))["audit"],
        "files": [
            {
                "name": file_name,
                "bytes": len(content),
                # The CSV's data rows (header excluded); the JSON holds the same rows.
                "rows": len(rows),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
            for file_name, content in files.items()
        ],
    }
    files["manifest.json"] = json.dumps(manifest, indent=2).encode()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for file_name, content in files.items():
            info = zipfile.ZipInfo(file_name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zipped.writestr(info, content)
    return archive.getvalue()

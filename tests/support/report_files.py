"""Reading a report's CSV as an accountant's program does, and tracing every cell of it to the
field of the report's JSON it shows (docs/reports.md, "Files").

A report CSV is a header block (label, value, ...), a row of empty cells, then the table (a
header row and the rows). `trace` holds, for each report, which JSON field every column of
every row is: a path into the JSON answer (`P("days", 0, "orders")`), a constant the file
writes (`C("total")`), or nothing (an empty cell). It is written here by hand, from the
documented layout, not from the exporter's code, so a column that shows the wrong field, a
row that adds up what is not additive, or a figure of the JSON missing from the CSV fails.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\x00")


@dataclass(frozen=True)
class P:
    """A path into the JSON answer."""

    parts: tuple[str | int, ...]

    def __init__(self, *parts: str | int) -> None:
        object.__setattr__(self, "parts", parts)


@dataclass(frozen=True)
class C:
    """A constant the file writes (a row's label, a description)."""

    value: Any


Spec = P | C | None


@dataclass(frozen=True)
class ReportCsv:
    block: list[list[str]]
    header: list[str]
    rows: list[list[str]]
    # Lines before the table's header row (the block and the empty row).
    header_lines: int


def read_report_csv(content: bytes) -> ReportCsv:
    """Split a report CSV into its block and its table, checking the file's shape: RFC 4180
    line ends, every row equally wide, the block's rows padded with empty cells."""
    assert content.endswith(b"\r\n")
    records = list(csv.reader(io.StringIO(content.decode(), newline="")))
    widths = {len(record) for record in records}
    assert len(widths) == 1, f"rows of different widths: {widths}"
    blank = next(i for i, record in enumerate(records) if not any(record))
    header = records[blank + 1]
    while header and header[-1] == "":
        header.pop()
    rows = []
    for record in records[blank + 2 :]:
        assert not any(record[len(header) :]), record
        rows.append(record[: len(header)])
    block = []
    for record in records[:blank]:
        while record and record[-1] == "":
            record.pop()
        block.append(record)
    return ReportCsv(block=block, header=header, rows=rows, header_lines=blank + 1)


def value_at(answer: Any, path: P) -> Any:
    value = answer
    for part in path.parts:
        value = value[part]
    return value


def _shown(value: Any) -> str:
    """A JSON value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_TRIGGERS) else value
    return str(value)


def _same(cell: str, value: Any, path: P | None) -> bool:
    if isinstance(value, float):
        return cell != "" and float(cell) == value
    last = path.parts[-1] if path else None
    if isinstance(value, str) and isinstance(last, str) and last.endswith("_at"):
        # The same instant, in the same offset (the venue's).
        return datetime.fromisoformat(cell) == datetime.fromisoformat(value) and (
            datetime.fromisoformat(cell).utcoffset() == datetime.fromisoformat(value).utcoffset()
        )
    return cell == _shown(value)


def rate_key(rate: str) -> str:
    return f"{Decimal(rate).normalize():f}"


# --- the header block ------------------------------------------------------------------------


def block_specs(name: str, answer: dict[str, Any]) -> list[list[Spec]]:
    """The header block, row by row: label, then values."""
    rows: list[list[Spec]] = [
        [C("Business"), P("business", "name")],
        [P("business", "tax_id_label"), P("business", "tax_id")],
        [C("Report"), None, P("report")],  # the title is the file's own words
    ]
    locations = (
        [("location",)]
        if "location" in answer
        else [("locations", i) for i in range(len(answer["locations"]))]
    )
    rows += [[C("Location"), P(*at, "name"), P(*at, "time_zone")] for at in locations]
    rows += [
        [C("Period"), P("period", "label"), P("period", "first_day"), P("period", "last_day")],
        [C("Currency"), P("currency"), None],
    ]
    if "prices_include_tax" in answer:
        rows.append([C("Prices include tax"), C("yes" if answer["prices_include_tax"] else "no")])
    if "tax_basis" in answer:
        basis: list[Spec] = [C("Tax basis"), P("tax_basis")]
        if answer["business"]["tax_id_label"] != "ABN":
            basis.append(
                C({"accrual": "Soll-Versteuerung", "cash": "Ist-Versteuerung"}[answer["tax_basis"]])
            )
        rows.append(basis)
    if "open_shifts" in answer:
        rows.append([C("Shifts still open at the period's end"), P("open_shifts")])
    zone = P(*locations[0], "time_zone") if locations else C("UTC")
    rows += [
        [C("Generated at"), P("generated_at"), zone],
        [
            C("Audit log entries"),
            P("audit", "from_seq"),
            P("audit", "through_seq"),
            P("audit", "through_hash"),
        ],
    ]
    return rows


# --- the tables ------------------------------------------------------------------------------

TOTALS = {
    "orders": ("orders",),
    "covers": ("covers",),
    "gross_sales_minor": ("gross_sales_minor",),
    "discounts_minor": ("discounts_minor",),
    "service_charges_minor": ("service_charges_minor",),
    "net_sales_minor": ("net_sales_minor",),
    "sales_excluding_tax_minor": ("sales_excluding_tax_minor",),
    "tax_minor": ("tax_minor",),
    "sales_including_tax_minor": ("sales_including_tax_minor",),
    "tips_minor": ("tips_minor",),
    "rounding_minor": ("rounding_minor",),
    "average_ticket_minor": ("average_ticket_minor",),
    "refunds_count": ("refunds", "count"),
    "refunds_amount_minor": ("refunds", "amount_minor"),
    "refunds_tax_minor": ("refunds", "tax_minor"),
    "voided_orders": ("voids", "orders", "count"),
    "voided_orders_minor": ("voids", "orders", "amount_minor"),
    "voided_lines": ("voids", "lines", "count"),
    "voided_lines_minor": ("voids", "lines", "amount_minor"),
}


def _totals_specs(at: tuple[str | int, ...], figures: dict[str, Any]) -> dict[str, Spec]:
    specs: dict[str, Spec] = {column: P(*at, *path) for column, path in TOTALS.items()}
    for index, tender in enumerate(figures["payments"]):
        name = tender["tender"]
        for column, field in (
            ("payments", "count"),
            ("paid_minor", "paid_minor"),
            ("refunded_minor", "refunded_minor"),
            ("net_minor", "net_minor"),
        ):
            specs[f"{name}_{column}"] = P(*at, "payments", index, field)
    for prefix, groups in (("tax", ("tax",)), ("refunds_tax", ("refunds", "tax"))):
        for index, group in enumerate(value_at(figures, P(*groups))):
            key = rate_key(group["rate"])
            for field in ("net_minor", "tax_minor", "gross_minor"):
                specs[f"{prefix}_{key}_{field}"] = P(*at, *groups, index, field)
    return specs


def daily_summary_specs(answer: dict[str, Any], header: list[str]) -> list[dict[str, Spec]]:
    rows = []
    for index, day in enumerate(answer["days"]):
        specs = _totals_specs(("days", index), day)
        rows.append({"day": P("days", index, "day"), "hours": P("days", index, "hours"), **specs})
    # The total row is the JSON's totals; it has no hours.
    rows.append({"day": C("total"), "hours": None, **_totals_specs(("totals",), answer["totals"])})
    # A rate that a day did not sell or refund is a 0 in that day's columns.
    return [{column: row.get(column, C(0)) for column in header} for row in rows]


MIX_COLUMNS = (
    "quantity",
    "gross_sales_minor",
    "discounts_minor",
    "service_charges_minor",
    "net_sales_minor",
    "refunded_quantity",
    "refunds_minor",
)


def item_mix_specs(answer: dict[str, Any], header: list[str]) -> list[dict[str, Spec]]:
    def figures(*at: str | int) -> dict[str, Spec]:
        return {column: P(*at, column) for column in MIX_COLUMNS}

    blank: dict[str, Spec] = dict.fromkeys(MIX_COLUMNS)
    rows: list[dict[str, Spec]] = []
    for i, _ in enumerate(answer["items"]):
        rows.append(
            {
                "section": C("item"),
                "item_id": P("items", i, "item_id"),
                "name": P("items", i, "name"),
                "category": P("items", i, "category"),
                **figures("items", i),
            }
        )
    for i, _ in enumerate(answer["categories"]):
        rows.append(
            {
                "section": C("category"),
                "item_id": None,
                "name": None,
                "category": P("categories", i, "category"),
                **figures("categories", i),
            }
        )
    for i, _ in enumerate(answer["modifiers"]):
        rows.append(
            {
                "section": C("modifier"),
                "item_id": P("modifiers", i, "modifier_id"),
                "name": P("modifiers", i, "name"),
                "category": None,
                **blank,
                "quantity": P("modifiers", i, "quantity"),
                # Units sold with it × its price then: the modifier's gross sales.
                "gross_sales_minor": P("modifiers", i, "gross_minor"),
            }
        )
    rows.append(
        {
            "section": C("refunds not attributed"),
            "item_id": None,
            "name": None,
            "category": None,
            **blank,
            "refunds_minor": P("refunds_not_attributed_minor"),
        }
    )
    rows.append(
        {
            "section": C("total"),
            "item_id": None,
            "name": None,
            "category": None,
            **figures("totals"),
        }
    )
    return rows


def reconciliation_specs(answer: dict[str, Any], header: list[str]) -> list[dict[str, Spec]]:
    rows: list[dict[str, Spec]] = []
    for s, shift in enumerate(answer["shifts"]):
        for t, _ in enumerate(shift["tenders"]):
            rows.append(
                {
                    "shift": C("shift"),
                    "register": P("shifts", s, "register_name"),
                    "register_number": P("shifts", s, "register_number"),
                    "opened_by": P("shifts", s, "opened_by_name"),
                    "opened_at": P("shifts", s, "opened_at"),
                    "closed_by": P("shifts", s, "closed_by_name"),
                    "closed_at": P("shifts", s, "closed_at"),
                    "z_version": P("shifts", s, "z_version"),
                    "tender": P("shifts", s, "tenders", t, "tender"),
                    "expected_minor": P("shifts", s, "tenders", t, "expected_minor"),
                    "counted_minor": P("shifts", s, "tenders", t, "counted_minor"),
                    "difference_minor": P("shifts", s, "tenders", t, "difference_minor"),
                    "shift_id": P("shifts", s, "shift_id"),
                }
            )
    for t, _ in enumerate(answer["totals"]):
        rows.append(
            {
                **dict.fromkeys(header),
                "shift": C("total"),
                "tender": P("totals", t, "tender"),
                "expected_minor": P("totals", t, "expected_minor"),
                "counted_minor": P("totals", t, "counted_minor"),
                "difference_minor": P("totals", t, "difference_minor"),
            }
        )
    return rows


def bas_specs(answer: dict[str, Any], header: list[str]) -> list[dict[str, Spec]]:
    rows: list[dict[str, Spec]] = [
        {
            "label": P("labels", i, "label"),
            "description": P("labels", i, "description"),
            "amount_minor": P("labels", i, "amount_minor"),
            "whole_dollars": P("labels", i, "whole_dollars"),
        }
        for i, _ in enumerate(answer["labels"])
    ]
    rows += [
        {
            "label": C("G18"),
            "description": P("decreasing_adjustments", "description"),
            "amount_minor": P("decreasing_adjustments", "amount_minor"),
            "whole_dollars": P("decreasing_adjustments", "amount_whole_dollars"),
        },
        {
            "label": C("G18 GST"),
            "description": C("GST on those refunds (decreasing adjustments)"),
            "amount_minor": P("decreasing_adjustments", "gst_minor"),
            "whole_dollars": P("decreasing_adjustments", "gst_whole_dollars"),
        },
        {
            "label": C("GST-free refunds"),
            "description": C("Refunds of GST-free sales: no adjustment"),
            "amount_minor": P("gst_free_refunds_minor"),
            "whole_dollars": None,
        },
    ]
    return rows


# Figures the BAS's JSON repeats: G9 and 1A under their own names.
BAS_REPEATS = {
    ("worksheet_gst_minor",): "G9",
    ("invoice_gst_minor",): "1A",
}


def vat_specs(answer: dict[str, Any], header: list[str]) -> list[dict[str, Spec]]:
    rows: list[dict[str, Spec]] = []
    for i, row in enumerate(answer["rates"]):
        spec: dict[str, Spec] = {
            **dict.fromkeys(header),
            "section": C("rate"),
            "rate": C(rate_key(row["rate"])),
            "net_minor": P("rates", i, "net_minor"),
            "tax_minor": P("rates", i, "tax_minor"),
        }
        for part in ("sales", "refunds"):
            for field in ("net_minor", "tax_minor", "gross_minor"):
                spec[f"{part}_{field}"] = P("rates", i, part, field)
        rows.append(spec)
    rows.append(
        {
            **dict.fromkeys(header),
            "section": C("total"),
            "net_minor": P("net_minor"),
            "tax_minor": P("tax_minor"),
        }
    )
    for i, box in enumerate(answer["boxes"]):
        rows.append(
            {
                **dict.fromkeys(header),
                "section": C("box"),
                "rate": C(rate_key(box["rate"])) if box["rate"] is not None else None,
                "kennzahl": P("boxes", i, "kennzahl"),
                "tax_kennzahl": P("boxes", i, "tax_kennzahl"),
                "description": P("boxes", i, "description"),
                "net_minor": P("boxes", i, "base_minor"),
                "tax_minor": P("boxes", i, "tax_minor"),
                "net_whole_euros": P("boxes", i, "base_whole_euros"),
                "form_tax_minor": P("boxes", i, "form_tax_minor"),
            }
        )
    return rows


SPECS = {
    "daily-summary": daily_summary_specs,
    "item-mix": item_mix_specs,
    "reconciliation": reconciliation_specs,
    "bas": bas_specs,
    "vat-summary": vat_specs,
}

# Numbers of the JSON that are settings, not figures: the file says them in words or not at
# all (a venue's cutoff hour is in its business days already).
NOT_FIGURES = {"business_day_cutoff_hour"}


def _figures(value: Any, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every number of the JSON, by its path."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in NOT_FIGURES:
                yield from _figures(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _figures(inner, (*at, index))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield at


def trace(name: str, answer: dict[str, Any], content: bytes) -> ReportCsv:
    """Every cell of the report's CSV is the JSON field its column says, in every row, the
    header block included; and every number of the JSON is in some cell."""
    file = read_report_csv(content)
    shown: set[tuple[str | int, ...]] = set()

    def check(cell: str, spec: Spec, where: str) -> None:
        if spec is None:
            assert cell == "", f"{where}: {cell!r} should be empty"
        elif isinstance(spec, C):
            assert cell == _shown(spec.value), f"{where}: {cell!r} != {spec.value!r}"
        else:
            value = value_at(answer, spec)
            assert _same(cell, value, spec), f"{where}: {cell!r} is not {spec.parts} {value!r}"
            shown.add(spec.parts)

    expected_block = block_specs(name, answer)
    assert len(file.block) == len(expected_block), file.block
    for row, specs in zip(file.block, expected_block, strict=True):
        assert len(row) <= len(specs), (row, specs)
        padded = row + [""] * (len(specs) - len(row))
        for column, (cell, spec) in enumerate(zip(padded, specs, strict=True)):
            if spec is None and column == 1 and row[0] == "Report":
                assert cell, "the report's title"
                continue
            if spec is None and row[0] == "Currency":
                continue  # a note on the units
            check(cell, spec, f"block {row[0]!r} [{column}]")

    expected_rows = SPECS[name](answer, file.header)
    assert len(file.rows) == len(expected_rows), (len(file.rows), len(expected_rows))
    for number, (row, columns) in enumerate(zip(file.rows, expected_rows, strict=True)):
        assert set(columns) == set(file.header), set(columns) ^ set(file.header)
        for name_, cell in zip(file.header, row, strict=True):
            check(cell, columns[name_], f"row {number} {name_!r}")

    if name == "bas":
        labels = {label["label"]: i for i, label in enumerate(answer["labels"])}
        for path, label in BAS_REPEATS.items():
            assert answer[path[0]] == answer["labels"][labels[label]]["amount_minor"]
            shown.add(path)
    missing = [path for path in _figures(answer) if path not in shown]
    assert not missing, f"figures of the JSON not in the CSV: {missing}"
    return file

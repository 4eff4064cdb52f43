"""Names that a spreadsheet would run as formulas (`=HYPERLINK(...)`, `@SUM(...)`, `+1+1`,
`-2+3`, a leading tab or carriage return) leave in every CSV and export bundle as text, escaped
as OWASP's CSV Injection guidance says; numbers, a shortfall's `-450` among them, stay numbers.
One writer makes every CSV: libs/api/csv_cells.py."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import httpx
import pytest

from libs.api.csv_cells import FORMULA_TRIGGERS, cell, text_cell, write_csv
from libs.rbac import Role
from tests.support.database import Connect, Provision, as_service, as_tenant
from tests.support.offline import Log, allow_offline_approvals, offline_till, upload
from tests.support.report_files import read_report_csv
from tests.support.tokens import TokenFactory

HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = [HYPERLINK, "@SUM(1+1)", "+1+1", "-2+3", "\tx", "\rx"]


# -- the writer --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*FORMULAS, "\x00x"], ids=repr)
def test_text_a_spreadsheet_would_run_is_prefixed_with_a_quote(text: str) -> None:
    assert text_cell(text) == "'" + text
    assert cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Flat white", "", "1+1", "x=1", " =1+1", "'quoted", "R1"])
def test_other_text_is_left_as_it_is(text: str) -> None:
    assert text_cell(text) == text


def test_numbers_stay_numbers_and_everything_else_is_text() -> None:
    assert cell(-450) == -450
    assert cell(Decimal("-4.50")) == Decimal("-4.50")
    assert cell(24.0) == 24.0
    assert cell(None) == ""
    assert cell(True) == "true"
    assert cell(date(2026, 11, 21)) == "2026-11-21"
    identifier = uuid.uuid4()
    assert cell(identifier) == str(identifier)
    assert cell(datetime(2026, 11, 21, 1, 0, tzinfo=UTC)) == "2026-11-21T01:00:00+00:00"


def test_the_file_quotes_text_and_leaves_numbers_bare() -> None:
    content = write_csv(["name", "amount_minor"], [[HYPERLINK, -450], ["-2+3", 300]])
    assert content == (
        b'"name","amount_minor"\r\n"\'=HYPERLINK(""http://x"",""y"")",-450\r\n"\'-2+3",300\r\n'
    )
    rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
    assert rows == [["name", "amount_minor"], ["'" + HYPERLINK, "-450"], ["'-2+3", "300"]]


def test_every_trigger_is_one_owasp_names() -> None:
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r", "\x00"}


# -- the reports -------------------------------------------------------------------------------

SATURDAY_NOON = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)  # 12:00 in Sydney


def _cells(content: bytes) -> list[list[str]]:
    """The table of a report CSV: its header row and rows, after the header block."""
    table = read_report_csv(content)
    return [table.header, *table.rows]


async def test_names_are_escaped_in_every_csv_and_export_and_amounts_stay_numbers(
    provision: Provision,
    connect_as: Connect,
    token: TokenFactory,
    orders_client: httpx.AsyncClient,
    reports_client: httpx.AsyncClient,
) -> None:
    tenant = await provision("au")
    till = await offline_till(connect_as, token, orders_client, tenant)
    menu = till.menu
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET created_at = '2025-01-01T00:00:00Z'",
    )
    # Named so before the API refused control characters, or typed in as they are (the
    # formulas are legitimate text: it is the CSV that must not let a spreadsheet run them).
    extra_category, extra_item = uuid.uuid4(), uuid.uuid4()
    connection = await connect_as("orders")
    async with as_tenant(connection, tenant):
        rename = "UPDATE orders.{} SET name = $2 WHERE id = $1"
        await connection.execute(rename.format("menu_items"), menu.coffee_id, HYPERLINK)
        await connection.execute(rename.format("menu_items"), menu.bread_id, "-2+3")
        await connection.execute(rename.format("menu_categories"), menu.category_id, "@SUM(1+1)")
        await connection.execute(rename.format("modifiers"), menu.oat_milk_id, "+1+1")
        await connection.execute(
            "INSERT INTO orders.menu_categories (id, name) VALUES ($1, $2)", extra_category, "\tx"
        )
        await connection.execute(
            "INSERT INTO orders.menu_items (id, category_id, tax_category_id, name, price_minor) "
            "SELECT $1, $2, tax_category_id, $3, 200 FROM orders.menu_items WHERE id = $4",
            extra_item,
            extra_category,
            "\rx",
            menu.bread_id,
        )

    await allow_offline_approvals(orders_client, token, till)
    log = Log(till, start=SATURDAY_NOON)
    shift_id = log.open_shift()
    order = log.order(
        [
            {"item_id": str(menu.coffee_id), "modifier_ids": [str(menu.oat_milk_id)]},
            {"item_id": str(menu.bread_id)},
            {"item_id": str(extra_item)},
        ]
    )
    log.pay_cash(order, 1_000)  # 500 + 300 + 200
    log.close(order, client_total_minor=1_000)
    log.receipt_sequence += 1
    log.record(
        "refund",
        {
            "refund_id": str(uuid.uuid4()),
            "order_id": str(order),
            "shift_id": str(shift_id),
            "reason_code": "quality_issue",
            "lines": [{"line_number": 2, "quantity": 1}],
            "receipt_sequence": log.receipt_sequence,
            "approved_by": str(till.manager),
            "client_total_minor": 300,
        },
    )
    # The drawer is 450 short of the float + 1000 taken - 300 handed back.
    log.close_shift(cash=20_000 + 1_000 - 300 - 450)
    answer = await upload(orders_client, till, log.operations)
    assert {item["state"] for item in answer["items"]} == {"applied"}, answer

    accountant = token(tenant, Role.ACCOUNTANT)
    params = {"location_id": str(till.location_id), "period": "2026-11-21"}

    # A staff member's name comes from people too: the reconciliation prints it.
    await as_service(
        connect_as,
        "identity",
        tenant,
        "UPDATE identity.staff SET display_name = $2 WHERE id = $1",
        till.cashier,
        "=cmd|' /C calc'!A0",
    )

    def check_item_mix(content: bytes) -> None:
        rows = _cells(content)
        names = {row[2] for row in rows[1:] if row[0] in ("item", "modifier")}
        categories = {row[3] for row in rows[1:] if row[0] == "category"}
        assert names == {"'" + HYPERLINK, "'-2+3", "'\rx", "'+1+1"}
        assert categories == {"'@SUM(1+1)", "'\tx"}
        # Quoted in the file, as OWASP asks, and the quotes inside doubled.
        assert b'"\'=HYPERLINK(""http://x"",""y"")"' in content
        assert b',"=' not in content and b",=" not in content

    def check_reconciliation(content: bytes) -> None:
        table = read_report_csv(content)
        rows = [dict(zip(table.header, row, strict=True)) for row in table.rows]
        cash = [row for row in rows if row["tender"] == "cash"]
        assert {row["difference_minor"] for row in cash} == {"-450"}
        # A number in the file (bare), not text: a spreadsheet adds it up.
        assert b",-450," in content and b"'-450" not in content
        # The cashier's name, as text that does not run.
        shift = next(row for row in rows if row["shift"] == "shift")
        assert shift["opened_by"] == shift["closed_by"] == "'=cmd|' /C calc'!A0"
        assert b',"=' not in content

    for name, check in (("item-mix", check_item_mix), ("reconciliation", check_reconciliation)):
        as_csv = await reports_client.get(
            f"/v1/reports/{name}", params={**params, "format": "csv"}, auth=accountant
        )
        assert as_csv.status_code == 200, as_csv.text
        check(as_csv.content)
        exported = await reports_client.get(
            f"/v1/reports/{name}/export", params=params, auth=accountant
        )
        assert exported.status_code == 200, exported.text
        with zipfile.ZipFile(io.BytesIO(exported.content)) as bundle:
            [member] = [
                file for file in bundle.namelist() if file.endswith(f"_{name}_2026-11-21.csv")
            ]
            in_bundle = bundle.read(member)
        # The same table (each file says when it was generated).
        assert read_report_csv(in_bundle).rows == read_report_csv(as_csv.content).rows
        check(in_bundle)

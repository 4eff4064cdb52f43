"""The till prices a sale offline with web/pos/src/pricing.ts; the server reprices it with
services/orders/pricing.py when it arrives, and a difference would flag the sale
`total-mismatch`. Random orders (any mix of rates, quantities, prices, an order discount,
either tax basis; seeded, so a failure repeats) and cash amounts must come out the same to
the cent from both, and so must a hand-worked case. Runs the TypeScript in Node."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import Decimal
from typing import Any

import pytest

from services.orders.pricing import Discount, LineInput, OrderInput, cash_rounding, price_order
from tests.support import REPO_ROOT

RUNNER = REPO_ROOT / "tests" / "pos" / "pricing.mjs"
NODE = shutil.which("node")
RATES = ["10.000", "0.000", "19.000", "7.000", "5.500", "12.5", "10"]

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None
    or not (REPO_ROOT / "web" / "node_modules" / "typescript").exists(),
    reason="needs Node and the web workspace (make web)",
)


def till_answers(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert NODE is not None
    done = subprocess.run(  # noqa: S603 - our own script, on our own generated cases
        [NODE, str(RUNNER)], input=json.dumps(cases), capture_output=True, text=True, check=True
    )
    answers: list[dict[str, Any]] = json.loads(done.stdout)
    return answers


def server_answer(case: dict[str, Any]) -> dict[str, Any]:
    discount = case["discount"]
    priced = price_order(
        OrderInput(
            lines=tuple(
                LineInput(
                    key=index + 1,
                    quantity=line["quantity"],
                    unit_price_minor=line["unitPriceMinor"],
                    tax_rate=Decimal(line["taxRatePercent"]),
                )
                for index, line in enumerate(case["lines"])
            ),
            prices_include_tax=case["prices_include_tax"],
            discount=Discount(discount["kind"], discount["value"]) if discount else None,
        )
    )
    return {
        "subtotalMinor": priced.subtotal_minor,
        "discountMinor": priced.discount_minor,
        "taxMinor": priced.tax_minor,
        "totalMinor": priced.total_minor,
        "tax": [
            (group.rate, group.net_minor, group.tax_minor, group.gross_minor)
            for group in priced.tax
        ],
        "rounding": cash_rounding(case["rounding_amount"], case["increment"]),
    }


def till_view(answer: dict[str, Any]) -> dict[str, Any]:
    priced = answer["priced"]
    return {
        "subtotalMinor": priced["subtotalMinor"],
        "discountMinor": priced["discountMinor"],
        "taxMinor": priced["taxMinor"],
        "totalMinor": priced["totalMinor"],
        "tax": [
            (
                Decimal(group["ratePercent"]),
                group["netMinor"],
                group["taxMinor"],
                group["grossMinor"],
            )
            for group in priced["tax"]
        ],
        "rounding": answer["rounding"],
    }


def random_case(rng: random.Random) -> dict[str, Any]:
    drawn: list[dict[str, Any]] = [
        {
            "quantity": rng.randint(1, 20),
            "unitPriceMinor": rng.choice([rng.randint(0, 99), rng.randint(100, 50_000)]),
            "taxRatePercent": rng.choice(RATES),
        }
        for _ in range(rng.randint(1, 8))
    ]
    subtotal = sum(line["quantity"] * line["unitPriceMinor"] for line in drawn)
    discount = rng.choice(
        [
            None,
            {"kind": "percent", "value": rng.randint(0, 10_000)},
            {"kind": "amount", "value": rng.randint(0, subtotal)},
        ]
    )
    return {
        "lines": drawn,
        "prices_include_tax": rng.random() < 0.5,
        "discount": discount,
        "rounding_amount": rng.randint(-100_000, 100_000),
        "increment": rng.choice([1, 5, 10]),
        "typed": [],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_till_and_the_server_price_every_order_alike(seed: int) -> None:
    # 500 random orders per run, in one Node run: the comparison is the point, not start-up.
    rng = random.Random(seed)
    drawn = [random_case(rng) for _ in range(500)]
    for case, answer in zip(drawn, till_answers(drawn), strict=True):
        assert till_view(answer) == server_answer(case), case


def test_hand_worked_cases() -> None:
    # docs/money.md: a flat white (4.50) and a banana bread (6.95, GST-free) with 10 % off,
    # paid in cash: GST is one eleventh of the taxable part, cash rounds to 5c.
    worked = {
        "lines": [
            {"quantity": 2, "unitPriceMinor": 450, "taxRatePercent": "10.000"},
            {"quantity": 1, "unitPriceMinor": 695, "taxRatePercent": "0.000"},
        ],
        "prices_include_tax": True,
        "discount": {"kind": "percent", "value": 1000},
        "rounding_amount": 1436,
        "increment": 5,
        "typed": ["4.50", "4.5", "4,50", "12", "0.05", "1.234", "-1", "", "abc", " 20.00 "],
    }
    [answer] = till_answers([worked])
    # Subtotal 15.95; 10 % off is 1.595 -> 1.60 (half up), shared 0.90 / 0.70 over the lines
    # by their weights 900 and 695 (0.9028 and 0.6972: the leftover cent to the larger
    # remainder); taxable 9.00 - 0.90 = 8.10, GST 8.10 / 11 = 0.736 -> 0.74.
    assert answer["priced"]["subtotalMinor"] == 1595
    assert answer["priced"]["discountMinor"] == 160
    assert answer["priced"]["totalMinor"] == 1435
    assert answer["priced"]["taxMinor"] == 74
    assert answer["rounding"] == -1  # 14.36 pays 14.35
    assert answer["parsed"] == [450, 450, 450, 1200, 5, None, None, None, None, 2000]
    assert till_view(answer) == server_answer(worked)

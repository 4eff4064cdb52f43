"""The seeded catalog: one product, halopos Standard, at one monthly price per currency.

The billing service is configured with price ids: on Stripe, the ids of prices created in
the dashboard; here, these fixed ones, stable across restarts.
"""

from __future__ import annotations

from doubles.fake_stripe.objects import JsonObject

PRODUCT_STANDARD = "prod_halopos_standard"
PRICE_AUD = "price_halopos_standard_aud"
PRICE_EUR = "price_halopos_standard_eur"

# A fixed creation time keeps the seeded objects identical across restarts and state files.
_SEEDED_AT = 1_767_225_600  # 2026-01-01T00:00:00Z


def product() -> JsonObject:
    return {
        "id": PRODUCT_STANDARD,
        "object": "product",
        "active": True,
        "created": _SEEDED_AT,
        "default_price": PRICE_AUD,
        "description": None,
        "images": [],
        "livemode": False,
        "marketing_features": [],
        "metadata": {},
        "name": "halopos Standard",
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": _SEEDED_AT,
        "url": None,
    }


def monthly_price(price_id: str, currency: str, unit_amount: int) -> JsonObject:
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "created": _SEEDED_AT,
        "currency": currency,
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": price_id.removeprefix("price_"),
        "metadata": {},
        "nickname": None,
        "product": PRODUCT_STANDARD,
        "recurring": {
            "interval": "month",
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "tax_behavior": "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring",
        "unit_amount": unit_amount,
        "unit_amount_decimal": str(unit_amount),
    }


def seeded() -> list[JsonObject]:
    return [
        product(),
        monthly_price(PRICE_AUD, "aud", 4900),
        monthly_price(PRICE_EUR, "eur", 3900),
    ]

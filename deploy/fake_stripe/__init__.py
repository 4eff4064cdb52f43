"""A local stand-in for Stripe's API, hosted Checkout and Customer Portal, and webhooks: what
the billing service talks to in tests and in an offline `make run`. See README.md."""

from doubles.fake_stripe.app import create_app
from doubles.fake_stripe.catalog import PRICE_AUD, PRICE_EUR, PRODUCT_STANDARD
from doubles.fake_stripe.config import API_VERSION, FakeStripeConfig
from doubles.fake_stripe.serving import ServedFakeStripe, serve_app, serve_fake_stripe
from doubles.fake_stripe.signing import sign_payload

__all__ = [
    "API_VERSION",
    "PRICE_AUD",
    "PRICE_EUR",
    "PRODUCT_STANDARD",
    "FakeStripeConfig",
    "ServedFakeStripe",
    "create_app",
    "serve_app",
    "serve_fake_stripe",
    "sign_payload",
]

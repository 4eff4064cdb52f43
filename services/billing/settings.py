"""The billing service's settings, from the environment (HALOPOS_STRIPE_*, HALOPOS_BILLING_*).

The two secrets (the API key and the webhook signing secret) are `SecretStr`: their repr is
masked, so a settings object that reaches a log line or a traceback does not carry them.
"""

from __future__ import annotations

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class BillingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HALOPOS_", extra="ignore")

    # Stripe's secret API key (sk_live_… / sk_test_…, or a restricted rk_… key).
    stripe_api_key: SecretStr | None = None
    # The signing secret of our webhook endpoint (whsec_…).
    stripe_webhook_secret: SecretStr | None = None
    # None: Stripe itself (https://api.stripe.com). `halopos run` without a key and the tests
    # point it at the local fake Stripe (doubles/fake_stripe); the client code is the same.
    stripe_api_base: str | None = None
    # The recurring price a tenant subscribes to, by the tenant's currency.
    stripe_price_aud: str | None = None
    stripe_price_eur: str | None = None
    # Seconds a webhook's signature timestamp may be old (Stripe's own libraries use 300).
    stripe_webhook_tolerance: int = 300
    # The backoffice page an owner returns to from Checkout and the Customer Portal.
    billing_return_url: str = "http://127.0.0.1:8000/backoffice/billing"
    # Days a past-due subscription keeps full use (with a warning) before turning read-only.
    billing_grace_days: int = 14
    # Seconds between the worker's sweeps for stored events it has not applied yet (events
    # whose Stripe lookups failed, or that another process stored before stopping).
    billing_sweep_interval: float = 30.0

    def price_for(self, currency: str) -> str | None:
        return {"AUD": self.stripe_price_aud, "EUR": self.stripe_price_eur}.get(currency)

"""The pieces of delivery that need no database: our signatures as the Standard Webhooks
reference library reads them, the retry schedule, the SSRF rules without the development
allowance, and the body an attempt sends."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

import pytest
import standardwebhooks
from cryptography.exceptions import InvalidTag

from services.webhooks import signing
from services.webhooks.addresses import EndpointUrlRefused, check_url
from services.webhooks.deliveries.repository import Claimed
from services.webhooks.settings import WebhookSettings
from services.webhooks.signing_secrets import SecretBox, new_secret
from services.webhooks.worker import body_of, next_wait


def test_our_signatures_verify_with_the_reference_library() -> None:
    secret, other = new_secret(), new_secret()
    body = b'{"data":{"total_minor":1250},"timestamp":"2026-12-07T03:15:00Z","type":"order.closed"}'
    headers = signing.headers(
        [secret, other], message_id=str(uuid.uuid4()), timestamp=int(time.time()), body=body
    )
    for each in (secret, other):
        assert standardwebhooks.Webhook(each).verify(body, headers)["type"] == "order.closed"
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(new_secret()).verify(body, headers)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(secret).verify(body.replace(b"1250", b"1"), headers)


def test_secrets_are_sealed_to_their_endpoint() -> None:
    box, endpoint, secret = SecretBox(bytes(32)), uuid.uuid4(), new_secret()
    sealed = box.seal(endpoint, secret)
    assert secret.encode() not in sealed
    assert box.open(endpoint, sealed) == secret
    with pytest.raises(InvalidTag):
        box.open(uuid.uuid4(), sealed)


def test_the_retry_schedule_is_bounded_and_jittered_upwards() -> None:
    settings = WebhookSettings(webhooks_retry_jitter=0.2)
    waits = [next_wait(settings, attempt) for attempt in range(1, 9)]
    schedule = settings.webhooks_retry_schedule
    assert waits[-1] is None and len(schedule) == 7
    for wait, planned in zip(waits[:-1], schedule, strict=True):
        assert wait is not None and planned <= wait <= planned * 1.2
    assert schedule == (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)


def test_every_attempt_of_a_message_sends_the_same_body() -> None:
    claimed = Claimed(
        id=uuid.uuid4(),
        endpoint_id=uuid.uuid4(),
        url="https://hooks.example.com/",
        secret_ciphertext=b"",
        previous_secret_ciphertext=None,
        message_id=uuid.uuid4(),
        event_type="order.closed",
        occurred_at=datetime(2026, 12, 7, 3, 15, tzinfo=UTC),
        data={"total_minor": 1250, "currency": "AUD"},
        attempt_count=0,
        attempts_in_round=0,
    )
    assert body_of(claimed) == body_of(claimed)
    assert body_of(claimed) == (
        b'{"data":{"currency":"AUD","total_minor":1250},'
        b'"timestamp":"2026-12-07T03:15:00Z","type":"order.closed"}'
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://localhost/hook",
        "http://127.0.0.1:8080/hook",
        "https://10.0.0.1/hook",
        "https://169.254.169.254/",
        "https://[fe80::1]/hook",
        "https://224.0.0.1/hook",
        "https://240.0.0.1/hook",
    ],
)
async def test_production_refuses_loopback_and_private_addresses(url: str) -> None:
    with pytest.raises(EndpointUrlRefused):
        await check_url(url, allow_loopback=False)


async def test_development_allows_loopback_only() -> None:
    await check_url("http://127.0.0.1:8080/hook", allow_loopback=True)
    await check_url("https://93.184.215.14/hook", allow_loopback=False)
    with pytest.raises(EndpointUrlRefused):
        await check_url("http://93.184.215.14/hook", allow_loopback=True)
    with pytest.raises(EndpointUrlRefused):
        await check_url("https://10.0.0.1/hook", allow_loopback=True)

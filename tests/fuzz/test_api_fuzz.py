"""The API fuzz (issue 21): schemathesis generates requests from the merged OpenAPI document
the gateway serves and sends them through the gateway to the real services on a real
Postgres, signed in as a cashier at a till and as an owner in the backoffice.

Every response must be no server error (a 5xx fails the suite), have a status the operation
declares, the content type it declares for that status, and a body that matches its schema.
The examples are bounded and derandomised, so a run is reproducible and fits CI's budget.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import CheckContext, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.transport import Response
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    is_unexpected_http_status_case,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from libs.rbac import Role
from tests.fuzz.sessions import Business, RoleSigner
from tests.fuzz.stack import FuzzStack, merged_openapi_document

pytestmark = pytest.mark.fuzz

# Examples per operation and role in the fuzzing phase (positive and negative), on top of the
# coverage phase's positive boundary cases: ~110 operations and two roles make about 5,400
# requests, under 2 minutes on CI's 2 cores (docs/api-fuzz.md has the measurements).
MAX_EXAMPLES = 20

# What any route answers when the request itself is malformed, whatever the business holds: a
# schema-valid request answered with one of these means the document promised more than the
# server accepts (a bound, pattern or required member the schema does not say). Every other
# code is a domain code (`order-not-found`, `item-not-sellable`, `invalid-cursor`, ...): the
# business's state, not the request's shape, refused it.
REQUEST_SHAPE_CODES = frozenset(
    {
        "validation-failed",
        "bad-request",
        "version-required",
        "method-not-allowed",
        "unsupported-media-type",
        "payload-too-large",
        "http-error",
    }
)
# Answers about who is asking, what exists and what it is doing now: data the schema allows
# meets a business that refuses it today.
BUSINESS_STATE_STATUSES = frozenset({401, 403, 404, 409, 429})


@schemathesis.check
def valid_data_accepted(
    ctx: CheckContext, response: Response, case: schemathesis.Case[Any]
) -> bool | None:
    """Schemathesis's `positive_data_acceptance` ("valid data rejected"), with the problem code
    read: data the document allows is answered 2xx, with a business-state status, or with a
    4xx whose problem code is a domain code; never 422 `validation-failed` nor 428."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or is_unexpected_http_status_case(case):
        return None
    status = response.status_code
    if status < 400 or status >= 500 or status in BUSINESS_STATE_STATUSES:
        return None
    code = _problem_code(response)
    if status != 428 and code is not None and code not in REQUEST_SHAPE_CODES:
        return None
    raise RejectedPositiveData(
        operation=case.operation.label,
        message=f"Valid data should have been accepted: {status} {code}",
        status_code=status,
        allowed_statuses=["2xx", "401", "403", "404", "409", "429", "4xx with a domain code"],
    )


def _problem_code(response: Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    code = body.get("code") if isinstance(body, dict) else None
    return code if isinstance(code, str) else None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    valid_data_accepted,
    # Every header the response documents matches its schema (and a required one is sent).
    response_headers_conformance,
    # A method a path does not answer: 405 with Allow listing the documented ones.
    unsupported_method,
    allow_header_conformance,
]

# Operations that cannot be fuzzed meaningfully, each with its reason.
EXCLUDED = {
    # Carries no token: only a body signed with the Stripe webhook secret is read at all, so
    # every generated request is the same 400 bad-signature (tests/billing/test_billing.py covers
    # it).
    ("POST", "/v1/billing/webhooks/stripe"),
}

DOCUMENT = merged_openapi_document()
SIGNER = RoleSigner()

schema = schemathesis.openapi.from_dict(
    DOCUMENT,
    config=SchemathesisConfig.from_dict(
        {
            "generation": {"max-examples": MAX_EXAMPLES, "no-shrink": True},
            "phases": {
                # The coverage phase's negative cases (every boundary crossed, every field
                # missing or mistyped) are two thirds of its requests and answered 422 alike:
                # the fuzzing phase still sends negative data.
                "coverage": {"generation": {"mode": "positive"}},
                # Requests generated from one another's answers: links the document lacks.
                "stateful": {"enabled": False},
            },
        }
    ),
).exclude(func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in EXCLUDED)
# The auth hook: every request signed as whoever `signed_in` chose, a fresh proof each time.
schema.auth.set_from_requests(SIGNER)


@pytest.fixture
def signed_in(role: Role, business: Business) -> Iterator[Role]:
    SIGNER.use(business.signer(role))
    yield role
    SIGNER.use(None)


def test_the_fuzzed_document_is_the_one_the_gateway_serves(fuzz_stack: FuzzStack) -> None:
    response = requests.get(f"{fuzz_stack.gateway}/openapi.json", timeout=30)
    assert response.status_code == 200, response.text
    assert response.json() == DOCUMENT


@pytest.mark.parametrize("role", [Role.CASHIER, Role.OWNER], ids=str)
def test_a_session_about_to_expire_is_refreshed_before_it_signs(
    role: Role, fuzz_stack: FuzzStack, business: Business
) -> None:
    """The fuzz outlives no access token today (10 minutes), but a slower run would."""
    signer = business.signer(role)
    before = signer.tokens
    signer.tokens = dataclasses.replace(before, expires_at=time.time())
    response = requests.get(f"{fuzz_stack.gateway}/v1/menu", auth=signer, timeout=30)
    assert response.status_code == 200, response.text
    assert signer.tokens.access_token != before.access_token
    assert signer.tokens.refresh_token != before.refresh_token  # rotated
    assert signer.tokens.expires_at > time.time() + 60


@pytest.mark.parametrize("role", [Role.CASHIER, Role.OWNER], ids=str)
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    # No shrinking: a failure is reported with the example that found it, and CI stays fast.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(
    case: schemathesis.Case[Any], signed_in: Role, fuzz_stack: FuzzStack
) -> None:
    case.call_and_validate(base_url=fuzz_stack.gateway, checks=CHECKS, timeout=60)

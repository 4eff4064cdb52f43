from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.discount_amount_override import DiscountAmountOverride
from ...models.discount_percent_override import DiscountPercentOverride
from ...models.force_close_override import ForceCloseOverride
from ...models.override_granted import OverrideGranted
from ...models.problem_details import ProblemDetails
from ...models.refund_override import RefundOverride
from ...models.void_override import VoidOverride
from ...types import Response


def _get_kwargs(
    *,
    body: DiscountAmountOverride
    | DiscountPercentOverride
    | ForceCloseOverride
    | RefundOverride
    | VoidOverride,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/overrides",
    }

    if (
        isinstance(body, RefundOverride)
        or isinstance(body, VoidOverride)
        or isinstance(body, DiscountAmountOverride)
        or isinstance(body, DiscountPercentOverride)
    ):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OverrideGranted | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = OverrideGranted.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OverrideGranted | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: DiscountAmountOverride
    | DiscountPercentOverride
    | ForceCloseOverride
    | RefundOverride
    | VoidOverride,
) -> Response[OverrideGranted | ProblemDetails]:
    """Request Override

     A manager (or owner) approves one action on one resource at this till with their PIN,
    for a stated amount: `amount_minor` for a refund or a void, `amount_minor` or
    `percent_bps` for a discount (the order's whole discount), none for a force-close.

    The answer is a single-use token, valid for up to 60 seconds, for this device, this
    staff member, this action, this resource and at most this amount: send it as
    `X-Override-Token` with the guarded request (e.g. `POST /v1/orders/{order_id}/void`); a
    request for more is refused (403 `override-amount-exceeded`) and spends nothing. Every
    grant and every refusal is audited with the amount; wrong PINs count towards the
    approver's sign-in lockout.

    Args:
        body (DiscountAmountOverride | DiscountPercentOverride | ForceCloseOverride |
            RefundOverride | VoidOverride):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverrideGranted | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: DiscountAmountOverride
    | DiscountPercentOverride
    | ForceCloseOverride
    | RefundOverride
    | VoidOverride,
) -> OverrideGranted | ProblemDetails | None:
    """Request Override

     A manager (or owner) approves one action on one resource at this till with their PIN,
    for a stated amount: `amount_minor` for a refund or a void, `amount_minor` or
    `percent_bps` for a discount (the order's whole discount), none for a force-close.

    The answer is a single-use token, valid for up to 60 seconds, for this device, this
    staff member, this action, this resource and at most this amount: send it as
    `X-Override-Token` with the guarded request (e.g. `POST /v1/orders/{order_id}/void`); a
    request for more is refused (403 `override-amount-exceeded`) and spends nothing. Every
    grant and every refusal is audited with the amount; wrong PINs count towards the
    approver's sign-in lockout.

    Args:
        body (DiscountAmountOverride | DiscountPercentOverride | ForceCloseOverride |
            RefundOverride | VoidOverride):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverrideGranted | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: DiscountAmountOverride
    | DiscountPercentOverride
    | ForceCloseOverride
    | RefundOverride
    | VoidOverride,
) -> Response[OverrideGranted | ProblemDetails]:
    """Request Override

     A manager (or owner) approves one action on one resource at this till with their PIN,
    for a stated amount: `amount_minor` for a refund or a void, `amount_minor` or
    `percent_bps` for a discount (the order's whole discount), none for a force-close.

    The answer is a single-use token, valid for up to 60 seconds, for this device, this
    staff member, this action, this resource and at most this amount: send it as
    `X-Override-Token` with the guarded request (e.g. `POST /v1/orders/{order_id}/void`); a
    request for more is refused (403 `override-amount-exceeded`) and spends nothing. Every
    grant and every refusal is audited with the amount; wrong PINs count towards the
    approver's sign-in lockout.

    Args:
        body (DiscountAmountOverride | DiscountPercentOverride | ForceCloseOverride |
            RefundOverride | VoidOverride):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OverrideGranted | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: DiscountAmountOverride
    | DiscountPercentOverride
    | ForceCloseOverride
    | RefundOverride
    | VoidOverride,
) -> OverrideGranted | ProblemDetails | None:
    """Request Override

     A manager (or owner) approves one action on one resource at this till with their PIN,
    for a stated amount: `amount_minor` for a refund or a void, `amount_minor` or
    `percent_bps` for a discount (the order's whole discount), none for a force-close.

    The answer is a single-use token, valid for up to 60 seconds, for this device, this
    staff member, this action, this resource and at most this amount: send it as
    `X-Override-Token` with the guarded request (e.g. `POST /v1/orders/{order_id}/void`); a
    request for more is refused (403 `override-amount-exceeded`) and spends nothing. Every
    grant and every refusal is audited with the amount; wrong PINs count towards the
    approver's sign-in lockout.

    Args:
        body (DiscountAmountOverride | DiscountPercentOverride | ForceCloseOverride |
            RefundOverride | VoidOverride):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OverrideGranted | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.tax_settings import TaxSettings
from ...models.tax_settings_update import TaxSettingsUpdate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TaxSettingsUpdate,
    if_match: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/tax/settings",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | TaxSettings | None:
    if response.status_code == 200:
        response_200 = TaxSettings.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = ProblemDetails.from_dict(response.json())

        return response_428

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
) -> Response[ProblemDetails | TaxSettings]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TaxSettingsUpdate,
    if_match: str | Unset = UNSET,
) -> Response[ProblemDetails | TaxSettings]:
    """Update Tax Settings

     Switch between tax-inclusive and tax-exclusive prices, change the cash rounding step
    (1, 5 or 10 minor units), the tax basis (accrual or cash: which tax period a sale's GST
    or VAT is reported in) or the tax number the tax reports print. The currency is fixed at
    provisioning. Open orders keep the pricing basis they were opened with.

    Args:
        if_match (str | Unset):
        body (TaxSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaxSettings]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TaxSettingsUpdate,
    if_match: str | Unset = UNSET,
) -> ProblemDetails | TaxSettings | None:
    """Update Tax Settings

     Switch between tax-inclusive and tax-exclusive prices, change the cash rounding step
    (1, 5 or 10 minor units), the tax basis (accrual or cash: which tax period a sale's GST
    or VAT is reported in) or the tax number the tax reports print. The currency is fixed at
    provisioning. Open orders keep the pricing basis they were opened with.

    Args:
        if_match (str | Unset):
        body (TaxSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaxSettings
    """

    return sync_detailed(
        client=client,
        body=body,
        if_match=if_match,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TaxSettingsUpdate,
    if_match: str | Unset = UNSET,
) -> Response[ProblemDetails | TaxSettings]:
    """Update Tax Settings

     Switch between tax-inclusive and tax-exclusive prices, change the cash rounding step
    (1, 5 or 10 minor units), the tax basis (accrual or cash: which tax period a sale's GST
    or VAT is reported in) or the tax number the tax reports print. The currency is fixed at
    provisioning. Open orders keep the pricing basis they were opened with.

    Args:
        if_match (str | Unset):
        body (TaxSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TaxSettings]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TaxSettingsUpdate,
    if_match: str | Unset = UNSET,
) -> ProblemDetails | TaxSettings | None:
    """Update Tax Settings

     Switch between tax-inclusive and tax-exclusive prices, change the cash rounding step
    (1, 5 or 10 minor units), the tax basis (accrual or cash: which tax period a sale's GST
    or VAT is reported in) or the tax number the tax reports print. The currency is fixed at
    provisioning. Open orders keep the pricing basis they were opened with.

    Args:
        if_match (str | Unset):
        body (TaxSettingsUpdate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TaxSettings
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            if_match=if_match,
        )
    ).parsed

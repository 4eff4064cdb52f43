from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.password_sign_in import PasswordSignIn
from ...models.password_signed_in import PasswordSignedIn
from ...models.problem_details import ProblemDetails
from ...models.totp_enrolment_required import TotpEnrolmentRequired
from ...models.totp_required import TotpRequired
from ...types import Response


def _get_kwargs(
    *,
    body: PasswordSignIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/auth/password",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails | None:
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> PasswordSignedIn | TotpEnrolmentRequired | TotpRequired:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = PasswordSignedIn.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_1 = TotpRequired.from_dict(data)

                return response_200_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_2 = TotpEnrolmentRequired.from_dict(data)

            return response_200_type_2

        response_200 = _parse_response_200(response.json())

        return response_200

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
) -> Response[PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordSignIn,
) -> Response[PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails]:
    """Sign In With Password

     Sign in to the backoffice with a `DPoP` proof header (no access token). The answer's
    `status` says what follows: `signed_in` (tokens bound to the proof's key),
    `totp_required` (send a code to `POST /v1/auth/totp`) or `totp_enrolment_required` (set
    up an authenticator app first: with `enrolment_code`, or `enrol_totp` where nothing
    requires one).

    Args:
        body (PasswordSignIn): Backoffice sign-in: the business (its id, as in its sign-in link),
            then who and how.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails]
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
    body: PasswordSignIn,
) -> PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails | None:
    """Sign In With Password

     Sign in to the backoffice with a `DPoP` proof header (no access token). The answer's
    `status` says what follows: `signed_in` (tokens bound to the proof's key),
    `totp_required` (send a code to `POST /v1/auth/totp`) or `totp_enrolment_required` (set
    up an authenticator app first: with `enrolment_code`, or `enrol_totp` where nothing
    requires one).

    Args:
        body (PasswordSignIn): Backoffice sign-in: the business (its id, as in its sign-in link),
            then who and how.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordSignIn,
) -> Response[PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails]:
    """Sign In With Password

     Sign in to the backoffice with a `DPoP` proof header (no access token). The answer's
    `status` says what follows: `signed_in` (tokens bound to the proof's key),
    `totp_required` (send a code to `POST /v1/auth/totp`) or `totp_enrolment_required` (set
    up an authenticator app first: with `enrolment_code`, or `enrol_totp` where nothing
    requires one).

    Args:
        body (PasswordSignIn): Backoffice sign-in: the business (its id, as in its sign-in link),
            then who and how.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PasswordSignIn,
) -> PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails | None:
    """Sign In With Password

     Sign in to the backoffice with a `DPoP` proof header (no access token). The answer's
    `status` says what follows: `signed_in` (tokens bound to the proof's key),
    `totp_required` (send a code to `POST /v1/auth/totp`) or `totp_enrolment_required` (set
    up an authenticator app first: with `enrolment_code`, or `enrol_totp` where nothing
    requires one).

    Args:
        body (PasswordSignIn): Backoffice sign-in: the business (its id, as in its sign-in link),
            then who and how.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordSignedIn | TotpEnrolmentRequired | TotpRequired | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed

"""FastAPI glue for manager overrides (libs/auth/overrides.py): the `X-Override-Token` header
and the `ManagerOverride` dependency that hands a guarded endpoint its `OverrideGate`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from libs.api.authentication import CurrentPrincipal
from libs.api.openapi import declares
from libs.api.tenant_connection import TenantConnection
from libs.auth.keys import KeySource
from libs.auth.overrides import (
    OVERRIDE_HEADER,
    OverrideAmountExceeded,
    OverrideGate,
    OverrideInvalid,
)

PresentedOverride = Annotated[
    str | None,
    Header(
        alias=OVERRIDE_HEADER,
        description="A manager's override token from `POST /v1/auth/overrides`, for this "
        "action on this resource; single-use, valid for up to 60 seconds",
    ),
]


@declares(OverrideInvalid, OverrideAmountExceeded)
async def _override_gate(
    request: Request,
    connection: TenantConnection,
    principal: CurrentPrincipal,
    token: PresentedOverride = None,
) -> OverrideGate:
    # The header is optional here so that a missing resource is a 404 before a missing
    # override is a 403: consuming the token is the service's call.
    keys: KeySource = request.app.state.authenticator.tokens.keys
    return OverrideGate(connection=connection, keys=keys, principal=principal, token=token)


ManagerOverride = Annotated[OverrideGate, Depends(_override_gate)]

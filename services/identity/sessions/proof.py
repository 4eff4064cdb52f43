"""DPoP proofs at the identity service's public endpoints (activation, sign-in, refresh).

No access token exists yet, so the proof only shows which key the caller holds; the session
that results is bound to that key (RFC 9449 section 5). The proof's jti is spent inside the
endpoint's own transaction, in the tenant its credential names.
"""

from __future__ import annotations

import logging

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncConnection

from libs.api.authentication import RequestAuthenticator, public_request_url, single_proof
from libs.auth.dpop import InMemoryReplayCache, InvalidProof
from libs.auth.opaque_credentials import Credential, Kind, parse_credential
from libs.auth.spent import ConnectionReplayCache
from libs.problems import InvalidDPoPProof
from services.identity.tenants.repository import TenantRepository

logger = logging.getLogger("halopos.identity")

NAMESPACE = "dpop:identity-sign-in"


def device_handle(text: str) -> Credential | None:
    """A device's handle (`device` from activation: the business and the device's id), or
    None when the text is not one; which device it names is then proven by `proven_key`."""
    credential = parse_credential(Kind.DEVICE, text)
    if credential is None or len(credential.secret) != 32:
        return None
    try:
        int(credential.secret, 16)
    except ValueError:
        return None
    return credential


async def proven_key(request: Request, connection: AsyncConnection) -> str:
    """The RFC 7638 thumbprint of the key that signed this request's DPoP proof.

    For a tenant that does not exist (a forged credential) the proof is checked but its jti
    is not recorded: the spent-token ledger references the tenant registry, and nothing can
    succeed in a tenant that does not exist anyway. The caller then finds no credential and
    answers exactly as for a wrong one."""
    authenticator: RequestAuthenticator = request.app.state.authenticator
    exists = await TenantRepository(connection).get_tenant() is not None
    replay_cache = ConnectionReplayCache(connection, NAMESPACE) if exists else InMemoryReplayCache()
    try:
        return await authenticator.proofs.verify(
            single_proof(request),
            method=request.method,
            url=public_request_url(request, authenticator.public_url),
            access_token=None,
            expected_thumbprint=None,
            replay_cache=replay_cache,
        )
    except InvalidProof as error:
        logger.info("rejected DPoP proof at sign-in: %s", error)
        raise InvalidDPoPProof(check=error.check) from None

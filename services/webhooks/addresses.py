"""Where the worker may send: the SSRF rules of docs/webhooks.md.

An endpoint URL is given by a customer, and our worker makes requests to it from inside our
network; unchecked, it could be pointed at our own services, the cloud's metadata address or
anything else only we can reach. So an endpoint must be `https://` to a host whose every
address is public: no loopback, private (RFC 1918, unique local), link-local (which includes
169.254.169.254), shared (CGNAT), multicast, reserved or unspecified address. The name is
resolved when the endpoint is saved and again before every attempt (a name can be pointed
elsewhere later), and redirects are never followed. Development and tests may allow
`http://` on loopback only (`HALOPOS_WEBHOOKS_ALLOW_LOOPBACK`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from libs.problems import Problem


class EndpointUrlRefused(Problem):
    status = 422
    code = "endpoint-url-refused"
    title = "Webhooks are sent only to https:// URLs on public addresses"


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Seconds a name may take to resolve; past it, the URL is refused (or the attempt fails).
RESOLVE_TIMEOUT = 5.0


def _public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _public(address.ipv4_mapped)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _parts(url: str, *, allow_loopback: bool) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EndpointUrlRefused("The URL cannot be read.") from None
    host = parts.hostname
    if not host:
        raise EndpointUrlRefused("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise EndpointUrlRefused("Put no credentials in the URL: verify our signature instead.")
    if parts.fragment:
        raise EndpointUrlRefused("The URL may not have a fragment.")
    if parts.scheme == "https":
        return host, port or 443
    if parts.scheme == "http" and allow_loopback:
        return host, port or 80
    raise EndpointUrlRefused("The URL must start with https://.")


async def _addresses(host: str, port: int) -> list[IPAddress]:
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT
        )
    except (OSError, UnicodeError, TimeoutError):
        raise EndpointUrlRefused(f"The host {host!r} does not resolve.") from None
    # The address is the first item of sockaddr; IPv6 scope ids (`%eth0`) are dropped.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


async def check_url(url: str, *, allow_loopback: bool) -> None:
    """Refuse (`EndpointUrlRefused`, 422) a URL the worker must not send to."""
    host, port = _parts(url, allow_loopback=allow_loopback)
    addresses = await _addresses(host, port)
    if not addresses:
        raise EndpointUrlRefused(f"The host {host!r} does not resolve.")
    for address in addresses:
        if allow_loopback and address.is_loopback:
            continue
        if not _public(address):
            raise EndpointUrlRefused(
                f"The host {host!r} resolves to a private, loopback, link-local or reserved "
                "address."
            )
    if not allow_loopback or urlsplit(url).scheme == "https":
        return
    # Plain http is for loopback only, even where loopback is allowed.
    if not all(address.is_loopback for address in addresses):
        raise EndpointUrlRefused("The URL must start with https://.")

"""Where the worker may send, and how it connects there: the SSRF rules of docs/webhooks.md.

An endpoint URL is given by a customer, and our worker makes requests to it from inside our
network; unchecked, it could be pointed at our own services, the cloud's metadata address or
anything else only we can reach. So an endpoint must be `https://` to a host whose every
address is public: no loopback, private (RFC 1918, unique local), link-local (which includes
169.254.169.254), shared (CGNAT), multicast, reserved or unspecified address. The name is
resolved when the endpoint is saved and again before every attempt (a name can be pointed
elsewhere later), and redirects are never followed. Development and tests may allow
`http://` on loopback only (`HALOPOS_WEBHOOKS_ALLOW_LOOPBACK`).

An attempt connects only to an address its own check approved (`Sender`): the name is
resolved once, every answer checked, and the HTTP client's connections are opened to those
addresses (`PinnedNetwork`) instead of letting it resolve the name again. Otherwise a name
that answers a public address to the check and a private one a moment later (DNS rebinding)
would take the worker inside. The URL is untouched, so the `Host` header, TLS SNI and the
certificate's hostname check are all the endpoint's own name.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import typing
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from libs.problems import Problem


class EndpointUrlRefused(Problem):
    status = 422
    code = "endpoint-url-refused"
    title = "Webhooks are sent only to https:// URLs on public addresses"


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# Answers the addresses of a host name (never a literal) for a port; raises
# `EndpointUrlRefused` when it has none. `resolve_host` is the system's; tests give their own.
Resolver = Callable[[str, int], Awaitable[list[IPAddress]]]
# Seconds a name may take to resolve; past it, the URL is refused (or the attempt fails).
RESOLVE_TIMEOUT = 5.0
USER_AGENT = "halopos-webhooks/1"


def _public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _public(address.ipv4_mapped)
    return address.is_global and not (
        address.is_multicast or address.is_reserved or address.is_unspecified
    )


def _parts(url: str, *, allow_loopback: bool) -> tuple[str, int]:
    """The host and port the HTTP client will connect to for `url`: the host as the client
    writes it (IDNA-encoded, an IPv6 literal without its brackets), so that what is resolved
    and pinned is exactly the name in the `Host` header and the TLS handshake."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EndpointUrlRefused("The URL cannot be read.") from None
    if not parts.hostname:
        raise EndpointUrlRefused("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise EndpointUrlRefused("Put no credentials in the URL: verify our signature instead.")
    if parts.fragment:
        raise EndpointUrlRefused("The URL may not have a fragment.")
    if parts.scheme == "https":
        default = 443
    elif parts.scheme == "http" and allow_loopback:
        default = 80
    else:
        raise EndpointUrlRefused("The URL must start with https://.")
    try:
        host = httpx.URL(url).raw_host.decode("ascii")
    except (httpx.InvalidURL, UnicodeError):
        raise EndpointUrlRefused("The URL cannot be read.") from None
    if not host:
        raise EndpointUrlRefused("The URL names no host.")
    return host, port or default


async def resolve_host(host: str, port: int) -> list[IPAddress]:
    """The system's resolver, bounded by `RESOLVE_TIMEOUT`."""
    loop = asyncio.get_running_loop()
    try:
        found = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT
        )
    except (OSError, UnicodeError, TimeoutError):
        raise EndpointUrlRefused(f"The host {host!r} does not resolve.") from None
    # The address is the first item of sockaddr; IPv6 scope ids (`%eth0`) are dropped.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found]


@dataclass(frozen=True, slots=True)
class Destination:
    """Where one attempt may connect: the URL's host and port as the HTTP client asks for
    them, and the addresses the check approved, in the resolver's order."""

    host: str
    port: int
    addresses: tuple[IPAddress, ...]


async def checked_destination(
    url: str, *, allow_loopback: bool, resolve: Resolver = resolve_host
) -> Destination:
    """Resolve `url`'s host once and check every answer; refuse (`EndpointUrlRefused`, 422)
    a URL the worker must not send to."""
    host, port = _parts(url, allow_loopback=allow_loopback)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = list(await resolve(host, port))
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
    # Plain http is for loopback only, even where loopback is allowed.
    if urlsplit(url).scheme != "https" and not all(a.is_loopback for a in addresses):
        raise EndpointUrlRefused("The URL must start with https://.")
    return Destination(host, port, tuple(addresses))


async def check_url(url: str, *, allow_loopback: bool, resolve: Resolver = resolve_host) -> None:
    """Refuse (`EndpointUrlRefused`, 422) a URL the worker must not send to."""
    await checked_destination(url, allow_loopback=allow_loopback, resolve=resolve)


class PinnedNetwork(httpcore.AsyncNetworkBackend):
    """Opens the HTTP client's connections to a destination's checked addresses only.

    httpcore asks its network backend to connect to the URL's host name; this one never
    resolves it: it connects to the checked addresses in turn (the next when one refuses) and
    refuses any other host or port, so nothing the client does can reach an address the check
    did not see. TLS is started on the connection afterwards with the URL's host name as SNI
    and as the name the certificate must carry (httpcore's `AsyncHTTPConnection._connect`),
    exactly as without the pin."""

    def __init__(
        self, destination: Destination, network: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self._destination = destination
        self._network = network if network is not None else httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        destination = self._destination
        if (host, port) != (destination.host, destination.port):
            raise httpcore.ConnectError(f"{host}:{port} is not the checked destination")
        failure: Exception | None = None
        for address in destination.addresses:
            try:
                return await self._network.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as refused:
                failure = refused
        assert failure is not None  # a destination has at least one address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("webhooks are never sent to a local socket")

    async def sleep(self, seconds: float) -> None:
        await self._network.sleep(seconds)


class _PinnedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport (its request, response and error handling), over a connection
    pool whose connections `PinnedNetwork` opens. httpx takes no network backend, so the pool
    it made is replaced by one that has it."""

    def __init__(self, network: PinnedNetwork, ssl_context: ssl.SSLContext) -> None:
        super().__init__(verify=ssl_context, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, network_backend=network, max_connections=1
        )


class Sender:
    """Makes one attempt's POST to where its check approved, and answers the status code.

    Each attempt checks the URL afresh (`checked_destination`) and sends over a connection of
    its own to the approved addresses, closed with the attempt: nothing is reused from an
    earlier check. The whole attempt (resolving, connecting, TLS, sending, the status line)
    is bounded by `timeout`; a timeout raises `TimeoutError`. Redirects are not followed, no
    proxy is taken from the environment (a proxy would resolve the name itself), and the
    response body is not read."""

    def __init__(
        self,
        *,
        allow_loopback: bool,
        timeout: float,
        resolve: Resolver = resolve_host,
        network: httpcore.AsyncNetworkBackend | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._allow_loopback = allow_loopback
        self._timeout = timeout
        self._resolve = resolve
        # Below the pin: what really opens sockets (tests record what it is asked).
        self._network = network
        self._ssl_context = ssl_context if ssl_context is not None else httpx.create_ssl_context()

    async def post(self, url: str, *, content: bytes, headers: dict[str, str]) -> int:
        async with asyncio.timeout(self._timeout):
            destination = await checked_destination(
                url, allow_loopback=self._allow_loopback, resolve=self._resolve
            )
            transport = _PinnedTransport(
                PinnedNetwork(destination, self._network), self._ssl_context
            )
            async with httpx.AsyncClient(
                transport=transport,
                timeout=self._timeout,
                follow_redirects=False,
                trust_env=False,
                headers={"user-agent": USER_AGENT},
            ) as client:
                request = client.build_request("POST", url, content=content, headers=headers)
                response = await client.send(request, stream=True)
                await response.aclose()
                return response.status_code

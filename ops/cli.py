"""`halopos`: the operator's command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import uuid
from typing import Any

import asyncpg
import httpx
import sqlalchemy.exc

# What a wrong or missing setting surfaces as: a refused or failed connection (OSError), a
# rejected login or missing database (asyncpg, or wrapped by SQLAlchemy in migrations), a
# platform not answering `halopos demo` (httpx).
_UNREACHABLE = (OSError, asyncpg.PostgresError, sqlalchemy.exc.DBAPIError, httpx.HTTPError)


def _migrate(arguments: argparse.Namespace) -> int:
    from ops import database as db

    admin_url = os.environ.get("DATABASE_URL", "")
    if admin_url:
        db.migrate(admin_url)
        print("migrated DATABASE_URL to head")
        return 0
    from ops.platform import prepare_database

    prepared = prepare_database("halopos")
    if prepared.embedded is not None:
        prepared.embedded.stop()
    print("migrated the embedded database 'halopos' to head")
    return 0


def _run(arguments: argparse.Namespace) -> int:
    from ops.platform import run_platform

    return run_platform(development=arguments.development)


def _demo(arguments: argparse.Namespace) -> int:
    """The demo path against a running `make run`, with the demo tenant's credentials."""
    from clients.demo import run_demo
    from ops.seed import DEMO_BY_KEY, demo_staff

    demo = DEMO_BY_KEY[arguments.tenant]
    staff = {person.role: person for person in demo_staff(demo)}
    manager, cashier, accountant = staff["manager"], staff["cashier"], staff["accountant"]
    owner = staff["owner"]
    assert manager.password is not None
    assert accountant.password is not None
    assert owner.password is not None
    assert cashier.pin is not None
    asyncio.run(
        run_demo(
            url=arguments.url,
            business=str(demo.tenant_id),
            location=str(demo.location_id),
            manager_email=manager.email,
            manager_password=manager.password,
            cashier=str(cashier.staff_id),
            pin=cashier.pin,
            currency=demo.currency,
            accountant_email=accountant.email,
            accountant_password=accountant.password,
            owner_email=owner.email,
            owner_password=owner.password,
        )
    )
    return 0


class CommandRefused(Exception):
    """An operator command that cannot run as configured: the message says what to set."""


# The service logins each provisioning command acts through (never the admin login: the
# services' row-level security and grants apply to what an operator does, as to the apps).
_PROVISIONING_LOGINS = {
    ("tenants", "create"): ("identity", "orders"),
    ("tenants", "show"): ("identity",),
    ("locations", "create"): ("identity",),
    ("staff", "totp-enrolment-code"): ("identity",),
}


def _service_database_urls(services: tuple[str, ...], *, development: bool) -> dict[str, str]:
    """The service logins a command needs, resolved before any event loop runs (preparing the
    development database runs loops of its own: inside a running one it cannot).

    Production: every `HALOPOS_<SERVICE>_DATABASE_URL` the command uses. Development (asked
    for with `--development`, none of them set): the database `halopos run --development`
    uses, `DATABASE_URL` or the embedded server, whose service roles get the development
    passwords from `.state/`. Anything else is refused: a shell with some logins set, or with
    none and no `--development`, is a production shell missing its settings, and resetting
    its roles' passwords would lock the running services out.
    """
    names = {service: f"HALOPOS_{service.upper()}_DATABASE_URL" for service in services}
    provided = {service: os.environ.get(name, "") for service, name in names.items()}
    if all(provided.values()):
        if development:
            raise CommandRefused(
                "--development uses the development database: unset "
                + ", ".join(names.values())
                + " or leave --development out"
            )
        return provided
    if any(provided.values()) or not development:
        missing = ", ".join(names[service] for service, url in provided.items() if not url)
        raise CommandRefused(
            f"set {missing} (the service logins this command uses), or pass --development "
            "for a development database (its service roles get the development passwords)"
        )
    from ops.platform import prepare_database

    prepared = prepare_database("halopos")
    if prepared.embedded is not None:
        # Leave the embedded server as found: running if `make run` started it, else stopped.
        prepared.embedded.stop()
    return {service: prepared.service_urls[service] for service in services}


def _provision(arguments: argparse.Namespace) -> int:
    """tenants create / tenants show / locations create / staff totp-enrolment-code: JSON on
    stdout, errors on stderr."""
    from libs.tenancy.database import TenantDatabase
    from services.identity.backoffice.service import issue_operator_enrolment_code
    from services.identity.tenants import service
    from services.orders.provisioning import provision_orders

    urls = _service_database_urls(
        _PROVISIONING_LOGINS[(arguments.command, arguments.action)],
        development=arguments.development,
    )

    async def act(database: TenantDatabase) -> dict[str, object] | None:
        if arguments.command == "tenants" and arguments.action == "create":
            tenant = await service.create_tenant(
                database, name=arguments.name, region=arguments.region, currency=arguments.currency
            )
            # The orders service's settings and the region's tax categories, through its own
            # login: a new business can sell as soon as it has a menu.
            orders = TenantDatabase(urls["orders"], pool_size=1)
            try:
                await provision_orders(
                    orders,
                    tenant_id=tenant.tenant_id,
                    region=tenant.region,
                    currency=tenant.currency,
                    actor=service.OPERATOR,
                )
            finally:
                await orders.dispose()
            return tenant.as_json()
        if arguments.command == "staff":
            code = await issue_operator_enrolment_code(
                database, tenant_id=arguments.tenant, staff_id=arguments.staff
            )
            return code.model_dump(mode="json")
        if arguments.command == "tenants":
            found = await service.find_tenant(database, arguments.tenant)
            return found.as_json() if found else None
        location = await service.create_location(
            database,
            tenant_id=arguments.tenant,
            name=arguments.name,
            time_zone=arguments.time_zone,
            business_day_cutoff_hour=arguments.cutoff_hour,
        )
        return location.as_json()

    async def run() -> dict[str, object] | None:
        database = TenantDatabase(urls["identity"], pool_size=1)
        try:
            return await act(database)
        finally:
            await database.dispose()

    try:
        result = asyncio.run(run())
    except service.InvalidProvisioning as error:
        print(json.dumps({"error": str(error)}), file=sys.stderr)
        return 2
    if result is None:
        print(json.dumps({"error": f"no tenant {arguments.tenant}"}), file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


def _add_provisioning(commands: Any) -> None:
    tenants = commands.add_parser("tenants", help="provision tenants (operators)")
    tenant_actions = tenants.add_subparsers(dest="action", required=True)
    create = tenant_actions.add_parser("create", help="create a tenant; prints its JSON")
    create.add_argument("--name", required=True)
    create.add_argument("--region", required=True, choices=["au", "eu"])
    create.add_argument("--currency", required=True, help="AUD for au, EUR for eu")
    show = tenant_actions.add_parser("show", help="a tenant's JSON, with its region")
    show.add_argument("--tenant", required=True, type=uuid.UUID)
    locations = commands.add_parser("locations", help="provision locations (operators)")
    location_actions = locations.add_subparsers(dest="action", required=True)
    location = location_actions.add_parser("create", help="create a location; prints its JSON")
    location.add_argument("--tenant", required=True, type=uuid.UUID)
    location.add_argument("--name", required=True)
    location.add_argument("--time-zone", required=True, help="IANA, e.g. Australia/Sydney")
    location.add_argument(
        "--cutoff-hour", required=True, type=int, help="venue-local hour a business day ends"
    )
    staff = commands.add_parser("staff", help="staff members' sign-in (operators)")
    staff_actions = staff.add_subparsers(dest="action", required=True)
    enrolment = staff_actions.add_parser(
        "totp-enrolment-code",
        help="a one-time code that enrols a staff member's authenticator app, for when no "
        "owner of the business can issue one (hand it over only after checking who asks)",
    )
    enrolment.add_argument("--tenant", required=True, type=uuid.UUID)
    enrolment.add_argument("--staff", required=True, type=uuid.UUID)
    for action in (create, show, location, enrolment):
        action.add_argument(
            "--development",
            action="store_true",
            help="act on the development database (DATABASE_URL or the embedded server), "
            "giving its service roles the development passwords; never against production",
        )
    for parser in (tenants, locations, staff):
        parser.set_defaults(handler=_provision)


def build_parser() -> argparse.ArgumentParser:
    """Every command (tests/ops/test_cli.py runs each one as an operator would)."""
    parser = argparse.ArgumentParser(prog="halopos")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="start the whole platform")
    run.add_argument(
        "--development",
        action="store_true",
        help="a local platform (what `make run` does): embedded Postgres unless DATABASE_URL "
        "is set, generated keys and secrets, demo tenants and the fake Stripe. Without it "
        "every setting must come from the environment.",
    )
    run.set_defaults(handler=_run)
    commands.add_parser(
        "migrate", help="apply migrations, roles and grants to DATABASE_URL"
    ).set_defaults(handler=_migrate)
    demo = commands.add_parser("demo", help="walk the demo path against a running platform")
    demo.add_argument("--tenant", default="au", choices=["au", "eu"])
    demo.add_argument("--url", default="http://127.0.0.1:8000")
    demo.set_defaults(handler=_demo)
    _add_provisioning(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        result: int = arguments.handler(arguments)
    except CommandRefused as error:
        print(json.dumps({"error": str(error)}), file=sys.stderr)
        return 2
    except sqlalchemy.exc.ArgumentError as error:
        print(
            json.dumps({"error": f"a database URL setting is not a URL: {error}"}), file=sys.stderr
        )
        return 2
    except _UNREACHABLE as error:
        # The operator's mistake is in the environment (a wrong URL or password, a server
        # down), not in the code: say what failed, without a traceback.
        cause = getattr(error, "orig", None) or error  # SQLAlchemy wraps the driver's error
        print(json.dumps({"error": f"{type(cause).__name__}: {cause}"}), file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())

"""`halopos`: the operator's command line."""

from __future__ import annotations

import argparse
import os
import sys
import uuid

from deploy.state import SIGNING_KEY_FILE


def _migrate(arguments: argparse.Namespace) -> int:
    from deploy import database as db

    admin_url = os.environ.get("DATABASE_URL", "")
    if admin_url:
        db.migrate(admin_url)
        print("migrated DATABASE_URL to head")
        return 0
    from deploy.platform import prepare_database

    prepared = prepare_database("halopos")
    if prepared.embedded is not None:
        prepared.embedded.stop()
    print("migrated the embedded database 'halopos' to head")
    return 0


def _run(arguments: argparse.Namespace) -> int:
    from deploy.platform import run_platform

    return run_platform()


def _dev_token(arguments: argparse.Namespace) -> int:
    from deploy.seed import DEMO_BY_KEY
    from libs.config import platform_settings
    from services.identity.keys.signing import SigningKey, mint_access_token

    if not SIGNING_KEY_FILE.exists():
        print("no dev signing key yet: run `make run` once", file=sys.stderr)
        return 1
    demo = DEMO_BY_KEY.get(arguments.tenant)
    tenant_id = demo.tenant_id if demo else uuid.UUID(arguments.tenant)
    settings = platform_settings()
    print(
        mint_access_token(
            SigningKey.load(SIGNING_KEY_FILE),
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            subject=arguments.subject or f"demo-{arguments.role}",
            tenant_id=tenant_id,
            role=arguments.role,
            location_id=demo.location_id if demo else None,
        )
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halopos")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the whole platform").set_defaults(handler=_run)
    commands.add_parser(
        "migrate", help="apply migrations, roles and grants to DATABASE_URL"
    ).set_defaults(handler=_migrate)
    token = commands.add_parser("dev-token", help="mint a 10-minute dev access token")
    token.add_argument("--tenant", default="au", help="au, eu or a tenant UUID")
    token.add_argument(
        "--role", default="owner", choices=["owner", "manager", "cashier", "accountant"]
    )
    token.add_argument("--subject", default=None)
    token.set_defaults(handler=_dev_token)
    arguments = parser.parse_args(argv)
    result: int = arguments.handler(arguments)
    return result


if __name__ == "__main__":
    sys.exit(main())

"""Database set-up shared by `halopos run`, `halopos migrate`, the tests and the bench."""

from __future__ import annotations

import asyncpg
from alembic import command
from alembic.config import Config
from ops.state import REPO, role_password
from sqlalchemy.engine import make_url

from libs.config import DATABASE_LOGINS


def alembic_config(admin_url: str) -> Config:
    config = Config(str(REPO / "alembic.ini"))
    config.set_main_option("script_location", str(REPO / "deploy" / "migrations"))
    # Alembic's config is %-interpolated: escape percent signs in the DSN.
    config.set_main_option("sqlalchemy.url", admin_url.replace("%", "%%"))
    return config


def migrate(admin_url: str) -> None:
    """Apply every migration, including roles and grants, over an admin connection."""
    command.upgrade(alembic_config(admin_url), "head")


def with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def with_credentials(url: str, user: str, password: str) -> str:
    parsed = make_url(url).set(username=user, password=password)
    return parsed.render_as_string(hide_password=False)


async def recreate_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def ensure_database(admin_url: str, name: str) -> None:
    connection = await asyncpg.connect(admin_url)
    try:
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def set_dev_role_passwords(admin_url: str) -> dict[str, str]:
    """Give each login role (the services and the gateway) a generated password (dev and test
    only) and return their DSNs. Production sets role passwords from its secret store instead."""
    connection = await asyncpg.connect(admin_url)
    urls: dict[str, str] = {}
    try:
        for name, role in DATABASE_LOGINS.items():
            password = role_password(role)
            # ALTER ROLE takes no bind parameters; generated passwords are URL-safe base64.
            assert password.replace("-", "").replace("_", "").isalnum()
            await connection.execute(f"ALTER ROLE {role} PASSWORD '{password}'")
            urls[name] = with_credentials(admin_url, role, password)
    finally:
        await connection.close()
    return urls


def service_environment(service_urls: dict[str, str]) -> dict[str, str]:
    return {f"HALOPOS_{name.upper()}_DATABASE_URL": url for name, url in service_urls.items()}

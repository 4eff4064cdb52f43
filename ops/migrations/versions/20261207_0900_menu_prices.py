"""Menu prices with effective times, and the catalog version.

- `orders.menu_prices`: every price an item, a venue's own price for an item, or a modifier
  ever had or will have, by the moment it takes effect; insert-only (SELECT and INSERT grants,
  like `orders.tax_rates`), so a sale is priced as it was when it happened, also when an
  offline till uploads it after a price change. Existing prices are backfilled as effective
  from their item's (or modifier's) creation, so every item has a history.
- Triggers record a change made now from the price columns the menu API (and any other writer)
  sets: `menu_items.price_minor`, `modifiers.price_minor`, and a venue price's insert, update
  or delete (a delete is a row without a price: the venue is back on the item's price).
  Scheduled changes are inserted into the history directly.
- `orders.settings.catalog_version`: the key of the cached menu snapshot. Every statement that
  writes a menu or tax table, and every change of the pricing columns of `orders.settings`,
  sets it to the next value of `orders.catalog_versions`, in the writer's transaction (row-level
  security limits the update to the writer's own business). A sequence never repeats a value,
  so a version taken by a transaction that rolled back is never seen again.

Revision ID: 20261207_0900
Revises: 20261129_0900
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from libs.config import OWNER_ROLE
from libs.tenancy.schema import NAMING_CONVENTION, create_tenant_table, tenant_fk, tenant_table

revision = "20261207_0900"
down_revision = "20261129_0900"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
SEQUENCE = "orders.catalog_versions"
# Every table whose rows a sale is priced or taxed with.
CATALOG_TABLES = (
    "menu_categories",
    "menu_items",
    "menu_item_location_prices",
    "menu_item_modifier_groups",
    "modifier_groups",
    "modifiers",
    "menu_prices",
    "tax_categories",
    "tax_rates",
)


def _menu_prices() -> sa.Table:
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    sa.Table("tenants", metadata, sa.Column("tenant_id", sa.Uuid()), schema="identity")
    for schema, name in (
        ("identity", "locations"),
        ("orders", "menu_items"),
        ("orders", "modifiers"),
    ):
        sa.Table(
            name,
            metadata,
            sa.Column("tenant_id", sa.Uuid()),
            sa.Column("id", sa.Uuid()),
            schema=schema,
        )
    return tenant_table(
        "menu_prices",
        metadata,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("item_id", sa.Uuid(), nullable=True),
        sa.Column("modifier_id", sa.Uuid(), nullable=True),
        sa.Column("location_id", sa.Uuid(), nullable=True),
        sa.Column("price_minor", sa.BigInteger(), nullable=True),
        sa.Column("effective_from", TS, nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", TS, nullable=False, server_default=sa.text("now()")),
        primary_key=("id",),
        constraints=(
            tenant_fk(("item_id",), "orders.menu_items", ("id",)),
            tenant_fk(("modifier_id",), "orders.modifiers", ("id",)),
            tenant_fk(("location_id",), "identity.locations", ("id",)),
            sa.UniqueConstraint(
                "tenant_id",
                "item_id",
                "modifier_id",
                "location_id",
                "effective_from",
                postgresql_nulls_not_distinct=True,
            ),
            sa.CheckConstraint("num_nonnulls(item_id, modifier_id) = 1", name="priced"),
            sa.CheckConstraint("modifier_id IS NULL OR location_id IS NULL", name="modifier_venue"),
            sa.CheckConstraint(
                "price_minor IS NOT NULL OR location_id IS NOT NULL", name="removal"
            ),
            sa.CheckConstraint("price_minor >= 0", name="price_minor"),
        ),
        schema="orders",
    )


# Run as the writer (not SECURITY DEFINER): its grants and its tenant's row-level security
# apply. `halopos.actor` is set (transaction-local) by the menu service to the signed-in staff
# member; a writer that does not set it is named by its database role.
RECORD_PRICE = """
CREATE FUNCTION orders.record_menu_price() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    author text := coalesce(nullif(current_setting('halopos.actor', true), ''), current_user);
BEGIN
    IF TG_TABLE_NAME = 'menu_items' THEN
        INSERT INTO orders.menu_prices
            (tenant_id, id, item_id, price_minor, effective_from, created_by)
        VALUES (NEW.tenant_id, gen_random_uuid(), NEW.id, NEW.price_minor, clock_timestamp(),
                author);
    ELSIF TG_TABLE_NAME = 'modifiers' THEN
        INSERT INTO orders.menu_prices
            (tenant_id, id, modifier_id, price_minor, effective_from, created_by)
        VALUES (NEW.tenant_id, gen_random_uuid(), NEW.id, NEW.price_minor, clock_timestamp(),
                author);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO orders.menu_prices
            (tenant_id, id, item_id, location_id, price_minor, effective_from, created_by)
        VALUES (OLD.tenant_id, gen_random_uuid(), OLD.item_id, OLD.location_id, NULL,
                clock_timestamp(), author);
    ELSE
        INSERT INTO orders.menu_prices
            (tenant_id, id, item_id, location_id, price_minor, effective_from, created_by)
        VALUES (NEW.tenant_id, gen_random_uuid(), NEW.item_id, NEW.location_id,
                NEW.price_minor, clock_timestamp(), author);
    END IF;
    RETURN NULL;
END
$$
"""
# clock_timestamp(), not now(): two changes of one price are ordered as their row locks
# ordered them, even when the later transaction began first.
PRICE_TRIGGERS = (
    "CREATE TRIGGER price_history AFTER INSERT OR UPDATE OF price_minor ON orders.menu_items "
    "FOR EACH ROW EXECUTE FUNCTION orders.record_menu_price()",
    "CREATE TRIGGER price_history AFTER INSERT OR UPDATE OF price_minor ON orders.modifiers "
    "FOR EACH ROW EXECUTE FUNCTION orders.record_menu_price()",
    "CREATE TRIGGER price_history AFTER INSERT OR UPDATE OF price_minor OR DELETE "
    "ON orders.menu_item_location_prices FOR EACH ROW EXECUTE FUNCTION orders.record_menu_price()",
)
BUMP_VERSION = f"""
CREATE FUNCTION orders.bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE orders.settings SET catalog_version = nextval('{SEQUENCE}');
    RETURN NULL;
END
$$
"""
SETTINGS_VERSION = f"""
CREATE FUNCTION orders.settings_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.currency, NEW.prices_include_tax, NEW.cash_rounding_minor)
       IS DISTINCT FROM (OLD.currency, OLD.prices_include_tax, OLD.cash_rounding_minor) THEN
        NEW.catalog_version := nextval('{SEQUENCE}');
    END IF;
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    op.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint")
    op.add_column(
        "settings",
        sa.Column(
            "catalog_version",
            sa.BigInteger(),
            nullable=False,
            server_default=sa.text(f"nextval('{SEQUENCE}'::regclass)"),
        ),
        schema="orders",
    )
    create_tenant_table(_menu_prices())
    op.execute("GRANT SELECT, INSERT ON orders.menu_prices TO halopos_orders")
    op.execute(f"GRANT USAGE ON SEQUENCE {SEQUENCE} TO halopos_orders")
    op.execute("RESET ROLE")

    # As the migrating superuser: every business's rows (row-level security, forced even for
    # the owner, would hide them from the owner role). What a price was before today is not
    # known: the current one is taken to have applied since the item was made (a venue's
    # price too: the till charged it for as long as the venue has had it, at least).
    op.execute(
        "INSERT INTO orders.menu_prices"
        " (tenant_id, id, item_id, price_minor, effective_from, created_by)"
        " SELECT tenant_id, gen_random_uuid(), id, price_minor, created_at, 'migration'"
        " FROM orders.menu_items"
    )
    op.execute(
        "INSERT INTO orders.menu_prices"
        " (tenant_id, id, modifier_id, price_minor, effective_from, created_by)"
        " SELECT tenant_id, gen_random_uuid(), id, price_minor, created_at, 'migration'"
        " FROM orders.modifiers"
    )
    op.execute(
        "INSERT INTO orders.menu_prices"
        " (tenant_id, id, item_id, location_id, price_minor, effective_from, created_by)"
        " SELECT venue.tenant_id, gen_random_uuid(), venue.item_id, venue.location_id,"
        " venue.price_minor, item.created_at, 'migration'"
        " FROM orders.menu_item_location_prices venue JOIN orders.menu_items item"
        " ON item.tenant_id = venue.tenant_id AND item.id = venue.item_id"
    )

    op.execute(f"SET LOCAL ROLE {OWNER_ROLE}")
    for statement in (RECORD_PRICE, *PRICE_TRIGGERS, BUMP_VERSION, SETTINGS_VERSION):
        op.execute(statement)
    for table in CATALOG_TABLES:
        op.execute(
            f"CREATE TRIGGER catalog_version AFTER INSERT OR UPDATE OR DELETE ON orders.{table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION orders.bump_catalog_version()"
        )
    op.execute(
        "CREATE TRIGGER catalog_version BEFORE UPDATE ON orders.settings "
        "FOR EACH ROW EXECUTE FUNCTION orders.settings_catalog_version()"
    )
    op.execute("RESET ROLE")


def downgrade() -> None:
    for table in (*CATALOG_TABLES, "settings"):
        op.execute(f"DROP TRIGGER catalog_version ON orders.{table}")
    for table in ("menu_items", "modifiers", "menu_item_location_prices"):
        op.execute(f"DROP TRIGGER price_history ON orders.{table}")
    for function in ("record_menu_price", "bump_catalog_version", "settings_catalog_version"):
        op.execute(f"DROP FUNCTION orders.{function}()")
    op.execute("DROP TABLE orders.menu_prices")
    op.drop_column("settings", "catalog_version", schema="orders")
    op.execute(f"DROP SEQUENCE {SEQUENCE}")

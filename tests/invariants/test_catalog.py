"""Invariants read from the Postgres catalog after migration: what holds for every table and
role today holds for every table and role added later, without a test change."""

from __future__ import annotations

import asyncpg
import pytest

from libs.config import DATABASE_LOGINS, OWNER_ROLE
from libs.tenancy.schema import TENANT_PREDICATE
from tests.support.catalog import SCHEMAS, tenant_tables

# Every login: the services and the gateway.
SERVICE_ROLES = list(DATABASE_LOGINS.values())
# TENANT_PREDICATE as Postgres prints it back from pg_policies.
DEPARSED_TENANT_PREDICATE = (
    "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)"
)
# By OID from the catalog, which every role may read (the migration admin need not be able
# to resolve the name: on 16+ it holds no privilege on the audit schema).
AUDIT_EVENTS_OID = (
    "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = 'audit' AND c.relname = 'events'"
)
# The deliberate exceptions to "one policy, the tenant predicate" and "no SECURITY DEFINER":
# a background job learns which tenants have work waiting, and nothing else about them. The
# periodic checkpoint signer (20261125_0900_audit_checkpoints.py) learns which tenants have
# unsigned entries; the billing worker (20261129_0900_billing.py), which have Stripe events
# not yet applied. Each is a SELECT policy for the NOLOGIN owner alone, on a setting only the
# function turns on.
SCAN_POLICIES = {
    "audit.chain_heads": ("checkpoint_scan", "halopos.checkpoint_scan"),
    "audit.checkpoints": ("checkpoint_scan", "halopos.checkpoint_scan"),
    "billing.stripe_events": ("pending_scan", "halopos.billing_event_scan"),
    # The webhooks worker (20261207_1400_webhooks.py): which tenants have messages to fan out
    # or deliveries due at enabled endpoints.
    "webhooks.messages": ("pending_scan", "halopos.webhooks_scan"),
    "webhooks.deliveries": ("pending_scan", "halopos.webhooks_scan"),
    "webhooks.endpoints": ("pending_scan", "halopos.webhooks_scan"),
}
# Restrictive policies only ever narrow the tenant policy (Postgres ANDs them with it): the
# spent-token ledger's rows are updated or deleted only once they have expired
# (20261207_1200_spent_tokens_skip_locked.py).
RESTRICTIVE_POLICIES = {
    "auth.spent_tokens": {
        "spent_tokens_delete_expired": "DELETE",
        "spent_tokens_update_expired": "UPDATE",
    },
}
assert TENANT_PREDICATE == "tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid"


async def test_every_table_is_tenant_scoped_with_forced_rls(admin: asyncpg.Connection) -> None:
    tables = await tenant_tables(admin)
    assert len(tables) >= 7
    for table in tables:
        where = f"{table['schema']}.{table['name']}"
        column = await admin.fetchrow(
            "SELECT a.attnotnull, format_type(a.atttypid, a.atttypmod) AS type "
            "FROM pg_attribute a WHERE a.attrelid = $1 AND a.attname = 'tenant_id'",
            table["oid"],
        )
        assert column is not None, f"{where} has no tenant_id"
        assert column["type"] == "uuid" and column["attnotnull"], where
        assert table["relrowsecurity"] and table["relforcerowsecurity"], where
        policies = await admin.fetch(
            "SELECT policyname, cmd, permissive, roles, qual, with_check FROM pg_policies "
            "WHERE schemaname = $1 AND tablename = $2 ORDER BY policyname",
            table["schema"],
            table["name"],
        )
        if where in SCAN_POLICIES:
            name, setting = SCAN_POLICIES[where]
            scan = next(policy for policy in policies if policy["policyname"] == name)
            policies.remove(scan)
            assert (scan["cmd"], list(scan["roles"])) == ("SELECT", [OWNER_ROLE]), where
            assert scan["qual"] == f"(current_setting('{setting}'::text, true) = 'on'::text)"
        for name, command in RESTRICTIVE_POLICIES.get(where, {}).items():
            narrowing = next(policy for policy in policies if policy["policyname"] == name)
            policies.remove(narrowing)
            assert (narrowing["cmd"], narrowing["permissive"]) == (command, "RESTRICTIVE"), where
            assert narrowing["qual"] == "(expires_at < now())", where
        assert len(policies) == 1, f"{where} must have exactly one policy"
        policy = policies[0]
        assert policy["cmd"] == "ALL" and policy["permissive"] == "PERMISSIVE", where
        for clause in (policy["qual"], policy["with_check"]):
            assert clause is not None, f"{where}: USING and WITH CHECK are both required"
            assert clause == DEPARSED_TENANT_PREDICATE, f"{where}: {clause}"


async def test_every_table_is_owned_by_the_owner_role(admin: asyncpg.Connection) -> None:
    for table in await tenant_tables(admin):
        assert table["owner"] == OWNER_ROLE, f"{table['schema']}.{table['name']}"
    schema_owners = await admin.fetch(
        "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace "
        "WHERE nspname = ANY($1::text[])",
        SCHEMAS,
    )
    assert {row["owner"] for row in schema_owners} == {OWNER_ROLE}


async def test_keys_include_tenant_id(admin: asyncpg.Connection) -> None:
    """Primary, unique and foreign keys start with tenant_id, so no row can reference
    another tenant's row (and the schema can shard by tenant)."""
    constraints = await admin.fetch(
        """
        SELECT con.conname, con.contype::text, n.nspname, c.relname,
               (SELECT array_agg(a.attname ORDER BY k.ord)
                  FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum)
                 AS columns,
               (SELECT array_agg(a.attname ORDER BY k.ord)
                  FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum)
                 AS referenced
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = ANY($1::text[]) AND con.contype IN ('p', 'u', 'f')
        """,
        SCHEMAS,
    )
    kinds = {row["contype"] for row in constraints}
    assert {"p", "u", "f"} <= kinds
    for row in constraints:
        assert row["columns"][0] == "tenant_id", f"{row['conname']}: {row['columns']}"
        if row["contype"] == "f":
            assert row["referenced"][0] == "tenant_id", row["conname"]


async def test_every_tenant_row_references_the_tenant_registry(admin: asyncpg.Connection) -> None:
    registry_keys = await admin.fetch(
        """
        SELECT n.nspname || '.' || c.relname AS source
          FROM pg_constraint con
          JOIN pg_class c ON c.oid = con.conrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_class r ON r.oid = con.confrelid
          JOIN pg_namespace rn ON rn.oid = r.relnamespace
         WHERE con.contype = 'f' AND rn.nspname = 'identity' AND r.relname = 'tenants'
           AND con.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                    WHERE attrelid = con.conrelid AND attname = 'tenant_id')]
        """
    )
    tables = {f"{row['schema']}.{row['name']}" for row in await tenant_tables(admin)}
    assert {row["source"] for row in registry_keys} == tables - {"identity.tenants"}


async def test_service_roles_are_least_privileged(admin: asyncpg.Connection) -> None:
    roles = await admin.fetch(
        "SELECT rolname, rolsuper, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb "
        "FROM pg_roles WHERE rolname = ANY($1::text[])",
        [*SERVICE_ROLES, OWNER_ROLE],
    )
    by_name = {row["rolname"]: row for row in roles}
    assert set(by_name) == {*SERVICE_ROLES, OWNER_ROLE}
    assert not by_name[OWNER_ROLE]["rolcanlogin"], "the owner role must be NOLOGIN"
    for name in [*SERVICE_ROLES, OWNER_ROLE]:
        role = by_name[name]
        assert not role["rolsuper"] and not role["rolbypassrls"], name
        assert not role["rolcreaterole"] and not role["rolcreatedb"], name
    for name in SERVICE_ROLES:
        assert by_name[name]["rolcanlogin"], name
        member = await admin.fetchval("SELECT pg_has_role($1, $2, 'MEMBER')", name, OWNER_ROLE)
        assert not member, f"{name} must not be a member of {OWNER_ROLE}"
        owned = await admin.fetchval(
            """
            SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
                 + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
                 + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
              FROM pg_roles r WHERE r.rolname = $1
            """,
            name,
        )
        assert owned == 0, f"{name} owns objects"


@pytest.mark.parametrize("privilege", ["UPDATE", "DELETE", "TRUNCATE"])
async def test_only_the_owner_may_mutate_the_audit_log(
    admin: asyncpg.Connection, privilege: str
) -> None:
    holders = await admin.fetch(
        # Predefined roles (pg_write_all_data) hold it by design; a member of one would be
        # listed here itself through inheritance.
        "SELECT r.rolname FROM pg_roles r WHERE NOT r.rolsuper AND r.rolname NOT LIKE 'pg\\_%' "
        f"AND has_table_privilege(r.oid, ({AUDIT_EVENTS_OID}), $1)",
        privilege,
    )
    assert {row["rolname"] for row in holders} <= {OWNER_ROLE}


async def test_audit_log_triggers_are_enabled(admin: asyncpg.Connection) -> None:
    triggers = await admin.fetch(
        "SELECT tgname, tgenabled::text FROM pg_trigger "
        f"WHERE tgrelid = ({AUDIT_EVENTS_OID}) AND NOT tgisinternal"
    )
    assert {row["tgname"]: row["tgenabled"] for row in triggers} == {
        "events_append_only": "O",
        "events_no_truncate": "O",
        "events_chain_link": "O",
    }


async def test_views_are_security_invoker(admin: asyncpg.Connection) -> None:
    views = await admin.fetch(
        "SELECT c.relname, c.reloptions FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'v' AND n.nspname = ANY($1::text[])",
        SCHEMAS,
    )
    for view in views:
        assert "security_invoker=true" in (view["reloptions"] or []), view["relname"]


async def test_the_only_security_definer_functions_reveal_tenant_ids_only(
    admin: asyncpg.Connection,
) -> None:
    definers = await admin.fetch(
        "SELECT n.nspname || '.' || p.proname AS name, p.proretset,"
        " format_type(p.prorettype, NULL) AS returns, p.pronargs, p.proconfig,"
        " pg_get_userbyid(p.proowner) AS owner,"
        " ARRAY(SELECT grantee::regrole::text FROM aclexplode(p.proacl)"
        "       WHERE privilege_type = 'EXECUTE' AND grantee <> p.proowner) AS executors"
        " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE p.prosecdef AND n.nspname = ANY($1::text[]) ORDER BY 1",
        SCHEMAS,
    )
    assert [dict(row) for row in definers] == [
        {
            "name": name,
            "proretset": True,
            "returns": "uuid",
            "pronargs": 0,
            "proconfig": ["search_path=pg_catalog, pg_temp"],
            "owner": OWNER_ROLE,
            "executors": [executor],
        }
        for name, executor in (
            ("audit.tenants_awaiting_checkpoint", "halopos_audit"),
            ("billing.tenants_with_pending_events", "halopos_billing"),
            ("webhooks.tenants_with_pending_work", "halopos_webhooks"),
        )
    ]


# Which schemas each login role may read and write, as docs/architecture.md draws it ("Database:
# schemas and roles"). Every service appends audit entries, spends DPoP proofs (auth) and reads
# the business's subscription (billing); the rest is each role's own schema plus the read grants
# a service needs of another's (reports: the sale's tables; orders: the roster; billing: the
# business's name and currency), the print queue orders writes in a sale's transaction and
# the webhook outbox orders and reports write in their events' transactions.
SHARED = {"audit": "rw", "auth": "rw", "billing": "r"}
REACH = {
    "halopos_identity": {**SHARED, "identity": "rw"},
    "halopos_orders": {**SHARED, "orders": "rw", "identity": "r", "bridge": "w", "webhooks": "w"},
    "halopos_reports": {
        **SHARED,
        "reports": "rw",
        "orders": "r",
        "identity": "r",
        "webhooks": "w",
    },
    "halopos_billing": {**SHARED, "billing": "rw", "identity": "r"},
    "halopos_bridge": {**SHARED, "bridge": "rw"},
    "halopos_audit": {**SHARED},
    "halopos_webhooks": {**SHARED, "webhooks": "rw"},
    "halopos_gateway": {"bridge": "r", "billing": "r"},
}


async def test_each_role_reaches_the_schemas_the_architecture_says(
    admin: asyncpg.Connection,
) -> None:
    rows = await admin.fetch(
        """
        SELECT r.rolname, n.nspname,
               bool_or(has_table_privilege(r.oid, c.oid, 'SELECT')
                       OR has_any_column_privilege(r.oid, c.oid, 'SELECT')) AS reads,
               bool_or(has_table_privilege(r.oid, c.oid, 'INSERT, UPDATE, DELETE')
                       OR has_any_column_privilege(r.oid, c.oid, 'INSERT, UPDATE')) AS writes
          FROM pg_roles r
          CROSS JOIN pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE r.rolname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public')
         GROUP BY r.rolname, n.nspname
        """,
        list(DATABASE_LOGINS.values()),
    )
    reach: dict[str, dict[str, str]] = {role: {} for role in DATABASE_LOGINS.values()}
    for row in rows:
        access = ("r" if row["reads"] else "") + ("w" if row["writes"] else "")
        if access:
            reach[row["rolname"]][row["nspname"]] = access
    assert reach == REACH

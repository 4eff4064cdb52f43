"""The audit service: events, verification, export, checkpoints, and the tamper matrix.

The tamper matrix alters the log the only way it can be altered: as a database superuser
with triggers off (`session_replication_role = replica`). This file is the one place a
superuser connection is used, and only to play the attacker. Each tampering must be caught
by `GET /v1/audit/verify` or, where the database itself was made to agree with the
tampering, by the standalone verifier holding a checkpoint kept from before.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
import uuid
import zipfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import sqlalchemy as sa

from libs.audit.append import Actor, AuditLog
from libs.audit.chain import entry_hash
from libs.audit.checkpoints import CheckpointSigner
from libs.auth.principal import Principal
from libs.rbac import Role
from libs.tenancy.database import TenantDatabase
from ops.platform import PreparedDatabase
from services.audit.checkpoints.scheduler import sign_due_checkpoints
from services.audit.checkpoints.service import CheckpointService
from tests.conftest import AUDIT_SETTINGS, AUDIT_SIGNER, LiveStack
from tests.support import REPO_ROOT
from tests.support.audit import chained
from tests.support.database import Connect, Provision
from tests.support.tokens import TokenFactory
from tools import verify_audit

WRITTEN = 10
# provision() writes tenant.created and orders.provisioned first.
PROVISIONED = 2


@dataclass
class Tenant:
    id: uuid.UUID
    owner: httpx.Auth
    accountant: httpx.Auth


@pytest.fixture
async def tenant(
    provision: Provision, service_databases: dict[str, TenantDatabase], token: TokenFactory
) -> Tenant:
    tenant_id = await provision()
    await write_entries(service_databases["orders"], tenant_id, WRITTEN)
    return Tenant(
        tenant_id,
        owner=token(tenant_id, Role.OWNER, "owner-1"),
        accountant=token(tenant_id, Role.ACCOUNTANT, "accountant-1"),
    )


async def write_entries(
    orders: TenantDatabase, tenant: uuid.UUID, count: int, *, subject: str = "manager-1"
) -> None:
    who = Principal(subject=subject, tenant_id=tenant, role=Role.MANAGER)
    for index in range(count):
        async with orders.transaction(who) as connection:
            await AuditLog.from_connection(connection, service="orders").append(
                actor=Actor.of(who),
                action="order.closed" if index % 2 else "order.opened",
                resource_type="order",
                resource_id=f"order-{index // 2}",
                payload={"index": index, "total_minor": 1250 + index, "note": "Größe ☕"},
            )


async def export_lines(client: httpx.AsyncClient, auth: httpx.Auth) -> list[bytes]:
    response = await client.get("/v1/audit/export", auth=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/jsonl")
    return response.content.splitlines()


async def kept_checkpoints(
    client: httpx.AsyncClient, auth: httpx.Auth
) -> list[verify_audit.Checkpoint]:
    response = await client.get("/v1/audit/checkpoints", auth=auth)
    assert response.status_code == 200, response.text
    return verify_audit.checkpoints_from_text(response.text, source="kept.json")


async def verifier_key(client: httpx.AsyncClient, auth: httpx.Auth) -> verify_audit.VerifierKey:
    response = await client.get("/v1/audit/public-key", auth=auth)
    assert response.status_code == 200, response.text
    return verify_audit.parse_verifier_key(response.json()["verifier_key"])


async def verification(client: httpx.AsyncClient, auth: httpx.Auth) -> dict[str, Any]:
    response = await client.get("/v1/audit/verify", auth=auth)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


# --- reading -----------------------------------------------------------------------------


async def test_events_filter_by_action_resource_actor_and_time(
    audit_client: httpx.AsyncClient, tenant: Tenant, service_databases: dict[str, TenantDatabase]
) -> None:
    await write_entries(service_databases["orders"], tenant.id, 2, subject="manager-2")

    async def seqs(**params: Any) -> list[int]:
        response = await audit_client.get("/v1/audit/events", params=params, auth=tenant.owner)
        assert response.status_code == 200, response.text
        return [item["seq"] for item in response.json()["items"]]

    everything = await seqs()
    assert everything == list(range(1, PROVISIONED + WRITTEN + 2 + 1))
    assert len(await seqs(action="order.closed")) == WRITTEN // 2 + 1
    assert len(await seqs(action="order.*")) == WRITTEN + 2
    assert await seqs(action="order.") == []
    assert await seqs(resource_type="order", resource_id="order-0") == [3, 4, 13, 14]
    assert await seqs(actor_id="manager-2") == [13, 14]
    assert await seqs(actor_type="operator") == [1, 2]
    assert await seqs(order="desc", limit=3) == [14, 13, 12]
    now = datetime.now(UTC)
    assert await seqs(occurred_from=(now - timedelta(minutes=5)).isoformat()) == everything
    assert await seqs(occurred_before=(now - timedelta(minutes=5)).isoformat()) == []
    naive = await audit_client.get(
        "/v1/audit/events", params={"occurred_from": "2026-11-23T09:00:00"}, auth=tenant.owner
    )
    assert naive.status_code == 422
    assert naive.json()["type"].endswith("/timestamp-needs-offset")


async def test_event_pages_follow_the_cursor_in_both_orders(
    audit_client: httpx.AsyncClient, tenant: Tenant
) -> None:
    for order, expected in (
        ("asc", list(range(1, 13))),
        ("desc", list(range(12, 0, -1))),
    ):
        seen: list[int] = []
        params: dict[str, Any] = {"limit": 5, "order": order}
        while True:
            page = (
                await audit_client.get("/v1/audit/events", params=params, auth=tenant.accountant)
            ).json()
            seen += [item["seq"] for item in page["items"]]
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
        assert seen == expected, order


async def test_a_clean_log_verifies_in_the_service_and_in_the_standalone_verifier(
    audit_client: httpx.AsyncClient, tenant: Tenant
) -> None:
    signed = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
    assert signed.status_code == 201, signed.text
    assert signed.json()["size"] == PROVISIONED + WRITTEN
    assert signed.json()["requested_by"] == "owner-1"

    result = await verification(audit_client, tenant.accountant)
    # The checkpoint request is audited after the size it signed.
    assert result == {
        "valid": True,
        "entries": PROVISIONED + WRITTEN + 1,
        "head_hash": result["head_hash"],
        "checkpoints_checked": 1,
        "first_break": None,
    }
    lines = await export_lines(audit_client, tenant.accountant)
    assert len(lines) == PROVISIONED + WRITTEN + 1
    last = json.loads(lines[-1])
    assert last["action"] == "audit.checkpoint_signed"
    assert last["payload"] == {"size": 12, "hash": signed.json()["hash"]}
    assert last["hash"] == result["head_hash"]
    outcome = verify_audit.verify(
        lines,
        await verifier_key(audit_client, tenant.owner),
        await kept_checkpoints(audit_client, tenant.owner),
    )
    assert outcome.ok, outcome.failure
    assert (outcome.entries, outcome.largest_checkpoint) == (13, 12)


async def test_export_lines_carry_every_chained_field_as_hashed(
    audit_client: httpx.AsyncClient, tenant: Tenant
) -> None:
    lines = await export_lines(audit_client, tenant.owner)
    previous = bytes(32)
    for line in lines:
        entry = json.loads(line)
        chained = {name: entry[name] for name in verify_audit.CHAINED_FIELDS}
        assert entry["tenant_id"] == str(tenant.id)
        assert bytes.fromhex(entry["prev_hash"]) == previous
        assert entry_hash(previous, chained).hex() == entry["hash"]
        previous = bytes.fromhex(entry["hash"])
    assert json.loads(lines[3])["payload"]["note"] == "Größe ☕"


# --- checkpoints -------------------------------------------------------------------------


async def test_periodic_checkpoints_sign_only_tenants_with_new_entries(
    audit_client: httpx.AsyncClient,
    tenant: Tenant,
    service_databases: dict[str, TenantDatabase],
) -> None:
    audit = service_databases["audit"]
    service = CheckpointService(signer=AUDIT_SIGNER, origin_prefix=AUDIT_SETTINGS.origin)
    assert await sign_due_checkpoints(audit, service) >= 1
    assert await sign_due_checkpoints(audit, service) == 0, "nothing new: nothing signed"
    await write_entries(service_databases["orders"], tenant.id, 3)
    assert await sign_due_checkpoints(audit, service) == 1

    page = (await audit_client.get("/v1/audit/checkpoints", auth=tenant.owner)).json()
    assert [(item["size"], item["requested_by"]) for item in page["items"]] == [
        (15, "system"),
        (12, "system"),
    ]
    # Covered already: an on-demand request returns the latest and audits nothing.
    again = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
    assert again.status_code == 200
    assert again.json()["size"] == 15
    assert (await verification(audit_client, tenant.owner))["entries"] == 15


async def test_the_checkpoint_note_is_a_signed_tlog_checkpoint(
    audit_client: httpx.AsyncClient, tenant: Tenant
) -> None:
    signed = (await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)).json()
    key = (await audit_client.get("/v1/audit/public-key", auth=tenant.owner)).json()
    origin = f"{AUDIT_SETTINGS.origin}/{tenant.id}"
    assert key["origin"] == key["key_name"] == origin
    text, signature = signed["note"].split("\n\n")
    lines = text.split("\n")
    assert lines[:2] == [origin, "12"]
    assert bytes.fromhex(signed["hash"]).hex() == signed["hash"]
    assert signature.startswith(f"\u2014 {origin} ")
    assert key["verifier_key"].startswith(f"{origin}+{key['key_id']}+")


async def test_the_periodic_scan_names_tenants_only_to_the_audit_role(
    connect_as: Connect,
) -> None:
    for service in ("orders", "identity", "reports", "billing", "bridge", "webhooks"):
        connection = await connect_as(service)
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await connection.fetch("SELECT * FROM audit.tenants_awaiting_checkpoint()")
    # The setting the function uses opens nothing to a service role that sets it itself.
    audit = await connect_as("audit")
    async with audit.transaction():
        await audit.execute("SELECT set_config('halopos.checkpoint_scan', 'on', true)")
        assert await audit.fetch("SELECT * FROM audit.chain_heads") == []
        assert await audit.fetch("SELECT * FROM audit.checkpoints") == []


async def test_a_checkpoint_is_never_signed_over_an_altered_chain(
    audit_client: httpx.AsyncClient, tenant: Tenant, admin: asyncpg.Connection
) -> None:
    first = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
    assert first.status_code == 201
    async with tampering(admin):
        await change_payload(admin, tenant.id, seq=PROVISIONED + WRITTEN + 1)
    refused = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/audit-chain-broken")
    assert refused.json()["seq"] == 13
    async with tampering(admin):
        await change_payload(admin, tenant.id, seq=5)
    refused = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
    assert refused.status_code == 409, "entry 12 still hashes; the chain before it does not"
    page = (await audit_client.get("/v1/audit/checkpoints", auth=tenant.owner)).json()
    assert [item["size"] for item in page["items"]] == [12]


# --- the tamper matrix -------------------------------------------------------------------


@asynccontextmanager
async def tampering(admin: asyncpg.Connection) -> AsyncIterator[None]:
    """The attacker: a superuser with the log's triggers switched off."""
    superuser = await admin.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if not superuser:
        pytest.skip("the tamper matrix needs a superuser connection (DATABASE_URL is not one)")
    async with admin.transaction():
        await admin.execute("SET LOCAL session_replication_role = replica")
        yield


async def change_payload(admin: asyncpg.Connection, tenant: uuid.UUID, *, seq: int) -> None:
    changed = await admin.execute(
        "UPDATE audit.events SET payload = payload || '{\"total_minor\": 1}'"
        " WHERE tenant_id = $1 AND seq = $2",
        tenant,
        seq,
    )
    assert changed == "UPDATE 1"


async def rows(admin: asyncpg.Connection, tenant: uuid.UUID) -> list[asyncpg.Record]:
    return await admin.fetch("SELECT * FROM audit.events WHERE tenant_id = $1 ORDER BY seq", tenant)


async def set_head(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    """What a careful attacker does after changing the log: make the head agree."""
    await admin.execute(
        "UPDATE audit.chain_heads AS head SET seq = last.seq, hash = last.hash"
        " FROM (SELECT seq, hash FROM audit.events WHERE tenant_id = $1"
        "       ORDER BY seq DESC LIMIT 1) AS last WHERE head.tenant_id = $1",
        tenant,
    )


async def rewrite_from(admin: asyncpg.Connection, tenant: uuid.UUID, seq: int) -> None:
    """Change entry `seq` and recompute every hash after it: a valid chain, other history."""
    previous: bytes | None = None
    for row in await rows(admin, tenant):
        if row["seq"] < seq:
            previous = bytes(row["hash"])
            continue
        assert previous is not None
        payload = json.loads(row["payload"])
        if row["seq"] == seq:
            payload["total_minor"] = 1
        digest = entry_hash(previous, chained(row, payload=payload))
        await admin.execute(
            "UPDATE audit.events SET payload = $3::jsonb, prev_hash = $4, hash = $5"
            " WHERE tenant_id = $1 AND seq = $2",
            tenant,
            row["seq"],
            json.dumps(payload),
            previous,
            digest,
        )
        previous = digest
    await set_head(admin, tenant)


async def delete_middle(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await admin.execute("DELETE FROM audit.events WHERE tenant_id = $1 AND seq = 6", tenant)


async def insert_row(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    """A forged entry after 6, correctly hashed onto it; later entries renumbered, and the
    next one re-linked to it (its own hash is not recomputed: that is `rewrite_history`)."""
    sixth = next(row for row in await rows(admin, tenant) if row["seq"] == 6)
    forged = chained(sixth, seq=7, id=str(uuid.uuid4()), action="order.voided")
    forged_hash = entry_hash(bytes(sixth["hash"]), forged)
    await admin.execute(
        "UPDATE audit.events SET seq = seq + 1000 WHERE tenant_id = $1 AND seq > 6", tenant
    )
    await admin.execute(
        "UPDATE audit.events SET seq = seq - 999,"
        " prev_hash = CASE WHEN seq = 1007 THEN $2 ELSE prev_hash END"
        " WHERE tenant_id = $1 AND seq > 1000",
        tenant,
        forged_hash,
    )
    await admin.execute(
        "INSERT INTO audit.events (tenant_id, seq, id, occurred_at, service, actor_type,"
        " actor_id, action, resource_type, resource_id, request_id, payload, prev_hash, hash)"
        " VALUES ($1, 7, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $13)",
        tenant,
        uuid.UUID(forged["id"]),
        sixth["occurred_at"],
        forged["service"],
        forged["actor_type"],
        forged["actor_id"],
        forged["action"],
        forged["resource_type"],
        forged["resource_id"],
        forged["request_id"],
        json.dumps(forged["payload"]),
        bytes(sixth["hash"]),
        forged_hash,
    )
    await set_head(admin, tenant)


async def reorder(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    for old, new in ((4, 100_000), (5, 4), (100_000, 5)):
        await admin.execute(
            "UPDATE audit.events SET seq = $3 WHERE tenant_id = $1 AND seq = $2", tenant, old, new
        )


async def truncate(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    # TRUNCATE would empty every tenant's log, under the other tests' feet too; deleting
    # every row of this tenant's is what it does to this tenant.
    await admin.execute("DELETE FROM audit.events WHERE tenant_id = $1", tenant)


async def drop_last(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await admin.execute("DELETE FROM audit.events WHERE tenant_id = $1 AND seq > 9", tenant)


async def drop_last_and_fix_head(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await drop_last(admin, tenant)
    await set_head(admin, tenant)


async def drop_last_and_cover_tracks(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    """The tail cut, the head rewritten and our own checkpoints deleted: the database now
    agrees with itself, and only a checkpoint the reviewer kept shows the cut."""
    await drop_last_and_fix_head(admin, tenant)
    await admin.execute("DELETE FROM audit.checkpoints WHERE tenant_id = $1", tenant)


async def rewrite_history(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await rewrite_from(admin, tenant, 5)


async def rewrite_history_and_cover_tracks(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await rewrite_from(admin, tenant, 5)
    await admin.execute("DELETE FROM audit.checkpoints WHERE tenant_id = $1", tenant)


async def rewrite_history_and_forge_checkpoints(
    admin: asyncpg.Connection, tenant: uuid.UUID
) -> None:
    """The rewrite, with our checkpoints re-signed to match by a key that is not ours."""
    await rewrite_from(admin, tenant, 5)
    forger = CheckpointSigner.generate()
    for checkpoint in await admin.fetch(
        "SELECT size, origin FROM audit.checkpoints WHERE tenant_id = $1", tenant
    ):
        head = bytes(
            await admin.fetchval(
                "SELECT hash FROM audit.events WHERE tenant_id = $1 AND seq = $2",
                tenant,
                checkpoint["size"],
            )
        )
        await admin.execute(
            "UPDATE audit.checkpoints SET hash = $3, note = $4 WHERE tenant_id = $1 AND size = $2",
            tenant,
            checkpoint["size"],
            head,
            forger.sign(checkpoint["origin"], checkpoint["size"], head),
        )


async def change_field(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await change_payload(admin, tenant, seq=5)


async def change_actor(admin: asyncpg.Connection, tenant: uuid.UUID) -> None:
    await admin.execute(
        "UPDATE audit.events SET actor_id = 'someone-else' WHERE tenant_id = $1 AND seq = 8",
        tenant,
    )


Tamper = Callable[[asyncpg.Connection, uuid.UUID], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    tamper: Tamper
    # The first break /verify reports, or None when the database was made to agree.
    service_break: int | None
    # What the standalone verifier, holding the checkpoint kept before, names.
    verifier_names: str


# The log: 12 entries (2 provisioning, 10 written), a checkpoint at 12, its audit entry 13.
TAMPER_MATRIX = {
    "change a field": Case(change_field, 5, "entry seq 5"),
    "change the actor": Case(change_actor, 8, "entry seq 8"),
    "delete a middle row": Case(delete_middle, 6, "entry seq 6"),
    "insert a row": Case(insert_row, 8, "entry seq 8"),
    "reorder two rows": Case(reorder, 4, "entry seq 4"),
    "truncate the log": Case(truncate, 1, "checkpoint size 12"),
    "drop the last rows": Case(drop_last, 10, "checkpoint size 12"),
    "drop the last rows and fix the head": Case(drop_last_and_fix_head, 10, "checkpoint size 12"),
    "drop the last rows, fix the head, delete checkpoints": Case(
        drop_last_and_cover_tracks, None, "checkpoint size 12"
    ),
    "rewrite history with recomputed hashes": Case(rewrite_history, 12, "checkpoint size 12"),
    "rewrite history and forge our checkpoints": Case(
        rewrite_history_and_forge_checkpoints, 12, "checkpoint size 12"
    ),
    "rewrite history and delete checkpoints": Case(
        rewrite_history_and_cover_tracks, None, "checkpoint size 12"
    ),
}


@pytest.mark.parametrize("name", list(TAMPER_MATRIX))
async def test_tampering_is_detected(
    name: str, audit_client: httpx.AsyncClient, tenant: Tenant, admin: asyncpg.Connection
) -> None:
    case = TAMPER_MATRIX[name]
    assert (await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)).status_code == 201
    kept = await kept_checkpoints(audit_client, tenant.owner)
    key = await verifier_key(audit_client, tenant.owner)
    before = verify_audit.verify(await export_lines(audit_client, tenant.owner), key, kept)
    assert before.ok, before.failure

    async with tampering(admin):
        await case.tamper(admin, tenant.id)

    result = await verification(audit_client, tenant.owner)
    if case.service_break is None:
        assert result["valid"], "the database was made to agree with itself"
    else:
        assert not result["valid"]
        assert result["first_break"]["seq"] == case.service_break, result["first_break"]
        if "forge" in name:
            assert "not our signature" in result["first_break"]["reason"]
    outcome = verify_audit.verify(await export_lines(audit_client, tenant.owner), key, kept)
    assert outcome.failure is not None
    assert outcome.failure.where.startswith(case.verifier_names), str(outcome.failure)


async def test_the_cli_rejects_a_tampered_export_and_accepts_the_clean_one(
    audit_client: httpx.AsyncClient,
    tenant: Tenant,
    admin: asyncpg.Connection,
    tmp_path: Path,
) -> None:
    assert (await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)).status_code == 201
    checkpoints = tmp_path / "checkpoints.json"
    checkpoints.write_text(
        (await audit_client.get("/v1/audit/checkpoints", auth=tenant.owner)).text
    )
    key = (await audit_client.get("/v1/audit/public-key", auth=tenant.owner)).json()
    script = await audit_client.get("/v1/audit/verifier/script", auth=tenant.owner)
    assert script.text == (REPO_ROOT / "tools" / "verify_audit.py").read_text()
    (tmp_path / "verify_audit.py").write_text(script.text)

    async def run() -> tuple[int, str]:
        export = tmp_path / "audit.jsonl"
        export.write_bytes((await audit_client.get("/v1/audit/export", auth=tenant.owner)).content)
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "verify_audit.py",
            str(export),
            "--key",
            key["verifier_key"],
            "--checkpoint",
            str(checkpoints),
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        assert process.returncode is not None
        return process.returncode, output.decode()

    status, output = await run()
    assert (status, output[:15]) == (0, "OK: 13 entries,"), output
    async with tampering(admin):
        await drop_last_and_cover_tracks(admin, tenant.id)
    status, output = await run()
    assert status == 1
    assert output.startswith("FAIL checkpoint size 12"), output


# --- isolation ---------------------------------------------------------------------------


async def test_one_tenants_log_never_shows_or_moves_with_anothers(
    audit_client: httpx.AsyncClient,
    tenant: Tenant,
    provision: Provision,
    token: TokenFactory,
    service_databases: dict[str, TenantDatabase],
) -> None:
    other = await provision()
    other_owner = token(other, Role.OWNER)
    head = (await verification(audit_client, tenant.owner))["head_hash"]
    await write_entries(service_databases["orders"], other, 25)
    assert (await audit_client.post("/v1/audit/checkpoints", auth=other_owner)).status_code == 201

    mine = [json.loads(line) for line in await export_lines(audit_client, tenant.owner)]
    assert {entry["tenant_id"] for entry in mine} == {str(tenant.id)}
    assert len(mine) == PROVISIONED + WRITTEN
    after = await verification(audit_client, tenant.owner)
    assert after["valid"]
    assert (after["entries"], after["head_hash"]) == (12, head), "B's writes moved A's chain"
    assert after["checkpoints_checked"] == 0, "B's checkpoint is not A's"
    events = (await audit_client.get("/v1/audit/events", auth=tenant.owner)).json()["items"]
    assert {event["seq"] for event in events} == set(range(1, 13))
    theirs = (await audit_client.get("/v1/audit/checkpoints", auth=tenant.owner)).json()
    assert theirs["items"] == []
    other_key = (await audit_client.get("/v1/audit/public-key", auth=other_owner)).json()
    my_key = (await audit_client.get("/v1/audit/public-key", auth=tenant.owner)).json()
    assert other_key["origin"] != my_key["origin"]


# --- through the gateway -----------------------------------------------------------------


async def test_an_owner_downloads_what_a_reviewer_needs_through_the_gateway(
    live_stack: LiveStack, tenant: Tenant, token: TokenFactory, tmp_path: Path
) -> None:
    async with httpx.AsyncClient(base_url=live_stack.gateway) as gateway:
        signed = await gateway.post("/v1/audit/checkpoints", auth=tenant.owner)
        assert signed.status_code == 201, signed.text
        instructions = await gateway.get("/v1/audit/verifier", auth=tenant.owner)
        assert instructions.status_code == 200
        assert instructions.headers["content-type"].startswith("text/markdown")
        key = (await gateway.get("/v1/audit/public-key", auth=tenant.owner)).json()
        assert key["verifier_key"] in instructions.text
        assert f"{AUDIT_SETTINGS.origin}/{tenant.id}" in instructions.text
        export = await gateway.get("/v1/audit/export", auth=tenant.owner)
        assert export.status_code == 200
        assert "attachment" in export.headers["content-disposition"]
        checkpoints = await gateway.get("/v1/audit/checkpoints", auth=tenant.owner)
        outcome = verify_audit.verify(
            export.content.splitlines(),
            verify_audit.parse_verifier_key(key["verifier_key"]),
            verify_audit.checkpoints_from_text(checkpoints.text, source="gateway"),
        )
        assert outcome.ok, outcome.failure
        assert outcome.entries == PROVISIONED + WRITTEN + 1

        for role in (Role.MANAGER, Role.CASHIER):
            for method, path in (("GET", "/v1/audit/export"), ("POST", "/v1/audit/checkpoints")):
                refused = await gateway.request(method, path, auth=token(tenant.id, role))
                assert refused.status_code == 403, (role, path)


async def test_a_snapshot_is_read_only_repeatable_read_and_leaves_the_pool_as_it_was(
    tenant: Tenant, database: PreparedDatabase
) -> None:
    one_connection = TenantDatabase(database.service_urls["audit"], pool_size=1)
    reader = Principal(subject="reader", tenant_id=tenant.id, role=Role.ACCOUNTANT)
    show = (
        "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')"
    )
    try:
        async with one_connection.snapshot(reader) as connection:
            assert (await connection.execute(sa.text(show))).one() == ("repeatable read", "on")
        async with one_connection.transaction(reader) as connection:
            assert (await connection.execute(sa.text(show))).one() == ("read committed", "off")
    finally:
        await one_connection.dispose()


# --- the reviewer's bundle ---------------------------------------------------------------


async def bundle_files(client: httpx.AsyncClient, auth: httpx.Auth) -> tuple[str, dict[str, bytes]]:
    response = await client.get("/v1/audit/reviewer-bundle", auth=auth)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="halopos-audit-'), disposition
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        files = {name: archive.read(name) for name in archive.namelist()}
    folder = disposition.split('"')[1].removesuffix(".zip")
    return folder, {name.removeprefix(f"{folder}/"): data for name, data in files.items()}


async def test_the_reviewers_bundle_is_one_snapshot_the_bundled_verifier_accepts(
    audit_client: httpx.AsyncClient, tenant: Tenant, tmp_path: Path
) -> None:
    assert (await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)).status_code == 201
    folder, files = await bundle_files(audit_client, tenant.accountant)
    assert folder.startswith(f"halopos-audit-{tenant.id}-")
    assert sorted(files) == [
        "README.md",
        "audit.jsonl",
        "checkpoints.json",
        "public-key.json",
        "verifier-key.txt",
        "verify_audit.py",
    ]
    # The same as the API's own answers, read now (nothing was written since).
    assert files["audit.jsonl"].splitlines() == await export_lines(audit_client, tenant.owner)
    checkpoints = (await audit_client.get("/v1/audit/checkpoints", auth=tenant.owner)).json()
    assert json.loads(files["checkpoints.json"]) == checkpoints
    key = (await audit_client.get("/v1/audit/public-key", auth=tenant.owner)).json()
    assert json.loads(files["public-key.json"]) == key
    assert files["verifier-key.txt"].decode() == key["verifier_key"] + "\n"
    assert files["verify_audit.py"] == (REPO_ROOT / "tools" / "verify_audit.py").read_bytes()
    readme = files["README.md"].decode()
    assert key["verifier_key"] in readme
    assert f"{PROVISIONED + WRITTEN + 1} entries" in readme
    assert "--key-file verifier-key.txt --checkpoint checkpoints.json" in readme

    # Run as the README says, in the bundle's folder, with this machine's Python.
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    async def run() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "verify_audit.py",
            "audit.jsonl",
            "--key-file",
            "verifier-key.txt",
            "--checkpoint",
            "checkpoints.json",
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        assert process.returncode is not None
        return process.returncode, output.decode()

    status, output = await run()
    assert (status, output[:15]) == (0, "OK: 13 entries,"), output
    (tmp_path / "audit.jsonl").write_bytes(files["audit.jsonl"].replace(b"order-4", b"order-5", 1))
    status, output = await run()
    assert (status, output[:4]) == (1, "FAIL"), output


async def test_the_reviewers_bundle_holds_only_checkpoints_its_export_covers(
    audit_client: httpx.AsyncClient,
    tenant: Tenant,
    service_databases: dict[str, TenantDatabase],
) -> None:
    """Writes and checkpoints going on while the bundle streams do not get into it: its export
    and its checkpoints are one moment's."""
    await write_entries(service_databases["orders"], tenant.id, 1500)
    assert (await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)).status_code == 201

    async def meanwhile() -> None:
        for _ in range(3):
            await write_entries(service_databases["orders"], tenant.id, 5)
            signed = await audit_client.post("/v1/audit/checkpoints", auth=tenant.owner)
            assert signed.status_code == 201, signed.text

    (_, files), _ = await asyncio.gather(bundle_files(audit_client, tenant.accountant), meanwhile())
    lines = files["audit.jsonl"].splitlines()
    outcome = verify_audit.verify(
        lines,
        verify_audit.parse_verifier_key(files["verifier-key.txt"].decode()),
        verify_audit.checkpoints_from_text(files["checkpoints.json"].decode(), source="bundle"),
    )
    assert outcome.ok, outcome.failure
    assert outcome.entries == len(lines) > 1500


async def test_the_reviewers_bundle_is_refused_to_managers_and_cashiers(
    audit_client: httpx.AsyncClient, tenant: Tenant, token: TokenFactory
) -> None:
    for role in (Role.MANAGER, Role.CASHIER):
        refused = await audit_client.get("/v1/audit/reviewer-bundle", auth=token(tenant.id, role))
        assert refused.status_code == 403, role
        assert refused.json()["code"] == "permission-denied"

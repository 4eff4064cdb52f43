"""The reviewer's bundle: everything a reviewer needs to check a tenant's log, in one ZIP read
from one database snapshot (docs/audit-chain.md, "The reviewer's bundle").

One snapshot matters: an export downloaded a minute after the checkpoints could hold entries
the checkpoints do not yet cover (harmless) but also the other way round, a checkpoint signed
between two downloads that the earlier export is too short for, which the verifier would
report as a cut tail. Read in one REPEATABLE READ transaction, every checkpoint in the bundle
is one the bundled export can be held to.

The ZIP is written as it is read (entries with data descriptors, no seeking), so a log of a
million entries is never held in memory; the archive is a folder named after the file, with
the files below.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from libs.audit.chain import GENESIS_HASH
from libs.auth.principal import Principal
from libs.tenancy import TenantDatabase
from services.audit.checkpoints.repository import CheckpointRepository
from services.audit.checkpoints.schemas import CheckpointOut, PublicKeyOut
from services.audit.log import AuditLogReader, exported

README = (Path(__file__).parent / "bundle-readme.md").read_text()
VERIFIER = Path(__file__).resolve().parents[3] / "tools" / "verify_audit.py"

EXPORT = "audit.jsonl"
CHECKPOINTS = "checkpoints.json"
PUBLIC_KEY = "public-key.json"
VERIFIER_KEY = "verifier-key.txt"
SCRIPT = "verify_audit.py"
INSTRUCTIONS = "README.md"
# Bytes of JSON Lines gathered before they go to the archive (and on to the client).
_CHUNK = 64 * 1024


class _Outgoing(io.RawIOBase):
    """Where zipfile writes: collects bytes until the response takes them. Not seekable, so
    zipfile streams (a data descriptor after each member)."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        return len(chunk)

    def take(self) -> bytes:
        taken = b"".join(self._chunks)
        self._chunks.clear()
        return taken


def file_name(principal: Principal, at: datetime) -> str:
    return f"halopos-audit-{principal.tenant_id}-{at.strftime('%Y%m%dT%H%M%SZ')}"


async def reviewer_bundle(
    database: TenantDatabase,
    principal: Principal,
    *,
    public_key: PublicKeyOut,
    folder: str,
    at: datetime,
) -> AsyncIterator[bytes]:
    """The ZIP's bytes as they are made."""
    out = _Outgoing()
    stamp = at.astimezone(UTC).timetuple()[:6]

    def member(name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return info

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        async with database.snapshot(principal) as connection:
            checkpoints = await CheckpointRepository.from_connection(connection).all()
            entries, head = 0, GENESIS_HASH
            # zip64: a log of millions of entries may pass the 4 GB of a plain ZIP member.
            with archive.open(member(EXPORT), "w", force_zip64=True) as export:
                pending: list[bytes] = []
                size = 0
                async for row in AuditLogReader.from_connection(connection).entries():
                    line = json.dumps(exported(row), ensure_ascii=False, separators=(",", ":"))
                    pending.append(line.encode() + b"\n")
                    size += len(pending[-1])
                    entries, head = row.seq, row.hash
                    if size >= _CHUNK:
                        export.write(b"".join(pending))
                        pending, size = [], 0
                        yield out.take()
                export.write(b"".join(pending))
        yield out.take()
        # Newest first, as GET /v1/audit/checkpoints answers: the verifier reads this shape.
        newest_first = [CheckpointOut.of(row).model_dump(mode="json") for row in checkpoints]
        newest_first.reverse()
        archive.writestr(
            member(CHECKPOINTS),
            json.dumps({"items": newest_first, "next_cursor": None}, indent=2) + "\n",
        )
        archive.writestr(member(PUBLIC_KEY), public_key.model_dump_json(indent=2) + "\n")
        archive.writestr(member(VERIFIER_KEY), public_key.verifier_key + "\n")
        archive.writestr(member(SCRIPT), VERIFIER.read_bytes())
        largest = checkpoints[-1].size if checkpoints else 0
        archive.writestr(
            member(INSTRUCTIONS),
            README.format(
                folder=folder,
                origin=public_key.origin,
                verifier_key=public_key.verifier_key,
                created_at=at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
                entries=entries,
                head_hash=head.hex(),
                checkpoints=len(checkpoints),
                largest=largest,
            ),
        )
        yield out.take()
    yield out.take()

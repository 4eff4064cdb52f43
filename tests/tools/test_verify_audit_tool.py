"""The standalone verifier (tools/verify_audit.py) against exports: it accepts a clean one and
rejects each kind of tampering, naming the entry or checkpoint that gives it away. Pure files:
no database. At least one run goes through a subprocess in isolated mode, outside the repo,
with the project's packages made unimportable, to prove the tool stands alone."""

from __future__ import annotations

import ast
import base64
import copy
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from libs.audit.chain import CHAINED_FIELDS, GENESIS_HASH, entry_hash
from libs.audit.checkpoints import CheckpointSigner, origin_for
from tests.support import REPO_ROOT
from tools import verify_audit
from tools.verify_audit import Checkpoint

TOOL = REPO_ROOT / "tools" / "verify_audit.py"
VECTORS: dict[str, Any] = json.loads(
    (REPO_ROOT / "docs" / "audit-chain-vectors.json").read_text(encoding="utf-8")
)

TENANT = uuid.UUID("5f0c2a4e-8b1d-4c3a-9e7f-0a1b2c3d4e5f")
OTHER_TENANT = uuid.UUID("e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9")
ORIGIN = origin_for("audit.halopos.localhost", TENANT)
OTHER_ORIGIN = origin_for("audit.halopos.localhost", OTHER_TENANT)
SIGNER = CheckpointSigner.generate()
KEY = SIGNER.verifier_key(ORIGIN)
LENGTH = 40
HELD_SIZES = (20, LENGTH)
# Only a working directory for the subprocess, so the repo is not its current directory.
OUTSIDE_THE_REPO = Path("/tmp")  # noqa: S108

Entry = dict[str, Any]


# --- Building exports -------------------------------------------------------------------------


def generated_chain(tenant: uuid.UUID = TENANT, length: int = LENGTH) -> list[Entry]:
    entries: list[Entry] = []
    for seq in range(1, length + 1):
        entries.append(
            {
                "tenant_id": str(tenant),
                "seq": seq,
                "id": str(uuid.uuid5(tenant, f"entry {seq}")),
                "occurred_at": f"2026-11-23T09:{seq % 60:02d}:00.{seq:06d}Z",
                "service": "orders",
                "actor_type": ("cashier", "manager", "owner")[seq % 3],
                "actor_id": f"staff-{seq % 7}",
                "action": "order.closed",
                "resource_type": "order",
                "resource_id": f"order-{seq}",
                "request_id": None if seq % 4 == 0 else f"req-{seq}",
                "payload": {
                    "total_minor": 1000 + seq,
                    "lines": [{"item": "flat white", "quantity": seq % 3 + 1}],
                    "note": "Größe \U0001f9fe" if seq % 5 == 0 else None,
                    "paid": seq % 2 == 0,
                },
                "recorded_at": f"2026-11-23T09:{seq % 60:02d}:01.000000Z",
            }
        )
    return rechain(entries, from_seq=1)


def rechain(entries: list[Entry], *, from_seq: int) -> list[Entry]:
    """Recomputes prev_hash and hash from `from_seq` on, as a forger with database access
    could: the result is a valid chain."""
    previous = GENESIS_HASH if from_seq == 1 else bytes.fromhex(entries[from_seq - 2]["hash"])
    for entry in entries[from_seq - 1 :]:
        entry["prev_hash"] = previous.hex()
        previous = entry_hash(previous, {name: entry[name] for name in CHAINED_FIELDS})
        entry["hash"] = previous.hex()
    return entries


def to_lines(entries: list[Entry]) -> list[str]:
    return [json.dumps(entry, ensure_ascii=False, separators=(",", ":")) for entry in entries]


def vector_lines() -> list[str]:
    return to_lines(
        [
            {**link["entry"], "prev_hash": link["prev_hash"], "hash": link["hash"]}
            | {"recorded_at": "2026-11-24T03:00:00.000000Z"}
            for link in VECTORS["chain"]
        ]
    )


def checkpoint_for(entries: list[Entry], size: int, *, signer: CheckpointSigner = SIGNER) -> str:
    head = bytes.fromhex(entries[size - 1]["hash"]) if size else GENESIS_HASH
    return signer.sign(ORIGIN, size, head)


def held_checkpoints(entries: list[Entry]) -> list[Checkpoint]:
    return [Checkpoint(checkpoint_for(entries, size), f"kept-{size}.txt") for size in HELD_SIZES]


def signed_text(text: str, *, key_name: str = ORIGIN, signer: CheckpointSigner = SIGNER) -> str:
    """Signs any text as a note, so the checks after the signature can be reached."""
    signature = signer.key_id(key_name) + signer.private_key.sign(text.encode())
    return f"{text}\n\u2014 {key_name} {base64.b64encode(signature).decode()}\n"


def hash_line(entries: list[Entry], seq: int) -> str:
    return base64.b64encode(bytes.fromhex(entries[seq - 1]["hash"])).decode()


# --- Accepting ----------------------------------------------------------------------------------


def test_a_clean_generated_export_verifies() -> None:
    entries = generated_chain()
    checkpoints = [Checkpoint(checkpoint_for(entries, size)) for size in (0, 1, 20, LENGTH)]
    key = verify_audit.parse_verifier_key(KEY)
    result = verify_audit.verify(to_lines(entries), key, checkpoints)
    assert result.failure is None
    assert result.entries == LENGTH
    assert result.head.hex() == entries[-1]["hash"]
    assert result.tenant_id == str(TENANT)
    assert (result.checkpoints_verified, result.largest_checkpoint) == (4, LENGTH)
    assert result.summary() == (
        f"OK: {LENGTH} entries, chain head {entries[-1]['hash']}, 4 checkpoints verified"
        f" (largest size {LENGTH})"
    )


def test_a_clean_export_verifies_without_a_key_or_checkpoints() -> None:
    result = verify_audit.verify(to_lines(generated_chain()), None, [])
    assert result.ok
    assert result.summary().endswith(
        "0 checkpoints verified (without one a cut-off tail goes unnoticed)"
    )


def test_an_empty_export_is_covered_only_by_the_empty_checkpoint() -> None:
    key = verify_audit.parse_verifier_key(KEY)
    empty = Checkpoint(SIGNER.sign(ORIGIN, 0, GENESIS_HASH))
    assert verify_audit.verify([], key, [empty]).ok
    later = Checkpoint(checkpoint_for(generated_chain(), 1))
    failure = verify_audit.verify([], key, [later]).failure
    assert failure is not None
    assert "the export has only 0 entries" in failure.reason


def test_signatures_by_unknown_keys_are_ignored() -> None:
    entries = generated_chain()
    ours = checkpoint_for(entries, 20)
    theirs = checkpoint_for(entries, 20, signer=CheckpointSigner.generate())
    text, our_signature = ours.split("\n\n")
    cosigned = f"{text}\n\n{theirs.split(chr(10) * 2)[1]}{our_signature}"
    result = verify_audit.verify(
        to_lines(entries), verify_audit.parse_verifier_key(KEY), [Checkpoint(cosigned)]
    )
    assert result.ok, result.summary()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda e: e[:-3], id="tail-cut"),
        pytest.param(lambda e: rewritten(e, from_seq=12), id="rewritten"),
    ],
)
def test_only_a_checkpoint_catches_a_cut_tail_or_a_rewritten_history(
    tamper: Callable[[list[Entry]], list[Entry]],
) -> None:
    entries = generated_chain()
    tampered = tamper(copy.deepcopy(entries))
    assert verify_audit.verify(to_lines(tampered), None, []).ok
    key = verify_audit.parse_verifier_key(KEY)
    assert not verify_audit.verify(to_lines(tampered), key, held_checkpoints(entries)).ok


def test_a_checkpoint_says_nothing_about_entries_after_it() -> None:
    entries = generated_chain()
    tampered = rewritten(copy.deepcopy(entries), from_seq=30)
    key = verify_audit.parse_verifier_key(KEY)
    early = [Checkpoint(checkpoint_for(entries, 20))]
    assert verify_audit.verify(to_lines(tampered), key, early).ok


# --- Rejecting tampered entries ------------------------------------------------------------


def rewritten(entries: list[Entry], *, from_seq: int) -> list[Entry]:
    entries[from_seq - 1]["payload"]["total_minor"] = 1
    return rechain(entries, from_seq=from_seq)


def forged_after(entries: list[Entry], seq: int) -> Entry:
    """A new entry claiming seq + 1 that links to entry `seq`, with a correct hash."""
    forged = {**copy.deepcopy(entries[seq - 1]), "seq": seq + 1, "actor_id": "staff-99"}
    forged["id"] = str(uuid.uuid5(TENANT, "forged"))
    forged["prev_hash"] = entries[seq - 1]["hash"]
    forged["hash"] = entry_hash(
        bytes.fromhex(forged["prev_hash"]), {name: forged[name] for name in CHAINED_FIELDS}
    ).hex()
    return forged


def payload_value_changed(entries: list[Entry]) -> list[str]:
    entries[16]["payload"]["total_minor"] += 1
    return to_lines(entries)


def actor_changed(entries: list[Entry]) -> list[str]:
    entries[7]["actor_id"] = "staff-99"
    return to_lines(entries)


def occurred_at_changed(entries: list[Entry]) -> list[str]:
    entries[32]["occurred_at"] = "2026-11-22T23:59:59.000000Z"
    return to_lines(entries)


def middle_line_deleted(entries: list[Entry]) -> list[str]:
    del entries[9]
    return to_lines(entries)


def first_line_deleted(entries: list[Entry]) -> list[str]:
    del entries[0]
    return to_lines(entries)


def line_inserted(entries: list[Entry]) -> list[str]:
    entries.insert(15, forged_after(entries, 15))
    return to_lines(entries)


def line_inserted_and_later_renumbered(entries: list[Entry]) -> list[str]:
    entries.insert(15, forged_after(entries, 15))
    for entry in entries[16:]:
        entry["seq"] += 1
    return to_lines(entries)


def lines_swapped(entries: list[Entry]) -> list[str]:
    entries[4], entries[5] = entries[5], entries[4]
    return to_lines(entries)


def float_in_payload(entries: list[Entry]) -> list[str]:
    entries[20]["payload"]["total_minor"] = 12.5
    return to_lines(entries)


def integral_float_in_payload(entries: list[Entry]) -> list[str]:
    lines = to_lines(entries)
    lines[20] = lines[20].replace('"total_minor":1021', '"total_minor":1021.0')
    return lines


def integer_beyond_2_53(entries: list[Entry]) -> list[str]:
    entries[21]["payload"]["lines"][0]["quantity"] = 2**53
    return to_lines(entries)


def another_tenants_entries(entries: list[Entry]) -> list[str]:
    for entry in entries[29:]:
        entry["tenant_id"] = str(OTHER_TENANT)
    return to_lines(rechain(entries, from_seq=30))


def first_entry_not_from_genesis(entries: list[Entry]) -> list[str]:
    entries[0]["prev_hash"] = "11" * 32
    return to_lines(entries)


def field_missing(entries: list[Entry]) -> list[str]:
    del entries[11]["request_id"]
    return to_lines(entries)


def seq_as_text(entries: list[Entry]) -> list[str]:
    entries[13]["seq"] = "14"
    return to_lines(entries)


def line_truncated(entries: list[Entry]) -> list[str]:
    lines = to_lines(entries)
    lines[8] = lines[8][:-10]
    return lines


def duplicate_member(entries: list[Entry]) -> list[str]:
    lines = to_lines(entries)
    lines[2] = lines[2][:-1] + ',"actor_id":"staff-99"}'
    return lines


def blank_line(entries: list[Entry]) -> list[str]:
    lines = to_lines(entries)
    lines.insert(11, "")
    return lines


@dataclass(frozen=True)
class Tampering:
    tamper: Callable[[list[Entry]], list[str]]
    seq: int
    reason: str


TAMPERINGS = {
    "payload-value-changed": Tampering(payload_value_changed, 17, "hash does not recompute"),
    "actor-id-changed": Tampering(actor_changed, 8, "hash does not recompute"),
    "occurred-at-changed": Tampering(occurred_at_changed, 33, "hash does not recompute"),
    "middle-line-deleted": Tampering(middle_line_deleted, 10, "seq is 11, expected 10"),
    "first-line-deleted": Tampering(first_line_deleted, 1, "seq is 2, expected 1"),
    "line-inserted": Tampering(line_inserted, 17, "seq is 16, expected 17"),
    "line-inserted-later-renumbered": Tampering(
        line_inserted_and_later_renumbered, 17, "the chain does not link"
    ),
    "lines-swapped": Tampering(lines_swapped, 5, "seq is 6, expected 5"),
    "float-in-payload": Tampering(float_in_payload, 21, "payload.total_minor: 12.5 is not"),
    "integral-float-in-payload": Tampering(integral_float_in_payload, 21, "1021.0 is not"),
    "integer-beyond-2-53": Tampering(integer_beyond_2_53, 22, "beyond +/-(2^53 - 1)"),
    "another-tenants-entries": Tampering(another_tenants_entries, 30, "tenant_id is"),
    "first-entry-not-from-genesis": Tampering(first_entry_not_from_genesis, 1, "genesis"),
    "field-missing": Tampering(field_missing, 12, "lacks request_id"),
    "seq-as-text": Tampering(seq_as_text, 14, "seq not of the specified JSON type"),
    "line-truncated": Tampering(line_truncated, 9, "not valid JSON"),
    "duplicate-member": Tampering(duplicate_member, 3, "'actor_id' appears twice"),
    "blank-line": Tampering(blank_line, 12, "a blank line"),
}


@pytest.mark.parametrize("tampering", TAMPERINGS.values(), ids=TAMPERINGS.keys())
def test_a_tampered_entry_is_named(tampering: Tampering) -> None:
    entries = generated_chain()
    lines = tampering.tamper(copy.deepcopy(entries))
    key = verify_audit.parse_verifier_key(KEY)
    result = verify_audit.verify(lines, key, held_checkpoints(entries))
    assert result.failure is not None
    assert result.failure.seq == tampering.seq, result.summary()
    assert tampering.reason in result.failure.reason, result.summary()
    assert result.entries == tampering.seq - 1


def test_the_failure_line_names_the_seq_and_both_hashes() -> None:
    entries = generated_chain()
    lines = payload_value_changed(copy.deepcopy(entries))
    summary = verify_audit.verify(lines, None, []).summary()
    assert summary.startswith("FAIL entry seq 17: hash does not recompute (expected ")
    assert summary.endswith(f", found {entries[16]['hash']})")


def test_a_line_that_is_not_json_is_named_by_its_line_number() -> None:
    lines = line_truncated(generated_chain())
    summary = verify_audit.verify(lines, None, []).summary()
    assert summary.startswith("FAIL line 9 (entry seq 9): not valid JSON (")


# --- Rejecting checkpoints --------------------------------------------------------------------


@dataclass(frozen=True)
class Held:
    """What a reviewer holds: the export's lines, a verifier key, their checkpoints."""

    lines: list[str]
    checkpoints: list[Checkpoint]
    key: str = KEY


def tail_cut(entries: list[Entry]) -> Held:
    return Held(to_lines(entries[:-3]), held_checkpoints(entries))


def rewritten_from_12(entries: list[Entry]) -> Held:
    return Held(to_lines(rewritten(copy.deepcopy(entries), from_seq=12)), held_checkpoints(entries))


def rewritten_from_30(entries: list[Entry]) -> Held:
    return Held(to_lines(rewritten(copy.deepcopy(entries), from_seq=30)), held_checkpoints(entries))


def bad_signature(entries: list[Entry]) -> Held:
    note = checkpoint_for(entries, 20)
    signature = bytearray(base64.b64decode(note.rsplit(" ", 1)[1]))
    signature[10] ^= 1
    forged = note.rsplit(" ", 1)[0] + " " + base64.b64encode(signature).decode() + "\n"
    return Held(to_lines(entries), [Checkpoint(forged)])


def signed_text_altered(entries: list[Entry]) -> Held:
    note = checkpoint_for(entries, 20).replace(hash_line(entries, 20), hash_line(entries, 21))
    return Held(to_lines(entries), [Checkpoint(note)])


def other_tenants_origin(entries: list[Entry]) -> Held:
    # Another tenant's checkpoint, checked with that tenant's own (valid) verifier key.
    note = SIGNER.sign(OTHER_ORIGIN, 20, bytes.fromhex(entries[19]["hash"]))
    return Held(to_lines(entries), [Checkpoint(note)], SIGNER.verifier_key(OTHER_ORIGIN))


def other_tenants_checkpoint(entries: list[Entry]) -> Held:
    note = SIGNER.sign(OTHER_ORIGIN, 20, bytes.fromhex(entries[19]["hash"]))
    return Held(to_lines(entries), [Checkpoint(note)])


def unknown_key(entries: list[Entry]) -> Held:
    note = checkpoint_for(entries, 20, signer=CheckpointSigner.generate())
    return Held(to_lines(entries), [Checkpoint(note)])


def origin_is_not_the_key_name(entries: list[Entry]) -> Held:
    note = signed_text(f"{OTHER_ORIGIN}\n20\n{hash_line(entries, 20)}\n")
    return Held(to_lines(entries), [Checkpoint(note)])


def size_with_leading_zero(entries: list[Entry]) -> Held:
    note = signed_text(f"{ORIGIN}\n020\n{hash_line(entries, 20)}\n")
    return Held(to_lines(entries), [Checkpoint(note)])


def extension_line(entries: list[Entry]) -> Held:
    note = signed_text(f"{ORIGIN}\n20\n{hash_line(entries, 20)}\nextension\n")
    return Held(to_lines(entries), [Checkpoint(note)])


def short_hash(entries: list[Entry]) -> Held:
    short = base64.b64encode(bytes.fromhex(entries[19]["hash"])[:31]).decode()
    return Held(to_lines(entries), [Checkpoint(signed_text(f"{ORIGIN}\n20\n{short}\n"))])


def empty_log_with_a_hash(entries: list[Entry]) -> Held:
    note = signed_text(f"{ORIGIN}\n0\n{hash_line(entries, 1)}\n")
    return Held(to_lines(entries), [Checkpoint(note)])


def listing_disagrees_with_note(entries: list[Entry]) -> Held:
    checkpoint = Checkpoint(checkpoint_for(entries, 20), "page", 21, entries[20]["hash"])
    return Held(to_lines(entries), [checkpoint])


def no_blank_line(entries: list[Entry]) -> Held:
    note = checkpoint_for(entries, 20).replace("\n\n", "\n")
    return Held(to_lines(entries), [Checkpoint(note)])


def a_second_known_signature_fails(entries: list[Entry]) -> Held:
    note = checkpoint_for(entries, 20)
    signature_line = note.split("\n\n")[1]
    forged = (
        signature_line[:-10] + ("A" if signature_line[-10] != "A" else "B") + signature_line[-9:]
    )
    return Held(to_lines(entries), [Checkpoint(note + forged)])


@dataclass(frozen=True)
class CheckpointCase:
    hold: Callable[[list[Entry]], Held]
    size: int | None
    reason: str


CHECKPOINT_CASES = {
    "tail-cut": CheckpointCase(tail_cut, 40, "the export has only 37 entries (its tail was cut"),
    "rewritten-from-12": CheckpointCase(rewritten_from_12, 20, "(history was rewritten)"),
    "rewritten-from-30": CheckpointCase(rewritten_from_30, 40, "(history was rewritten)"),
    "bad-signature": CheckpointCase(bad_signature, 20, "signature does not verify"),
    "signed-text-altered": CheckpointCase(signed_text_altered, 20, "signature does not verify"),
    "other-tenants-origin": CheckpointCase(other_tenants_origin, 20, "not this export's tenant"),
    "other-tenants-checkpoint": CheckpointCase(
        other_tenants_checkpoint, 20, "no signature by the verifier key"
    ),
    "unknown-key": CheckpointCase(unknown_key, 20, "no signature by the verifier key"),
    "origin-is-not-the-key-name": CheckpointCase(
        origin_is_not_the_key_name, 20, "but the verifier key is named"
    ),
    "size-with-leading-zero": CheckpointCase(size_with_leading_zero, None, "leading zeros"),
    "extension-line": CheckpointCase(extension_line, 20, "no extensions"),
    "short-hash": CheckpointCase(short_hash, 20, "base64 of 32 bytes"),
    "empty-log-with-a-hash": CheckpointCase(empty_log_with_a_hash, 0, "genesis value"),
    "listing-disagrees": CheckpointCase(listing_disagrees_with_note, 20, "listed as size 21"),
    "no-blank-line": CheckpointCase(no_blank_line, None, "not a signed note"),
    "a-second-known-signature-fails": CheckpointCase(
        a_second_known_signature_fails, 20, "signature does not verify"
    ),
}


@pytest.mark.parametrize("case", CHECKPOINT_CASES.values(), ids=CHECKPOINT_CASES.keys())
def test_a_failing_checkpoint_is_named(case: CheckpointCase) -> None:
    held = case.hold(generated_chain())
    key = verify_audit.parse_verifier_key(held.key)
    result = verify_audit.verify(held.lines, key, held.checkpoints)
    assert result.failure is not None
    assert result.failure.seq is None, result.summary()
    assert result.failure.checkpoint_size == case.size, result.summary()
    assert case.reason in result.failure.reason, result.summary()


def test_the_checkpoint_failure_line_reads_as_specified() -> None:
    entries = generated_chain()
    held = rewritten_from_12(entries)
    result = verify_audit.verify(held.lines, verify_audit.parse_verifier_key(KEY), held.checkpoints)
    rewritten_hash = json.loads(held.lines[19])["hash"]
    assert result.summary() == (
        f"FAIL checkpoint size 20 (kept-20.txt): entry 20 hashes to {rewritten_hash},"
        f" the checkpoint says {entries[19]['hash']} (history was rewritten)"
    )


# --- Reading checkpoint files and keys ------------------------------------------------------


def test_checkpoints_read_from_the_api_page_a_list_or_a_note() -> None:
    notes = [item["note"] for item in VECTORS["checkpoints"]]
    page = {"items": VECTORS["checkpoints"], "next_cursor": None}
    from_page = verify_audit.checkpoints_from_text(json.dumps(page), source="page.json")
    from_list = verify_audit.checkpoints_from_text(json.dumps(page["items"]), source="list.json")
    from_note = verify_audit.checkpoints_from_text(notes[0], source="note.txt")
    assert [c.note for c in from_page] == [c.note for c in from_list] == notes
    assert [c.listed_size for c in from_page] == [2, 4]
    assert [c.source for c in from_page] == ["page.json item 1", "page.json item 2"]
    assert from_note == [Checkpoint(notes[0], "note.txt")]


@pytest.mark.parametrize(
    "text",
    [
        '{"items": [{"size": 2}]}',
        '{"items": "none"}',
        '[{"note": "x", "size": "2"}]',
        '{"items": [',
    ],
)
def test_a_checkpoint_file_of_another_shape_is_unreadable(text: str) -> None:
    with pytest.raises(verify_audit.UnreadableInput):
        verify_audit.checkpoints_from_text(text, source="odd.json")


@pytest.mark.parametrize(
    "key",
    [
        "no-plus-signs",
        KEY.replace("+", "+0", 1),
        KEY[:-4] + "AAAA",  # another public key under the same name and ID
        KEY.split("+", 1)[0] + "X+" + KEY.split("+", 1)[1],  # another name, the same ID
        KEY.rsplit("+", 1)[0] + "+" + base64.b64encode(b"\x02" + bytes(32)).decode(),
    ],
)
def test_a_malformed_verifier_key_is_refused(key: str) -> None:
    with pytest.raises(verify_audit.UnreadableInput):
        verify_audit.parse_verifier_key(key)


# --- The command line, standalone -----------------------------------------------------------

# Runs the tool with every halopos package (and rfc8785) made unimportable, so an import of
# the project's code anywhere in it fails even though the venv's editable install is on the
# path.
BLOCKED_RUN = """
import importlib.abc, runpy, sys
BLOCKED = {"libs", "services", "gateway", "ops", "doubles", "clients", "tools", "tests", "rfc8785"}
class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"verify_audit.py must not import {name}")
        return None
sys.meta_path.insert(0, Refuse())
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@dataclass(frozen=True)
class Files:
    export: Path
    notes: list[Path]
    page: Path
    key: Path


@pytest.fixture
def vector_files(tmp_path: Path) -> Files:
    export = tmp_path / "export.jsonl"
    export.write_text("".join(f"{line}\n" for line in vector_lines()), encoding="utf-8")
    notes = []
    for item in VECTORS["checkpoints"]:
        note = tmp_path / f"checkpoint-{item['size']}.txt"
        note.write_bytes(item["note"].encode())
        notes.append(note)
    page = tmp_path / "checkpoints.json"
    page.write_text(json.dumps({"items": VECTORS["checkpoints"], "next_cursor": None}))
    key = tmp_path / "tenant.vkey"
    key.write_text(VECTORS["checkpoint_key"]["verifier_key"] + "\n")
    return Files(export, notes, page, key)


def run_tool(
    *arguments: str | Path, cwd: Path = REPO_ROOT, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own tool, fixed arguments
        [sys.executable, *map(str, arguments)],
        cwd=cwd,
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def expected_vector_summary() -> str:
    head = VECTORS["chain"][-1]["hash"]
    return f"OK: 4 entries, chain head {head}, 2 checkpoints verified (largest size 4)\n"


def test_the_tool_runs_as_a_script(vector_files: Files) -> None:
    key = VECTORS["checkpoint_key"]["verifier_key"]
    completed = run_tool(
        TOOL, vector_files.export, "--key", key, *(f"--checkpoint={n}" for n in vector_files.notes)
    )
    assert (completed.returncode, completed.stdout) == (0, expected_vector_summary())


def test_the_tool_runs_isolated_outside_the_repo(vector_files: Files) -> None:
    completed = run_tool(
        "-I",
        TOOL,
        vector_files.export,
        "--key-file",
        vector_files.key,
        "--checkpoint",
        vector_files.page,
        cwd=OUTSIDE_THE_REPO,
    )
    assert (completed.returncode, completed.stdout) == (0, expected_vector_summary())


def test_the_tool_needs_nothing_from_the_project(vector_files: Files) -> None:
    completed = run_tool(
        "-I",
        "-c",
        BLOCKED_RUN,
        TOOL,
        "-",
        "--key-file",
        vector_files.key,
        "--checkpoint",
        vector_files.page,
        cwd=OUTSIDE_THE_REPO,
        stdin=vector_files.export.read_bytes(),
    )
    assert (completed.returncode, completed.stdout) == (0, expected_vector_summary())
    assert completed.stderr == ""


def test_the_tool_imports_only_the_standard_library_and_cryptography() -> None:
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    outside = {
        name
        for name in imported
        if name.split(".")[0] not in sys.stdlib_module_names
        and name.split(".")[0] != "cryptography"
    }
    assert outside == set()


def test_the_tool_exits_1_with_one_line_naming_the_break(tmp_path: Path) -> None:
    entries = generated_chain()
    export = tmp_path / "export.jsonl"
    export.write_text("".join(f"{line}\n" for line in payload_value_changed(entries)))
    completed = run_tool("-I", TOOL, export, cwd=OUTSIDE_THE_REPO)
    assert completed.returncode == 1
    assert completed.stdout.count("\n") == 1
    assert completed.stdout.startswith("FAIL entry seq 17: hash does not recompute (expected ")


def test_the_tool_exits_1_for_a_cut_tail(tmp_path: Path) -> None:
    entries = generated_chain()
    export = tmp_path / "export.jsonl"
    export.write_text("".join(f"{line}\n" for line in to_lines(entries[:37])))
    note = tmp_path / "kept.txt"
    note.write_bytes(checkpoint_for(entries, 40).encode())
    completed = run_tool(TOOL, export, "--key", KEY, "--checkpoint", note)
    assert completed.returncode == 1
    assert completed.stdout == (
        f"FAIL checkpoint size 40 ({note}): the export has only 37 entries (its tail was cut off)\n"
    )


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["missing.jsonl"], id="export-missing"),
        pytest.param(["{export}", "--checkpoint", "{note}"], id="checkpoint-without-key"),
        pytest.param(["{export}", "--key", "name+00000000+AA=="], id="malformed-key"),
        pytest.param(["{export}", "--key-file", "missing.vkey"], id="key-file-missing"),
        pytest.param(
            ["{export}", "--key", KEY, "--checkpoint", "missing.txt"], id="checkpoint-missing"
        ),
        pytest.param(["{export}", "--key", KEY, "--checkpoint", "{bad}"], id="checkpoint-bad-json"),
        pytest.param(["{export}", "--key", KEY, "--key-file", "{note}"], id="two-keys"),
        pytest.param([], id="no-export"),
    ],
)
def test_the_tool_exits_2_when_it_cannot_read_its_input(
    arguments: list[str], vector_files: Files, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"items": [')
    names = {"export": vector_files.export, "note": vector_files.notes[0], "bad": bad}
    completed = run_tool(TOOL, *(argument.format(**names) for argument in arguments), cwd=tmp_path)
    assert completed.returncode == 2, completed.stdout
    assert completed.stdout == ""
    assert completed.stderr.strip()

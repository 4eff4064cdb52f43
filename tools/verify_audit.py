"""Check a halopos tenant's audit export yourself, trusting nothing of ours but the key.

    python tools/verify_audit.py EXPORT.jsonl --key VKEY [--checkpoint FILE ...]
    python tools/verify_audit.py - --key-file tenant.vkey --checkpoint kept.json < export.jsonl

EXPORT is what `GET /v1/audit/export` returned (JSON Lines; `-` reads standard input). VKEY is
the tenant's verifier key from `GET /v1/audit/public-key`, `<name>+<key id hex>+<base64 key>`,
given inline (`--key`) or in a file (`--key-file`); it is required with any checkpoint. Each
`--checkpoint FILE` is a checkpoint you kept earlier: one signed note as text, the JSON that
`GET /v1/audit/checkpoints` returned, or a JSON list of its items.

The checks are those of docs/audit-chain.md ("Verifying"), in its order, stopping at the first
failure:

1. every line is a JSON object with every chained field, `prev_hash` and `hash`, of the
   specified JSON types, and a payload holding only integers within +/-(2^53 - 1);
2. the chain is valid: seq 1, 2, ... n without a gap, one tenant, each `prev_hash` the previous
   entry's `hash` (32 zero bytes for seq 1), each `hash` recomputed from the entry. Steps 1
   and 2 run entry by entry, so the first entry that fails either is the one reported;
3. every checkpoint is signed by the verifier key, its origin is the key's name and ends in
   the export's tenant id, and its size and hash lines are well formed;
4. every checkpoint covers the export: the export has at least `size` entries (otherwise its
   tail was cut off) and entry `size` has the checkpoint's hash (otherwise history was
   rewritten).

Exit status 0 prints `OK: N entries, chain head <hex>, K checkpoints verified (largest size S)`;
1 prints one line `FAIL <where>: <why>`, naming the entry's seq or the checkpoint's size; 2
means an input could not be read or the command line is wrong (the reason goes to stderr).

A valid chain alone does not prove the export is complete: a log whose newest entries were
deleted is still a valid chain. Only a checkpoint you kept from earlier catches that, and a
history rewritten with recomputed hashes. Keep the checkpoints.

On purpose this file depends on nothing but the Python standard library (3.11+) and
`cryptography`: it is a second, independent implementation of the specification (its own
RFC 8785 canonicaliser, its own signed-note parser), short enough to read in one sitting and
check against docs/audit-chain.md instead of trusting halopos' code. Tests use `canonical`,
`entry_hash`, `parse_verifier_key`, `checkpoints_from_text` and `verify`.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS_HASH = bytes(32)
# Integers beyond this do not survive JSON implementations that read numbers as doubles.
MAX_SAFE_INTEGER = 2**53 - 1

CHAINED_FIELDS = (
    "tenant_id",
    "seq",
    "id",
    "occurred_at",
    "service",
    "actor_type",
    "actor_id",
    "action",
    "resource_type",
    "resource_id",
    "request_id",
    "payload",
)
TEXT_FIELDS = (
    "tenant_id",
    "id",
    "occurred_at",
    "service",
    "actor_type",
    "actor_id",
    "action",
    "resource_type",
    "resource_id",
)

ED25519_SIGNATURE_TYPE = b"\x01"
SIGNATURE_PREFIX = "\u2014 "  # an em dash and a space open each signature line
# C2SP asks verifiers to bound the signatures they read, and to accept at least 16.
MAX_SIGNATURES = 100

_HEX_HASH = re.compile(r"[0-9a-f]{64}")
_DECIMAL_SIZE = re.compile(r"0|[1-9][0-9]{0,18}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_CHARACTER = re.compile("[\x00-\x09\x0b-\x1f]")  # every one below U+0020 but newline


class NotCanonical(ValueError):
    """A value outside what the chain hashes: a number that is not an integer within
    +/-(2^53 - 1), text that is not Unicode, or something that is not JSON at all."""


class UnreadableInput(Exception):
    """An input that cannot be read or is not what its option says (exit status 2)."""


# --- RFC 8785 (JCS) -------------------------------------------------------------------------

# ECMAScript's JSON.stringify: the short escapes where they exist, \u00xx (lower-case) for the
# other characters below U+0020, and every other character as itself.
_STRING_ESCAPES = {code: f"\\u{code:04x}" for code in range(0x20)} | {
    ord('"'): '\\"',
    ord("\\"): "\\\\",
    ord("\b"): "\\b",
    ord("\f"): "\\f",
    ord("\n"): "\\n",
    ord("\r"): "\\r",
    ord("\t"): "\\t",
}


def canonical(value: object) -> bytes:
    """The RFC 8785 canonical form of a JSON value, UTF-8. Numbers must be integers within
    +/-(2^53 - 1): that is all the chain allows, and for those JCS is plain decimal."""
    parts: list[str] = []
    _write(value, "", parts)
    return "".join(parts).encode("utf-8")


def _write(value: object, path: str, parts: list[str]) -> None:
    if value is None:
        parts.append("null")
    elif isinstance(value, bool):  # before int: bool is a subclass of int
        parts.append("true" if value else "false")
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonical(f"{path or 'value'}: {value} is beyond +/-(2^53 - 1)")
        parts.append(str(int(value)))
    elif isinstance(value, float):
        raise NotCanonical(f"{path or 'value'}: {value!r} is not an integer (floats are refused)")
    elif isinstance(value, str):
        parts.append(_string(value, path))
    elif isinstance(value, Mapping):
        if not all(isinstance(name, str) for name in value):
            raise NotCanonical(f"{path or 'value'}: object member names must be strings")
        parts.append("{")
        for index, name in enumerate(sorted(value, key=_utf16_code_units)):
            if index:
                parts.append(",")
            parts.append(_string(name, path))
            parts.append(":")
            _write(value[name], f"{path}.{name}" if path else name, parts)
        parts.append("}")
    elif isinstance(value, list | tuple):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _write(item, f"{path}[{index}]", parts)
        parts.append("]")
    else:
        raise NotCanonical(f"{path or 'value'}: {type(value).__name__} is not JSON")


def _string(text: str, path: str) -> str:
    if _LONE_SURROGATE.search(text):
        raise NotCanonical(f"{path or 'value'}: {text!r} holds a lone surrogate (not Unicode)")
    return '"' + text.translate(_STRING_ESCAPES) + '"'


def _utf16_code_units(name: str) -> bytes:
    # Big-endian UTF-16 bytes compare exactly as the code units do: "\U0001f600" (D83D DE00)
    # sorts before "\ue000", unlike a comparison of code points.
    return name.encode("utf-16-be", "surrogatepass")


def entry_hash(prev_hash: bytes, entry: Mapping[str, Any]) -> bytes:
    """SHA-256(prev_hash || JCS(the twelve chained fields)), as the specification defines."""
    document = {name: entry[name] for name in CHAINED_FIELDS}
    return hashlib.sha256(prev_hash + canonical(document)).digest()


# --- Keys and signed notes ------------------------------------------------------------------


@dataclass(frozen=True)
class VerifierKey:
    """A C2SP note verifier key: the key name (the tenant's log origin), its 4-byte key ID and
    the Ed25519 public key."""

    name: str
    key_id: bytes
    public_key: Ed25519PublicKey

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"


def parse_verifier_key(text: str) -> VerifierKey:
    """`<name>+<key id, 8 hex digits>+<base64(0x01 || 32-byte Ed25519 public key)>`."""
    parts = text.strip().split("+", 2)  # names hold no "+", base64 may
    if len(parts) != 3:
        raise UnreadableInput("the verifier key is not <name>+<key id>+<base64 key>")
    name, key_id_hex, encoded = parts
    if not _is_key_name(name):
        raise UnreadableInput(f"the verifier key's name {name!r} is empty or holds a space")
    if not re.fullmatch(r"[0-9a-f]{8}", key_id_hex):
        raise UnreadableInput(f"the verifier key's ID {key_id_hex!r} is not 8 hex digits")
    try:
        material = base64.b64decode(encoded, validate=True)
    except binascii.Error as error:
        raise UnreadableInput(f"the verifier key's key is not base64 ({error})") from error
    if len(material) != 33 or material[:1] != ED25519_SIGNATURE_TYPE:
        raise UnreadableInput("the verifier key is not an Ed25519 key (0x01 and 32 bytes)")
    key_id = _key_id(name, material)
    if key_id.hex() != key_id_hex:
        raise UnreadableInput(
            f"the verifier key's ID is {key_id_hex} but its name and key give {key_id.hex()}"
        )
    return VerifierKey(name, key_id, Ed25519PublicKey.from_public_bytes(material[1:]))


def _key_id(name: str, typed_public_key: bytes) -> bytes:
    return hashlib.sha256(name.encode("utf-8") + b"\n" + typed_public_key).digest()[:4]


def _is_key_name(name: str) -> bool:
    return bool(name) and "+" not in name and not any(c.isspace() for c in name)


@dataclass(frozen=True)
class Checkpoint:
    """A checkpoint as the reviewer holds it. `listed_size` and `listed_hash` are the unsigned
    copies that `GET /v1/audit/checkpoints` lists beside each note; when present they must
    agree with what the note signs."""

    note: str
    source: str = "checkpoint"
    listed_size: int | None = None
    listed_hash: str | None = None


def load_checkpoints(path: Path) -> list[Checkpoint]:
    try:
        # Bytes, not text mode: a signature covers the exact characters, newlines included.
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableInput(f"cannot read checkpoint file {path}: {error}") from error
    return checkpoints_from_text(text, source=str(path))


def checkpoints_from_text(text: str, *, source: str) -> list[Checkpoint]:
    """One signed note, or the JSON of `GET /v1/audit/checkpoints` (`{"items": [...]}`), or a
    JSON list of its items (`{"size", "hash", "signed_at", "note"}`)."""
    if text.lstrip()[:1] not in ("{", "["):
        return [Checkpoint(note=text, source=source)]
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnreadableInput(f"{source} is not valid JSON: {error}") from error
    items = document.get("items") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise UnreadableInput(f"{source} is neither a checkpoint list nor {{'items': [...]}}")
    checkpoints = []
    for number, item in enumerate(items, start=1):
        where = f"{source} item {number}"
        if not isinstance(item, dict) or not isinstance(item.get("note"), str):
            raise UnreadableInput(f"{where} is not a checkpoint: it has no 'note' text")
        size, head_hash = item.get("size"), item.get("hash")
        if size is not None and (isinstance(size, bool) or not isinstance(size, int)):
            raise UnreadableInput(f"{where}: 'size' is not an integer")
        if head_hash is not None and not isinstance(head_hash, str):
            raise UnreadableInput(f"{where}: 'hash' is not a string")
        checkpoints.append(Checkpoint(item["note"], where, size, head_hash))
    return checkpoints


@dataclass(frozen=True)
class _SignedNote:
    text: str
    signatures: tuple[tuple[str, bytes], ...]  # (key name, key ID || signature)


class _MalformedNote(ValueError):
    pass


def _parse_note(note: str) -> _SignedNote:
    """Split a C2SP signed note: text ending in a newline, a blank line, signature lines."""
    if _CONTROL_CHARACTER.search(note):
        raise _MalformedNote("it holds a control character other than newline")
    if not note.endswith("\n"):
        raise _MalformedNote("it does not end with a newline")
    # The text may hold blank lines itself; the last blank line separates the signatures.
    split = note.rfind("\n\n")
    if split < 0:
        raise _MalformedNote("it has no blank line before its signatures")
    text, signature_lines = note[: split + 1], note[split + 2 :].split("\n")[:-1]
    if not signature_lines:
        raise _MalformedNote("it has no signature lines")
    if len(signature_lines) > MAX_SIGNATURES:
        raise _MalformedNote(f"it has more than {MAX_SIGNATURES} signatures")
    signatures = []
    for line in signature_lines:
        name, space, encoded = line.removeprefix(SIGNATURE_PREFIX).partition(" ")
        if not line.startswith(SIGNATURE_PREFIX) or not space or not _is_key_name(name):
            raise _MalformedNote(f"{line!r} is not '\u2014 <key name> <base64 signature>'")
        try:
            signature = base64.b64decode(encoded, validate=True)
        except binascii.Error as error:
            raise _MalformedNote(f"the signature of {name} is not base64 ({error})") from error
        if len(signature) < 5:
            raise _MalformedNote(f"the signature of {name} is too short to hold a key ID")
        signatures.append((name, signature))
    return _SignedNote(text, tuple(signatures))


def _claimed_size(note: str) -> int | None:
    """The size a note's text states, before anything is verified: only so that the chain
    walk knows which entries' hashes to keep for step 4."""
    try:
        lines = _parse_note(note).text.split("\n")
    except _MalformedNote:
        return None
    if len(lines) > 1 and _DECIMAL_SIZE.fullmatch(lines[1]):
        return int(lines[1])
    return None


# --- Verification -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failure:
    """The first failed check. `seq` is the failing entry's position in the export (which is
    also its line number); `checkpoint_size` the failing checkpoint's size, when known."""

    where: str
    reason: str
    seq: int | None = None
    checkpoint_size: int | None = None

    def __str__(self) -> str:
        return f"FAIL {self.where}: {self.reason}"


@dataclass(frozen=True)
class Result:
    """What `verify` found. On failure, `entries` and `head` describe the chain up to the
    last entry that verified."""

    entries: int
    head: bytes
    tenant_id: str | None
    checkpoints_verified: int
    largest_checkpoint: int | None
    failure: Failure | None

    @property
    def ok(self) -> bool:
        return self.failure is None

    def summary(self) -> str:
        if self.failure is not None:
            return str(self.failure)
        if self.largest_checkpoint is None:
            held = "0 checkpoints verified (without one a cut-off tail goes unnoticed)"
        else:
            held = (
                f"{self.checkpoints_verified} checkpoint"
                f"{'' if self.checkpoints_verified == 1 else 's'} verified"
                f" (largest size {self.largest_checkpoint})"
            )
        return f"OK: {self.entries} entries, chain head {self.head.hex()}, {held}"


@dataclass
class _ChainWalk:
    """Steps 1 and 2, one line at a time: an export can be far larger than memory needs to
    be, so only the hashes that checkpoints will ask about are kept."""

    sizes_to_keep: set[int]
    entries: int = 0
    head: bytes = GENESIS_HASH
    tenant_id: str | None = None
    hashes_at: dict[int, bytes] = field(default_factory=lambda: {0: GENESIS_HASH})

    def add(self, line: bytes | str) -> Failure | None:
        seq = self.entries + 1
        try:
            entry = _parse_line(line)
        except ValueError as error:
            return Failure(f"line {seq} (entry seq {seq})", str(error), seq=seq)
        try:
            canonical_entry = _checked_canonical_entry(entry)
        except _BadEntry as error:
            return Failure(f"entry seq {seq}", str(error), seq=seq)
        problem = self._chain_problem(seq, entry, canonical_entry)
        if problem is not None:
            return Failure(f"entry seq {seq}", problem, seq=seq)
        self.entries, self.head = seq, bytes.fromhex(entry["hash"])
        self.tenant_id = entry["tenant_id"]
        if seq in self.sizes_to_keep:
            self.hashes_at[seq] = self.head
        return None

    def _chain_problem(self, seq: int, entry: dict[str, Any], canonical_entry: bytes) -> str | None:
        if entry["seq"] != seq:
            why = (
                "an entry is missing"
                if entry["seq"] > seq
                else "an entry is repeated or out of order"
            )
            return f"seq is {entry['seq']}, expected {seq} ({why})"
        if self.tenant_id is not None and entry["tenant_id"] != self.tenant_id:
            return f"tenant_id is {entry['tenant_id']}, the export's is {self.tenant_id}"
        if entry["prev_hash"] != self.head.hex():
            previous = "the genesis value" if seq == 1 else f"entry {seq - 1}'s hash"
            return (
                f"prev_hash is {entry['prev_hash']}, but {previous} is {self.head.hex()}"
                " (the chain does not link)"
            )
        recomputed = hashlib.sha256(self.head + canonical_entry).hexdigest()
        if recomputed != entry["hash"]:
            return f"hash does not recompute (expected {recomputed}, found {entry['hash']})"
        return None


def _parse_line(line: bytes | str) -> dict[str, Any]:
    try:
        text = line.decode("utf-8") if isinstance(line, bytes) else line
    except UnicodeDecodeError as error:
        raise ValueError(f"not UTF-8 ({error})") from error
    if not text.strip():
        raise ValueError("a blank line where an entry should be")
    try:
        document = json.loads(text, object_pairs_hook=_refuse_duplicates, parse_constant=_refuse)
    except RecursionError as error:
        raise ValueError("not valid JSON (nested too deeply)") from error
    except ValueError as error:
        raise ValueError(f"not valid JSON ({error})") from error
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def _refuse_duplicates(members: list[tuple[str, Any]]) -> dict[str, Any]:
    # Two readers could disagree on which value counts; RFC 8785 (I-JSON) forbids it.
    document = dict(members)
    if len(document) != len(members):
        names = [name for name, _ in members]
        repeated = next(name for name in names if names.count(name) > 1)
        raise ValueError(f"member {repeated!r} appears twice")
    return document


def _refuse(constant: str) -> Any:
    raise ValueError(f"{constant} is not a JSON number")


class _BadEntry(ValueError):
    pass


def _checked_canonical_entry(entry: dict[str, Any]) -> bytes:
    """Step 1: every field present, of the JSON type the specification's table gives, and
    canonicalisable; returns the canonical form that step 2 hashes."""
    missing = [name for name in (*CHAINED_FIELDS, "prev_hash", "hash") if name not in entry]
    if missing:
        raise _BadEntry(f"lacks {', '.join(missing)}")
    wrong = [name for name in TEXT_FIELDS if not isinstance(entry[name], str)]
    if isinstance(entry["seq"], bool) or not isinstance(entry["seq"], int):
        wrong.append("seq")
    if entry["request_id"] is not None and not isinstance(entry["request_id"], str):
        wrong.append("request_id")
    if not isinstance(entry["payload"], dict):
        wrong.append("payload")
    if wrong:
        raise _BadEntry(f"{', '.join(wrong)} not of the specified JSON type")
    for name in ("prev_hash", "hash"):
        if not isinstance(entry[name], str) or not _HEX_HASH.fullmatch(entry[name]):
            raise _BadEntry(f"{name} is not 64 lower-case hex digits")
    try:
        return canonical({name: entry[name] for name in CHAINED_FIELDS})
    except NotCanonical as error:
        raise _BadEntry(f"a bad entry: {error}") from error
    except RecursionError as error:
        raise _BadEntry("a bad entry: its payload is nested too deeply") from error


def verify(
    lines: Iterable[bytes | str],
    key: VerifierKey | None,
    checkpoints: Sequence[Checkpoint] = (),
) -> Result:
    """Run the four checks over an export's lines and the checkpoints held for it."""
    if checkpoints and key is None:
        raise ValueError("checkpoints cannot be verified without the verifier key")
    walk = _ChainWalk({size for c in checkpoints if (size := _claimed_size(c.note)) is not None})

    def result(failure: Failure | None, verified: Sequence[int] = ()) -> Result:
        largest = max(verified, default=None)
        return Result(walk.entries, walk.head, walk.tenant_id, len(verified), largest, failure)

    for line in lines:
        failure = walk.add(line)
        if failure is not None:
            return result(failure)

    signed: list[tuple[Checkpoint, int, bytes]] = []
    for checkpoint in checkpoints:
        assert key is not None
        outcome = _signed_checkpoint(checkpoint, key, walk.tenant_id)
        if isinstance(outcome, Failure):
            return result(outcome)
        signed.append((checkpoint, *outcome))

    for checkpoint, size, head_hash in signed:
        failure = _coverage_failure(checkpoint, size, head_hash, walk)
        if failure is not None:
            return result(failure)
    return result(None, [size for _, size, _ in signed])


def _signed_checkpoint(
    checkpoint: Checkpoint, key: VerifierKey, tenant_id: str | None
) -> Failure | tuple[int, bytes]:
    """Step 3: the (size, hash) a checkpoint signs, or why it cannot be trusted."""
    size = _claimed_size(checkpoint.note)
    where = f"checkpoint size {size} ({checkpoint.source})" if size is not None else ""

    def failed(reason: str) -> Failure:
        return Failure(where or f"checkpoint in {checkpoint.source}", reason, checkpoint_size=size)

    try:
        note = _parse_note(checkpoint.note)
    except _MalformedNote as error:
        return failed(f"not a signed note: {error}")
    # C2SP: ignore signatures by unknown keys (name and key ID both must match); every known
    # one must verify, and at least one must exist. Only then is the text worth reading.
    known = [s[4:] for name, s in note.signatures if name == key.name and s[:4] == key.key_id]
    if not known:
        signers = ", ".join(f"{name}+{s[:4].hex()}" for name, s in note.signatures)
        return failed(f"no signature by the verifier key {key} (signed by {signers})")
    for signature in known:
        try:
            key.public_key.verify(signature, note.text.encode("utf-8"))
        except InvalidSignature:
            return failed("signature does not verify")

    lines = note.text.split("\n")[:-1]
    if len(lines) != 3:
        return failed(f"its text has {len(lines)} lines, a checkpoint's has 3 (no extensions)")
    origin, size_line, hash_line = lines
    if origin != key.name:
        return failed(f"its origin is {origin!r}, but the verifier key is named {key.name!r}")
    if tenant_id is not None and not origin.endswith(f"/{tenant_id}"):
        return failed(f"its origin {origin!r} is not this export's tenant ({tenant_id})")
    if not _DECIMAL_SIZE.fullmatch(size_line):
        return failed(f"its size {size_line!r} is not a decimal without leading zeros")
    try:
        head_hash = base64.b64decode(hash_line, validate=True)
    except binascii.Error:
        head_hash = b""
    if len(head_hash) != 32 or base64.b64encode(head_hash).decode("ascii") != hash_line:
        return failed(f"its hash line {hash_line!r} is not the padded base64 of 32 bytes")
    if checkpoint.listed_size is not None and checkpoint.listed_size != int(size_line):
        return failed(f"it is listed as size {checkpoint.listed_size}, its note signs another")
    if checkpoint.listed_hash is not None and checkpoint.listed_hash != head_hash.hex():
        return failed(f"it is listed with hash {checkpoint.listed_hash}, its note signs another")
    return int(size_line), head_hash


def _coverage_failure(
    checkpoint: Checkpoint, size: int, head_hash: bytes, walk: _ChainWalk
) -> Failure | None:
    """Step 4: the export must reach `size`, and entry `size` must have the signed hash."""
    where = f"checkpoint size {size} ({checkpoint.source})"
    if size > walk.entries:
        reason = f"the export has only {walk.entries} entries (its tail was cut off)"
        return Failure(where, reason, checkpoint_size=size)
    actual = walk.hashes_at[size]
    if actual == head_hash:
        return None
    if size == 0:
        reason = f"an empty log's hash is the genesis value, the checkpoint says {head_hash.hex()}"
    else:
        reason = (
            f"entry {size} hashes to {actual.hex()}, the checkpoint says {head_hash.hex()}"
            " (history was rewritten)"
        )
    return Failure(where, reason, checkpoint_size=size)


# --- Command line -----------------------------------------------------------------------------


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="verify_audit.py",
        description="Verify a halopos audit export (docs/audit-chain.md) independently.",
    )
    parser.add_argument("export", help="the JSON Lines export, or - for standard input")
    keys = parser.add_mutually_exclusive_group()
    keys.add_argument(
        "--key", metavar="VKEY", help="the verifier key, <name>+<key id>+<base64 key>"
    )
    keys.add_argument(
        "--key-file", type=Path, metavar="FILE", help="a file holding the verifier key"
    )
    parser.add_argument(
        "--checkpoint",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="a checkpoint kept earlier: a signed note, or the checkpoints API's JSON",
    )
    arguments = parser.parse_args(argv)
    if arguments.checkpoint and arguments.key is None and arguments.key_file is None:
        parser.error("--checkpoint needs the verifier key (--key or --key-file)")
    return arguments


def _verifier_key(arguments: argparse.Namespace) -> VerifierKey | None:
    if arguments.key is not None:
        return parse_verifier_key(arguments.key)
    if arguments.key_file is None:
        return None
    try:
        return parse_verifier_key(arguments.key_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableInput(f"cannot read key file {arguments.key_file}: {error}") from error


def _export_lines(name: str) -> Iterator[bytes]:
    if name == "-":
        yield from sys.stdin.buffer
        return
    with open(name, "rb") as export:
        yield from export


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    try:
        key = _verifier_key(arguments)
        checkpoints = [c for path in arguments.checkpoint for c in load_checkpoints(path)]
        result = verify(_export_lines(arguments.export), key, checkpoints)
    except UnreadableInput as error:
        print(f"verify_audit: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"verify_audit: cannot read the export: {error}", file=sys.stderr)
        return 2
    print(result.summary())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())

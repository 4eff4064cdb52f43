"""Known answers for the audit chain (docs/audit-chain-vectors.json): the service's code and
the standalone verifier must both reproduce every canonical form, hash and checkpoint, and
the verifier's own RFC 8785 canonicaliser must agree with the `rfc8785` package."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from libs.audit import chain
from libs.audit.checkpoints import CheckpointSigner
from tests.support import REPO_ROOT
from tools import verify_audit

VECTORS_PATH = REPO_ROOT / "docs" / "audit-chain-vectors.json"
VECTORS: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
CHAIN: list[dict[str, Any]] = VECTORS["chain"]
KEY: dict[str, str] = VECTORS["checkpoint_key"]


def export_lines() -> list[str]:
    return [
        json.dumps(
            {**link["entry"], "prev_hash": link["prev_hash"], "hash": link["hash"]},
            ensure_ascii=False,
            separators=(",", ":"),
        )
        for link in CHAIN
    ]


def test_the_vectors_start_from_the_genesis_value() -> None:
    assert VECTORS["genesis_hash"] == bytes(32).hex() == CHAIN[0]["prev_hash"]
    assert chain.GENESIS_HASH == verify_audit.GENESIS_HASH == bytes(32)
    assert chain.CHAINED_FIELDS == verify_audit.CHAINED_FIELDS


@pytest.mark.parametrize("link", CHAIN, ids=lambda link: f"seq-{link['entry']['seq']}")
def test_the_service_reproduces_each_entry(link: dict[str, Any]) -> None:
    assert chain.canonical_entry(link["entry"]).decode("utf-8") == link["canonical_entry"]
    digest = chain.entry_hash(bytes.fromhex(link["prev_hash"]), link["entry"])
    assert digest.hex() == link["hash"]


@pytest.mark.parametrize("link", CHAIN, ids=lambda link: f"seq-{link['entry']['seq']}")
def test_the_verifier_reproduces_each_entry(link: dict[str, Any]) -> None:
    assert verify_audit.canonical(link["entry"]).decode("utf-8") == link["canonical_entry"]
    digest = verify_audit.entry_hash(bytes.fromhex(link["prev_hash"]), link["entry"])
    assert digest.hex() == link["hash"]


def test_the_chain_links() -> None:
    for previous, link in pairwise(CHAIN):
        assert link["prev_hash"] == previous["hash"]


def test_the_vector_checkpoints_verify_with_the_tool() -> None:
    key = verify_audit.parse_verifier_key(KEY["verifier_key"])
    checkpoints = [
        verify_audit.Checkpoint(item["note"], f"vector {item['size']}", item["size"], item["hash"])
        for item in VECTORS["checkpoints"]
    ]
    result = verify_audit.verify(export_lines(), key, checkpoints)
    assert result.failure is None
    assert (result.entries, result.head.hex()) == (len(CHAIN), CHAIN[-1]["hash"])
    assert (result.checkpoints_verified, result.largest_checkpoint) == (2, len(CHAIN))
    for item in VECTORS["checkpoints"]:
        assert item["hash"] == CHAIN[item["size"] - 1]["hash"]


def test_the_service_signer_reproduces_the_vector_notes() -> None:
    # Ed25519 signatures are deterministic (RFC 8032), so the notes are known answers too.
    signer = CheckpointSigner.from_seed(bytes.fromhex(KEY["ed25519_seed"]))
    assert signer.public_key.hex() == KEY["public_key"]
    assert signer.key_id(KEY["key_name"]).hex() == KEY["key_id"]
    assert signer.verifier_key(KEY["key_name"]) == KEY["verifier_key"]
    for item in VECTORS["checkpoints"]:
        note = signer.sign(KEY["key_name"], item["size"], bytes.fromhex(item["hash"]))
        assert note == item["note"]


def test_the_verifier_key_parses_to_the_vector_key() -> None:
    key = verify_audit.parse_verifier_key(KEY["verifier_key"])
    assert (key.name, key.key_id.hex()) == (KEY["key_name"], KEY["key_id"])


# --- The canonicaliser against rfc8785 -------------------------------------------------------

SAFE_INTEGERS = st.integers(-verify_audit.MAX_SAFE_INTEGER, verify_audit.MAX_SAFE_INTEGER)
# Characters canonicalisation gets wrong: escapes, other controls, DEL, line separators,
# the private use area next to surrogate pairs, and characters outside the BMP.
AWKWARD_CHARACTERS = st.sampled_from(
    '"\\\b\f\n\r\t\x00\x1f\x7f\u2028\ue000\uffff\U0001f600\U00010000\U0010ffffé東'
)
CHARACTERS = st.one_of(st.characters(codec="utf-8"), AWKWARD_CHARACTERS)
TEXT = st.text(CHARACTERS, max_size=12)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | SAFE_INTEGERS | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, JSON_VALUES, max_size=6))
def test_the_canonicaliser_agrees_with_rfc8785(document: dict[str, Any]) -> None:
    produced = verify_audit.canonical(document)
    assert produced == rfc8785.dumps(document)
    assert json.loads(produced) == document


def test_members_sort_by_utf16_code_units_not_code_points() -> None:
    produced = verify_audit.canonical({"\ue000": 1, "\U0001f600": 2, "a": 3, "B": 4})
    assert produced == '{"B":4,"a":3,"\U0001f600":2,"\ue000":1}'.encode()


def test_strings_escape_as_json_stringify_does() -> None:
    produced = verify_audit.canonical(['"\\\b\f\n\r\t\x00\x1f\x7f\u2028é'])
    assert produced == '["\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\u2028é"]'.encode()


@pytest.mark.parametrize(
    "value",
    [
        {"amount": 12.5},
        {"amount": 1.0},
        {"limits": [2**53]},
        {"limits": [-(2**53)]},
        {"nested": {"lone": "\ud800"}},
        {"\udc00": 1},
        {"set": {1, 2}},
        {1: "a key that is not a string"},
    ],
)
def test_the_canonicaliser_refuses_what_the_chain_cannot_hash(value: object) -> None:
    with pytest.raises(verify_audit.NotCanonical):
        verify_audit.canonical(value)


def test_booleans_are_not_integers() -> None:
    assert verify_audit.canonical([True, False, 1, 0]) == b"[true,false,1,0]"

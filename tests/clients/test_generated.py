"""The committed spec and clients are what the services and the pinned generators make now
(tools/clients.py; `make clients` rewrites them). A generator warning fails too: it means a
piece of the API (an operation, a response) is missing from the client it made."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tools import clients

pytestmark = pytest.mark.process  # runs the generators, no database


def test_the_committed_spec_is_what_the_services_serve() -> None:
    committed = clients.SPEC.read_text(encoding="utf-8")
    assert committed == clients.spec_text(clients.served_document()), (
        "clients/openapi.json is stale: run `make clients` and commit the result"
    )


def test_the_python_client_is_generated_from_the_spec_without_a_warning() -> None:
    with tempfile.TemporaryDirectory(prefix="halopos-clients-") as scratch:
        generated = clients.generate_python_client(clients.SPEC, Path(scratch))
        stale = clients.differences(
            clients.files_of(generated), clients.files_of(clients.PYTHON_CLIENT)
        )
    assert stale == [], "run `make clients` and commit the result:\n" + "\n".join(stale)


def test_the_typescript_types_are_generated_from_the_spec_and_type_check() -> None:
    with tempfile.TemporaryDirectory(prefix="halopos-clients-") as scratch:
        types = clients.generate_typescript_types(clients.SPEC, Path(scratch) / "schema.d.ts")
        generated = types.read_bytes()
    assert generated == clients.TYPESCRIPT_TYPES.read_bytes(), (
        "web/api/schema.d.ts is stale: run `make clients` and commit the result"
    )
    clients.typecheck_web()


def test_the_backoffice_shows_pages_by_the_matrix_the_api_enforces() -> None:
    """The backoffice's navigation reads the roles' permissions from a file generated from
    libs/rbac, never from a second matrix written by hand."""
    assert clients.BACKOFFICE_RBAC.read_text(encoding="utf-8") == clients.rbac_typescript(), (
        "web/backoffice/src/generated/rbac.ts is stale: run `make clients` and commit the result"
    )


def test_a_warning_fails_the_generation(tmp_path: Path) -> None:
    """The guard itself: a download whose media type the generator does not know is left out
    of the client with a warning, and that warning fails."""
    spec = tmp_path / "openapi.json"
    spec.write_text(
        clients.spec_text(
            {
                "openapi": "3.1.0",
                "info": {"title": "t", "version": "1"},
                "paths": {
                    "/v1/archive": {
                        "get": {
                            "operationId": "archive.download",
                            "responses": {"200": {"description": "x", "content": {"a/b": {}}}},
                        }
                    }
                },
            }
        )
    )
    with pytest.raises(clients.GeneratorComplained, match="Unsupported content_type a/b"):
        clients.generate_python_client(spec, tmp_path)

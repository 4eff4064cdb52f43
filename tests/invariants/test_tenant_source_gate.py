"""The release gate the EU security page promises: no code in the request path sources a
tenant from request input, and no repository filters by tenant by hand (row-level security
does, from the verified session). Read from the syntax tree, so formatting cannot hide it.

Two kinds of request carry no session and name their tenant in what they present, verified
before it is trusted: sign-in credentials (`credential_transaction`,
libs/auth/opaque_credentials.py) and Stripe's webhook, whose body is signed by Stripe and names
the tenant our own checkout session wrote into it (`event_transaction`,
services/billing/events.py `named_tenant`)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO_ROOT

REQUEST_PATH = ("gateway", "services", "libs")
REQUEST_INPUTS = {"Query", "Path", "Header", "Body", "Form", "Cookie", "File"}
REQUEST_ATTRIBUTES = {"headers", "query_params", "path_params", "cookies"}
# set_config('app.tenant_id', <value>, <is_local>): only is_local = true is allowed.
SET_TENANT = re.compile(r"set_config\('app\.tenant_id',\s*[^,()]+,\s*(\w+)\s*\)")


def python_files() -> Iterator[Path]:
    for top in REQUEST_PATH:
        yield from sorted((REPO_ROOT / top).rglob("*.py"))


def mentions_tenant(node: ast.AST) -> bool:
    return any(
        "tenant"
        in (
            getattr(n, "id", None)
            or getattr(n, "attr", None)
            or getattr(n, "arg", None)
            or (n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else "")
        ).lower()
        for n in ast.walk(node)
    )


def findings(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(REPO_ROOT).as_posix()
    for node in ast.walk(tree):
        # A route parameter named like a tenant, or declared from request input.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            arguments = node.args.args + node.args.kwonlyargs
            for argument in arguments:
                annotation = ast.unparse(argument.annotation) if argument.annotation else ""
                from_request = any(f"{name}(" in annotation for name in REQUEST_INPUTS)
                if "tenant" in argument.arg.lower() and from_request:
                    yield f"{where}:{node.lineno} {node.name}({argument.arg}) from request input"
        # FastAPI's request inputs called with something tenant-like.
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in REQUEST_INPUTS and mentions_tenant(node):
                yield f"{where}:{node.lineno} {ast.unparse(node)}"
        # request.headers["x-tenant"], request.query_params.get("tenant_id"), ...
        if isinstance(node, ast.Subscript | ast.Call):
            target = node.value if isinstance(node, ast.Subscript) else node.func
            text = ast.unparse(target)
            if any(f".{attr}" in text for attr in REQUEST_ATTRIBUTES) and mentions_tenant(node):
                yield f"{where}:{node.lineno} {ast.unparse(node)}"
        # A hand-written tenant filter (`orders.c.tenant_id == ...`): RLS filters, from the
        # verified session; repositories never name the tenant.
        if isinstance(node, ast.Compare) and any(
            isinstance(side, ast.Attribute) and side.attr == "tenant_id"
            for side in [node.left, *node.comparators]
        ):
            yield f"{where}:{node.lineno} {ast.unparse(node)}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.lower().split())
            if re.search(r"\b(where|and|or)\s+tenant_id\s*=", sql):
                yield f"{where}:{node.lineno} SQL filters by tenant_id by hand"
            for scope in SET_TENANT.findall(sql):
                if scope != "true":
                    yield f"{where}:{node.lineno} tenant setting that is not transaction-local"


@pytest.mark.parametrize(
    "path", list(python_files()), ids=lambda p: p.relative_to(REPO_ROOT).as_posix()
)
def test_no_tenant_from_request_input(path: Path) -> None:
    assert list(findings(path)) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("async def f(tenant_id: Annotated[str, Query()]): ...", "from request input"),
        ("async def f(t = Header(alias='X-Tenant-Id')): ...", "Header"),
        ("def f(request): return request.headers['x-tenant']", "request.headers"),
        ("def f(request): return request.query_params.get('tenant_id')", "query_params"),
        ("q = select(orders).where(orders.c.tenant_id == tenant)", "tenant_id"),
        ("SQL = 'SELECT * FROM orders.orders WHERE tenant_id = $1'", "by hand"),
        ("SQL = \"SELECT set_config('app.tenant_id', $1, false)\"", "transaction-local"),
    ],
)
def test_the_gate_catches_what_it_is_for(source: str, expected: str, tmp_path: Path) -> None:
    """The gate itself must be able to fail."""
    sample = REPO_ROOT / "services" / "_gate_sample.py"
    sample.write_text(source)
    try:
        found = list(findings(sample))
    finally:
        sample.unlink()
    assert any(expected in finding for finding in found), found

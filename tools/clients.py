"""The official clients, made from the spec the gateway serves (clients/README.md).

    python -m tools.clients write   # `make clients`: the spec, the Python client, the TS types
    python -m tools.clients check   # what CI checks: regenerated, nothing differs, no warning

`write` takes the merged OpenAPI document from the services in-process (nothing is served or
connected to), writes it to clients/openapi.json, and generates from that file alone: the
Python client (openapi-python-client, into clients/halopos_client/) and the web apps' types
(openapi-typescript, into web/api/schema.d.ts). `check` generates both again from the
committed spec into a temporary folder and compares them with the committed ones byte for
byte; tests/clients/test_generated.py does the same in `make test`.

Both generators run into a fresh temporary folder, never in place: the output then depends on
the spec and the pinned generators alone, not on what the folder held before or which
configuration files lie above it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "clients" / "openapi.json"
GENERATOR_CONFIG = ROOT / "clients" / "openapi-python-client.yaml"
PACKAGE_NAME = "halopos_client"
PYTHON_CLIENT = ROOT / "clients" / PACKAGE_NAME
WEB = ROOT / "web"
TYPESCRIPT_TYPES = WEB / "api" / "schema.d.ts"
# The roles' permissions for the backoffice's navigation, from libs/rbac (the one matrix).
BACKOFFICE_RBAC = WEB / "backoffice" / "src" / "generated" / "rbac.ts"
# The generators' own bin folders: the virtualenv's (openapi-python-client, and the ruff its
# post-hooks call) and web/node_modules' (openapi-typescript, tsc).
PYTHON_BIN = Path(sys.executable).parent
NODE_BIN = WEB / "node_modules" / ".bin"


class GeneratorComplained(Exception):
    """A generator failed or warned: a warning means part of the API is missing from the
    client (an operation or a response it could not express), so it fails like an error."""


def served_document() -> dict[str, Any]:
    """The merged document the gateway serves, built in-process from the services' apps."""
    from tests.fuzz.stack import merged_openapi_document

    return merged_openapi_document()


def spec_text(document: Mapping[str, Any]) -> str:
    """The committed form: two-space indents, keys in the order the gateway serves them (the
    order the generated code follows), non-ASCII text as it is, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _run(command: list[str], *, cwd: Path, bin_folder: Path) -> str:
    environment = {
        **os.environ,
        "PATH": f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}",
        "NO_COLOR": "1",
        "FORCE_COLOR": "0",
    }
    result = subprocess.run(  # noqa: S603 - our pinned generators, on our own files
        command, cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "warn" in output.lower():
        raise GeneratorComplained(f"{' '.join(command)} (exit {result.returncode}):\n{output}")
    return output


def generate_python_client(spec: Path, folder: Path) -> Path:
    """Generates the Python client from `spec` into `folder`/halopos_client; returns it."""
    output = folder / PACKAGE_NAME
    _run(
        [
            str(PYTHON_BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(spec),
            "--meta",
            "none",
            "--config",
            str(GENERATOR_CONFIG),
            "--output-path",
            str(output),
            "--fail-on-warning",
        ],
        cwd=folder,
        bin_folder=PYTHON_BIN,
    )
    return output


def generate_typescript_types(spec: Path, output: Path) -> Path:
    """Generates the web apps' types from `spec` into the file `output`."""
    if not (NODE_BIN / "openapi-typescript").exists():
        raise GeneratorComplained("web/node_modules is not installed: run `make web`")
    _run(
        [str(NODE_BIN / "openapi-typescript"), str(spec), "--output", str(output)],
        cwd=WEB,
        bin_folder=NODE_BIN,
    )
    return output


def rbac_typescript() -> str:
    """libs/rbac's grants as a TypeScript module: the backoffice shows a role only the pages
    its permissions open, and offers only the roles it may give. Hiding a page or a role is
    a courtesy, not a lock: the gateway and the service refuse them all the same."""
    from libs.rbac.grants import grantable_roles
    from libs.rbac.matrix import GRANTS, Permission, Role

    roles = [role for role in Role if role is not Role.BRIDGE]
    lines = [
        "// Generated from libs/rbac by `make clients` (tools/clients.py); never edit it.",
        "// A test fails while it differs from the matrix the gateway and the services enforce.",
        "",
        "export type Role = " + " | ".join(f'"{role}"' for role in roles) + ";",
        "",
        "export type Permission =",
        *[f'  | "{permission}"' for permission in Permission],
        "  ;",
        "",
        "export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {",
    ]
    for role in roles:
        lines.append(f"  {role}: [")
        lines += [f'    "{permission}",' for permission in sorted(GRANTS[role])]
        lines.append("  ],")
    lines += ["};", ""]
    # The grant rule (libs/rbac/grants.py), so the staff page offers a role only the roles
    # it may give; the staff service refuses the others all the same.
    lines += [
        "/** The roles each role may give, and whose holders it may change. */",
        "export const GRANTABLE: Readonly<Record<Role, readonly Role[]>> = {",
    ]
    for role in roles:
        given = ", ".join(f'"{each}"' for each in grantable_roles(role))
        lines.append(f"  {role}: [{given}],")
    lines += ["};", ""]
    return "\n".join(lines)


def typecheck_web() -> None:
    """`tsc --noEmit` over web/ (the generated types and what uses them)."""
    _run([str(NODE_BIN / "tsc"), "--noEmit", "--pretty", "false"], cwd=WEB, bin_folder=NODE_BIN)


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its relative path (caches left out)."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def differences(expected: Mapping[str, bytes], actual: Mapping[str, bytes]) -> list[str]:
    """What differs between two trees of files, one line per file."""
    lines = [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    lines += [f"not generated: {name}" for name in sorted(actual.keys() - expected.keys())]
    lines += [
        f"differs: {name}"
        for name in sorted(expected.keys() & actual.keys())
        if expected[name] != actual[name]
    ]
    return lines


def write() -> None:
    SPEC.write_text(spec_text(served_document()), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="halopos-clients-") as scratch:
        generated = generate_python_client(SPEC, Path(scratch))
        shutil.rmtree(PYTHON_CLIENT, ignore_errors=True)
        shutil.copytree(generated, PYTHON_CLIENT)
    generate_typescript_types(SPEC, TYPESCRIPT_TYPES)
    BACKOFFICE_RBAC.parent.mkdir(parents=True, exist_ok=True)
    BACKOFFICE_RBAC.write_text(rbac_typescript(), encoding="utf-8")
    typecheck_web()


def check() -> list[str]:
    """What is stale: the spec against the services, each client against its generator."""
    problems = []
    if SPEC.read_text(encoding="utf-8") != spec_text(served_document()):
        problems.append("clients/openapi.json is not what the services serve")
    with tempfile.TemporaryDirectory(prefix="halopos-clients-") as scratch:
        generated = generate_python_client(SPEC, Path(scratch))
        problems += [
            f"clients/{PACKAGE_NAME}: {line}"
            for line in differences(files_of(generated), files_of(PYTHON_CLIENT))
        ]
        types = generate_typescript_types(SPEC, Path(scratch) / "schema.d.ts")
        if types.read_bytes() != TYPESCRIPT_TYPES.read_bytes():
            problems.append("web/api/schema.d.ts differs from what its generator makes")
    if not BACKOFFICE_RBAC.exists() or BACKOFFICE_RBAC.read_text(encoding="utf-8") != (
        rbac_typescript()
    ):
        problems.append("web/backoffice/src/generated/rbac.ts is not libs/rbac's matrix")
    typecheck_web()
    return problems


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:]) or ["write"]
    try:
        if command == ["write"]:
            write()
            return 0
        if command == ["check"]:
            problems = check()
            for problem in problems:
                print(problem, file=sys.stderr)
            if problems:
                print("run `make clients` and commit the result", file=sys.stderr)
            return 1 if problems else 0
    except GeneratorComplained as complaint:
        print(complaint, file=sys.stderr)
        return 1
    print("usage: python -m tools.clients [write | check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""The gateway's till files (gateway/backoffice.py at /pos/): the same strict policy and headers
as the backoffice's, plus what an installable offline app needs: its service worker and web app
manifest from this origin only, the worker asked for again at each load (that is how a till
learns of a new build), the manifest with its own type; and the real build's worker keeps every
file the page loads."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gateway import backoffice
from libs.problems import install_problem_handlers
from tests.support import REPO_ROOT

POS_DIST = REPO_ROOT / "web" / "pos" / "dist"


def app_serving(backoffice_folder: Path | str, pos_folder: Path | str) -> httpx.AsyncClient:
    app = FastAPI()
    install_problem_handlers(app)
    public_url = "http://127.0.0.1:8000"
    backoffice.install(app, folder=str(backoffice_folder), public_url=public_url)
    backoffice.install(
        app,
        folder=str(pos_folder),
        public_url=public_url,
        prefix=backoffice.POS_PREFIX,
        build="make pos",
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "pos"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>till</title>")
    (dist / "sw.js").write_text("self.addEventListener('fetch', () => {})")
    (dist / "manifest.webmanifest").write_text('{"name": "halopos till"}')
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    other = tmp_path / "backoffice"
    other.mkdir()
    (other / "index.html").write_text("<!doctype html><title>backoffice</title>")
    return dist


def directives(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe" not in policy
    return dict(d.split(" ", 1) for d in policy.split("; "))


async def test_the_till_gets_the_policy_with_its_worker_and_manifest_from_this_origin(
    built: Path,
) -> None:
    client = app_serving(built.parent / "backoffice", built)
    for path in ["/pos/", "/pos/sell", "/pos/sw.js", "/pos/manifest.webmanifest"]:
        response = await client.get(path)
        assert response.status_code == 200, path
        policy = directives(response)
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'"
        assert policy["connect-src"] == "'self'"
        assert policy["worker-src"] == "'self'"
        assert policy["manifest-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


async def test_the_worker_is_asked_for_again_and_the_manifest_has_its_type(built: Path) -> None:
    client = app_serving(built.parent / "backoffice", built)
    worker = await client.get("/pos/sw.js")
    assert worker.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert worker.headers["Cache-Control"] == "no-store"
    manifest = await client.get("/pos/manifest.webmanifest")
    assert manifest.headers["Content-Type"].startswith("application/manifest+json")
    page = await client.get("/pos/anything")
    assert page.text == "<!doctype html><title>till</title>"
    assert page.headers["Cache-Control"] == "no-store"
    asset = await client.get("/pos/assets/index-abc123.js")
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    root = await client.get("/pos", follow_redirects=False)
    assert (root.status_code, root.headers["Location"]) == (308, "/pos/")
    # Each app is served from its own folder.
    assert (await client.get("/backoffice/")).text == "<!doctype html><title>backoffice</title>"
    missing = await client.get("/pos/assets/missing.js")
    assert missing.status_code == 404


async def test_an_unbuilt_or_unserved_till_is_a_problem(tmp_path: Path) -> None:
    unbuilt = await app_serving("", tmp_path).get("/pos/")
    assert unbuilt.status_code == 404
    assert "make pos" in unbuilt.json()["detail"]
    unserved = await app_serving("", "").get("/pos/")
    assert unserved.status_code == 404
    assert "not served here" in unserved.json()["detail"]


@pytest.mark.skipif(not (POS_DIST / "sw.js").exists(), reason="build the till first: make pos")
def test_the_built_worker_keeps_every_file_the_page_loads() -> None:
    page = (POS_DIST / "index.html").read_text()
    loaded = {
        path.removeprefix("/pos/") for path in re.findall(r'(?:src|href)="(/pos/[^"]+)"', page)
    }
    worker = (POS_DIST / "sw.js").read_text()
    kept = set(re.findall(r'"([^"]+)"', worker.split("const FILES = ", 1)[1].split(";", 1)[0]))
    assert loaded, page
    assert loaded <= kept, loaded - kept
    assert "./" in kept  # the page itself
    assert all((POS_DIST / file).is_file() for file in kept - {"./"})


# The budget for the till's first load, gzipped.
FIRST_LOAD_BUDGET_BYTES = 250 * 1024


@pytest.mark.skipif(not (POS_DIST / "sw.js").exists(), reason="build the till first: make pos")
def test_the_first_load_fits_the_budget() -> None:
    """What a first visit downloads: the page, what it links (script, style, manifest, icon)
    and the service worker, each gzipped as the build reports them (docs/pos-client.md)."""
    page = (POS_DIST / "index.html").read_text()
    linked = {
        path.removeprefix("/pos/") for path in re.findall(r'(?:src|href)="(/pos/[^"]+)"', page)
    }
    files = ["index.html", "sw.js", *sorted(linked)]
    total = sum(len(gzip.compress((POS_DIST / file).read_bytes(), 9)) for file in files)
    assert total < FIRST_LOAD_BUDGET_BYTES, total

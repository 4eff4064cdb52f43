"""The gateway's backoffice files (gateway/backoffice.py): every answer carries the strict
Content-Security-Policy and the other security headers; nothing outside the built folder is
ever served; a page of the app gets index.html, a missing file a 404 problem."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gateway import backoffice
from libs.problems import install_problem_handlers


def app_serving(folder: Path | str, public_url: str = "http://127.0.0.1:8000") -> httpx.AsyncClient:
    app = FastAPI()
    install_problem_handlers(app)
    backoffice.install(app, folder=str(folder), public_url=public_url)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@pytest.fixture
def built(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>backoffice</title>")
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path / "secret.txt").write_text("not for the web")
    return dist


async def test_every_answer_carries_the_policy_and_the_security_headers(built: Path) -> None:
    client = app_serving(built)
    for path in ["/backoffice/", "/backoffice/reports", "/backoffice/assets/index-abc123.js"]:
        response = await client.get(path)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        directives = dict(d.split(" ", 1) for d in policy.split("; "))
        assert directives["default-src"] == "'none'"
        assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
        assert directives["connect-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["base-uri"] == "'none'"
        assert directives["object-src"] == "'none'"
        assert "unsafe" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain http here


async def test_pages_are_asked_for_again_and_assets_cached_for_good(built: Path) -> None:
    client = app_serving(built)
    page = await client.get("/backoffice/dashboard")
    assert page.text == "<!doctype html><title>backoffice</title>"
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Cache-Control"] == "no-store"
    asset = await client.get("/backoffice/assets/index-abc123.js")
    assert asset.headers["Content-Type"].startswith(("text/javascript", "application/javascript"))
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    root = await client.get("/backoffice", follow_redirects=False)
    assert root.status_code == 308
    assert root.headers["Location"] == "/backoffice/"


async def test_nothing_outside_the_folder_and_no_missing_file_is_served(built: Path) -> None:
    client = app_serving(built)
    for path in [
        "/backoffice/../secret.txt",
        "/backoffice/%2e%2e/secret.txt",
        "/backoffice/assets/..%2f..%2fsecret.txt",
        "/backoffice/assets/missing.js",
    ]:
        response = await client.get(path)
        assert "not for the web" not in response.text, path
        if response.status_code != 200:
            assert response.status_code == 404, path
            assert response.headers["Content-Type"] == "application/problem+json"


async def test_over_https_browsers_are_told_to_stay_on_https(built: Path) -> None:
    response = await app_serving(built, "https://pos.example").get("/backoffice/")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


async def test_an_unbuilt_or_unset_backoffice_is_a_404_problem(tmp_path: Path) -> None:
    unbuilt = await app_serving(tmp_path).get("/backoffice/")
    assert unbuilt.status_code == 404
    assert "make backoffice" in unbuilt.json()["detail"]
    unset = await app_serving("").get("/backoffice/")
    assert unset.status_code == 404
    assert unset.json()["code"] == "not-found"

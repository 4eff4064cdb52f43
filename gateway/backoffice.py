"""The web apps' built files, served with the headers that keep their pages safe: the backoffice
at /backoffice/ and the till at /pos/.

Each app (web/backoffice/, web/pos/) is a client of the public API like any other: the gateway
only hands out its static files (the folder its build writes, named by HALOPOS_BACKOFFICE_DIR
and HALOPOS_POS_DIR; `make run` builds both and passes them on). Every answer carries a strict
Content-Security-Policy: scripts and styles from this origin only (no inline script, no eval),
requests to this origin only, never framed; the till's service worker and web app manifest from
this origin only (`worker-src`, `manifest-src`). A script that got into a page anyway could not
send what it found anywhere else (docs/backoffice.md, docs/pos-client.md).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from fastapi import FastAPI, Response
from fastapi.responses import RedirectResponse

from libs.problems import NotFound

PREFIX = "/backoffice"
POS_PREFIX = "/pos"

# Python's table may not know a web app manifest's type; browsers want this one.
mimetypes.add_type("application/manifest+json", ".webmanifest")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        "worker-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ]
)

# What every answer of either app carries besides the policy: no sniffing a script out of a file,
# no referrer leaving the page (a report's URL names a period and a location), no framing by
# browsers that predate frame-ancestors, no window shared with another site's, no file of ours
# embedded by another site, and no device the pages have no use for.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}
# Over HTTPS, browsers are told to come back over HTTPS only (a year), as RFC 6797 allows.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

# Vite names each built asset after its content, so a file under assets/ never changes: cached
# for a year. The page itself is asked for again each time, so a new build is seen at once; so is
# the till's service worker (sw.js), which is how a till learns of a new build.
IMMUTABLE = "public, max-age=31536000, immutable"
NO_STORE = "no-store"


def security_headers(public_url: str) -> dict[str, str]:
    headers = dict(SECURITY_HEADERS)
    if public_url.startswith("https://"):
        headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return headers


def file_under(folder: Path, relative: str) -> Path | None:
    """The file `relative` names inside `folder`, or None: nothing outside it is ever served
    (a `..`, an absolute path or a link out of the folder resolves elsewhere and is refused)."""
    if not relative or relative.endswith("/"):
        return None
    candidate = (folder / relative).resolve()
    if not candidate.is_relative_to(folder) or not candidate.is_file():
        return None
    return candidate


def install(
    app: FastAPI,
    *,
    folder: str,
    public_url: str,
    prefix: str = PREFIX,
    build: str = "make backoffice",
) -> None:
    """Adds one app's routes to the gateway (at `prefix`: the backoffice's by default, the
    till's with POS_PREFIX), before its catch-all forwarding route.

    An empty `folder` serves nothing (404), as in a deployment that hosts the app elsewhere. A
    path that names no file is a page of the app (it routes in the browser), so it gets
    index.html. `build` names the command that builds it, for the problem when it is not."""
    root = Path(folder).resolve() if folder else None
    headers = security_headers(public_url)
    app_name = prefix.strip("/")

    async def app_root() -> Response:
        return RedirectResponse(f"{prefix}/", status_code=308, headers=headers)

    async def app_file(path: str) -> Response:
        if root is None:
            raise NotFound(f"The {app_name} app is not served here")
        found = file_under(root, path)
        if found is None:
            if "." in path.rsplit("/", 1)[-1]:
                raise NotFound()  # a missing file, not a page of the app
            found = file_under(root, "index.html")
            if found is None:
                raise NotFound(f"The {app_name} app has not been built: run `{build}`")
        media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        cache = IMMUTABLE if path.startswith("assets/") else NO_STORE
        return Response(
            found.read_bytes(),
            media_type=media_type,
            headers={**headers, "Cache-Control": cache},
        )

    app.add_api_route(prefix, app_root, methods=["GET"], include_in_schema=False)
    app.add_api_route(prefix + "/{path:path}", app_file, methods=["GET"], include_in_schema=False)

"""A test's HTTP answers, checked: the status it expects, or the request and the answer in the
failure message."""

from __future__ import annotations

from typing import Any

import httpx


def ok_json(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


def all_pages(
    client: httpx.Client, path: str, auth: httpx.Auth, **params: Any
) -> list[dict[str, Any]]:
    """Every item of a cursor-paged list, read 100 at a time."""
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": 100, **({"cursor": cursor} if cursor else {})}
        page = ok_json(client.get(path, params=query, auth=auth))
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return items

"""A test's HTTP answers, checked: the status it expects, or the request and the answer in the
failure message."""

from __future__ import annotations

from typing import Any

import httpx


def ok_json(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body

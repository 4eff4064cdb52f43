"""`expand[]=…`: an answer with the named ids replaced by the objects they name.

Stripe's paths are dotted (`subscription.latest_invoice`, `items.data.price.product`), with
`data` stepping into every element of a list. Only the answer is expanded: stored objects and
event snapshots keep ids, as on Stripe.
"""

from __future__ import annotations

import copy
from typing import Any

from doubles.fake_stripe.errors import StripeError
from doubles.fake_stripe.objects import JsonObject, list_object
from doubles.fake_stripe.state import Store


def expand(store: Store, answer: JsonObject, paths: list[str]) -> JsonObject:
    expanded = copy.deepcopy(answer)
    for path in paths:
        _expand(store, expanded, path.split("."), path)
    return expanded


def _expand(store: Store, target: JsonObject, steps: list[str], path: str) -> None:
    step, rest = steps[0], steps[1:]
    if step == "data" and target.get("object") == "list":
        for element in target["data"]:
            if rest:
                _expand(store, element, rest, path)
        return
    if step == "line_items" and target.get("object") == "checkout.session":
        # Line items are never part of a session's answer unless asked for.
        line_items = store.checkout_line_items.get(target["id"])
        url = f"/v1/checkout/sessions/{target['id']}/line_items"
        target[step] = copy.deepcopy(line_items) if line_items else list_object([], url)
    elif step not in target:
        raise _cannot_expand(path)
    elif isinstance(target[step], str):
        named = store.objects.get(target[step])
        if named is None:
            raise _cannot_expand(path)
        target[step] = copy.deepcopy(named)
    value: Any = target[step]
    if rest and value is not None:
        if not isinstance(value, dict):
            raise _cannot_expand(path)
        _expand(store, value, rest, path)


def _cannot_expand(path: str) -> StripeError:
    return StripeError(400, f"This property cannot be expanded ({path}).", param="expand")

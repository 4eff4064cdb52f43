"""Listing events as `GET /v1/events` does: newest first, a page at a time."""

from __future__ import annotations

from fnmatch import fnmatchcase

from doubles.fake_stripe.errors import invalid_parameter, no_such
from doubles.fake_stripe.forms import EXPAND, INTEGER, STRING, Hash, Params
from doubles.fake_stripe.objects import JsonObject, list_object
from doubles.fake_stripe.state import Store

LIST = Hash(
    {
        "ending_before": STRING,
        "expand": EXPAND,
        "limit": INTEGER,
        "starting_after": STRING,
        "type": STRING,
    }
)
DEFAULT_LIMIT = 10
MAXIMUM_LIMIT = 100


def list_events(store: Store, params: Params) -> JsonObject:
    limit = params.get("limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAXIMUM_LIMIT:
        raise invalid_parameter(
            "limit", f"This value must be between 1 and {MAXIMUM_LIMIT} (inclusive)."
        )
    # `type` takes one event type or a pattern: `customer.subscription.*`.
    pattern = params.get("type", "*")
    newest_first = [
        (position, event)
        for position, event in reversed(list(enumerate(store.events)))
        if fnmatchcase(event["type"], pattern)
    ]
    if "starting_after" in params:
        # Older than the cursor: the next page going back in time.
        after = _position(store, params["starting_after"], "starting_after")
        older = [event for position, event in newest_first if position < after]
        page, has_more = older[:limit], len(older) > limit
    elif "ending_before" in params:
        # Newer than the cursor: the page just before it, still shown newest first.
        before = _position(store, params["ending_before"], "ending_before")
        newer = [event for position, event in newest_first if position > before]
        page, has_more = newer[-limit:], len(newer) > limit
    else:
        everything = [event for _, event in newest_first]
        page, has_more = everything[:limit], len(everything) > limit
    return list_object(page, "/v1/events", has_more=has_more)


def _position(store: Store, event_id: str, param: str) -> int:
    position = store.event_position(event_id)
    if position is None:
        raise no_such("event", event_id, param=param, status=400)
    return position

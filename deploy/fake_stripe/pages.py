"""The hosted pages a customer's browser visits: Checkout (`session.url`) and the Customer
Portal (`portal_session.url`).

There are no card fields at all: "Subscribe" stands for a successful payment, so no card data
ever reaches halopos or the fake (PCI scope stays zero, as with Stripe-hosted pages).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qsl

from doubles.fake_stripe import checkout, portal
from doubles.fake_stripe.calls import Account
from doubles.fake_stripe.customers import looks_like_email
from doubles.fake_stripe.errors import StripeError
from doubles.fake_stripe.objects import JsonObject
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

router = APIRouter()

# Stripe replaces this literal in `success_url` with the session's id.
SESSION_ID_TEMPLATE = "{CHECKOUT_SESSION_ID}"


@router.get("/checkout/{session_id}")
async def checkout_page(session_id: str, account: Account) -> Response:
    session = account.store.require(session_id, "checkout.session")
    line_items = account.store.checkout_line_items[session_id]["data"]
    rows = "".join(
        f"<tr><td>{_text(item['description'])} × {item['quantity']}</td>"
        f"<td>{_money(item['amount_total'], item['currency'])} / month</td></tr>"
        for item in line_items
    )
    if session["status"] != "open":
        action = f"<p>This checkout session is {_text(session['status'])}.</p>"
    else:
        if session["customer"] is None and session["customer_email"] is None:
            # Stripe asks for the email of the customer it is about to create.
            who = '<p><label>Email <input type="email" name="email" required></label></p>'
        elif session["customer_email"] is not None:
            who = f"<p>Subscribing as {_text(session['customer_email'])}</p>"
        else:
            who = ""
        back = (
            f'<p><a href="{_text(session["cancel_url"])}">Back</a></p>'
            if session["cancel_url"]
            else ""
        )
        action = (
            f'<form method="post" action="/checkout/{_text(session_id)}">{who}'
            f'<button type="submit">Subscribe</button></form>{back}'
        )
    total = _money(session["amount_total"], session["currency"])
    return _page(
        "Subscribe",
        f"<table>{rows}</table><p>Total: <strong>{total}</strong> per month</p>{action}"
        "<p><small>Test mode: no card is asked for or charged.</small></p>",
    )


@router.post("/checkout/{session_id}")
async def subscribe(session_id: str, request: Request, account: Account) -> Response:
    session = account.store.require(session_id, "checkout.session")
    form = dict(parse_qsl((await request.body()).decode()))
    email = form.get("email") or None
    if email is not None and not looks_like_email(email):
        raise StripeError(400, f"Invalid email address: {email}")
    checkout.complete_session(account.store, session, email=email)
    account.store.save()
    success_url = session["success_url"].replace(SESSION_ID_TEMPLATE, session_id)
    return RedirectResponse(success_url, status_code=303)


@router.get("/portal/{portal_session_id}")
async def portal_page(portal_session_id: str, account: Account) -> Response:
    portal_session = account.store.require(portal_session_id, "billing_portal.session")
    listed = portal.customer_subscriptions(account.store, portal_session["customer"])
    rows = "".join(_subscription_row(portal_session_id, found) for found in listed)
    back = (
        f'<p><a href="{_text(portal_session["return_url"])}">Return</a></p>'
        if portal_session["return_url"]
        else ""
    )
    return _page(
        "Your plan",
        f"<table>{rows or '<tr><td>No subscriptions.</td></tr>'}</table>{back}",
    )


@router.post("/portal/{portal_session_id}/cancel")
async def cancel_plan(portal_session_id: str, request: Request, account: Account) -> Response:
    portal_session = account.store.require(portal_session_id, "billing_portal.session")
    form = dict(parse_qsl((await request.body()).decode()))
    portal.cancel_from_portal(account.store, portal_session, form.get("subscription"))
    account.store.save()
    return RedirectResponse(
        portal_session["return_url"] or f"/portal/{portal_session_id}", status_code=303
    )


def _subscription_row(portal_session_id: str, subscription: JsonObject) -> str:
    item = subscription["items"]["data"][0]
    price = _money(item["price"]["unit_amount"] * item["quantity"], item["price"]["currency"])
    cancel = ""
    if subscription["status"] in portal.CANCELLABLE:
        cancel = (
            f'<form method="post" action="/portal/{_text(portal_session_id)}/cancel">'
            f'<input type="hidden" name="subscription" value="{_text(subscription["id"])}">'
            '<button type="submit">Cancel plan</button></form>'
        )
    return (
        f"<tr><td>{_text(subscription['id'])}</td><td>{price} / month</td>"
        f"<td>{_text(subscription['status'])}</td><td>{cancel}</td></tr>"
    )


def error_page(error: StripeError) -> Response:
    return _page("Something went wrong", f"<p>{_text(error.message)}</p>", status=error.status)


def _page(title: str, body: str, *, status: int = 200) -> Response:
    return HTMLResponse(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{_text(title)} · halopos (Stripe test mode)</title></head>"
        f"<body><h1>{_text(title)}</h1>{body}</body></html>",
        status_code=status,
    )


def _money(amount: int, currency: str) -> str:
    # Both seeded currencies have cents; Stripe's zero-decimal currencies are not priced here.
    return f"{currency.upper()} {amount / 100:.2f}"


def _text(value: object) -> str:
    return html.escape(str(value))

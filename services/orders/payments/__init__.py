"""Settling an order over HTTP: cash and card payments, resolving a card payment left pending,
and closing the paid order (`/v1/orders/{id}/payments`, `.../close`, tag `payments`).

Closing is here because it is the last step of taking payment: it needs `payments:take`, and
it is refused until the payments equal the total. The close itself, like every change of a
sale, is a command of services/orders/sale/commands.py (`close_order`); nothing here decides
it. The route stays in this router so the published OpenAPI document keeps its tag and order.
"""

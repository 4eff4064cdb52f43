"""Ordering over HTTP: opening an order, reading and listing orders, changing an order and its
lines, voiding lines and orders (`/v1/orders`, tag `orders`), and the `Order` schemas the
other sale routes answer with.

Named for what it holds, not for the service: `services.orders.ordering` read as the service
itself. The commands the routes run are the sale's (services/orders/sale/commands.py, one
write path for online routes and offline sync); paying and closing are `payments/`, refunds
`refunds/`.
"""

"""Reading receipts, of the venues the caller reaches. Receipts are issued by the sale's
commands (services/orders/sale/commands.py: close and refund), numbered per register without
gaps, and never changed afterwards."""

from __future__ import annotations

from uuid import UUID

from libs.api.pagination import cut_page, decode_cursor, encode_cursor
from libs.auth.principal import Principal
from libs.problems import NotFound
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.schemas import Receipt, ReceiptPage


class ReceiptNotFound(NotFound):
    code = "receipt-not-found"
    title = "No such receipt"


async def get_receipt(
    *, receipts: ReceiptRepository, principal: Principal, receipt_id: UUID
) -> Receipt:
    # Another venue's or another business's receipt is "not found", never "forbidden".
    receipt = await receipts.get(receipt_id, venues=principal.venues)
    if receipt is None:
        raise ReceiptNotFound()
    return receipt


async def list_receipts(
    *, receipts: ReceiptRepository, principal: Principal, limit: int, cursor: str | None
) -> ReceiptPage:
    after = decode_cursor(cursor) if cursor else None
    page = await receipts.page(limit=limit + 1, after=after, venues=principal.venues)
    items, next_cursor = cut_page(
        page, limit, lambda receipt: encode_cursor(receipt.issued_at, receipt.id)
    )
    return ReceiptPage(items=items, next_cursor=next_cursor)

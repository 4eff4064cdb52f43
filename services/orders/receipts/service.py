"""Issuing receipts: numbered per register without gaps, and never changed afterwards."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from libs.api.pagination import decode_cursor, encode_cursor
from libs.api.problems import NotFound
from services.orders.receipts.repository import ReceiptRepository
from services.orders.receipts.schemas import Receipt, ReceiptPage
from services.orders.shifts.repository import OpenShift


class ReceiptNotFound(NotFound):
    code = "receipt-not-found"
    title = "No such receipt"


def receipt_number(register_number: int, sequence: int) -> str:
    return f"R{register_number}-{sequence:06d}"


async def issue_receipt(
    receipts: ReceiptRepository,
    *,
    shift: OpenShift,
    kind: str,
    order_id: UUID,
    currency: str,
    total_minor: int,
    snapshot: dict[str, Any],
    issued_by: str,
    refund_id: UUID | None = None,
    original_receipt_id: UUID | None = None,
) -> Receipt:
    """The next receipt of the shift's register, in the caller's transaction."""
    register_number, sequence = await receipts.take_number(shift.register_id)
    number = receipt_number(register_number, sequence)
    return await receipts.insert(
        {
            "id": uuid.uuid4(),
            "register_id": shift.register_id,
            "sequence": sequence,
            "number": number,
            "kind": kind,
            "order_id": order_id,
            "shift_id": shift.id,
            "refund_id": refund_id,
            "original_receipt_id": original_receipt_id,
            "currency": currency,
            "total_minor": total_minor,
            "snapshot": {**snapshot, "receipt_number": number, "kind": kind},
            "issued_by": issued_by,
        }
    )


async def get_receipt(*, receipts: ReceiptRepository, receipt_id: UUID) -> Receipt:
    receipt = await receipts.get(receipt_id)
    if receipt is None:
        raise ReceiptNotFound()
    return receipt


async def list_receipts(
    *, receipts: ReceiptRepository, limit: int, cursor: str | None
) -> ReceiptPage:
    after = decode_cursor(cursor) if cursor else None
    page = await receipts.page(limit=limit + 1, after=after)
    items = page[:limit]
    last = items[-1] if len(page) > limit else None
    return ReceiptPage(
        items=items, next_cursor=encode_cursor(last.issued_at, last.id) if last else None
    )

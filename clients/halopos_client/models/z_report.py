from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.z_report_kind import ZReportKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cash_movement_entry import CashMovementEntry
    from ..models.count_amount import CountAmount
    from ..models.refund_totals import RefundTotals
    from ..models.tax_rate_total import TaxRateTotal
    from ..models.tender_amounts import TenderAmounts
    from ..models.tender_totals import TenderTotals
    from ..models.void_totals import VoidTotals


T = TypeVar("T", bound="ZReport")


@_attrs_define
class ZReport:
    """The report issued at close: the X report plus what was counted, and the difference
    (counted - expected: positive is over, negative is short).

        Attributes:
            shift_id (UUID):
            register_id (UUID):
            register_number (int):
            location_id (UUID):
            status (str):
            currency (None | str):
            opened_by (str):
            opened_at (datetime.datetime):
            as_of (datetime.datetime): When these numbers were read
            opening_float_minor (int):
            order_count (int): Closed (paid) orders taken in this shift
            open_order_count (int): Orders of this shift not yet paid or voided
            covers (int):
            gross_sales_minor (int): Closed orders' line amounts before discounts
            discounts_minor (int):
            service_charges_minor (int):
            tips_minor (int):
            rounding_minor (int): Cash rounding adjustments (AUD: to 5c)
            net_sales_minor (int): gross - discounts + service charges, in the pricing basis: never the tips, nor cash
                rounding (docs/reports.md, glossary)
            tax (list[TaxRateTotal]): Closed orders' tax per rate, highest first
            tax_total_minor (int):
            refunds (RefundTotals):
            voids (VoidTotals):
            payments (TenderTotals):
            declined_card_attempts (int):
            timed_out_card_attempts (int):
            paid_in_minor (int):
            paid_out_minor (int):
            cash_movements (list[CashMovementEntry]):
            expected (TenderAmounts):
            counted (TenderAmounts):
            difference (TenderAmounts):
            closed_by (str):
            closed_at (datetime.datetime):
            force_closed_by (None | str): The manager who approved closing someone else's shift
            note (None | str):
            kind (ZReportKind | Unset):  Default: ZReportKind.Z.
            format_version (int | Unset): 2: `net_sales_minor` is gross - discounts + service charges. A Z report issued
                before (format 1, stored without this field) counted the tips in it and, with prices excluding tax, the tax too;
                it is read as format 2, its net sales worked out again from its own gross, discounts and service charges (stored
                reports are never rewritten) Default: 2.
            unverified_card (CountAmount | Unset):
            card_settlement_confirmed (CountAmount | Unset):
            version (int | Unset): 1 as issued at close; a sale recorded offline that reaches the server after the close is
                added to the shift and the report is issued again as the next version (every version is kept: GET
                /v1/shifts/{id}/z-reports) Default: 1.
    """

    shift_id: UUID
    register_id: UUID
    register_number: int
    location_id: UUID
    status: str
    currency: None | str
    opened_by: str
    opened_at: datetime.datetime
    as_of: datetime.datetime
    opening_float_minor: int
    order_count: int
    open_order_count: int
    covers: int
    gross_sales_minor: int
    discounts_minor: int
    service_charges_minor: int
    tips_minor: int
    rounding_minor: int
    net_sales_minor: int
    tax: list[TaxRateTotal]
    tax_total_minor: int
    refunds: RefundTotals
    voids: VoidTotals
    payments: TenderTotals
    declined_card_attempts: int
    timed_out_card_attempts: int
    paid_in_minor: int
    paid_out_minor: int
    cash_movements: list[CashMovementEntry]
    expected: TenderAmounts
    counted: TenderAmounts
    difference: TenderAmounts
    closed_by: str
    closed_at: datetime.datetime
    force_closed_by: None | str
    note: None | str
    kind: ZReportKind | Unset = ZReportKind.Z
    format_version: int | Unset = 2
    unverified_card: CountAmount | Unset = UNSET
    card_settlement_confirmed: CountAmount | Unset = UNSET
    version: int | Unset = 1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        shift_id = str(self.shift_id)

        register_id = str(self.register_id)

        register_number = self.register_number

        location_id = str(self.location_id)

        status = self.status

        currency: None | str
        currency = self.currency

        opened_by = self.opened_by

        opened_at = self.opened_at.isoformat()

        as_of = self.as_of.isoformat()

        opening_float_minor = self.opening_float_minor

        order_count = self.order_count

        open_order_count = self.open_order_count

        covers = self.covers

        gross_sales_minor = self.gross_sales_minor

        discounts_minor = self.discounts_minor

        service_charges_minor = self.service_charges_minor

        tips_minor = self.tips_minor

        rounding_minor = self.rounding_minor

        net_sales_minor = self.net_sales_minor

        tax = []
        for tax_item_data in self.tax:
            tax_item = tax_item_data.to_dict()
            tax.append(tax_item)

        tax_total_minor = self.tax_total_minor

        refunds = self.refunds.to_dict()

        voids = self.voids.to_dict()

        payments = self.payments.to_dict()

        declined_card_attempts = self.declined_card_attempts

        timed_out_card_attempts = self.timed_out_card_attempts

        paid_in_minor = self.paid_in_minor

        paid_out_minor = self.paid_out_minor

        cash_movements = []
        for cash_movements_item_data in self.cash_movements:
            cash_movements_item = cash_movements_item_data.to_dict()
            cash_movements.append(cash_movements_item)

        expected = self.expected.to_dict()

        counted = self.counted.to_dict()

        difference = self.difference.to_dict()

        closed_by = self.closed_by

        closed_at = self.closed_at.isoformat()

        force_closed_by: None | str
        force_closed_by = self.force_closed_by

        note: None | str
        note = self.note

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        format_version = self.format_version

        unverified_card: dict[str, Any] | Unset = UNSET
        if not isinstance(self.unverified_card, Unset):
            unverified_card = self.unverified_card.to_dict()

        card_settlement_confirmed: dict[str, Any] | Unset = UNSET
        if not isinstance(self.card_settlement_confirmed, Unset):
            card_settlement_confirmed = self.card_settlement_confirmed.to_dict()

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "shift_id": shift_id,
                "register_id": register_id,
                "register_number": register_number,
                "location_id": location_id,
                "status": status,
                "currency": currency,
                "opened_by": opened_by,
                "opened_at": opened_at,
                "as_of": as_of,
                "opening_float_minor": opening_float_minor,
                "order_count": order_count,
                "open_order_count": open_order_count,
                "covers": covers,
                "gross_sales_minor": gross_sales_minor,
                "discounts_minor": discounts_minor,
                "service_charges_minor": service_charges_minor,
                "tips_minor": tips_minor,
                "rounding_minor": rounding_minor,
                "net_sales_minor": net_sales_minor,
                "tax": tax,
                "tax_total_minor": tax_total_minor,
                "refunds": refunds,
                "voids": voids,
                "payments": payments,
                "declined_card_attempts": declined_card_attempts,
                "timed_out_card_attempts": timed_out_card_attempts,
                "paid_in_minor": paid_in_minor,
                "paid_out_minor": paid_out_minor,
                "cash_movements": cash_movements,
                "expected": expected,
                "counted": counted,
                "difference": difference,
                "closed_by": closed_by,
                "closed_at": closed_at,
                "force_closed_by": force_closed_by,
                "note": note,
            }
        )
        if kind is not UNSET:
            field_dict["kind"] = kind
        if format_version is not UNSET:
            field_dict["format_version"] = format_version
        if unverified_card is not UNSET:
            field_dict["unverified_card"] = unverified_card
        if card_settlement_confirmed is not UNSET:
            field_dict["card_settlement_confirmed"] = card_settlement_confirmed
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.cash_movement_entry import CashMovementEntry
        from ..models.count_amount import CountAmount
        from ..models.refund_totals import RefundTotals
        from ..models.tax_rate_total import TaxRateTotal
        from ..models.tender_amounts import TenderAmounts
        from ..models.tender_totals import TenderTotals
        from ..models.void_totals import VoidTotals

        d = dict(src_dict)
        shift_id = UUID(d.pop("shift_id"))

        register_id = UUID(d.pop("register_id"))

        register_number = d.pop("register_number")

        location_id = UUID(d.pop("location_id"))

        status = d.pop("status")

        def _parse_currency(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        currency = _parse_currency(d.pop("currency"))

        opened_by = d.pop("opened_by")

        opened_at = datetime.datetime.fromisoformat(d.pop("opened_at"))

        as_of = datetime.datetime.fromisoformat(d.pop("as_of"))

        opening_float_minor = d.pop("opening_float_minor")

        order_count = d.pop("order_count")

        open_order_count = d.pop("open_order_count")

        covers = d.pop("covers")

        gross_sales_minor = d.pop("gross_sales_minor")

        discounts_minor = d.pop("discounts_minor")

        service_charges_minor = d.pop("service_charges_minor")

        tips_minor = d.pop("tips_minor")

        rounding_minor = d.pop("rounding_minor")

        net_sales_minor = d.pop("net_sales_minor")

        tax = []
        _tax = d.pop("tax")
        for tax_item_data in _tax:
            tax_item = TaxRateTotal.from_dict(tax_item_data)

            tax.append(tax_item)

        tax_total_minor = d.pop("tax_total_minor")

        refunds = RefundTotals.from_dict(d.pop("refunds"))

        voids = VoidTotals.from_dict(d.pop("voids"))

        payments = TenderTotals.from_dict(d.pop("payments"))

        declined_card_attempts = d.pop("declined_card_attempts")

        timed_out_card_attempts = d.pop("timed_out_card_attempts")

        paid_in_minor = d.pop("paid_in_minor")

        paid_out_minor = d.pop("paid_out_minor")

        cash_movements = []
        _cash_movements = d.pop("cash_movements")
        for cash_movements_item_data in _cash_movements:
            cash_movements_item = CashMovementEntry.from_dict(cash_movements_item_data)

            cash_movements.append(cash_movements_item)

        expected = TenderAmounts.from_dict(d.pop("expected"))

        counted = TenderAmounts.from_dict(d.pop("counted"))

        difference = TenderAmounts.from_dict(d.pop("difference"))

        closed_by = d.pop("closed_by")

        closed_at = datetime.datetime.fromisoformat(d.pop("closed_at"))

        def _parse_force_closed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        force_closed_by = _parse_force_closed_by(d.pop("force_closed_by"))

        def _parse_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        note = _parse_note(d.pop("note"))

        _kind = d.pop("kind", UNSET)
        kind: ZReportKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = ZReportKind(_kind)

        format_version = d.pop("format_version", UNSET)

        _unverified_card = d.pop("unverified_card", UNSET)
        unverified_card: CountAmount | Unset
        if isinstance(_unverified_card, Unset):
            unverified_card = UNSET
        else:
            unverified_card = CountAmount.from_dict(_unverified_card)

        _card_settlement_confirmed = d.pop("card_settlement_confirmed", UNSET)
        card_settlement_confirmed: CountAmount | Unset
        if isinstance(_card_settlement_confirmed, Unset):
            card_settlement_confirmed = UNSET
        else:
            card_settlement_confirmed = CountAmount.from_dict(
                _card_settlement_confirmed
            )

        version = d.pop("version", UNSET)

        z_report = cls(
            shift_id=shift_id,
            register_id=register_id,
            register_number=register_number,
            location_id=location_id,
            status=status,
            currency=currency,
            opened_by=opened_by,
            opened_at=opened_at,
            as_of=as_of,
            opening_float_minor=opening_float_minor,
            order_count=order_count,
            open_order_count=open_order_count,
            covers=covers,
            gross_sales_minor=gross_sales_minor,
            discounts_minor=discounts_minor,
            service_charges_minor=service_charges_minor,
            tips_minor=tips_minor,
            rounding_minor=rounding_minor,
            net_sales_minor=net_sales_minor,
            tax=tax,
            tax_total_minor=tax_total_minor,
            refunds=refunds,
            voids=voids,
            payments=payments,
            declined_card_attempts=declined_card_attempts,
            timed_out_card_attempts=timed_out_card_attempts,
            paid_in_minor=paid_in_minor,
            paid_out_minor=paid_out_minor,
            cash_movements=cash_movements,
            expected=expected,
            counted=counted,
            difference=difference,
            closed_by=closed_by,
            closed_at=closed_at,
            force_closed_by=force_closed_by,
            note=note,
            kind=kind,
            format_version=format_version,
            unverified_card=unverified_card,
            card_settlement_confirmed=card_settlement_confirmed,
            version=version,
        )

        z_report.additional_properties = d
        return z_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

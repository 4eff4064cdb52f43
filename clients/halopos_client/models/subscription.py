from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.entitlement_view import EntitlementView
    from ..models.plan import Plan


T = TypeVar("T", bound="Subscription")


@_attrs_define
class Subscription:
    """
    Attributes:
        status (None | str): Stripe's subscription status; null: none yet
        subscription_id (None | str):
        plan (None | Plan):
        current_period_end (datetime.datetime | None):
        cancel_at_period_end (bool):
        billing_account (bool): Whether the Customer Portal can be opened
        entitlement (EntitlementView):
    """

    status: None | str
    subscription_id: None | str
    plan: None | Plan
    current_period_end: datetime.datetime | None
    cancel_at_period_end: bool
    billing_account: bool
    entitlement: EntitlementView
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.plan import Plan

        status: None | str
        status = self.status

        subscription_id: None | str
        subscription_id = self.subscription_id

        plan: dict[str, Any] | None
        if isinstance(self.plan, Plan):
            plan = self.plan.to_dict()
        else:
            plan = self.plan

        current_period_end: None | str
        if isinstance(self.current_period_end, datetime.datetime):
            current_period_end = self.current_period_end.isoformat()
        else:
            current_period_end = self.current_period_end

        cancel_at_period_end = self.cancel_at_period_end

        billing_account = self.billing_account

        entitlement = self.entitlement.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "subscription_id": subscription_id,
                "plan": plan,
                "current_period_end": current_period_end,
                "cancel_at_period_end": cancel_at_period_end,
                "billing_account": billing_account,
                "entitlement": entitlement,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.entitlement_view import EntitlementView
        from ..models.plan import Plan

        d = dict(src_dict)

        def _parse_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        status = _parse_status(d.pop("status"))

        def _parse_subscription_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        subscription_id = _parse_subscription_id(d.pop("subscription_id"))

        def _parse_plan(data: object) -> None | Plan:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                plan_type_0 = Plan.from_dict(data)

                return plan_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Plan, data)

        plan = _parse_plan(d.pop("plan"))

        def _parse_current_period_end(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                current_period_end_type_0 = datetime.datetime.fromisoformat(data)

                return current_period_end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        current_period_end = _parse_current_period_end(d.pop("current_period_end"))

        cancel_at_period_end = d.pop("cancel_at_period_end")

        billing_account = d.pop("billing_account")

        entitlement = EntitlementView.from_dict(d.pop("entitlement"))

        subscription = cls(
            status=status,
            subscription_id=subscription_id,
            plan=plan,
            current_period_end=current_period_end,
            cancel_at_period_end=cancel_at_period_end,
            billing_account=billing_account,
            entitlement=entitlement,
        )

        subscription.additional_properties = d
        return subscription

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

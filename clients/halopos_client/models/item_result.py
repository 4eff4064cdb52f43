from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.item_result_state_type_0 import ItemResultStateType0
from ..models.item_result_status import ItemResultStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.item_result_problem_type_0 import ItemResultProblemType0
    from ..models.item_result_result_type_0 import ItemResultResultType0


T = TypeVar("T", bound="ItemResult")


@_attrs_define
class ItemResult:
    """What came of one uploaded operation.

    - `accepted`: stored for the first time. `state` is `applied` (it is in the books),
      `pending` (it waits for the device's earlier operations: `waiting_for`), or `rejected`
      (stored, and refused by a rule: `problem`), or `waiting` (a refund of a sale another
      till has not uploaded yet: `waiting_for_order`).
    - `duplicate`: this id was uploaded before with the same content; the original outcome.
    - `rejected`: not stored (an id reused with other content, or not an operation at all).
    Drop an operation from the queue on anything but `pending`.

        Attributes:
            id (None | UUID):
            sequence (int | None):
            status (ItemResultStatus):
            state (ItemResultStateType0 | None | Unset):
            result (ItemResultResultType0 | None | Unset):
            problem (ItemResultProblemType0 | None | Unset):
            waiting_for (int | None | Unset): The device's next sequence the server has not received
            waiting_for_order (None | Unset | UUID): `waiting`: a refund of a sale another till has not uploaded yet; it is
                applied when that order arrives (the device's later operations do not wait for it)
            flags (list[str] | Unset):
    """

    id: None | UUID
    sequence: int | None
    status: ItemResultStatus
    state: ItemResultStateType0 | None | Unset = UNSET
    result: ItemResultResultType0 | None | Unset = UNSET
    problem: ItemResultProblemType0 | None | Unset = UNSET
    waiting_for: int | None | Unset = UNSET
    waiting_for_order: None | Unset | UUID = UNSET
    flags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.item_result_problem_type_0 import ItemResultProblemType0
        from ..models.item_result_result_type_0 import ItemResultResultType0

        id: None | str
        if isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        sequence: int | None
        sequence = self.sequence

        status = self.status.value

        state: None | str | Unset
        if isinstance(self.state, Unset):
            state = UNSET
        elif isinstance(self.state, ItemResultStateType0):
            state = self.state.value
        else:
            state = self.state

        result: dict[str, Any] | None | Unset
        if isinstance(self.result, Unset):
            result = UNSET
        elif isinstance(self.result, ItemResultResultType0):
            result = self.result.to_dict()
        else:
            result = self.result

        problem: dict[str, Any] | None | Unset
        if isinstance(self.problem, Unset):
            problem = UNSET
        elif isinstance(self.problem, ItemResultProblemType0):
            problem = self.problem.to_dict()
        else:
            problem = self.problem

        waiting_for: int | None | Unset
        if isinstance(self.waiting_for, Unset):
            waiting_for = UNSET
        else:
            waiting_for = self.waiting_for

        waiting_for_order: None | str | Unset
        if isinstance(self.waiting_for_order, Unset):
            waiting_for_order = UNSET
        elif isinstance(self.waiting_for_order, UUID):
            waiting_for_order = str(self.waiting_for_order)
        else:
            waiting_for_order = self.waiting_for_order

        flags: list[str] | Unset = UNSET
        if not isinstance(self.flags, Unset):
            flags = self.flags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "sequence": sequence,
                "status": status,
            }
        )
        if state is not UNSET:
            field_dict["state"] = state
        if result is not UNSET:
            field_dict["result"] = result
        if problem is not UNSET:
            field_dict["problem"] = problem
        if waiting_for is not UNSET:
            field_dict["waiting_for"] = waiting_for
        if waiting_for_order is not UNSET:
            field_dict["waiting_for_order"] = waiting_for_order
        if flags is not UNSET:
            field_dict["flags"] = flags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.item_result_problem_type_0 import ItemResultProblemType0
        from ..models.item_result_result_type_0 import ItemResultResultType0

        d = dict(src_dict)

        def _parse_id(data: object) -> None | UUID:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UUID, data)

        id = _parse_id(d.pop("id"))

        def _parse_sequence(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        sequence = _parse_sequence(d.pop("sequence"))

        status = ItemResultStatus(d.pop("status"))

        def _parse_state(data: object) -> ItemResultStateType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                state_type_0 = ItemResultStateType0(data)

                return state_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemResultStateType0 | None | Unset, data)

        state = _parse_state(d.pop("state", UNSET))

        def _parse_result(data: object) -> ItemResultResultType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = ItemResultResultType0.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemResultResultType0 | None | Unset, data)

        result = _parse_result(d.pop("result", UNSET))

        def _parse_problem(data: object) -> ItemResultProblemType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                problem_type_0 = ItemResultProblemType0.from_dict(data)

                return problem_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemResultProblemType0 | None | Unset, data)

        problem = _parse_problem(d.pop("problem", UNSET))

        def _parse_waiting_for(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        waiting_for = _parse_waiting_for(d.pop("waiting_for", UNSET))

        def _parse_waiting_for_order(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                waiting_for_order_type_0 = UUID(data)

                return waiting_for_order_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        waiting_for_order = _parse_waiting_for_order(d.pop("waiting_for_order", UNSET))

        flags = cast(list[str], d.pop("flags", UNSET))

        item_result = cls(
            id=id,
            sequence=sequence,
            status=status,
            state=state,
            result=result,
            problem=problem,
            waiting_for=waiting_for,
            waiting_for_order=waiting_for_order,
            flags=flags,
        )

        item_result.additional_properties = d
        return item_result

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

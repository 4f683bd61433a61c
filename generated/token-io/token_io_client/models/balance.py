from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money
    from ..models.typed_balance import TypedBalance


T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """Balances of one account, as reported by the bank.

    Attributes:
        account_id (None | str | Unset): Token.io account id.
        current (Money | None | Unset): Total current balance, available and on hold.
        available (Money | None | Unset): Balance available to the account holder.
        updated_at_ms (int | None | str | Unset): When the bank last updated the balance, in Unix epoch milliseconds: a
            string of
            digits (proto3 JSON's form of an int64) or a JSON integer.
        other_balances (list[TypedBalance] | None | Unset): Further bank-defined balances, when the bank reports any.
    """

    account_id: None | str | Unset = UNSET
    current: Money | None | Unset = UNSET
    available: Money | None | Unset = UNSET
    updated_at_ms: int | None | str | Unset = UNSET
    other_balances: list[TypedBalance] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money

        account_id: None | str | Unset
        if isinstance(self.account_id, Unset):
            account_id = UNSET
        else:
            account_id = self.account_id

        current: dict[str, Any] | None | Unset
        if isinstance(self.current, Unset):
            current = UNSET
        elif isinstance(self.current, Money):
            current = self.current.to_dict()
        else:
            current = self.current

        available: dict[str, Any] | None | Unset
        if isinstance(self.available, Unset):
            available = UNSET
        elif isinstance(self.available, Money):
            available = self.available.to_dict()
        else:
            available = self.available

        updated_at_ms: int | None | str | Unset
        if isinstance(self.updated_at_ms, Unset):
            updated_at_ms = UNSET
        else:
            updated_at_ms = self.updated_at_ms

        other_balances: list[dict[str, Any]] | None | Unset
        if isinstance(self.other_balances, Unset):
            other_balances = UNSET
        elif isinstance(self.other_balances, list):
            other_balances = []
            for other_balances_type_0_item_data in self.other_balances:
                other_balances_type_0_item = other_balances_type_0_item_data.to_dict()
                other_balances.append(other_balances_type_0_item)

        else:
            other_balances = self.other_balances

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if account_id is not UNSET:
            field_dict["accountId"] = account_id
        if current is not UNSET:
            field_dict["current"] = current
        if available is not UNSET:
            field_dict["available"] = available
        if updated_at_ms is not UNSET:
            field_dict["updatedAtMs"] = updated_at_ms
        if other_balances is not UNSET:
            field_dict["otherBalances"] = other_balances

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money
        from ..models.typed_balance import TypedBalance

        d = dict(src_dict)

        def _parse_account_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_id = _parse_account_id(d.pop("accountId", UNSET))

        def _parse_current(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_type_1 = Money.from_dict(data)

                return current_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        current = _parse_current(d.pop("current", UNSET))

        def _parse_available(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                available_type_1 = Money.from_dict(data)

                return available_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        available = _parse_available(d.pop("available", UNSET))

        def _parse_updated_at_ms(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        updated_at_ms = _parse_updated_at_ms(d.pop("updatedAtMs", UNSET))

        def _parse_other_balances(data: object) -> list[TypedBalance] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                other_balances_type_0 = []
                _other_balances_type_0 = data
                for other_balances_type_0_item_data in _other_balances_type_0:
                    other_balances_type_0_item = TypedBalance.from_dict(
                        other_balances_type_0_item_data
                    )

                    other_balances_type_0.append(other_balances_type_0_item)

                return other_balances_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TypedBalance] | None | Unset, data)

        other_balances = _parse_other_balances(d.pop("otherBalances", UNSET))

        balance = cls(
            account_id=account_id,
            current=current,
            available=available,
            updated_at_ms=updated_at_ms,
            other_balances=other_balances,
        )

        balance.additional_properties = d
        return balance

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

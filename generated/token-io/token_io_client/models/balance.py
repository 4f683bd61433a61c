from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

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
        account_id (str): Token.io account id.
        current (Money): An amount of money in one currency.
        available (Money): An amount of money in one currency.
        other_balances (list[TypedBalance] | Unset): Further bank-defined balances, when the bank reports any.
    """

    account_id: str
    current: Money
    available: Money
    other_balances: list[TypedBalance] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        current = self.current.to_dict()

        available = self.available.to_dict()

        other_balances: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.other_balances, Unset):
            other_balances = []
            for other_balances_item_data in self.other_balances:
                other_balances_item = other_balances_item_data.to_dict()
                other_balances.append(other_balances_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accountId": account_id,
                "current": current,
                "available": available,
            }
        )
        if other_balances is not UNSET:
            field_dict["otherBalances"] = other_balances

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money
        from ..models.typed_balance import TypedBalance

        d = dict(src_dict)
        account_id = d.pop("accountId")

        current = Money.from_dict(d.pop("current"))

        available = Money.from_dict(d.pop("available"))

        _other_balances = d.pop("otherBalances", UNSET)
        other_balances: list[TypedBalance] | Unset = UNSET
        if _other_balances is not UNSET:
            other_balances = []
            for other_balances_item_data in _other_balances:
                other_balances_item = TypedBalance.from_dict(other_balances_item_data)

                other_balances.append(other_balances_item)

        balance = cls(
            account_id=account_id,
            current=current,
            available=available,
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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.account_balance import AccountBalance


T = TypeVar("T", bound="AccountBalanceHolder")


@_attrs_define
class AccountBalanceHolder:
    """Wrapper holding the single account's balance record.

    Attributes:
        account_balance (AccountBalance): Balance of one bank account.
    """

    account_balance: AccountBalance
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_balance = self.account_balance.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_balance": account_balance,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_balance import AccountBalance

        d = dict(src_dict)
        account_balance = AccountBalance.from_dict(d.pop("account_balance"))

        account_balance_holder = cls(
            account_balance=account_balance,
        )

        account_balance_holder.additional_properties = d
        return account_balance_holder

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

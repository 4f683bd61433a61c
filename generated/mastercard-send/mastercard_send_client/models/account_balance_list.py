from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account_balance import AccountBalance


T = TypeVar("T", bound="AccountBalanceList")


@_attrs_define
class AccountBalanceList:
    """Response root for the partner-wide look-up. The JSON key is `account-balances` with a
    hyphen (unlike the one-account response's `account_balances`); in XML the root element
    is `<account-balances>` with one `<account_balance>` element per account and no extra
    wrapper element.

        Attributes:
            account_balances (list[AccountBalance] | Unset): One balance record per account held for the partner.
    """

    account_balances: list[AccountBalance] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_balances: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.account_balances, Unset):
            account_balances = []
            for account_balances_item_data in self.account_balances:
                account_balances_item = account_balances_item_data.to_dict()
                account_balances.append(account_balances_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if account_balances is not UNSET:
            field_dict["account-balances"] = account_balances

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_balance import AccountBalance

        d = dict(src_dict)
        _account_balances = d.pop("account-balances", UNSET)
        account_balances: list[AccountBalance] | Unset = UNSET
        if _account_balances is not UNSET:
            account_balances = []
            for account_balances_item_data in _account_balances:
                account_balances_item = AccountBalance.from_dict(
                    account_balances_item_data
                )

                account_balances.append(account_balances_item)

        account_balance_list = cls(
            account_balances=account_balances,
        )

        account_balance_list.additional_properties = d
        return account_balance_list

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

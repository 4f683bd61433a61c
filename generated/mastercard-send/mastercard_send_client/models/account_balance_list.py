from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

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
            account_balances (list[AccountBalance] | None | Unset): One balance record per account held for the partner.
    """

    account_balances: list[AccountBalance] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_balances: list[dict[str, Any]] | None | Unset
        if isinstance(self.account_balances, Unset):
            account_balances = UNSET
        elif isinstance(self.account_balances, list):
            account_balances = []
            for account_balances_type_0_item_data in self.account_balances:
                account_balances_type_0_item = (
                    account_balances_type_0_item_data.to_dict()
                )
                account_balances.append(account_balances_type_0_item)

        else:
            account_balances = self.account_balances

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

        def _parse_account_balances(
            data: object,
        ) -> list[AccountBalance] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                account_balances_type_0 = []
                _account_balances_type_0 = data
                for account_balances_type_0_item_data in _account_balances_type_0:
                    account_balances_type_0_item = AccountBalance.from_dict(
                        account_balances_type_0_item_data
                    )

                    account_balances_type_0.append(account_balances_type_0_item)

                return account_balances_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[AccountBalance] | None | Unset, data)

        account_balances = _parse_account_balances(d.pop("account-balances", UNSET))

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.account_balance_holder import AccountBalanceHolder


T = TypeVar("T", bound="AccountBalanceEnvelope")


@_attrs_define
class AccountBalanceEnvelope:
    """Response root for the one-account look-up.

    Attributes:
        account_balances (AccountBalanceHolder): Wrapper holding the single account's balance record.
    """

    account_balances: AccountBalanceHolder
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_balances = self.account_balances.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "account_balances": account_balances,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account_balance_holder import AccountBalanceHolder

        d = dict(src_dict)
        account_balances = AccountBalanceHolder.from_dict(d.pop("account_balances"))

        account_balance_envelope = cls(
            account_balances=account_balances,
        )

        account_balance_envelope.additional_properties = d
        return account_balance_envelope

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

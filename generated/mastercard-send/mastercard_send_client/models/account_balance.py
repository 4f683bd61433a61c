from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.balance import Balance


T = TypeVar("T", bound="AccountBalance")


@_attrs_define
class AccountBalance:
    """Balance of one bank account.

    Attributes:
        balance (Balance): Amount, currency and credit/debit state of a balance.
        non_card_token (str): Token standing for the bank account.
        account_description (str | Unset): Free-text description of the account.
        balance_timestamp (datetime.datetime | Unset): When the balance was taken (RFC 3339, UTC in the examples).
        created_date (str | Unset): When the account was created, an RFC 3339-like timestamp. Not guaranteed to be a
            valid date-time (the vendor's example has second 80).
    """

    balance: Balance
    non_card_token: str
    account_description: str | Unset = UNSET
    balance_timestamp: datetime.datetime | Unset = UNSET
    created_date: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance.to_dict()

        non_card_token = self.non_card_token

        account_description = self.account_description

        balance_timestamp: str | Unset = UNSET
        if not isinstance(self.balance_timestamp, Unset):
            balance_timestamp = self.balance_timestamp.isoformat()

        created_date = self.created_date

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balance": balance,
                "non_card_token": non_card_token,
            }
        )
        if account_description is not UNSET:
            field_dict["account_description"] = account_description
        if balance_timestamp is not UNSET:
            field_dict["balance_timestamp"] = balance_timestamp
        if created_date is not UNSET:
            field_dict["created_date"] = created_date

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.balance import Balance

        d = dict(src_dict)
        balance = Balance.from_dict(d.pop("balance"))

        non_card_token = d.pop("non_card_token")

        account_description = d.pop("account_description", UNSET)

        _balance_timestamp = d.pop("balance_timestamp", UNSET)
        balance_timestamp: datetime.datetime | Unset
        if isinstance(_balance_timestamp, Unset):
            balance_timestamp = UNSET
        else:
            balance_timestamp = datetime.datetime.fromisoformat(_balance_timestamp)

        created_date = d.pop("created_date", UNSET)

        account_balance = cls(
            balance=balance,
            non_card_token=non_card_token,
            account_description=account_description,
            balance_timestamp=balance_timestamp,
            created_date=created_date,
        )

        account_balance.additional_properties = d
        return account_balance

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

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

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
        account_description (None | str | Unset): Free-text description of the account.
        balance_timestamp (datetime.datetime | None | Unset): When the balance was taken (RFC 3339, UTC in the
            examples).
        created_date (None | str | Unset): When the account was created, an RFC 3339-like timestamp. Not guaranteed to
            be a
            valid date-time (the vendor's example has second 80).
    """

    balance: Balance
    non_card_token: str
    account_description: None | str | Unset = UNSET
    balance_timestamp: datetime.datetime | None | Unset = UNSET
    created_date: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance = self.balance.to_dict()

        non_card_token = self.non_card_token

        account_description: None | str | Unset
        if isinstance(self.account_description, Unset):
            account_description = UNSET
        else:
            account_description = self.account_description

        balance_timestamp: None | str | Unset
        if isinstance(self.balance_timestamp, Unset):
            balance_timestamp = UNSET
        elif isinstance(self.balance_timestamp, datetime.datetime):
            balance_timestamp = self.balance_timestamp.isoformat()
        else:
            balance_timestamp = self.balance_timestamp

        created_date: None | str | Unset
        if isinstance(self.created_date, Unset):
            created_date = UNSET
        else:
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

        def _parse_account_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        account_description = _parse_account_description(
            d.pop("account_description", UNSET)
        )

        def _parse_balance_timestamp(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                balance_timestamp_type_0 = datetime.datetime.fromisoformat(data)

                return balance_timestamp_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        balance_timestamp = _parse_balance_timestamp(d.pop("balance_timestamp", UNSET))

        def _parse_created_date(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        created_date = _parse_created_date(d.pop("created_date", UNSET))

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

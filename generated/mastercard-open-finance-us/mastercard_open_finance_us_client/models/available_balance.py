from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AvailableBalance")


@_attrs_define
class AvailableBalance:
    """Available and cleared balance of one account.

    Attributes:
        id (int): Identifier of the account the balance belongs to.
        available_balance (float): Amount the holder can spend or withdraw now, after pending debits and holds.
            Negative when the account is overdrawn.
        available_balance_date (int): When the available balance was taken, in Unix epoch seconds.
        cleared_balance (float): Amount currently in the account, pending transactions not counted (also called
            posted, current or ledger balance). Negative when the account is overdrawn.
        cleared_balance_date (int): When the cleared balance was taken, in Unix epoch seconds.
        currency (str): ISO 4217 currency code of both amounts, e.g. USD.
        real_account_number_last_4 (None | str | Unset): Last four digits of the real account number at the institution.
            Only sent for
            ACH-enabled accounts.
        aggregation_status_code (int | None | Unset): Result of the last aggregation of the account; 0 means success.
            Missing until
            the account has been aggregated for the first time.
    """

    id: int
    available_balance: float
    available_balance_date: int
    cleared_balance: float
    cleared_balance_date: int
    currency: str
    real_account_number_last_4: None | str | Unset = UNSET
    aggregation_status_code: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        available_balance = self.available_balance

        available_balance_date = self.available_balance_date

        cleared_balance = self.cleared_balance

        cleared_balance_date = self.cleared_balance_date

        currency = self.currency

        real_account_number_last_4: None | str | Unset
        if isinstance(self.real_account_number_last_4, Unset):
            real_account_number_last_4 = UNSET
        else:
            real_account_number_last_4 = self.real_account_number_last_4

        aggregation_status_code: int | None | Unset
        if isinstance(self.aggregation_status_code, Unset):
            aggregation_status_code = UNSET
        else:
            aggregation_status_code = self.aggregation_status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "availableBalance": available_balance,
                "availableBalanceDate": available_balance_date,
                "clearedBalance": cleared_balance,
                "clearedBalanceDate": cleared_balance_date,
                "currency": currency,
            }
        )
        if real_account_number_last_4 is not UNSET:
            field_dict["realAccountNumberLast4"] = real_account_number_last_4
        if aggregation_status_code is not UNSET:
            field_dict["aggregationStatusCode"] = aggregation_status_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        available_balance = d.pop("availableBalance")

        available_balance_date = d.pop("availableBalanceDate")

        cleared_balance = d.pop("clearedBalance")

        cleared_balance_date = d.pop("clearedBalanceDate")

        currency = d.pop("currency")

        def _parse_real_account_number_last_4(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        real_account_number_last_4 = _parse_real_account_number_last_4(
            d.pop("realAccountNumberLast4", UNSET)
        )

        def _parse_aggregation_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        aggregation_status_code = _parse_aggregation_status_code(
            d.pop("aggregationStatusCode", UNSET)
        )

        available_balance = cls(
            id=id,
            available_balance=available_balance,
            available_balance_date=available_balance_date,
            cleared_balance=cleared_balance,
            cleared_balance_date=cleared_balance_date,
            currency=currency,
            real_account_number_last_4=real_account_number_last_4,
            aggregation_status_code=aggregation_status_code,
        )

        available_balance.additional_properties = d
        return available_balance

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

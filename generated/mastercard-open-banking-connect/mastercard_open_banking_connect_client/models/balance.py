from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.credit_debit_indicator import CreditDebitIndicator
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.amount import Amount


T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """One balance of the account.

    Attributes:
        balance_amount (Amount): Unsigned amount and its ISO 4217 currency.
        credit_debit_indicator (CreditDebitIndicator): Sign of the balance: Credit when the amount is zero or positive,
            Debit when the account is overdrawn. Upper-case spellings are sent by the sandbox.
        balance_type (None | str | Unset): Kind of balance as named by the ASPSP (ISO 20022, Berlin Group or UK Open
            Banking vocabulary, or sandbox names such as Available and Current).
        date_time (datetime.datetime | None | Unset): Date and time the ASPSP gives for the balance, with time zone
            offset.
    """

    balance_amount: Amount
    credit_debit_indicator: CreditDebitIndicator
    balance_type: None | str | Unset = UNSET
    date_time: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance_amount = self.balance_amount.to_dict()

        credit_debit_indicator = self.credit_debit_indicator.value

        balance_type: None | str | Unset
        if isinstance(self.balance_type, Unset):
            balance_type = UNSET
        else:
            balance_type = self.balance_type

        date_time: None | str | Unset
        if isinstance(self.date_time, Unset):
            date_time = UNSET
        elif isinstance(self.date_time, datetime.datetime):
            date_time = self.date_time.isoformat()
        else:
            date_time = self.date_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "balanceAmount": balance_amount,
                "creditDebitIndicator": credit_debit_indicator,
            }
        )
        if balance_type is not UNSET:
            field_dict["balanceType"] = balance_type
        if date_time is not UNSET:
            field_dict["dateTime"] = date_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.amount import Amount

        d = dict(src_dict)
        balance_amount = Amount.from_dict(d.pop("balanceAmount"))

        credit_debit_indicator = CreditDebitIndicator(d.pop("creditDebitIndicator"))

        def _parse_balance_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        balance_type = _parse_balance_type(d.pop("balanceType", UNSET))

        def _parse_date_time(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_time_type_0 = datetime.datetime.fromisoformat(data)

                return date_time_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        date_time = _parse_date_time(d.pop("dateTime", UNSET))

        balance = cls(
            balance_amount=balance_amount,
            credit_debit_indicator=credit_debit_indicator,
            balance_type=balance_type,
            date_time=date_time,
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

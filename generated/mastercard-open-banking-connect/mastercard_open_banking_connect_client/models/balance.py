from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

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
        balance_type (str | Unset): Kind of balance as named by the ASPSP (ISO 20022, Berlin Group or UK Open Banking
            vocabulary, or sandbox names such as Available and Current).
        date_time (datetime.datetime | Unset): Date and time the ASPSP gives for the balance, with time zone offset.
    """

    balance_amount: Amount
    credit_debit_indicator: CreditDebitIndicator
    balance_type: str | Unset = UNSET
    date_time: datetime.datetime | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        balance_amount = self.balance_amount.to_dict()

        credit_debit_indicator = self.credit_debit_indicator.value

        balance_type = self.balance_type

        date_time: str | Unset = UNSET
        if not isinstance(self.date_time, Unset):
            date_time = self.date_time.isoformat()

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

        balance_type = d.pop("balanceType", UNSET)

        _date_time = d.pop("dateTime", UNSET)
        date_time: datetime.datetime | Unset
        if isinstance(_date_time, Unset):
            date_time = UNSET
        else:
            date_time = datetime.datetime.fromisoformat(_date_time)

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

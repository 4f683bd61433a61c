from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.balance_state import BalanceState

T = TypeVar("T", bound="Balance")


@_attrs_define
class Balance:
    """Amount, currency and credit/debit state of a balance.

    Attributes:
        amount (str): Unsigned amount as a string of digits in the currency's minor units, decimal point
            implied by the ISO 4217 exponent ("1000" in GBP is 10.00 GBP). The sign is given by
            `state`.
        currency (str): ISO 4217 alphabetic currency code, e.g. GBP.
        state (BalanceState): Whether the account is in credit (`IN_CREDIT`, documented) or overdrawn (`IN_DEBIT`,
            assumed; not shown by the vendor).
    """

    amount: str
    currency: str
    state: BalanceState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount

        currency = self.currency

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
                "currency": currency,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        amount = d.pop("amount")

        currency = d.pop("currency")

        state = BalanceState(d.pop("state"))

        balance = cls(
            amount=amount,
            currency=currency,
            state=state,
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

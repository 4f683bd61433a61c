from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.money import Money


T = TypeVar("T", bound="TypedBalance")


@_attrs_define
class TypedBalance:
    """A balance of a bank-defined type (e.g. closingBooked, Expected).

    Attributes:
        amount (Money): An amount of money in one currency.
        type_ (str | Unset): Bank-defined name of the balance type, free text (Berlin Group, UK Open Banking or
            other naming, depending on the bank).
        updated_at_ms (str | Unset): When the bank last updated this balance, Unix epoch milliseconds (int64 sent as a
            string).
    """

    amount: Money
    type_: str | Unset = UNSET
    updated_at_ms: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        amount = self.amount.to_dict()

        type_ = self.type_

        updated_at_ms = self.updated_at_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "amount": amount,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if updated_at_ms is not UNSET:
            field_dict["updatedAtMs"] = updated_at_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)
        amount = Money.from_dict(d.pop("amount"))

        type_ = d.pop("type", UNSET)

        updated_at_ms = d.pop("updatedAtMs", UNSET)

        typed_balance = cls(
            amount=amount,
            type_=type_,
            updated_at_ms=updated_at_ms,
        )

        typed_balance.additional_properties = d
        return typed_balance

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

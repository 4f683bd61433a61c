from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

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
        amount (Money | None | Unset):
        type_ (None | str | Unset): Bank-defined name of the balance type, free text (Berlin Group, UK Open Banking or
            other naming, depending on the bank).
        updated_at_ms (int | None | str | Unset): When the bank last updated the balance, in Unix epoch milliseconds: a
            string of
            digits (proto3 JSON's form of an int64) or a JSON integer.
    """

    amount: Money | None | Unset = UNSET
    type_: None | str | Unset = UNSET
    updated_at_ms: int | None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.money import Money

        amount: dict[str, Any] | None | Unset
        if isinstance(self.amount, Unset):
            amount = UNSET
        elif isinstance(self.amount, Money):
            amount = self.amount.to_dict()
        else:
            amount = self.amount

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        updated_at_ms: int | None | str | Unset
        if isinstance(self.updated_at_ms, Unset):
            updated_at_ms = UNSET
        else:
            updated_at_ms = self.updated_at_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if amount is not UNSET:
            field_dict["amount"] = amount
        if type_ is not UNSET:
            field_dict["type"] = type_
        if updated_at_ms is not UNSET:
            field_dict["updatedAtMs"] = updated_at_ms

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.money import Money

        d = dict(src_dict)

        def _parse_amount(data: object) -> Money | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                amount_type_1 = Money.from_dict(data)

                return amount_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Money | None | Unset, data)

        amount = _parse_amount(d.pop("amount", UNSET))

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_updated_at_ms(data: object) -> int | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | str | Unset, data)

        updated_at_ms = _parse_updated_at_ms(d.pop("updatedAtMs", UNSET))

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

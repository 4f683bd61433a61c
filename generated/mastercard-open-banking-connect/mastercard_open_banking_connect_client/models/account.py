from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.balance import Balance


T = TypeVar("T", bound="Account")


@_attrs_define
class Account:
    """The account the balances belong to.

    Attributes:
        resource_id (str): Open Banking Connect identifier of the account (the accountId sent).
        name (str | Unset): Account name as shown by the ASPSP (often the owner's name).
        balances (list[Balance] | Unset): Balances reported for the account; may be absent or empty.
    """

    resource_id: str
    name: str | Unset = UNSET
    balances: list[Balance] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource_id = self.resource_id

        name = self.name

        balances: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.balances, Unset):
            balances = []
            for balances_item_data in self.balances:
                balances_item = balances_item_data.to_dict()
                balances.append(balances_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "resourceId": resource_id,
            }
        )
        if name is not UNSET:
            field_dict["name"] = name
        if balances is not UNSET:
            field_dict["balances"] = balances

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.balance import Balance

        d = dict(src_dict)
        resource_id = d.pop("resourceId")

        name = d.pop("name", UNSET)

        _balances = d.pop("balances", UNSET)
        balances: list[Balance] | Unset = UNSET
        if _balances is not UNSET:
            balances = []
            for balances_item_data in _balances:
                balances_item = Balance.from_dict(balances_item_data)

                balances.append(balances_item)

        account = cls(
            resource_id=resource_id,
            name=name,
            balances=balances,
        )

        account.additional_properties = d
        return account

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

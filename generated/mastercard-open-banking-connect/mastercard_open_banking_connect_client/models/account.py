from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

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
        name (None | str | Unset): Account name as shown by the ASPSP (often the owner's name).
        balances (list[Balance] | None | Unset): Balances reported for the account; may be absent, null or empty.
    """

    resource_id: str
    name: None | str | Unset = UNSET
    balances: list[Balance] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        resource_id = self.resource_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        balances: list[dict[str, Any]] | None | Unset
        if isinstance(self.balances, Unset):
            balances = UNSET
        elif isinstance(self.balances, list):
            balances = []
            for balances_type_0_item_data in self.balances:
                balances_type_0_item = balances_type_0_item_data.to_dict()
                balances.append(balances_type_0_item)

        else:
            balances = self.balances

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

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_balances(data: object) -> list[Balance] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                balances_type_0 = []
                _balances_type_0 = data
                for balances_type_0_item_data in _balances_type_0:
                    balances_type_0_item = Balance.from_dict(balances_type_0_item_data)

                    balances_type_0.append(balances_type_0_item)

                return balances_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Balance] | None | Unset, data)

        balances = _parse_balances(d.pop("balances", UNSET))

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

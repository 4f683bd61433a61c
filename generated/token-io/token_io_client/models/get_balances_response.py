from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.get_balance_response import GetBalanceResponse


T = TypeVar("T", bound="GetBalancesResponse")


@_attrs_define
class GetBalancesResponse:
    """Results of a balance request for several accounts.

    Attributes:
        response (list[GetBalanceResponse] | None | Unset): One result per requested account, each with its own status.
    """

    response: list[GetBalanceResponse] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        response: list[dict[str, Any]] | None | Unset
        if isinstance(self.response, Unset):
            response = UNSET
        elif isinstance(self.response, list):
            response = []
            for response_type_0_item_data in self.response:
                response_type_0_item = response_type_0_item_data.to_dict()
                response.append(response_type_0_item)

        else:
            response = self.response

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if response is not UNSET:
            field_dict["response"] = response

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.get_balance_response import GetBalanceResponse

        d = dict(src_dict)

        def _parse_response(data: object) -> list[GetBalanceResponse] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                response_type_0 = []
                _response_type_0 = data
                for response_type_0_item_data in _response_type_0:
                    response_type_0_item = GetBalanceResponse.from_dict(
                        response_type_0_item_data
                    )

                    response_type_0.append(response_type_0_item)

                return response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[GetBalanceResponse] | None | Unset, data)

        response = _parse_response(d.pop("response", UNSET))

        get_balances_response = cls(
            response=response,
        )

        get_balances_response.additional_properties = d
        return get_balances_response

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

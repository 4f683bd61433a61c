from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.request_status import RequestStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.balance import Balance


T = TypeVar("T", bound="GetBalanceResponse")


@_attrs_define
class GetBalanceResponse:
    """Result of a balance request for one account.

    Attributes:
        balance (Balance | None | Unset):
        status (None | RequestStatus | Unset):
    """

    balance: Balance | None | Unset = UNSET
    status: None | RequestStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.balance import Balance

        balance: dict[str, Any] | None | Unset
        if isinstance(self.balance, Unset):
            balance = UNSET
        elif isinstance(self.balance, Balance):
            balance = self.balance.to_dict()
        else:
            balance = self.balance

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, RequestStatus):
            status = self.status.value
        else:
            status = self.status

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if balance is not UNSET:
            field_dict["balance"] = balance
        if status is not UNSET:
            field_dict["status"] = status

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.balance import Balance

        d = dict(src_dict)

        def _parse_balance(data: object) -> Balance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                balance_type_1 = Balance.from_dict(data)

                return balance_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Balance | None | Unset, data)

        balance = _parse_balance(d.pop("balance", UNSET))

        def _parse_status(data: object) -> None | RequestStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_1 = RequestStatus(data)

                return status_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequestStatus | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        get_balance_response = cls(
            balance=balance,
            status=status,
        )

        get_balance_response.additional_properties = d
        return get_balance_response

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

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
        status (RequestStatus): Outcome of the request. `SUCCESSFUL_REQUEST`: the balance is present and usable.
            `INVALID_REQUEST`: the default value, which the platform always replaces when the API is
            invoked; treat it as a failure. `MORE_SIGNATURES_NEEDED`: the bank wants the user to
            consent to this particular retrieval again even though the access token is valid (no
            bank requires this at present, per the vendor).
        balance (Balance | Unset): Balances of one account, as reported by the bank.
    """

    status: RequestStatus
    balance: Balance | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status.value

        balance: dict[str, Any] | Unset = UNSET
        if not isinstance(self.balance, Unset):
            balance = self.balance.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if balance is not UNSET:
            field_dict["balance"] = balance

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.balance import Balance

        d = dict(src_dict)
        status = RequestStatus(d.pop("status"))

        _balance = d.pop("balance", UNSET)
        balance: Balance | Unset
        if isinstance(_balance, Unset):
            balance = UNSET
        else:
            balance = Balance.from_dict(_balance)

        get_balance_response = cls(
            status=status,
            balance=balance,
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

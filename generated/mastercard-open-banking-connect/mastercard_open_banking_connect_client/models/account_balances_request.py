from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.request_info import RequestInfo


T = TypeVar("T", bound="AccountBalancesRequest")


@_attrs_define
class AccountBalancesRequest:
    """Body of a Get Account Balances request.

    Attributes:
        request_info (RequestInfo): Request context sent with every Open Banking Connect AIS call.
        account_id (str): Account to read: the resourceId returned for the account by the Get List of Accounts
            operation.
    """

    request_info: RequestInfo
    account_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_info = self.request_info.to_dict()

        account_id = self.account_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requestInfo": request_info,
                "accountId": account_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.request_info import RequestInfo

        d = dict(src_dict)
        request_info = RequestInfo.from_dict(d.pop("requestInfo"))

        account_id = d.pop("accountId")

        account_balances_request = cls(
            request_info=request_info,
            account_id=account_id,
        )

        account_balances_request.additional_properties = d
        return account_balances_request

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

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.account import Account
    from ..models.original_request_info import OriginalRequestInfo


T = TypeVar("T", bound="AccountBalancesResponse")


@_attrs_define
class AccountBalancesResponse:
    """Body of a successful Get Account Balances response.

    Attributes:
        original_request_info (OriginalRequestInfo): Echo of the request context sent by the TPP.
        account (Account | Unset): The account the balances belong to.
    """

    original_request_info: OriginalRequestInfo
    account: Account | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        original_request_info = self.original_request_info.to_dict()

        account: dict[str, Any] | Unset = UNSET
        if not isinstance(self.account, Unset):
            account = self.account.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "originalRequestInfo": original_request_info,
            }
        )
        if account is not UNSET:
            field_dict["account"] = account

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.account import Account
        from ..models.original_request_info import OriginalRequestInfo

        d = dict(src_dict)
        original_request_info = OriginalRequestInfo.from_dict(
            d.pop("originalRequestInfo")
        )

        _account = d.pop("account", UNSET)
        account: Account | Unset
        if isinstance(_account, Unset):
            account = UNSET
        else:
            account = Account.from_dict(_account)

        account_balances_response = cls(
            original_request_info=original_request_info,
            account=account,
        )

        account_balances_response.additional_properties = d
        return account_balances_response

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

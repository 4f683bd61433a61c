from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

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
        account (Account | None | Unset):
    """

    original_request_info: OriginalRequestInfo
    account: Account | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.account import Account

        original_request_info = self.original_request_info.to_dict()

        account: dict[str, Any] | None | Unset
        if isinstance(self.account, Unset):
            account = UNSET
        elif isinstance(self.account, Account):
            account = self.account.to_dict()
        else:
            account = self.account

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

        def _parse_account(data: object) -> Account | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                account_type_1 = Account.from_dict(data)

                return account_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Account | None | Unset, data)

        account = _parse_account(d.pop("account", UNSET))

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

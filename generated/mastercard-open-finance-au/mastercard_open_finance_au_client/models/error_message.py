from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorMessage")


@_attrs_define
class ErrorMessage:
    """Error body returned by the platform.

    Attributes:
        code (str): Vendor error code, a string of digits such as "14001".
        message (str): Human-readable explanation of the error.
        status (str | Unset): HTTP status, as text.
        title (str | Unset): Short title of the error.
        level (str | Unset): Severity of the error.
        user_message (str | Unset): Message meant for the end user.
        asset_id (str | Unset): Identifier of the asset concerned, when there is one.
        account_id (str | Unset): Identifier of the account concerned, when there is one.
        external_transaction_id (str | Unset): Identifier of the external transaction concerned, when there is one.
        tags (list[str] | Unset): Labels attached to the error.
    """

    code: str
    message: str
    status: str | Unset = UNSET
    title: str | Unset = UNSET
    level: str | Unset = UNSET
    user_message: str | Unset = UNSET
    asset_id: str | Unset = UNSET
    account_id: str | Unset = UNSET
    external_transaction_id: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        status = self.status

        title = self.title

        level = self.level

        user_message = self.user_message

        asset_id = self.asset_id

        account_id = self.account_id

        external_transaction_id = self.external_transaction_id

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if status is not UNSET:
            field_dict["status"] = status
        if title is not UNSET:
            field_dict["title"] = title
        if level is not UNSET:
            field_dict["level"] = level
        if user_message is not UNSET:
            field_dict["user_message"] = user_message
        if asset_id is not UNSET:
            field_dict["assetId"] = asset_id
        if account_id is not UNSET:
            field_dict["accountId"] = account_id
        if external_transaction_id is not UNSET:
            field_dict["externalTransactionId"] = external_transaction_id
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        status = d.pop("status", UNSET)

        title = d.pop("title", UNSET)

        level = d.pop("level", UNSET)

        user_message = d.pop("user_message", UNSET)

        asset_id = d.pop("assetId", UNSET)

        account_id = d.pop("accountId", UNSET)

        external_transaction_id = d.pop("externalTransactionId", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        error_message = cls(
            code=code,
            message=message,
            status=status,
            title=title,
            level=level,
            user_message=user_message,
            asset_id=asset_id,
            account_id=account_id,
            external_transaction_id=external_transaction_id,
            tags=tags,
        )

        error_message.additional_properties = d
        return error_message

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

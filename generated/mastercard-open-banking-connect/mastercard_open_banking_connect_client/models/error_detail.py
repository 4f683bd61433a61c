from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ErrorDetail")


@_attrs_define
class ErrorDetail:
    """One error.

    Attributes:
        reason_code (str): Error code such as FORMAT_ERROR, INVALID_TOKEN or PROVIDER_ERROR; may carry surrounding
            spaces.
        description (str): Human-readable explanation of the error.
        source (str | Unset): Component that raised the error (for example OBC).
        recoverable (bool | Unset): Whether sending the request again may succeed.
        details (None | str | Unset): Extra detail, for validation errors a list such as
            "path[0]=/requestInfo/psuIPAddress" naming the failing elements.
    """

    reason_code: str
    description: str
    source: str | Unset = UNSET
    recoverable: bool | Unset = UNSET
    details: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        reason_code = self.reason_code

        description = self.description

        source = self.source

        recoverable = self.recoverable

        details: None | str | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        else:
            details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ReasonCode": reason_code,
                "Description": description,
            }
        )
        if source is not UNSET:
            field_dict["Source"] = source
        if recoverable is not UNSET:
            field_dict["Recoverable"] = recoverable
        if details is not UNSET:
            field_dict["Details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        reason_code = d.pop("ReasonCode")

        description = d.pop("Description")

        source = d.pop("Source", UNSET)

        recoverable = d.pop("Recoverable", UNSET)

        def _parse_details(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        details = _parse_details(d.pop("Details", UNSET))

        error_detail = cls(
            reason_code=reason_code,
            description=description,
            source=source,
            recoverable=recoverable,
            details=details,
        )

        error_detail.additional_properties = d
        return error_detail

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

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
        source (None | str | Unset): Component that raised the error (for example OBC).
        reason_code (None | str | Unset): Error code such as FORMAT_ERROR, INVALID_TOKEN or PROVIDER_ERROR; may carry
            surrounding spaces.
        description (None | str | Unset): Human-readable explanation of the error, when there is more to say.
        recoverable (bool | None | Unset): Whether sending the request again may succeed.
        error_detail_code (None | str | Unset): Numeric detail code of the error, as a string.
        details (None | str | Unset): Extra detail, for validation errors a list such as
            "path[0]=/requestInfo/psuIPAddress" naming the failing elements.
    """

    source: None | str | Unset = UNSET
    reason_code: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    recoverable: bool | None | Unset = UNSET
    error_detail_code: None | str | Unset = UNSET
    details: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        reason_code: None | str | Unset
        if isinstance(self.reason_code, Unset):
            reason_code = UNSET
        else:
            reason_code = self.reason_code

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        recoverable: bool | None | Unset
        if isinstance(self.recoverable, Unset):
            recoverable = UNSET
        else:
            recoverable = self.recoverable

        error_detail_code: None | str | Unset
        if isinstance(self.error_detail_code, Unset):
            error_detail_code = UNSET
        else:
            error_detail_code = self.error_detail_code

        details: None | str | Unset
        if isinstance(self.details, Unset):
            details = UNSET
        else:
            details = self.details

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if source is not UNSET:
            field_dict["Source"] = source
        if reason_code is not UNSET:
            field_dict["ReasonCode"] = reason_code
        if description is not UNSET:
            field_dict["Description"] = description
        if recoverable is not UNSET:
            field_dict["Recoverable"] = recoverable
        if error_detail_code is not UNSET:
            field_dict["ErrorDetailCode"] = error_detail_code
        if details is not UNSET:
            field_dict["Details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("Source", UNSET))

        def _parse_reason_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason_code = _parse_reason_code(d.pop("ReasonCode", UNSET))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("Description", UNSET))

        def _parse_recoverable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        recoverable = _parse_recoverable(d.pop("Recoverable", UNSET))

        def _parse_error_detail_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_detail_code = _parse_error_detail_code(d.pop("ErrorDetailCode", UNSET))

        def _parse_details(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        details = _parse_details(d.pop("Details", UNSET))

        error_detail = cls(
            source=source,
            reason_code=reason_code,
            description=description,
            recoverable=recoverable,
            error_detail_code=error_detail_code,
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

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
        source (str): Where the error came from (a field name, a service, or the API gateway).
        reason_code (str): Machine-readable error code.
        description (str): Human-readable explanation.
        recoverable (bool): Whether retrying the same request may succeed.
        details (None | str | Unset): Extra detail, often empty or null.
    """

    source: str
    reason_code: str
    description: str
    recoverable: bool
    details: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        reason_code = self.reason_code

        description = self.description

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
                "Source": source,
                "ReasonCode": reason_code,
                "Description": description,
                "Recoverable": recoverable,
            }
        )
        if details is not UNSET:
            field_dict["Details"] = details

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        source = d.pop("Source")

        reason_code = d.pop("ReasonCode")

        description = d.pop("Description")

        recoverable = d.pop("Recoverable")

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

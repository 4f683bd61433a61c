from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="PartnerCredentials")


@_attrs_define
class PartnerCredentials:
    """Partner credentials exchanged for an app token.

    Attributes:
        partner_id (str): Partner id from the developer dashboard.
        partner_secret (str): Partner secret from the developer dashboard.
    """

    partner_id: str
    partner_secret: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        partner_id = self.partner_id

        partner_secret = self.partner_secret

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "partnerId": partner_id,
                "partnerSecret": partner_secret,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        partner_id = d.pop("partnerId")

        partner_secret = d.pop("partnerSecret")

        partner_credentials = cls(
            partner_id=partner_id,
            partner_secret=partner_secret,
        )

        partner_credentials.additional_properties = d
        return partner_credentials

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

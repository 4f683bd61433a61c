from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.merchant import Merchant


T = TypeVar("T", bound="RequestInfo")


@_attrs_define
class RequestInfo:
    """Request context sent with every Open Banking Connect AIS call.

    Attributes:
        x_request_id (str): UUID chosen by the TPP for this call; echoed back in the response.
        consent_id (str): Open Banking Connect's proxy reference to the account information consent held by the ASPSP
            (not the ASPSP's own consent id).
        aspsp_id (str): UUID of the ASPSP (bank) that holds the account.
        is_live_psu_request (bool | Unset): true when the PSU is present and actively triggered this request. When true,
            psuIPAddress must also be sent.
        psu_ip_address (str | Unset): IPv4 or IPv6 address of the PSU's device. Required when isLivePsuRequest is true
            (the API answers FORMAT_ERROR otherwise); send it only for PSU-initiated requests. Not enforced by this schema.
        psu_agent (str | Unset): User-agent of the PSU's browser or app; recommended together with isLivePsuRequest and
            psuIPAddress to avoid rejections by the ASPSP.
        psu_tpp_customer_id (str | Unset): The TPP's own identifier of the PSU, used by Mastercard for billing.
        merchant (Merchant | Unset): Optional merchant the request is made for (reporting and reconciliation).
    """

    x_request_id: str
    consent_id: str
    aspsp_id: str
    is_live_psu_request: bool | Unset = UNSET
    psu_ip_address: str | Unset = UNSET
    psu_agent: str | Unset = UNSET
    psu_tpp_customer_id: str | Unset = UNSET
    merchant: Merchant | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        x_request_id = self.x_request_id

        consent_id = self.consent_id

        aspsp_id = self.aspsp_id

        is_live_psu_request = self.is_live_psu_request

        psu_ip_address = self.psu_ip_address

        psu_agent = self.psu_agent

        psu_tpp_customer_id = self.psu_tpp_customer_id

        merchant: dict[str, Any] | Unset = UNSET
        if not isinstance(self.merchant, Unset):
            merchant = self.merchant.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "xRequestId": x_request_id,
                "consentId": consent_id,
                "aspspId": aspsp_id,
            }
        )
        if is_live_psu_request is not UNSET:
            field_dict["isLivePsuRequest"] = is_live_psu_request
        if psu_ip_address is not UNSET:
            field_dict["psuIPAddress"] = psu_ip_address
        if psu_agent is not UNSET:
            field_dict["psuAgent"] = psu_agent
        if psu_tpp_customer_id is not UNSET:
            field_dict["psuTppCustomerId"] = psu_tpp_customer_id
        if merchant is not UNSET:
            field_dict["merchant"] = merchant

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.merchant import Merchant

        d = dict(src_dict)
        x_request_id = d.pop("xRequestId")

        consent_id = d.pop("consentId")

        aspsp_id = d.pop("aspspId")

        is_live_psu_request = d.pop("isLivePsuRequest", UNSET)

        psu_ip_address = d.pop("psuIPAddress", UNSET)

        psu_agent = d.pop("psuAgent", UNSET)

        psu_tpp_customer_id = d.pop("psuTppCustomerId", UNSET)

        _merchant = d.pop("merchant", UNSET)
        merchant: Merchant | Unset
        if isinstance(_merchant, Unset):
            merchant = UNSET
        else:
            merchant = Merchant.from_dict(_merchant)

        request_info = cls(
            x_request_id=x_request_id,
            consent_id=consent_id,
            aspsp_id=aspsp_id,
            is_live_psu_request=is_live_psu_request,
            psu_ip_address=psu_ip_address,
            psu_agent=psu_agent,
            psu_tpp_customer_id=psu_tpp_customer_id,
            merchant=merchant,
        )

        request_info.additional_properties = d
        return request_info

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

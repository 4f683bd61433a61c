"""Contains all the data models used in inputs/outputs"""

from .available_balance import AvailableBalance
from .error_message import ErrorMessage
from .partner_access_token import PartnerAccessToken
from .partner_credentials import PartnerCredentials

__all__ = (
    "AvailableBalance",
    "ErrorMessage",
    "PartnerAccessToken",
    "PartnerCredentials",
)

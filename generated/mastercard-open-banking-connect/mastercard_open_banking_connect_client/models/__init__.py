"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_balances_request import AccountBalancesRequest
from .account_balances_response import AccountBalancesResponse
from .amount import Amount
from .balance import Balance
from .credit_debit_indicator import CreditDebitIndicator
from .error_detail import ErrorDetail
from .error_list import ErrorList
from .errors import Errors
from .merchant import Merchant
from .original_request_info import OriginalRequestInfo
from .request_info import RequestInfo

__all__ = (
    "Account",
    "AccountBalancesRequest",
    "AccountBalancesResponse",
    "Amount",
    "Balance",
    "CreditDebitIndicator",
    "ErrorDetail",
    "ErrorList",
    "Errors",
    "Merchant",
    "OriginalRequestInfo",
    "RequestInfo",
)

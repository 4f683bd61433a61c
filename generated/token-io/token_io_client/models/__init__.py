"""Contains all the data models used in inputs/outputs"""

from .balance import Balance
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .get_balance_response import GetBalanceResponse
from .get_balances_response import GetBalancesResponse
from .money import Money
from .request_status import RequestStatus
from .typed_balance import TypedBalance

__all__ = (
    "Balance",
    "ErrorDetail",
    "ErrorResponse",
    "GetBalanceResponse",
    "GetBalancesResponse",
    "Money",
    "RequestStatus",
    "TypedBalance",
)

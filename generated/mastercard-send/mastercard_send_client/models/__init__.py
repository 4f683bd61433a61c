"""Contains all the data models used in inputs/outputs"""

from .account_balance import AccountBalance
from .account_balance_envelope import AccountBalanceEnvelope
from .account_balance_holder import AccountBalanceHolder
from .account_balance_list import AccountBalanceList
from .balance import Balance
from .balance_state import BalanceState
from .error_detail import ErrorDetail
from .error_list import ErrorList
from .errors import Errors

__all__ = (
    "AccountBalance",
    "AccountBalanceEnvelope",
    "AccountBalanceHolder",
    "AccountBalanceList",
    "Balance",
    "BalanceState",
    "ErrorDetail",
    "ErrorList",
    "Errors",
)

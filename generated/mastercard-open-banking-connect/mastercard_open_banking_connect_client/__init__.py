"""A client library for accessing Mastercard Open Banking Connect - Account Balances"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

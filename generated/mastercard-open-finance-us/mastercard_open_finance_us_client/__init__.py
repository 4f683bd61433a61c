"""A client library for accessing Mastercard Open Finance US - Account Balance"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

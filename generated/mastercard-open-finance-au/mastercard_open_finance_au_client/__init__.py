"""A client library for accessing Mastercard Open Finance AU - Account Balance"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)

"""The ``info.version`` of each vendor spec (``specs/<vendor>/openapi.yaml``) this library
was built from, for the batch manifest. An installed wheel ships no ``specs/``, so they are
kept here; a test compares them with the spec files, so they cannot drift."""

from __future__ import annotations

SPEC_VERSIONS: dict[str, str] = {
    "mastercard-open-banking-connect": "1.0.0",
    "mastercard-open-finance-au": "1.0.0",
    "mastercard-open-finance-us": "1.0.0",
    "mastercard-send": "1.0.0",
    "token-io": "1.0.0",
}

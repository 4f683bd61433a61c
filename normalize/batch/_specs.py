"""The ``info.version`` of each vendor spec (``specs/<vendor>/openapi.yaml``) this
library was built from, for the batch manifest and the Parquet files' metadata.
Written by ``scripts/regenerate`` from the specs (``--check`` compares): an installed
wheel ships no ``specs/``, and no one keeps this copy by hand."""

from __future__ import annotations

SPEC_VERSIONS: dict[str, str] = {
    "mastercard-open-banking-connect": "1.0.0",
    "mastercard-open-finance-au": "1.0.0",
    "mastercard-open-finance-us": "1.0.0",
    "mastercard-send": "1.0.0",
    "token-io": "1.0.0",
}

"""One module per vendor, each with the same names, found by walking this package.

Every vendor module defines:

* ``VENDOR``: its vendor id (``mastercard-send``, ...);
* ``OPERATIONS``: the operationIds whose responses it maps, each with the freshness that
  operation implies;
* ``to_records(document, context)``: balance records from the decoded response body (plain
  Python data, numbers exact), or a NormalizeError / VendorError: the general path, which
  recognises every response shape;
* ``records(model, context)``: balance records from a response's root model (what
  ``to_records`` calls once it has converted the document into its wire struct);
* ``decode_fast(body)``: the root wire struct of a common success body decoded straight from
  JSON bytes, or None to take the general path (see ``_decode.fast_decoder``);
* optionally ``from_xml(body)``: the JSON-shaped data of an XML body, for vendors that
  answer in XML.

Modules whose name starts with an underscore hold what several vendors share.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

from .._mapping import Context
from .._record import BalanceRecord
from .._types import Freshness


class VendorModule(Protocol):
    VENDOR: str
    OPERATIONS: Mapping[str, Freshness]

    def to_records(self, document: Any, context: Context) -> list[BalanceRecord]: ...

    def records(self, model: Any, context: Context) -> list[BalanceRecord]: ...

    def decode_fast(self, body: bytes) -> Any | None: ...


def _discover() -> dict[str, VendorModule]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.VENDOR] = cast("VendorModule", module)
    return dict(sorted(found.items()))


REGISTRY: Mapping[str, VendorModule] = _discover()


def xml_reader(vendor: str) -> Callable[[bytes | str], Any] | None:
    """The vendor module's ``from_xml``, or None when the vendor answers in JSON only."""
    reader = getattr(REGISTRY.get(vendor), "from_xml", None)
    return cast("Callable[[bytes | str], Any] | None", reader)

"""One package per vendor, each with the same names, found by walking this package.

A vendor is one package, ``normalize/vendors/<module>/``: its ``__init__`` (the mapping and
its declarations, below) and, when the vendor can be called live, its ``live`` module (the
``VendorDescription`` and the blocking and asyncio client classes, which ``normalize.live``
finds there). Every vendor package's ``__init__`` defines:

* ``VENDOR``: its vendor id (``mastercard-send``, ...);
* ``OPERATIONS``: its operationIds (as the vendor's published spec spells them), each with
  the freshness that operation implies; ``OPERATION_ALIASES``: other accepted spellings;
* ``STATUS_CODES``: per operation, what an HTTP status means when the body does not say
  (Open Finance AU's cached balance: 404 is NOT_CACHED);
* ``read(document, context, out)``: reads the decoded body (plain Python data, numbers
  exact) into the vendor's root wire struct, success and error shapes alike, and maps it:
  records and per-account or per-balance problems go to the ``Collector``; a problem with
  the whole response (bad input, or the vendor's own error body) is raised;
* ``from_xml``: the JSON-shaped data of an XML body, or None for vendors that answer in
  JSON only;
* ``SPEC_READS``: what its mapping reads, followed by ``declare(wire, SPEC_READS)``, so
  that the decode reads exactly that of each wire struct (``_declare.py``).

A module may also define ``REQUEST_CONTEXT``: the request parameters an envelope may carry
(``Envelope.request``) and the freshness each value implies (Open Finance US's
``balance_cache_interval``); ``request_context(module)`` reads it, empty when absent.

Modules whose name starts with an underscore hold what several vendors share.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from typing import Any, Protocol, cast

from .._errors import VendorErrorCode
from .._mapping import Collector, Context, RequestParameter
from .._types import Freshness


class VendorModule(Protocol):
    __name__: str
    VENDOR: str
    OPERATIONS: Mapping[str, Freshness]
    OPERATION_ALIASES: Mapping[str, str]
    STATUS_CODES: Mapping[str, Mapping[int, VendorErrorCode]]
    from_xml: Callable[[bytes], Any] | None

    def read(self, document: Any, context: Context, out: Collector) -> None: ...


def _discover() -> dict[str, VendorModule]:
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.VENDOR] = cast("VendorModule", module)
    return dict(sorted(found.items()))


REGISTRY: Mapping[str, VendorModule] = _discover()


def request_context(module: VendorModule) -> Mapping[str, RequestParameter]:
    """The request parameters an envelope of this vendor may carry (none unless declared)."""
    found: Mapping[str, RequestParameter] = getattr(module, "REQUEST_CONTEXT", {})
    return found

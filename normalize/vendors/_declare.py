"""What a vendor mapping reads from its vendor's OpenAPI document, declared as data.

Each vendor module ends with ``SPEC_READS``: a tuple of ``SpecReads`` dict literals, one per
mapping function, operation and response status. They are plain literals (no calls, no
names), so the spec check (``normalize._spec_check``, run by scripts/regenerate and the
tests) reads them from the module's source without importing it: a spec change that breaks
the generated models cannot stop the check from naming what broke.

Paths are property names joined by ``.``, ``[]`` after an array's name for its items
(``response[].balance.current.value``). A field's JSON types are joined by ``|``
(``number|string``; ``number`` also admits ``integer``); a trailing ``?`` says the mapping
copes with the property being absent or null (without it, the spec must require it and
must not allow null).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Required, TypedDict


class SpecReads(TypedDict, total=False):
    """What one mapping function reads from one response of one operation."""

    # The function that reads these values: a function of the vendor module, or
    # ``_module.function`` for one of the shared modules beside it (``_finicity.read``).
    function: Required[str]
    # The operationId in specs/<vendor>/openapi.yaml and the response's status key.
    operation: Required[str]
    status: Required[str]
    # Path of the part the function reads within the response body ("" for the body).
    at: str
    # Path (below ``at``) -> the JSON types the mapping accepts there.
    fields: Required[Mapping[str, str]]
    # Path (below ``at``) -> every value of the spec's enumeration the mapping handles.
    enums: Mapping[str, Sequence[str]]

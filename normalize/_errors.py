"""Every error normalize raises, in one tree, for every door (``parse_response``, the
command line, batch, Spark, live).

Bad input (a response that cannot honestly become balance records) is a ``NormalizeError``;
a well-formed error response from a vendor, or a vendor that could not be reached, is a
``VendorError``. Both name the vendor, and a ``NormalizeError`` names the field and the
offending value. The other two are usage errors raised before any input is read::

    NormalizeError(ValueError)
    ├── UnknownVendor            vendor id not in the registry
    ├── MalformedPayload         not JSON/XML, wrong root, forbidden XML (DTD, entities)
    │   ├── InvalidEnvelope      a capture line or envelope row that is not an envelope
    │   ├── BodyTooLarge         a body larger than the cap (capture line, raw file, live
    │   │                        answer, envelope row); ``value`` is its size in bytes
    │   └── BadContentEncoding   a live answer's Content-Encoding not asked for, corrupt,
    │                            or stacked deeper than allowed
    ├── UnreadableInput          an input file that could not be read whole (batch, Spark,
    │                            convert): none of its lines is used; ``value`` is its path
    ├── MissingField             a required value is absent (never read as zero or "")
    ├── InvalidField             a value is present but unusable
    │   ├── InvalidAmount        not a finite decimal of the vendor's form ("12,50", NaN, ...)
    │   ├── UnknownCurrency      not an ISO 4217 alpha-3 code
    │   ├── InvalidTimestamp     not a valid date-time
    │   ├── UnknownEnumValue     an enumerated vendor value we do not know (Send ``state``)
    │   └── InvalidRequest       a request we were asked to send breaks the vendor's rules
    │                            (normalize.live refuses it before anything is sent)
    └── SignConflict             a negative amount beside a credit/debit indicator

    VendorError(Exception)       the vendor answered with an error, or could not be
                                 reached in time (UNAVAILABLE); ``code`` is canonical

    InvalidCredential(ValueError)  a live client's credential cannot be sent (never shown)
    MissingExtra(ImportError)      a feature's extra (live, batch, spark) is not installed

Every class here is public as ``normalize.<Name>`` and says so in tracebacks.
"""

from __future__ import annotations

import contextlib
import contextvars
import enum
import reprlib
from collections.abc import Iterable, Iterator

# Messages quote at most about 80 characters of an offending value, and never walk a deeply
# nested one (a repr of a 10,000-deep list would itself recurse too deeply).
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel = 3
_QUOTE.maxstring = 80
_QUOTE.maxother = 80
_QUOTE.maxlist = 4
_QUOTE.maxdict = 4


MASK = "********"
"""What stands for a secret (a credential) wherever the library would otherwise show it."""

_SECRETS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "normalize_secrets", default=()
)


@contextlib.contextmanager
def secrets_masked(secrets: Iterable[str]) -> Iterator[None]:
    """Within the block, every text an error quotes or cuts from a body has each of
    ``secrets`` replaced by ``********`` first, in the whole text, so no cut can leave part
    of one behind (a credential a server echoes, straddling the 80-character quote)."""
    token = _SECRETS.set(secret_forms(secrets))
    try:
        yield
    finally:
        _SECRETS.reset(token)


def secret_forms(secrets: Iterable[str]) -> tuple[str, ...]:
    """The non-empty ``secrets``, each once, longest first (a longer one is masked before a
    part of it)."""
    return tuple(sorted({value for value in secrets if value}, key=len, reverse=True))


def mask_text(text: str, forms: Iterable[str]) -> str:
    """``text`` with every one of ``forms`` (longest first, see ``secret_forms``) replaced
    by ``MASK``: the one mask of the library (errors, outcomes, recordings, logs)."""
    for form in forms:
        if form in text:
            text = text.replace(form, MASK)
    return text


def secrets_active() -> bool:
    """Whether an enclosing ``secrets_masked`` has secrets to mask."""
    return bool(_SECRETS.get())


def masked(text: str) -> str:
    """``text`` with every secret of the enclosing ``secrets_masked`` replaced (longest
    first); ``text`` itself outside one."""
    return mask_text(text, _SECRETS.get())


def cut(text: str, length: int = 80) -> str:
    """The start of ``text`` for an error: secrets masked in the whole text, then cut."""
    return masked(text)[:length]


def clip(value: object) -> str | None:
    """A value as the text a reject row or error keeps: at most 80 characters."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        text = bytes(value).decode("utf-8", "backslashreplace")
    elif isinstance(value, str):
        # A lone surrogate written as its escape, so the text is UTF-8 (a table can hold it).
        text = value.encode("utf-8", "backslashreplace").decode("utf-8")
    else:
        try:
            text = repr(value)
        except (ValueError, RecursionError):  # an int past the digits limit, a deep value
            return f"<{type(value).__name__} too large to show>"
    return text if len(text) <= 80 else text[:77] + "..."


def quote(value: object) -> str:
    """A short repr of ``value`` for an error message: at most about 80 characters, secrets
    masked before anything is cut."""
    if _SECRETS.get():
        value = _masked_value(value, 0)
    if type(value) is str and len(value) <= _QUOTE.maxstring:
        # What reprlib gives for a str whose repr fits (it repr()s the first maxstring
        # characters, which are all of them), without its dispatch.
        text = repr(value)
        if len(text) <= _QUOTE.maxstring:
            return text
    try:
        text = _QUOTE.repr(value)
    except (RecursionError, ValueError):  # an int past the digits limit (reprlib repr()s it)
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 90 else text[:80] + "...'"


def _masked_value(value: object, depth: int) -> object:
    """``value`` with the secrets masked in every text ``quote`` can show of it (strings and
    bytes, and those inside the first items of a list, tuple or dict, to the depth shown),
    before anything is cut."""
    if isinstance(value, bytes | bytearray):
        return masked(bytes(value).decode("utf-8", "replace"))
    if isinstance(value, str):
        return masked(value)
    if depth >= _QUOTE.maxlevel:
        return value
    if isinstance(value, list | tuple):
        shown = [_masked_value(item, depth + 1) for item in value[: _QUOTE.maxlist + 1]]
        return shown if isinstance(value, list) else tuple(shown)
    if isinstance(value, dict):
        items = list(value.items())[: _QUOTE.maxdict + 1]
        return {
            _masked_value(key, depth + 1): _masked_value(item, depth + 1) for key, item in items
        }
    return value


class NormalizeError(ValueError):
    """A payload could not be turned into balance records.

    ``vendor`` is the vendor id, ``field`` a dotted path into the payload (``$`` is its
    root), ``value`` the offending value as found (``None`` when absent).
    """

    reason = "cannot normalize"

    def __init__(
        self,
        *,
        vendor: str,
        field: str,
        value: object = None,
        detail: str | None = None,
    ) -> None:
        self.vendor = vendor
        self.field = field
        self.value = value
        self.detail = detail
        message = f"{vendor}: {field}: {self.reason}: {quote(value)}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)

    def within(self, path: str) -> NormalizeError:
        """The same error with its field placed under ``path`` (``$.response[1]`` and
        ``value`` make ``$.response[1].value``), so a mapping can name fields relative to
        the part it is reading and spell the full path only when something is wrong."""
        field = self.field
        if field == "$":
            full = path
        elif field.startswith("$"):
            full = path + field[1:]
        else:
            full = f"{path}.{field}"
        return type(self)(vendor=self.vendor, field=full, value=self.value, detail=self.detail)

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only constructors need help to pickle (multiprocessing, batch workers).
        return (_rebuild, (type(self), self.vendor, self.field, self.value, self.detail))


def _rebuild(
    cls: type[NormalizeError], vendor: str, field: str, value: object, detail: str | None
) -> NormalizeError:
    return cls(vendor=vendor, field=field, value=value, detail=detail)


class UnknownVendor(NormalizeError):
    reason = "unknown vendor"


class MalformedPayload(NormalizeError):
    reason = "malformed payload"


class MissingField(NormalizeError):
    reason = "missing required value"


class InvalidField(NormalizeError):
    reason = "invalid value"


class InvalidAmount(InvalidField):
    reason = "invalid amount"


class UnknownCurrency(InvalidField):
    reason = "unknown currency"


class InvalidTimestamp(InvalidField):
    reason = "invalid timestamp"


class UnknownEnumValue(InvalidField):
    reason = "unknown value"


class InvalidRequest(InvalidField):
    """A request the caller asked for breaks the vendor's rules and was not sent.

    ``field`` names the request value: a path into the request body
    (``$.requestInfo.psuIPAddress``) or a parameter name (``balance_cache_interval``).
    """

    reason = "invalid request, not sent"


class SignConflict(NormalizeError):
    reason = "negative amount beside a credit/debit indicator"


class InvalidEnvelope(MalformedPayload):
    """A capture line or envelope row that is not an envelope: not one JSON object, a
    required key missing, a key of the wrong type, null where a value decides the outcome,
    or unknown. ``vendor`` is the envelope's vendor when it names one (else ``"?"``),
    ``field`` the envelope key (``$`` for the whole line)."""

    reason = "invalid envelope"


class BodyTooLarge(MalformedPayload):
    """A response larger than the cap it was read under (``max_body_bytes``, every door);
    ``value`` is its size in bytes (for a live answer: the bytes read when the cap was
    passed, nothing more being read)."""

    reason = "larger than the body size cap"


class BadContentEncoding(MalformedPayload):
    """A live answer whose ``Content-Encoding`` was not asked for, does not decode, or
    stacks more layers than allowed; ``value`` is the coding."""

    reason = "bad content encoding"


class UnreadableInput(NormalizeError):
    """An input file that could not be read whole: missing, not a regular file, a cut or
    corrupt gzip or zstd stream, a read error part way. None of its lines is used; ``value``
    is its path, and the message says why."""

    reason = "unreadable input"


class VendorErrorCode(enum.StrEnum):
    """What a vendor's error means, the same for every vendor."""

    NOT_FOUND = "not_found"
    NOT_CACHED = "not_cached"
    CONSENT_INVALID = "consent_invalid"
    RATE_LIMITED = "rate_limited"
    INVALID_REQUEST = "invalid_request"
    UNAUTHORIZED = "unauthorized"
    PROVIDER_ERROR = "provider_error"
    UNAVAILABLE = "unavailable"
    UNKNOWN = "unknown"


class VendorError(Exception):
    """The vendor answered with an error body (or a status that is not a balance).

    ``code`` is canonical; ``vendor_code`` and ``vendor_message`` are the vendor's own,
    kept as sent (Open Banking Connect pads its reason codes with spaces; ``code`` is
    decided on the stripped value). ``status`` is the HTTP status when known, ``trace_id``
    the vendor's correlation or trace id when it sent one, ``account_id`` the account the
    error is about when the vendor says. A response that mixes balances with errors (Token's
    several-accounts form) is an ``Outcome`` of ``parse_response``: its records and one
    problem per error.
    """

    def __init__(
        self,
        *,
        vendor: str,
        code: VendorErrorCode,
        vendor_code: str | None = None,
        vendor_message: str | None = None,
        status: int | None = None,
        trace_id: str | None = None,
        account_id: str | None = None,
    ) -> None:
        self.vendor = vendor
        self.account_id = account_id
        self.code = code
        self.vendor_code = vendor_code
        self.vendor_message = vendor_message
        self.status = status
        self.trace_id = trace_id
        details = []
        if status is not None:
            details.append(f"HTTP {status}")
        if vendor_code is not None:
            details.append(f"vendor code {quote(vendor_code)}")
        if vendor_message:
            details.append(f"message {quote(vendor_message)}")
        if trace_id:
            details.append(f"trace id {quote(trace_id)}")
        if account_id:
            details.append(f"account {quote(account_id)}")
        super().__init__(
            f"{vendor}: {code.value}" + (f" ({', '.join(details)})" if details else "")
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_vendor_error,
            (
                self.vendor,
                self.code,
                self.vendor_code,
                self.vendor_message,
                self.status,
                self.trace_id,
                self.account_id,
            ),
        )


class InvalidCredential(ValueError):
    """A credential a live client cannot send: empty, not a string, a control character, or
    (for one sent in a header) a character outside visible ASCII.

    ``vendor`` and ``credential`` (the argument's name) say which; the message never holds
    the value, nor does any attribute.
    """

    def __init__(self, *, vendor: str | None, credential: str, detail: str) -> None:
        self.vendor = vendor
        self.credential = credential
        self.detail = detail
        where = f"{vendor}: " if vendor else ""
        super().__init__(f"{where}credential {credential!r} {detail}")

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_credential, (self.vendor, self.credential, self.detail))


def _rebuild_credential(vendor: str | None, credential: str, detail: str) -> InvalidCredential:
    return InvalidCredential(vendor=vendor, credential=credential, detail=detail)


class MissingExtra(ImportError):
    """A feature needs an extra that is not installed (``pip install 'balance-normalize[X]'``);
    ``extra`` names it, ``module`` (also ``name``) the module that is missing."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(
            f"this needs the '{extra}' extra ({module} is not installed): "
            f"pip install 'balance-normalize[{extra}]'",
            name=module,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (MissingExtra, (self.extra, self.module))


def _rebuild_vendor_error(
    vendor: str,
    code: VendorErrorCode,
    vendor_code: str | None,
    vendor_message: str | None,
    status: int | None,
    trace_id: str | None,
    account_id: str | None,
) -> VendorError:
    return VendorError(
        vendor=vendor,
        code=code,
        vendor_code=vendor_code,
        vendor_message=vendor_message,
        status=status,
        trace_id=trace_id,
        account_id=account_id,
    )


PUBLIC: tuple[type[Exception], ...] = (
    NormalizeError,
    UnknownVendor,
    MalformedPayload,
    InvalidEnvelope,
    BodyTooLarge,
    BadContentEncoding,
    UnreadableInput,
    MissingField,
    InvalidField,
    InvalidAmount,
    UnknownCurrency,
    InvalidTimestamp,
    UnknownEnumValue,
    InvalidRequest,
    SignConflict,
    VendorError,
    InvalidCredential,
    MissingExtra,
)
"""Every public error class; each is ``normalize.<Name>``, as tracebacks show it."""

for _cls in PUBLIC:
    _cls.__module__ = "normalize"
VendorErrorCode.__module__ = "normalize"

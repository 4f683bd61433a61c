"""Results as values: what one vendor response amounts to.

``parse_response`` never raises for what a body holds: it returns an ``Outcome`` with the
records the response honestly gives and a ``Problem`` for everything it does not (bad input
as a ``NormalizeError``, the vendor's own refusal as a ``VendorError``), each saying where it
applies. ``normalize_response`` is the strict call over the same outcome: the records, or
the first problem raised.
"""

from __future__ import annotations

import enum
from typing import Any, NoReturn

import attrs

from ._errors import NormalizeError, VendorError
from ._record import BalanceRecord


class Scope(enum.StrEnum):
    """What a problem makes unusable: the whole response, one account of it, or one balance."""

    RESPONSE = "response"
    ACCOUNT = "account"
    BALANCE = "balance"


class OutcomeKind(enum.StrEnum):
    """Where a response lands; every response lands in exactly one.

    RECORDS: no problem (possibly no records: an account without balances). PARTIAL: some
    records and some problems. VENDOR_ERROR: no records, and every problem is the vendor's
    own error. REJECTED: no records, and at least one problem is bad input.
    """

    RECORDS = "records"
    PARTIAL = "partial"
    VENDOR_ERROR = "vendor_error"
    REJECTED = "rejected"


@attrs.frozen(kw_only=True)
class Problem:
    """One thing a response did not give as records, and where it applies.

    ``path`` is the part of the body it is about (``$`` for the whole response,
    ``$.response[1]`` for Token's second account, ``$.account.balances[2]`` for one
    balance); ``account_id`` the account when the body names it. ``error`` is held as a
    value: its traceback and the errors it was raised while handling are dropped when the
    problem is made (they hold the frames that read the body); ``raise_first`` raises it
    with a traceback of its own.
    """

    error: NormalizeError | VendorError
    scope: Scope
    path: str = "$"
    account_id: str | None = None

    def __attrs_post_init__(self) -> None:
        # The error is kept as a value: not the frames it was raised through, nor the
        # errors it was raised while handling, whose frames hold the parsed body (and,
        # through a cycle, themselves) for as long as the outcome lives.
        _as_value(self.error)


@attrs.frozen(kw_only=True)
class Outcome:
    """The records a response gives and the problems it has, in body order."""

    vendor: str
    records: tuple[BalanceRecord, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def kind(self) -> OutcomeKind:
        if not self.problems:
            return OutcomeKind.RECORDS
        if self.records:
            return OutcomeKind.PARTIAL
        if any(isinstance(problem.error, NormalizeError) for problem in self.problems):
            return OutcomeKind.REJECTED
        return OutcomeKind.VENDOR_ERROR

    @property
    def ok(self) -> bool:
        """True when the response gave everything it holds as records."""
        return not self.problems

    def raise_first(self) -> None:
        """Raise the first problem's error, if there is one."""
        if self.problems:
            _raise(self.problems[0].error)

    def records_or_raise(self) -> list[BalanceRecord]:
        """The records when there is no problem; else the first problem's error raised."""
        self.raise_first()
        return list(self.records)


def _as_value(error: BaseException) -> None:
    error.__traceback__ = None
    error.__context__ = error.__cause__ = None


def _raise(error: NormalizeError | VendorError) -> NoReturn:
    # Each raise starts afresh: the traceback is this raise's, and raising the same problem
    # again does not add to the last one's.
    raise error.with_traceback(None)


# ``Outcome(...)`` through attrs' frozen ``__init__`` sets each slot with a bound
# ``object.__setattr__``; parse_response, which makes one per response, builds it as an
# ``_Unfrozen`` (a subclass that adds nothing to its layout and keeps object's own
# ``__setattr__``), sets the slots by plain attribute stores and turns it into an Outcome
# (``__class__`` assignment, allowed between classes of one layout). An Outcome has no
# invariant to check.
class _Unfrozen(Outcome):
    __slots__ = ()
    __setattr__ = object.__setattr__
    __delattr__ = object.__delattr__


_new = object.__new__


def new_outcome(
    vendor: str, records: tuple[BalanceRecord, ...], problems: tuple[Problem, ...]
) -> Outcome:
    """``Outcome(vendor=..., records=..., problems=...)``, for the one hot path."""
    outcome: Any = _new(_Unfrozen)
    outcome.vendor = vendor
    outcome.records = records
    outcome.problems = problems
    outcome.__class__ = Outcome
    built: Outcome = outcome
    return built

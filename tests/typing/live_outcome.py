"""Live clients as a library user writes them, checked by mypy --strict (scripts/test).

``client.outcome.<operation>(...)`` is typed as the call's ``Outcome`` (a coroutine of it on
an asyncio client) with the operation's own parameters; the plain method stays
``list[BalanceRecord]``. Nothing here runs.
"""

from __future__ import annotations

from typing import assert_type

from normalize import (
    AsyncOpenFinanceUS,
    AsyncTokenIO,
    BalanceRecord,
    OpenFinanceUS,
    Outcome,
    OutcomeKind,
    TokenIO,
)


def sync_outcome(client: OpenFinanceUS) -> Outcome:
    outcome = client.outcome.balance("1005061234", "5011648377", cache_interval_minutes=0)
    assert_type(outcome, Outcome)
    assert_type(client.balance("1005061234", "5011648377"), list[BalanceRecord])
    return outcome


async def async_outcome(client: AsyncOpenFinanceUS) -> Outcome:
    outcome = await client.outcome.balance("1005061234", "5011648377")
    assert_type(outcome, Outcome)
    assert_type(await client.balance("1005061234", "5011648377"), list[BalanceRecord])
    return outcome


def token_partial(client: TokenIO) -> tuple[BalanceRecord, ...]:
    outcome = client.outcome.balances(["a:1", "a:2"], on_behalf_of="ta:1")
    if outcome.kind is OutcomeKind.PARTIAL:
        for problem in outcome.problems:
            print(problem.account_id, problem.error)
    return outcome.records


async def token_partial_async(client: AsyncTokenIO) -> tuple[BalanceRecord, ...]:
    outcome = await client.outcome.balances(["a:1", "a:2"], on_behalf_of="ta:1")
    assert_type(outcome, Outcome)
    return outcome.records

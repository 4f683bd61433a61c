"""Speed of parse_response against two baselines, per vendor, in one run.

For each vendor's JSON example payloads (normalize/examples/<vendor>/*.json) it times, in
microseconds per payload (best of several interleaved rounds):

* ``parse_response``: the library's one path (jiter decode with exact decimals and
  duplicate keys refused, the vendor module reading its wire struct and mapping it);
* ``orjson.loads`` of the same bytes: the floor of any JSON parser, which builds no model
  and checks nothing;
* the naive pipeline: ``json.loads(..., parse_float=Decimal)`` (exact, but silent about
  duplicate keys), the openapi-python-client attrs model's ``from_dict`` as a user of the
  generated client would build it, then the same mapping (the vendor module's ``read`` of
  that document).

Target: parse_response at least 2x faster than the naive pipeline on every vendor; the
ratio to orjson.loads is printed beside it. ``--check`` exits 1 when the target is missed.
No byte-level shortcut exists to make these figures: every body takes the one path.

A second table says where the time goes: ``mapping`` is the vendor module's ``read`` of an
already decoded document (the step both pipelines share); ``decode`` is the rest of each.
"""

from __future__ import annotations

import argparse
import json
import sys
import timeit
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from normalize import parse_response
from normalize._mapping import Collector, Context
from normalize.vendors import REGISTRY

if "--batch" in sys.argv[1:]:
    # scripts/bench --batch: the batch job against its floor and DuckDB (bench_batch.py).
    import os

    batch_bench = Path(__file__).with_name("bench_batch.py")
    os.execv(sys.executable, [sys.executable, str(batch_bench), *sys.argv[1:]])

ROOT = Path(__file__).resolve().parent.parent
NAIVE_FASTER_BY = 2.0


def _attrs_models() -> dict[str, Callable[[dict[str, Any]], Any]]:
    """For each vendor, the generated attrs model class that a body's root belongs to."""
    from mastercard_open_banking_connect_client.models import AccountBalancesResponse
    from mastercard_open_finance_au_client.models import AvailableBalance as AuBalance
    from mastercard_open_finance_us_client.models import AvailableBalance as UsBalance
    from mastercard_send_client.models import AccountBalanceEnvelope, AccountBalanceList
    from token_io_client.models import GetBalanceResponse, GetBalancesResponse

    return {
        "mastercard-open-finance-au": lambda doc: AuBalance,
        "mastercard-open-finance-us": lambda doc: UsBalance,
        "mastercard-open-banking-connect": lambda doc: AccountBalancesResponse,
        "mastercard-send": lambda doc: (
            AccountBalanceEnvelope if "account_balances" in doc else AccountBalanceList
        ),
        "token-io": lambda doc: GetBalancesResponse if "response" in doc else GetBalanceResponse,
    }


def per_payload_us(
    funcs: dict[str, Callable[[], object]], payloads: int, rounds: int
) -> dict[str, float]:
    """Best-of-``rounds`` microseconds per payload of each function (each runs every payload).

    The rounds interleave the functions, so a burst of load on a shared machine slows all of
    them alike instead of skewing one ratio.
    """
    timers = {name: timeit.Timer(func) for name, func in funcs.items()}
    loops = {name: timer.autorange()[0] for name, timer in timers.items()}
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(loops[name]) / loops[name])
    return {name: seconds / payloads * 1e6 for name, seconds in best.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="timing rounds (best is kept)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    models = _attrs_models()
    header = (
        f"{'vendor':<34}{'payloads':>9}{'parse us':>10}{'orjson us':>11}"
        f"{'naive us':>10}{'naive/ours':>12}{'ours/orjson':>13}"
    )
    print(header)
    print("-" * len(header))
    missed = []
    breakdown = []
    for vendor, module in REGISTRY.items():
        folder = ROOT / "normalize" / "examples" / vendor
        bodies = [path.read_bytes() for path in sorted(folder.glob("*.json"))]

        def ours(bodies: list[bytes] = bodies, vendor: str = vendor) -> None:
            for body in bodies:
                parse_response(vendor, body)

        def floor(bodies: list[bytes] = bodies) -> None:
            for body in bodies:
                orjson.loads(body)

        def naive(bodies: list[bytes] = bodies, vendor: str = vendor, module: Any = module) -> Any:
            out = []
            for body in bodies:
                document = json.loads(body, parse_float=Decimal)
                models[vendor](document).from_dict(document)
                collector = Collector()
                module.read(document, Context(vendor), collector)
                out.append(collector.records)
            return out

        decoded = [json.loads(body, parse_float=Decimal) for body in bodies]

        def mapping(
            decoded: list[Any] = decoded, vendor: str = vendor, module: Any = module
        ) -> None:
            for document in decoded:
                module.read(document, Context(vendor), Collector())

        # Both paths must give the same records, or the comparison means nothing.
        expected = [list(parse_response(vendor, b).records) for b in bodies]
        assert naive() == expected, vendor

        times = per_payload_us(
            {"ours": ours, "floor": floor, "naive": naive, "mapping": mapping},
            len(bodies),
            args.rounds,
        )
        t_ours, t_floor, t_naive = times["ours"], times["floor"], times["naive"]
        t_map = times["mapping"]
        breakdown.append(
            f"{vendor:<34}{t_map:>12.2f}{t_ours - t_map:>13.2f}{t_naive - t_map:>14.2f}"
        )
        speedup, over_floor = t_naive / t_ours, t_ours / t_floor
        print(
            f"{vendor:<34}{len(bodies):>9}{t_ours:>10.2f}{t_floor:>11.2f}"
            f"{t_naive:>10.2f}{speedup:>11.1f}x{over_floor:>12.1f}x"
        )
        if speedup < NAIVE_FASTER_BY:
            missed.append(f"{vendor}: only {speedup:.1f}x faster than the naive pipeline")
    print()
    header = (
        f"{'where the time goes (us)':<34}{'mapping':>12}{'our decode':>13}{'naive decode':>14}"
    )
    print(header)
    print("-" * len(header))
    print("\n".join(breakdown))
    print()
    print(
        f"target: naive/ours >= {NAIVE_FASTER_BY}x: "
        + ("met on every vendor" if not missed else "MISSED: " + "; ".join(missed))
    )
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

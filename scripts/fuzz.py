"""Seeded mutation fuzzing of parse_response over every example and fixture on file.

Each vendor's bodies (normalize/examples/<vendor>/, tests/fixtures/<vendor>/ and the
examples inside specs/<vendor>/openapi.yaml) are mutated, byte by byte and value by value,
into ``--per-vendor`` bodies, each read by ``parse_response`` with a random status,
operation and content type. The run fails (exit 1) when any body raises anything, or when
a record it gives breaks the record's invariants (rebuilt through the class's own checks,
round-tripped through to_dict/from_dict, amount inside decimal(38, 18)). It prints the
counts per vendor, and writes each failing body to ``--failures`` to replay.

    python scripts/fuzz.py                      # 20,000 bodies per vendor, seed 0
    python scripts/fuzz.py --per-vendor 2000 --seed 7
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
import traceback
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from normalize import VENDORS, BalanceRecord, OutcomeKind, parse_response  # noqa: E402
from normalize._money import in_range  # noqa: E402
from normalize.vendors import REGISTRY  # noqa: E402

# Values a hostile or broken server might put anywhere.
NASTY_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**63,
    -(2**64),
    10**40,
    "",
    " ",
    "0",
    "-0",
    "-0.00",
    "1e3",
    " 5",
    "1_000",
    "+12",
    "12.",
    ".5",
    "NaN",
    "Infinity",
    "\u0661\u0662",
    "\uff11",
    "12,50",
    "9" * 30,
    "0." + "0" * 30 + "1",
    "USD",
    "usd",
    "XXX",
    "XAU",
    "JPY",
    "BHD",
    "IN_DEBIT",
    "IN_CREDIT",
    "Debit",
    "DEBIT",
    "credit",
    "SUCCESSFUL_REQUEST",
    "MORE_SIGNATURES_NEEDED",
    "INVALID_REQUEST",
    "BOGUS",
    "2024-03-05T23:59:59.9999999+01:00",
    "2018-05-18T10:19:80Z",
    "0001-01-01T00:00:00+00:01",
    "9999-12-31T23:59:59-23:59",
    "1722505195",
    "-1",
    [],
    {},
    [None],
    {"a": 1},
    "a" * 300,
]
NASTY_TOKENS = [
    b"NaN",
    b"-Infinity",
    b"1E+999999999",
    b"1e99999999999999999999",
    b"0E-999999999",
    b'"\\ud800"',
    b'"\\udc00"',
    b"\xff",
    b"\xc3",
    b"\xed\xa0\x80",
    b"[" * 300,
    b"{" * 50,
    b"null",
    b"true",
    b'""',
    b"-0",
    b"1" * 400,
    b"\x00",
    b'"\\u0000"',
    b",",
    b":",
    b"}",
]
XML_TOKENS = [
    b"<!DOCTYPE a [<!ENTITY e 'x'>]>",
    b"&e;",
    b'<?xml version="1.0" encoding="utf-32"?>',
    b'<?xml version="1.0" encoding="rot13"?>',
    b"<a>" * 200,
    b"</a>",
    b"<![CDATA[1000]]>",
    b"<amount>1000</amount>",
    b"<state>IN_DEBIT</state>",
    b"\xff",
    b"&#0;",
    b"&#xD800;",
]


# Mostly success statuses, where records come from; error statuses test the status rules.
STATUSES = [None, None, None, None, 200, 200, 400, 401, 404, 429, 500, 502]


def nasty(rng: random.Random) -> Any:
    """A fresh copy of one of NASTY_VALUES (never the shared list or dict itself)."""
    return copy.deepcopy(rng.choice(NASTY_VALUES))


def seeds() -> dict[str, list[tuple[bytes, bool]]]:
    """Every body on file per vendor, with whether it is XML."""
    found: dict[str, list[tuple[bytes, bool]]] = {vendor: [] for vendor in VENDORS}
    for vendor in VENDORS:
        for folder in (ROOT / "normalize" / "examples", ROOT / "tests" / "fixtures"):
            for path in sorted((folder / vendor).glob("*")):
                if path.suffix in (".json", ".xml"):
                    found[vendor].append((path.read_bytes(), path.suffix == ".xml"))
        spec = yaml.safe_load((ROOT / "specs" / vendor / "openapi.yaml").read_text())
        for example in (spec.get("components", {}).get("examples") or {}).values():
            value = example.get("value") if isinstance(example, dict) else None
            if isinstance(value, str) and value.lstrip().startswith("<"):
                found[vendor].append((value.encode(), True))
            elif isinstance(value, dict | list):
                found[vendor].append((json.dumps(value).encode(), False))
    return found


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, child in node.items():
            out += leaves(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            out += leaves(child, (*path, index))
    return out


def mutate_value(rng: random.Random, document: Any) -> Any:
    """The document with one node replaced, dropped, duplicated or wrapped."""
    paths = leaves(document)
    path = rng.choice(paths)
    if not path:
        return nasty(rng)
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = rng.randrange(5)
    if action == 0:
        parent[last] = nasty(rng)
    elif action == 1 and isinstance(parent, dict):
        del parent[last]
    elif action == 2:
        parent[last] = [parent[last]]
    elif action == 3 and isinstance(parent, dict):
        parent[f"{last}_{rng.randrange(9)}"] = nasty(rng)
    else:
        value = parent[last]
        if isinstance(value, str) and value:
            parent[last] = value[: rng.randrange(len(value))] + rng.choice(["", "0", " ", "\ud800"])
        elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            parent[last] = rng.choice([-value, value * 10**20, str(value), Decimal("1E+999")])
        else:
            parent[last] = nasty(rng)
    return document


def encode(rng: random.Random, document: Any) -> bytes | str:
    """JSON text of a document, sometimes with a duplicated key, sometimes as str."""

    def default(value: Any) -> Any:
        return str(value)

    try:
        text = json.dumps(document, default=default, ensure_ascii=rng.random() < 0.5)
    except (ValueError, RecursionError):
        text = "{}"
    if rng.random() < 0.1:
        # Repeat one "key": value member inside its object.
        start = text.find('"', rng.randrange(max(1, len(text))))
        end = text.find(",", start)
        if start != -1 and end != -1:
            text = text[:end] + "," + text[start:end] + text[end:]
    if rng.random() < 0.3:
        return text
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


def mutate_bytes(rng: random.Random, data: bytes, xml: bool) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        if not data:
            data += rng.choice(NASTY_TOKENS)
            continue
        at = rng.randrange(len(data))
        action = rng.randrange(6)
        if action == 0:
            data[at] = rng.randrange(256)
        elif action == 1:
            del data[at : at + rng.randrange(1, 20)]
        elif action == 2:
            data[at:at] = rng.choice(XML_TOKENS if xml else NASTY_TOKENS)
        elif action == 3:
            end = min(len(data), at + rng.randrange(1, 60))
            data[at:at] = data[at:end]
        elif action == 4:
            del data[at:]
        else:
            data[at:at] = bytes([rng.choice(b'"{}[]:,<>/\\ 0123456789.-eE')])
    return bytes(data)


def one_body(rng: random.Random, seed_body: bytes, xml: bool) -> bytes | str:
    if not xml and rng.random() < 0.5:
        try:
            document = json.loads(seed_body, parse_float=Decimal)
        except ValueError:
            return mutate_bytes(rng, seed_body, xml)
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            document = mutate_value(rng, document)
        return encode(rng, document)
    return mutate_bytes(rng, seed_body, xml)


def check_record(record: BalanceRecord) -> None:
    """A record passes the class's own checks, round-trips, and fits decimal(38, 18)."""
    rebuilt = attrs.evolve(record)  # runs __init__ and its invariant checks
    assert rebuilt == record
    data = record.to_dict()
    assert BalanceRecord.from_dict(data) == record, data
    assert in_range(record.amount), record.amount
    assert len(data["amount"]) < 80


def run(per_vendor: int, seed: int, failures: Path | None) -> int:
    corpus = seeds()
    bad = 0
    header = (
        f"{'vendor':34} {'bodies':>7} {'records':>8} {'partial':>8} {'vendor_error':>12} "
        f"{'rejected':>9} {'exceptions':>10}"
    )
    print(header)
    started = time.perf_counter()
    for vendor in VENDORS:
        rng = random.Random(f"{seed}:{vendor}")
        module = REGISTRY[vendor]
        operations = [None, *module.OPERATIONS]
        kinds: Counter[str] = Counter()
        exceptions = 0
        for index in range(per_vendor):
            seed_body, xml = rng.choice(corpus[vendor])
            data = one_body(rng, seed_body, xml)
            call = {
                "operation": rng.choice(operations),
                "status": rng.choice(STATUSES),
                "content_type": rng.choice(
                    ["application/xml" if xml else "application/json", None, "text/plain"]
                ),
            }
            try:
                outcome = parse_response(vendor, data, **call)
                for record in outcome.records:
                    check_record(record)
                kinds[outcome.kind.value] += 1
            except Exception:  # every escape is a finding
                exceptions += 1
                bad += 1
                print(f"\n{vendor} body {index} {call}: {data[:200]!r}", file=sys.stderr)
                traceback.print_exc(limit=6)
                if failures is not None:
                    failures.mkdir(parents=True, exist_ok=True)
                    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
                    (failures / f"{vendor}-{seed}-{index}.body").write_bytes(raw)
        print(
            f"{vendor:34} {per_vendor:>7} {kinds[OutcomeKind.RECORDS.value]:>8} "
            f"{kinds[OutcomeKind.PARTIAL.value]:>8} {kinds[OutcomeKind.VENDOR_ERROR.value]:>12} "
            f"{kinds[OutcomeKind.REJECTED.value]:>9} {exceptions:>10}"
        )
    print(
        f"{per_vendor * len(VENDORS)} bodies in {time.perf_counter() - started:.1f} s, seed {seed}"
    )
    print("OK: records or typed problems only" if not bad else f"FAILED: {bad} bodies escaped")
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-vendor", type=int, default=20_000, help="bodies per vendor")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--failures", type=Path, help="folder for failing bodies")
    args = parser.parse_args()
    return run(args.per_vendor, args.seed, args.failures)


if __name__ == "__main__":
    sys.exit(main())

"""``scripts/bench --batch``: the batch job against its floor and against naive DuckDB SQL.

Generates capture files from the bundled examples (``normalize/examples`` and the error
bodies of ``specs/capture/example.jsonl``: every vendor, JSON and XML, vendor errors), with
varied account ids, amounts and timestamps and about 1% corrupt lines, then, for each size
(100,000 and 1,000,000 responses by default), times in separate processes:

* ``batch --jobs 1`` and ``batch --jobs 2`` (``--to parquet``);
* the floor: ``orjson.loads`` of every envelope and every body, plus pyarrow writing as
  many rows as the batch wrote, with the same schema, to Parquet;
* DuckDB ``read_json`` over the same envelopes with a naive SQL unnest per vendor.

It prints responses/s, records/s and peak RSS (of the largest process) side by side, the
checks (RSS at the largest size within 1.2x of the smallest, ``--jobs 2`` at least 1.6x
``--jobs 1``, ``--jobs 1`` within 8x of the floor), and what the DuckDB rows get wrong
against the library's rows. ``--sizes 10000,50000`` picks other sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "normalize" / "examples"
CAPTURE_EXAMPLE = ROOT / "specs" / "capture" / "example.jsonl"

_NUMBER = re.compile(r'"__number__(-?[0-9.]+)__"')
_XML_AMOUNT = re.compile(r"<amount>[0-9]+</amount>")
_XML_TOKEN = re.compile(r"<non_card_token>[^<]*</non_card_token>")
_ID_KEYS = {"id", "accountId", "resourceId", "non_card_token"}


# --- generating envelopes -------------------------------------------------------------------


def _templates() -> list[dict[str, Any]]:
    """Example responses to vary: every shipped example, plus the example capture's vendor
    errors (under their statuses)."""
    templates = []
    for path in sorted(EXAMPLES.glob("*/*")):
        xml = path.suffix == ".xml"
        templates.append(
            {
                "vendor": path.parent.name,
                "body": path.read_text(),
                "xml": xml,
                "document": None if xml else json.loads(path.read_text()),
                "status": 200,
            }
        )
    for line in CAPTURE_EXAMPLE.read_text().splitlines():
        envelope = json.loads(line)
        if envelope.get("status") in (401, 404, 500):
            xml = envelope.get("content_type") == "application/xml"
            templates.append(
                {
                    "vendor": envelope["vendor"],
                    "body": envelope["body"],
                    "xml": xml,
                    "document": None if xml else json.loads(envelope["body"]),
                    "status": envelope["status"],
                }
            )
    return templates


def _amount(rng: random.Random, places: int, negative: bool) -> str:
    # Mostly everyday balances; one in fifty with 16 to 17 integer digits (what a DOUBLE
    # cannot hold exactly).
    digits = rng.randrange(16, 18) if rng.random() < 0.02 else rng.randrange(1, 9)
    whole = rng.randrange(0, 10**digits)
    text = str(whole) if not places else f"{whole}.{rng.randrange(10**places):0{places}d}"
    return f"-{text}" if negative and whole else text


def _vary(value: Any, key: str, rng: random.Random, serial: int) -> Any:
    if isinstance(value, dict):
        return {k: _vary(v, k, rng, serial) for k, v in value.items()}
    if isinstance(value, list):
        return [_vary(item, key, rng, serial) for item in value]
    if key in _ID_KEYS:
        return value * 1 + serial if isinstance(value, int) else f"{value}-{serial}"
    if key in ("availableBalance", "clearedBalance"):
        return f"__number__{_amount(rng, 2, rng.random() < 0.2)}__"
    if key == "amount" and isinstance(value, int | float):  # Connect: unsigned number
        return f"__number__{_amount(rng, 2, False)}__"
    if key == "amount" and isinstance(value, str):  # Send: minor units
        return str(rng.randrange(0, 10**9))
    if key == "value" and isinstance(value, str):  # Token: decimal string, four places
        return _amount(rng, 4, rng.random() < 0.2)
    if key in ("availableBalanceDate", "clearedBalanceDate"):
        return 1_700_000_000 + rng.randrange(50_000_000)
    return value


def _corrupt(envelope: dict[str, Any], rng: random.Random) -> str:
    kind = rng.randrange(4)
    if kind == 0:  # a cut line: not an envelope
        text = json.dumps(envelope)
        return text[: len(text) // 2]
    if kind == 1:  # a cut body: malformed
        envelope["body"] = envelope["body"][: len(envelope["body"]) // 2]
    elif kind == 2:  # a decimal comma where a decimal point belongs
        envelope["body"] = re.sub(r"(\d)\.(\d)", r"\1,\2", envelope["body"], count=1)
    else:  # a currency that does not exist
        envelope["body"] = re.sub(r"\b(USD|AUD|EUR|GBP)\b", "XXQ", envelope["body"], count=1)
    return json.dumps(envelope)


def generate(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    templates = _templates()
    with path.open("w") as out:
        for serial in range(count):
            template = templates[rng.randrange(len(templates))]
            if template["xml"]:
                body = _XML_AMOUNT.sub(
                    lambda _: f"<amount>{rng.randrange(10**9)}</amount>", template["body"]
                )
                suffix = f"-{serial}</"
                body = _XML_TOKEN.sub(lambda m, end=suffix: m.group(0).replace("</", end), body)
            else:
                varied = _vary(template["document"], "", rng, serial)
                body = _NUMBER.sub(r"\1", json.dumps(varied))
            envelope = {
                "vendor": template["vendor"],
                "body": body,
                "content_type": "application/xml" if template["xml"] else "application/json",
                "status": template["status"],
                "captured_at": f"2026-0{1 + serial % 9}-1{serial % 10}T1{serial % 10}:"
                f"{serial % 60:02d}:{(serial // 60) % 60:02d}.{serial % 1000:03d}Z",
                "id": f"r{serial}",
            }
            if rng.random() < 0.01:
                out.write(_corrupt(envelope, rng) + "\n")
            else:
                out.write(json.dumps(envelope) + "\n")


# --- measuring ------------------------------------------------------------------------------

_MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - started
if done.returncode:
    sys.stderr.write(done.stderr.decode())
    sys.exit(done.returncode)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(seconds, rss)
sys.stdout.write(done.stdout.decode())
"""


def measure(command: list[str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB, of the largest process) and stdout of a command run in
    a fresh process (so peak RSS is its own)."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command],
        capture_output=True,
        check=True,
        cwd=ROOT,
    )
    first, _, rest = done.stdout.decode().partition("\n")
    seconds, rss = first.split()
    return float(seconds), int(rss), rest


_FLOOR = """
import sys, orjson, pyarrow as pa, pyarrow.parquet as pq
from normalize.batch._schema import BALANCES
path, rows, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bodies = 0
with open(path, "rb") as file:
    for line in file:
        try:
            envelope = orjson.loads(line)
            orjson.loads(envelope["body"])
        except (orjson.JSONDecodeError, TypeError, KeyError):
            pass
        bodies += 1
# The same number of rows with the same schema: one realistic batch, written repeatedly.
from datetime import datetime, timezone
from decimal import Decimal
size = 10_000
one = {
    "vendor": "token-io", "account_id": "a:8DbP:5zKc", "balance_type": "INTERIM_BOOKED",
    "vendor_balance_type": "current", "credit_debit": "CREDIT", "amount": Decimal("12009.1000"),
    "currency": "USD", "as_of": datetime(2026, 1, 1, tzinfo=timezone.utc), "freshness": "UNKNOWN",
    "operation": "getBalance", "amount_text": "12009.1000", "source_file": path,
    "source_line": 1, "envelope_id": "r1", "captured_at": datetime(2026, 1, 1, tzinfo=timezone.utc),
}
with pq.ParquetWriter(out, BALANCES, compression="zstd") as writer:
    written = 0
    while written < rows:
        count = min(size, rows - written)
        columns = {name: [one[name]] * count for name in BALANCES.names}
        columns["source_line"] = list(range(written, written + count))
        writer.write_batch(pa.record_batch(
            [pa.array(columns[f.name], f.type) for f in BALANCES], schema=BALANCES))
        written += count
print(bodies)
"""


def naive_sql(capture: Path, out: Path) -> str:
    """What a data team writes first: read_json and a JSON unnest per vendor, amounts as
    DOUBLE, no indicator, no minor units, XML and bad bodies silently dropped."""
    return f"""
    COPY (
    WITH env AS (
        SELECT vendor, id, try(json(body)) AS doc
        FROM read_json('{capture}', format = 'newline_delimited', ignore_errors = true,
                       columns = {{vendor: 'VARCHAR', body: 'VARCHAR', id: 'VARCHAR'}})
    ),
    finance AS (
        SELECT vendor, id, doc->>'$.id' AS account_id, kind AS vendor_balance_type,
               TRY_CAST(doc->>('$.' || kind) AS DOUBLE) AS amount, doc->>'$.currency' AS currency
        FROM env, (VALUES ('availableBalance'), ('clearedBalance')) AS k(kind)
        WHERE vendor LIKE 'mastercard-open-finance-%' AND (doc->>'$.currency') IS NOT NULL
    ),
    connect AS (
        SELECT vendor, id, doc->>'$.account.resourceId' AS account_id,
               b->>'$.balanceType' AS vendor_balance_type,
               TRY_CAST(b->>'$.balanceAmount.amount' AS DOUBLE) AS amount,
               b->>'$.balanceAmount.currency' AS currency
        FROM env, unnest(CAST(doc->'$.account.balances' AS JSON[])) AS t(b)
        WHERE vendor = 'mastercard-open-banking-connect'
    ),
    send AS (
        SELECT vendor, id, a->>'$.non_card_token' AS account_id, NULL AS vendor_balance_type,
               TRY_CAST(a->>'$.balance.amount' AS DOUBLE) AS amount,
               a->>'$.balance.currency' AS currency
        FROM env, unnest(
            CASE WHEN (doc->'$.account_balances') IS NOT NULL
                 THEN [doc->'$.account_balances.account_balance']
                 ELSE CAST(doc->'$."account-balances"' AS JSON[]) END) AS t(a)
        WHERE vendor = 'mastercard-send'
    ),
    token_balances AS (
        SELECT vendor, id, r->'$.balance' AS bal FROM env,
            unnest(CASE WHEN (doc->'$.response') IS NOT NULL
                        THEN CAST(doc->'$.response' AS JSON[]) ELSE [doc] END) AS t(r)
        WHERE vendor = 'token-io' AND (r->'$.balance') IS NOT NULL
    ),
    token AS (
        SELECT vendor, id, bal->>'$.accountId' AS account_id, kind AS vendor_balance_type,
               TRY_CAST(bal->>('$.' || kind || '.value') AS DOUBLE) AS amount,
               bal->>('$.' || kind || '.currency') AS currency
        FROM token_balances, (VALUES ('current'), ('available')) AS k(kind)
        WHERE (bal->>('$.' || kind || '.value')) IS NOT NULL
    )
    SELECT * FROM finance UNION ALL SELECT * FROM connect UNION ALL SELECT * FROM send
    UNION ALL SELECT * FROM token
    ) TO '{out}' (FORMAT parquet)
    """


def _duckdb_command(capture: Path, out: Path) -> list[str]:
    script = (
        "import duckdb, sys; c = duckdb.connect(); c.execute('SET enable_progress_bar = false'); "
        "c.execute(sys.argv[1]); "
        "print(c.sql(f\"SELECT count(*) FROM read_parquet('{sys.argv[2]}')\").fetchall()[0][0])"
    )
    return [sys.executable, "-c", script, naive_sql(capture, out), str(out)]


def wrong_in_duckdb(library: Path, naive: Path, manifest: dict[str, Any]) -> list[str]:
    """What the naive rows get wrong against the library's (joined on envelope id, account
    and balance type; the library's Token/Finance/Connect/Send rows of the same kinds)."""
    import duckdb

    c = duckdb.connect()
    c.execute(f"CREATE VIEW lib AS SELECT * FROM read_parquet('{library}/balances.parquet')")
    c.execute(f"CREATE VIEW naive AS SELECT * FROM read_parquet('{naive}')")
    c.execute(
        """CREATE TABLE joined AS SELECT lib.*, naive.amount AS naive_amount
        FROM lib LEFT JOIN naive ON lib.envelope_id = naive.id
         AND lib.account_id = naive.account_id
         AND lib.vendor_balance_type IS NOT DISTINCT FROM naive.vendor_balance_type"""
    )

    def one(sql: str) -> int:
        return int(c.sql(sql).fetchall()[0][0])

    library_rows = one("SELECT count(*) FROM lib")
    naive_rows = one("SELECT count(*) FROM naive")
    dropped_xml = one(
        "SELECT count(*) FROM joined WHERE naive_amount IS NULL AND vendor = 'mastercard-send' "
        "AND NOT EXISTS (SELECT 1 FROM naive WHERE naive.id = joined.envelope_id)"
    )
    matched = "naive_amount IS NOT NULL"
    sign = one(
        f"SELECT count(*) FROM joined WHERE {matched} AND amount < 0 "
        "AND naive_amount = -CAST(amount AS DOUBLE)"
    )
    minor = one(
        f"SELECT count(*) FROM joined WHERE {matched} AND vendor = 'mastercard-send' "
        "AND CAST(amount AS DOUBLE) <> naive_amount"
    )
    scale = one(
        f"SELECT count(*) FROM joined WHERE {matched} AND vendor <> 'mastercard-send' "
        "AND CAST(amount AS DOUBLE) = naive_amount "
        "AND amount_text <> CAST(naive_amount AS VARCHAR)"
    )
    float_digits = one(
        f"SELECT count(*) FROM joined WHERE {matched} AND vendor <> 'mastercard-send' "
        "AND TRY_CAST(CAST(naive_amount AS VARCHAR) AS DECIMAL(38, 18)) IS DISTINCT FROM amount "
        "AND NOT (amount < 0 AND naive_amount = -CAST(amount AS DOUBLE))"
    )
    wrong_rows = one(
        f"SELECT count(*) FROM joined WHERE {matched} AND (vendor = 'mastercard-send' "
        "OR (amount < 0 AND naive_amount = -CAST(amount AS DOUBLE)) "
        "OR amount_text <> CAST(naive_amount AS VARCHAR) "
        "OR TRY_CAST(CAST(naive_amount AS VARCHAR) AS DECIMAL(38, 18)) IS DISTINCT FROM amount)"
    )
    unmatched = one(
        "SELECT count(*) FROM joined WHERE naive_amount IS NULL AND NOT (vendor = "
        "'mastercard-send' AND NOT EXISTS (SELECT 1 FROM naive WHERE naive.id = envelope_id))"
    )
    rows = manifest["rows"]
    return [
        f"library rows {library_rows:,}, DuckDB rows {naive_rows:,}; "
        f"library rows DuckDB gets wrong or drops: "
        f"{wrong_rows + dropped_xml:,} ({(wrong_rows + dropped_xml) / library_rows:.0%})",
        f"  scale lost (12009.1000 read as 12009.1): {scale:,}",
        f"  sign not applied (Connect Debit, Send IN_DEBIT): {sign:,}",
        f"  minor units not applied (Send '1000' GBP is 10.00): {minor:,}",
        f"  float digits lost (the DOUBLE's shortest text is another number): {float_digits:,}",
        f"  dropped XML (Send XML bodies give no row): {dropped_xml:,}",
        f"  other library rows with no DuckDB row (Token otherBalances, ...): {unmatched:,}",
        f"  missing rejects: {rows['rejects']:,} reject rows and {rows['vendor_errors']:,} "
        "vendor errors have no DuckDB counterpart; bad bodies vanish or become rows",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench --batch", description=__doc__)
    parser.add_argument("--batch", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", default="100000,1000000", help="responses per run (default: %(default)s)"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated files and outputs here")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    python = sys.executable
    results: dict[int, dict[str, tuple[float, float, int]]] = {}
    wrong: list[str] = []
    for size in sizes:
        capture = folder / f"capture-{size}.jsonl"
        print(f"generating {size:,} envelopes into {capture}", file=sys.stderr, flush=True)
        generate(capture, size)
        row: dict[str, tuple[float, float, int]] = {}
        manifest: dict[str, Any] = {}
        for jobs in (1, 2):
            out = folder / f"out-{size}-jobs{jobs}"
            print(f"batch --jobs {jobs} ({size:,})", file=sys.stderr, flush=True)
            seconds, rss, _ = measure(
                [
                    python,
                    "-m",
                    "normalize",
                    "batch",
                    str(capture),
                    "--out",
                    str(out),
                    "--to",
                    "parquet",
                    "--jobs",
                    str(jobs),
                    "--quiet",
                ]
            )
            manifest = json.loads((out / "manifest.json").read_text())
            records = manifest["records"]
            row[f"batch --jobs {jobs}"] = (size / seconds, records / seconds, rss)
        records = manifest["records"]
        print(f"floor ({size:,})", file=sys.stderr, flush=True)
        seconds, rss, _ = measure(
            [python, "-c", _FLOOR, str(capture), str(records), str(folder / "floor.parquet")]
        )
        row["floor"] = (size / seconds, records / seconds, rss)
        print(f"duckdb read_json ({size:,})", file=sys.stderr, flush=True)
        naive = folder / f"naive-{size}.parquet"
        seconds, rss, printed = measure(_duckdb_command(capture, naive))
        naive_rows = int(printed.split()[-1])
        row["duckdb read_json"] = (size / seconds, naive_rows / seconds, rss)
        results[size] = row
        wrong = wrong_in_duckdb(folder / f"out-{size}-jobs1", naive, manifest)
        for jobs in (1, 2):
            out = folder / f"out-{size}-jobs{jobs}"
            if not args.keep:
                import shutil

                shutil.rmtree(out)
        if not args.keep:
            capture.unlink()

    names = list(next(iter(results.values())))
    header = (
        "| run | "
        + " | ".join(f"{size:,}: responses/s | records/s | peak RSS MiB" for size in sizes)
        + " |"
    )
    print(header)
    print("|---|" + "---|---|---|" * len(sizes))
    for name in names:
        cells = []
        for size in sizes:
            rate, records, rss = results[size][name]
            cells.append(f"{rate:,.0f} | {records:,.0f} | {rss / 1024:,.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()
    checks = []
    small, large = min(sizes), max(sizes)
    for name in ("batch --jobs 1", "batch --jobs 2"):
        ratio = results[large][name][2] / results[small][name][2]
        checks.append(
            (f"{name}: peak RSS at {large:,} / at {small:,} = {ratio:.2f} (<= 1.2)", ratio <= 1.2)
        )
    speedup = results[large]["batch --jobs 2"][0] / results[large]["batch --jobs 1"][0]
    checks.append((f"--jobs 2 / --jobs 1 = {speedup:.2f}x (>= 1.6)", speedup >= 1.6))
    floor = results[large]["floor"][0] / results[large]["batch --jobs 1"][0]
    checks.append((f"floor / --jobs 1 = {floor:.2f}x (<= 8)", floor <= 8))
    for text, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    print()
    print(f"What DuckDB read_json with a naive unnest gets wrong ({large:,} responses):")
    for line in wrong:
        print(line)
    if not args.keep:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    print(f"(cores: {os.cpu_count()}, maxrss of the largest process)", file=sys.stderr)
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"bench --batch took {time.monotonic() - started:.0f} s", file=sys.stderr)
    resource.getrusage(resource.RUSAGE_SELF)
    sys.exit(code)

"""``scripts/bench --batch``: the batch job against its floor and against naive DuckDB SQL.

Generates capture files from the bundled examples (``normalize/examples`` and the error
bodies of ``specs/capture/example.jsonl``: every vendor, JSON and XML, vendor errors), with
varied account ids, amounts and timestamps and about 1% corrupt lines, then, for each size
(100,000 and 1,000,000 responses by default), runs each of these in a process of its own:

* ``batch --jobs 1`` and ``batch --jobs 2`` (``--to parquet``), timed as the whole process;
* the fair floor: reading every response and writing the same tables, with nothing else
  done. It first loads the ``--jobs 1`` run's own output tables (``balances``, ``rejects``,
  ``vendor_errors``: the folder ``DIR/<table>/`` of part files, hive partitions read back
  as columns, when there is one, else ``DIR/<table>.parquet``) into memory as Python
  values, untimed; then it times reading every envelope with ``orjson``, parsing every
  body (``orjson`` for JSON, ``xml.parsers.expat`` over the whole document for XML, chosen
  by the envelope's ``content_type``, else by the first non-blank byte), and turning those
  rows into Arrow columns and Parquet files with the same schemas and zstd compression
  (what any pipeline that decodes bodies in Python must do to write its rows). Unlike the
  other runs, which are timed as whole processes, its time leaves out process start-up and
  imports (a fixed cost, which weighs on small sizes only);
* the old floor, for comparison: ``orjson.loads`` of every envelope and body (XML bodies
  fail there and cost next to nothing), plus one constant record written as many times as
  the job wrote balance rows, and no rejects or vendor errors;
* DuckDB ``read_json`` over the same envelopes with a naive SQL unnest per vendor.

It prints a Markdown table (one row per size: responses/s of ``--jobs 1``, ``--jobs 2``,
the fair floor and the old floor, peak RSS of the largest process, per-stage costs), the
per-stage costs of the ``--jobs 2`` run, what the DuckDB rows get wrong against the
library's rows, and last the checks, each PASS or FAIL with its numbers:

* at the largest size, ``--jobs 1`` within 5x of the fair floor (job time / floor time);
* at the largest size, ``--jobs 2`` at least 1.8x as fast as ``--jobs 1``;
* at the largest size, the parent's CPU time per response at most 1/12 of a worker's;
* peak RSS at the largest size within 1.2x of the smallest (``--jobs 1`` and ``--jobs 2``).

Per-stage costs come from ``manifest.json``: ``manifest["loads"][-1]["timing"]`` holds
``wall_seconds``, ``parent_cpu_seconds`` (the main process, without task work it did itself)
and ``worker_cpu_seconds`` (task work, summed over workers). With ``p`` and ``w`` the
parent's and the workers' CPU seconds per response, N workers in parallel and the parent
serial give a speed-up of ``(w + p) / max(w / N, p)``, printed for 2, 16 and 64 cores
beside the measured ``--jobs 2`` / ``--jobs 1``. A manifest without that key gives "n/a"
there, and the parent/worker check is n/a (not a failure). The exit status is 1 when a
check fails. ``--sizes 10000,50000`` picks other sizes; ``--keep DIR`` keeps the files.
"""

from __future__ import annotations

import argparse
import base64
import codecs
import dataclasses
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from xml.parsers import expat

import orjson
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

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
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, cwd=ROOT)
    if done.returncode:
        sys.stderr.write(done.stderr.decode())
        raise SystemExit(f"exit status {done.returncode}: {' '.join(command[:6])} ...")
    first, _, rest = done.stdout.decode().partition("\n")
    seconds, rss = first.split()
    return float(seconds), int(rss), rest


# --- the job's output -----------------------------------------------------------------------

OUTPUT_TABLES = ("balances", "rejects", "vendor_errors")


def _output(out: Path, name: str) -> ds.Dataset:
    """One of the job's tables in ``out``: the folder ``out/<name>/`` of part files (hive
    partitions read back as columns) when there is one, else ``out/<name>.parquet``."""
    folder = out / name
    if folder.is_dir():
        return ds.dataset(folder, format="parquet", partitioning="hive")
    return ds.dataset(out / f"{name}.parquet", format="parquet")


def output_rows(out: Path, name: str) -> int:
    return _output(out, name).count_rows()


def read_output(out: Path, name: str) -> pa.Table:
    """The rows of one of the job's tables, in memory, under the table's declared schema
    (``normalize.batch._schema``, with or without ``load_id``) when its columns are those,
    else as read."""
    from normalize.batch import _schema

    table = _output(out, name).to_table()
    declared = [getattr(_schema, "STORED", {}).get(name), _schema.TABLES.get(name)]
    for schema in declared:
        if schema is not None and set(schema.names) == set(table.column_names):
            try:
                return table.select(schema.names).cast(schema)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                break
    return table


# --- the floors -----------------------------------------------------------------------------

# Row groups of about the batch job's size.
_ROW_GROUP_ROWS = 65_536
_BLANK = b" \t\r\n"


def _is_xml(body: bytes, content_type: object) -> bool:
    """XML when the content type names XML, JSON when it names JSON, else XML when the first
    non-blank byte (after a byte order mark) is ``<``."""
    if isinstance(content_type, str):
        kind = content_type.lower()
        if "xml" in kind:
            return True
        if "json" in kind:
            return False
    return body.removeprefix(codecs.BOM_UTF8).lstrip(_BLANK)[:1] == b"<"


def parse_all(capture: Path) -> dict[str, int]:
    """Read every envelope of a capture file and parse every body: orjson for JSON, expat
    over the whole document for XML. Counts of each, and of what did not parse."""
    counts = {"json": 0, "xml": 0, "unparseable": 0}
    with capture.open("rb") as file:
        for line in file:
            try:
                envelope = orjson.loads(line)
                body = envelope.get("body")
                data = (
                    body.encode("utf-8")
                    if isinstance(body, str)
                    else base64.b64decode(envelope["body_base64"])
                )
                if _is_xml(data, envelope.get("content_type")):
                    expat.ParserCreate().Parse(data, True)
                    counts["xml"] += 1
                else:
                    orjson.loads(data)
                    counts["json"] += 1
            except (AttributeError, KeyError, TypeError, ValueError, expat.ExpatError):
                # orjson's and base64's errors, and a str that is not UTF-8, are ValueErrors.
                counts["unparseable"] += 1
    return counts


def write_tables(tables: dict[str, tuple[pa.Schema, dict[str, list[Any]]]], folder: Path) -> None:
    """Each table's rows, held as Python values (what any pipeline that decodes bodies in
    Python holds), turned into Arrow columns and written to Parquet in row groups of the
    job's size."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (schema, columns) in tables.items():
        rows = len(next(iter(columns.values()), []))
        with pq.ParquetWriter(folder / f"{name}.parquet", schema, compression="zstd") as writer:
            for start in range(0, rows, _ROW_GROUP_ROWS):
                end = start + _ROW_GROUP_ROWS
                writer.write_batch(
                    pa.record_batch(
                        [pa.array(columns[f.name][start:end], f.type) for f in schema],
                        schema=schema,
                    )
                )


def fair_floor(capture: Path, out: Path, folder: Path) -> dict[str, Any]:
    """The fair floor over ``capture``, writing what the job wrote into ``out``: the job's
    rows are loaded first as Python values, untimed; the seconds are parsing every body,
    and turning those rows into Arrow columns and Parquet files in ``folder``."""
    tables = {}
    for name in OUTPUT_TABLES:
        table = read_output(out, name)
        tables[name] = (table.schema, table.to_pydict())
    started = time.perf_counter()
    counts = parse_all(capture)
    write_tables(tables, folder)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "bodies": counts}


# Run in a process of its own (cwd: the project): prints fair_floor's result as JSON.
_FAIR_FLOOR = (
    "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]); "
    "import bench_batch; "
    "print(json.dumps(bench_batch.fair_floor(*map(Path, sys.argv[2:5]))))"
)


def _fair_floor_command(capture: Path, out: Path, folder: Path) -> list[str]:
    scripts = str(Path(__file__).resolve().parent)
    return [sys.executable, "-c", _FAIR_FLOOR, scripts, str(capture), str(out), str(folder)]


_OLD_FLOOR = """
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


# --- per-stage cost -------------------------------------------------------------------------

_TIMING_KEYS = ("wall_seconds", "parent_cpu_seconds", "worker_cpu_seconds")


def load_timing(manifest: dict[str, Any]) -> dict[str, float] | None:
    """``manifest["loads"][-1]["timing"]``, or None when the manifest has none."""
    loads = manifest.get("loads")
    if not isinstance(loads, list) or not loads or not isinstance(loads[-1], dict):
        return None
    timing = loads[-1].get("timing")
    if not isinstance(timing, dict):
        return None
    if not all(isinstance(timing.get(key), int | float) for key in _TIMING_KEYS):
        return None
    return {key: float(timing[key]) for key in _TIMING_KEYS}


def speedup(worker: float, parent: float, cores: int) -> float:
    """N workers in parallel, the parent serial: (w + p) / max(w / N, p)."""
    return (worker + parent) / max(worker / cores, parent)


# --- DuckDB ---------------------------------------------------------------------------------


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


def wrong_in_duckdb(library: Path, naive: Path, rows: dict[str, int]) -> list[str]:
    """What the naive rows get wrong against the library's (joined on envelope id, account
    and balance type; the library's Token/Finance/Connect/Send rows of the same kinds)."""
    import duckdb

    c = duckdb.connect()
    c.register("lib", read_output(library, "balances"))
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
    return [
        f"library rows {library_rows:,}, DuckDB rows {naive_rows:,}; "
        f"library rows DuckDB gets wrong or drops: "
        f"{wrong_rows + dropped_xml:,} ({(wrong_rows + dropped_xml) / max(library_rows, 1):.0%})",
        f"  scale lost (12009.1000 read as 12009.1): {scale:,}",
        f"  sign not applied (Connect Debit, Send IN_DEBIT): {sign:,}",
        f"  minor units not applied (Send '1000' GBP is 10.00): {minor:,}",
        f"  float digits lost (the DOUBLE's shortest text is another number): {float_digits:,}",
        f"  dropped XML (Send XML bodies give no row): {dropped_xml:,}",
        f"  other library rows with no DuckDB row (Token otherBalances, ...): {unmatched:,}",
        f"  missing rejects: {rows['rejects']:,} reject rows and {rows['vendor_errors']:,} "
        "vendor errors have no DuckDB counterpart; bad bodies vanish or become rows",
    ]


# --- running and reporting ------------------------------------------------------------------

JOBS_1, JOBS_2 = "batch --jobs 1", "batch --jobs 2"
FAIR_FLOOR, OLD_FLOOR, DUCKDB = "fair floor", "old floor", "duckdb read_json"


@dataclasses.dataclass
class Result:
    """One size's runs: seconds and peak RSS (KiB) by run, the job's rows by table, the
    ``--jobs 2`` run's timing (None when its manifest has none), the fair floor's bodies."""

    size: int
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)
    rss: dict[str, int] = dataclasses.field(default_factory=dict)
    rows: dict[str, int] = dataclasses.field(default_factory=dict)
    timing: dict[str, float] | None = None
    bodies: dict[str, int] = dataclasses.field(default_factory=dict)

    def rate(self, run: str) -> float:
        return self.size / self.seconds[run]

    def per_response(self) -> tuple[float, float] | None:
        """The parent's and a worker's CPU seconds per response (``--jobs 2``)."""
        if self.timing is None:
            return None
        return (
            self.timing["parent_cpu_seconds"] / self.size,
            self.timing["worker_cpu_seconds"] / self.size,
        )


def _batch_command(capture: Path, out: Path, jobs: int) -> list[str]:
    return [
        sys.executable,
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


def _step(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def run_size(size: int, folder: Path, keep: bool) -> tuple[Result, list[str]]:
    """Every run at one size, and what the DuckDB rows get wrong."""
    result = Result(size)
    capture = folder / f"capture-{size}.jsonl"
    _step(f"generating {size:,} envelopes into {capture}")
    generate(capture, size)
    outs = {jobs: folder / f"out-{size}-jobs{jobs}" for jobs in (1, 2)}
    for jobs, out in outs.items():
        name = JOBS_1 if jobs == 1 else JOBS_2
        _step(f"{name} ({size:,})")
        result.seconds[name], result.rss[name], _ = measure(_batch_command(capture, out, jobs))
        if jobs == 2:
            manifest = json.loads((out / "manifest.json").read_text())
            result.timing = load_timing(manifest)
    result.rows = {name: output_rows(outs[1], name) for name in OUTPUT_TABLES}

    _step(f"{FAIR_FLOOR} ({size:,})")
    fair = folder / f"fair-floor-{size}"
    _, result.rss[FAIR_FLOOR], printed = measure(_fair_floor_command(capture, outs[1], fair))
    floor = json.loads(printed)
    result.seconds[FAIR_FLOOR] = floor["seconds"]
    result.bodies = floor["bodies"]

    _step(f"{OLD_FLOOR} ({size:,})")
    old = folder / f"old-floor-{size}.parquet"
    result.seconds[OLD_FLOOR], result.rss[OLD_FLOOR], _ = measure(
        [sys.executable, "-c", _OLD_FLOOR, str(capture), str(result.rows["balances"]), str(old)]
    )

    _step(f"{DUCKDB} ({size:,})")
    naive = folder / f"naive-{size}.parquet"
    result.seconds[DUCKDB], result.rss[DUCKDB], _ = measure(_duckdb_command(capture, naive))
    wrong = wrong_in_duckdb(outs[1], naive, result.rows)

    if not keep:
        for path in (*outs.values(), fair):
            shutil.rmtree(path)
        for path in (capture, old, naive):
            path.unlink()
    return result, wrong


def _us(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1e6:,.1f}"


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}x"


def _mib(kib: int) -> str:
    return f"{kib / 1024:,.0f}"


def readme_table(results: list[Result]) -> list[str]:
    lines = [
        "| responses | --jobs 1 responses/s | --jobs 2 responses/s | fair floor responses/s "
        "| old floor responses/s | peak RSS MiB --jobs 1 | peak RSS MiB --jobs 2 "
        "| parent µs/response | worker µs/response |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        costs = result.per_response()
        parent, worker = costs if costs is not None else (None, None)
        cells = [
            f"{result.size:,}",
            *(f"{result.rate(run):,.0f}" for run in (JOBS_1, JOBS_2, FAIR_FLOOR, OLD_FLOOR)),
            _mib(result.rss[JOBS_1]),
            _mib(result.rss[JOBS_2]),
            _us(parent),
            _us(worker),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def stage_table(results: list[Result]) -> list[str]:
    lines = [
        "| responses | parent µs/response | worker µs/response | worker / parent "
        "| modelled speed-up, 2 cores | 16 cores | 64 cores | measured --jobs 2 / --jobs 1 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for result in results:
        measured = result.rate(JOBS_2) / result.rate(JOBS_1)
        costs = result.per_response()
        ratio = models = None
        if costs is not None:
            parent, worker = costs
            ratio = worker / parent if parent else float("inf")
            if worker + parent > 0:
                models = [speedup(worker, parent, cores) for cores in (2, 16, 64)]
        cells = [
            f"{result.size:,}",
            _us(costs[0] if costs else None),
            _us(costs[1] if costs else None),
            _times(ratio),
            *(_times(model) for model in (models or [None] * 3)),
            _times(measured),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def checks(results: list[Result]) -> list[tuple[str | None, str]]:
    """(PASS/FAIL, or None when it cannot be told, and the check with its numbers)."""
    by_size = {result.size: result for result in results}
    small, large = by_size[min(by_size)], by_size[max(by_size)]
    out: list[tuple[str | None, str]] = []

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "FAIL"

    job, floor = large.seconds[JOBS_1], large.seconds[FAIR_FLOOR]
    times = job / floor
    out.append(
        (
            verdict(times <= 5),
            f"--jobs 1 within 5x of the fair floor at {large.size:,}: job is {times:.2f}x "
            f"the floor (--jobs 1 {job:.2f} s, fair floor {floor:.2f} s)",
        )
    )
    faster = large.rate(JOBS_2) / large.rate(JOBS_1)
    out.append(
        (
            verdict(faster >= 1.8),
            f"--jobs 2 at least 1.8x --jobs 1 at {large.size:,}: {faster:.2f}x "
            f"(--jobs 1 {large.seconds[JOBS_1]:.2f} s, --jobs 2 {large.seconds[JOBS_2]:.2f} s)",
        )
    )
    costs = large.per_response()
    if costs is None:
        out.append(
            (
                None,
                f"parent at most 1/12 of a worker per response (--jobs 2, {large.size:,}): "
                "n/a, manifest.json has no loads[-1].timing",
            )
        )
    else:
        parent, worker = costs
        ratio = _times(worker / parent if parent else float("inf"))
        out.append(
            (
                verdict(parent * 12 <= worker),
                f"parent at most 1/12 of a worker per response (--jobs 2, {large.size:,}): "
                f"parent {_us(parent)} µs, worker {_us(worker)} µs, worker / parent {ratio}",
            )
        )
    for run in (JOBS_1, JOBS_2):
        grew = large.rss[run] / small.rss[run]
        out.append(
            (
                verdict(grew <= 1.2),
                f"{run}: peak RSS within 1.2x from {small.size:,} to {large.size:,}: "
                f"{_mib(small.rss[run])} -> {_mib(large.rss[run])} MiB = {grew:.2f}x",
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="scripts/bench --batch",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--batch", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes", default="100000,1000000", help="responses per run (default: %(default)s)"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated files and outputs here")
    args = parser.parse_args(argv)
    sizes = sorted({int(size) for size in args.sizes.split(",")})
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    folder.mkdir(parents=True, exist_ok=True)
    results: list[Result] = []
    wrong: list[str] = []
    try:
        for size in sizes:
            result, wrong = run_size(size, folder, keep=args.keep is not None)
            results.append(result)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    large = results[-1]

    for line in readme_table(results):
        print(line)
    print()
    print(
        "Times are whole-process wall times, but for the fair floor's: parsing every body and "
        "writing the job's tables, without start-up, imports and loading those tables. Peak "
        "RSS is that of the largest process; per-stage costs are the CPU time of the --jobs 2 "
        f"run; {os.cpu_count()} cores."
    )
    print()
    for result in results:
        bodies = result.bodies
        parsed = bodies["json"] + bodies["xml"]
        print(
            f"{result.size:,} responses: {result.rows['balances']:,} balance rows, "
            f"{result.rows['rejects']:,} rejects, {result.rows['vendor_errors']:,} vendor "
            f"errors; the fair floor parsed {bodies['json']:,} JSON and {bodies['xml']:,} XML "
            f"bodies ({bodies['xml'] / max(parsed, 1):.0%} XML), {bodies['unparseable']:,} "
            "did not parse"
        )
    print()
    print("Per-stage cost (--jobs 2, CPU time per response; speed-up (w + p) / max(w / N, p)):")
    print()
    for line in stage_table(results):
        print(line)
    print()
    print(
        "DuckDB read_json with a naive unnest: "
        + ", ".join(
            f"{result.rate(DUCKDB):,.0f} responses/s at {result.size:,} "
            f"({_mib(result.rss[DUCKDB])} MiB)"
            for result in results
        )
    )
    print(f"What it gets wrong ({large.size:,} responses):")
    for line in wrong:
        print(line)
    print()
    print("Checks:")
    verdicts = checks(results)
    for verdict, text in verdicts:
        print(f"{verdict or 'n/a '} {text}")
    return 1 if any(verdict == "FAIL" for verdict, _ in verdicts) else 0


if __name__ == "__main__":
    started = time.monotonic()
    code = main()
    print(f"bench --batch took {time.monotonic() - started:.0f} s", file=sys.stderr)
    sys.exit(code)

"""The queries a data team runs on the batch tables, checked on DuckDB and Spark.

- The exact per-currency sum: ``amount`` is ``DECIMAL(38,18)``, and so is ``SUM(amount)``
  in DuckDB, polars and Spark, which fail (or, in Spark without ANSI mode, give NULL) once a
  total needs more than 20 integer digits. The recipes sum the integer parts and the fractional
  parts apart and return the total as exact text; each is compared with Python's exact
  ``Decimal`` sum of the same amounts.
- The latest balance per account: the available balance where the account has one, else
  the vendor's other balance (Mastercard Send sends no balance type at all), checked on the
  rows of the real batch job and of ``normalize.spark``.

``scripts/demo`` runs the DuckDB forms of both; the last test keeps it in step with these.
"""

from __future__ import annotations

import decimal
import json
import random
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pytest
from pyspark.errors import ArithmeticException
from pyspark.sql import SparkSession

from normalize import spark as normalize_spark
from normalize.batch._schema import BALANCES

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "specs" / "capture" / "example.jsonl"

# --- The queries ------------------------------------------------------------------------------

# DuckDB: integer parts as HUGEINT (38 digits; trunc never adds a digit, so each part fits),
# fractional parts (each in (-1, 1)) as DECIMAL(38,18); then the carry, so that the rest is
# a fraction in [0, 1), and the total as exact text with 18 decimals.
EXACT_SUM_DUCKDB = """
WITH parts AS (
    SELECT currency,
           sum(CAST(trunc(amount) AS HUGEINT)) AS whole_sum,
           sum(amount - trunc(amount)) AS fraction_sum
    FROM balances
    GROUP BY currency
), carried AS (
    SELECT currency,
           whole_sum + CAST(floor(fraction_sum) AS HUGEINT) AS whole,
           fraction_sum - floor(fraction_sum) AS fraction
    FROM parts
)
SELECT currency,
       CASE WHEN whole >= 0 OR fraction = 0
            THEN CAST(whole AS VARCHAR) || substr(CAST(fraction AS VARCHAR), 2)
            ELSE '-' || CAST(-(whole + 1) AS VARCHAR) || substr(CAST(1 - fraction AS VARCHAR), 2)
       END AS total
FROM carried
ORDER BY currency
"""

# Spark SQL: no HUGEINT and no numeric trunc, and `amount - floor(amount)` is typed
# DECIMAL(38,16) (two decimals rounded away); floor (DECIMAL(21,0)) and pmod (DECIMAL(19,18),
# in [0, 1)) are exact. A decimal's text may come with an exponent (0E-18), so the rest is
# written from an integer: its units of 10^-18.
EXACT_SUM_SPARK = """
WITH parts AS (
    SELECT currency,
           sum(CAST(floor(amount) AS DECIMAL(38, 0))) AS whole_sum,
           sum(CAST(pmod(amount, 1) AS DECIMAL(38, 18))) AS fraction_sum
    FROM balances
    GROUP BY currency
), carried AS (
    SELECT currency,
           whole_sum + floor(fraction_sum) AS whole,
           CAST(CAST(pmod(fraction_sum, 1) AS DECIMAL(18, 18))
                * CAST(1000000000000000000 AS DECIMAL(19, 0)) AS DECIMAL(18, 0)) AS atto
    FROM parts
)
SELECT currency,
       CASE WHEN whole >= 0 OR atto = 0
            THEN CAST(whole AS STRING) || '.' || lpad(CAST(atto AS STRING), 18, '0')
            ELSE '-' || CAST(-(whole + 1) AS STRING) || '.'
                 || lpad(CAST(1000000000000000000 - atto AS STRING), 18, '0')
       END AS total
FROM carried
ORDER BY currency
"""

PLAIN_SUM = "SELECT currency, sum(amount) AS total FROM balances GROUP BY currency"

# DuckDB and Spark SQL alike.
LATEST_BALANCE = """
-- The latest available balance per account and currency (latest by as_of, else captured_at);
-- for an account with no available balance, the latest of its other balances.
-- What each vendor sends:
--   Open Finance AU and US: availableBalance (INTERIM_AVAILABLE) and clearedBalance
--     (INTERIM_BOOKED), both in every response (one of them may be rejected).
--   Open Banking Connect: each balance's balanceType as the bank names it (Available,
--     interimAvailable, closingBooked, ITAV, ...); an account may have no available type,
--     and balanceType is optional: a balance without one is UNCLASSIFIED.
--   Mastercard Send: no balance type at all: its one balance per account is UNCLASSIFIED,
--     vendor_balance_type NULL.
--   Token.io: current (INTERIM_BOOKED) and available (INTERIM_AVAILABLE), each optional,
--     and otherBalances of bank-defined types (UNCLASSIFIED without one).
SELECT vendor, account_id, currency, balance_type, vendor_balance_type, amount, balance_at
FROM (
    SELECT vendor, account_id, currency, balance_type, vendor_balance_type, amount,
           coalesce(as_of, captured_at) AS balance_at,
           row_number() OVER (
               PARTITION BY vendor, account_id, currency
               ORDER BY
                   CASE
                       WHEN balance_type IN ('INTERIM_AVAILABLE', 'CLOSING_AVAILABLE',
                                             'OPENING_AVAILABLE') THEN 1
                       WHEN balance_type IN ('INTERIM_BOOKED', 'CLOSING_BOOKED', 'OPENING_BOOKED',
                                             'INTERIM_CLEARED', 'CLOSING_CLEARED',
                                             'OPENING_CLEARED') THEN 2
                       ELSE 3  -- UNCLASSIFIED (all of Send's), EXPECTED, FORWARD_AVAILABLE, ...
                   END,
                   coalesce(as_of, captured_at) DESC NULLS LAST,
                   CASE WHEN balance_type LIKE 'INTERIM%' THEN 0 ELSE 1 END,
                   captured_at DESC NULLS LAST,
                   source_file DESC,
                   source_line DESC
           ) AS pick
    FROM balances
) AS ranked
WHERE pick = 1
ORDER BY vendor, account_id, currency
"""

# The query the README gave until now: only INTERIM_AVAILABLE rows.
AVAILABLE_ONLY = """
SELECT vendor, account_id, currency
FROM balances
WHERE balance_type = 'INTERIM_AVAILABLE'
QUALIFY row_number() OVER (
    PARTITION BY vendor, account_id, currency
    ORDER BY coalesce(as_of, captured_at) DESC NULLS LAST, source_line DESC) = 1
"""

# --- The exact sum ----------------------------------------------------------------------------

# Enough digits for any sum here: 20 integer digits, 18 decimals, and room for the count.
EXACT = decimal.Context(
    prec=80, traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow]
)
LARGEST = Decimal("99999999999999999999.999999999999999999")


def _amount(rng: random.Random, negative: bool) -> Decimal:
    """20 integer digits and 18 decimals, built from text (exact in any context)."""
    whole = rng.randrange(10**19, 10**20)
    fraction = rng.randrange(10**18)
    return Decimal(f"{'-' if negative else ''}{whole}.{fraction:018d}")


def _amounts() -> list[tuple[str, Decimal]]:
    rng = random.Random(20261206)
    rows: list[tuple[str, Decimal]] = []
    for _ in range(600):
        rows.append(("USD", _amount(rng, negative=rng.randrange(10) == 0)))  # mostly positive
        rows.append(("EUR", _amount(rng, negative=rng.randrange(10) != 0)))  # mostly negative
    # copy_negate, not unary minus: that rounds to the default context's 28 digits.
    rows += [
        ("USD", LARGEST),
        ("EUR", LARGEST.copy_negate()),
        ("EUR", Decimal("-0.000000000000000001")),
    ]
    # A total just past the limit.
    rows += [("CAD", Decimal("75000000000000000000.5"))] * 2
    # Large parts that cancel out, leaving -0.3: after the carry, whole -1 and fraction 0.7.
    big = _amount(rng, negative=False)
    rows += [("CHF", big), ("CHF", big.copy_negate()), ("CHF", Decimal("-0.3"))]
    rows += [("GBP", Decimal("-2.5")), ("GBP", Decimal("-2.5"))]  # -5: a whole negative total
    rows += [("SEK", Decimal("1.25")), ("SEK", Decimal("-1.25"))]  # zero
    rows += [("JPY", Decimal("0.000000000000000001"))] * 3
    rows += [("NOK", LARGEST.copy_negate())] * 2 + [("NOK", Decimal("0.000000000000000001"))]
    return rows


AMOUNTS = _amounts()
# The currencies whose total needs more than 20 integer digits.
OVERFLOWING = {"USD", "EUR", "CAD", "NOK"}


def _expected() -> dict[str, str]:
    """Python's exact sum per currency, as text with 18 decimals."""
    totals: dict[str, Decimal] = {}
    for currency, amount in AMOUNTS:
        totals[currency] = EXACT.add(totals.get(currency, Decimal(0)), amount)
    return {
        currency: format(EXACT.quantize(total, Decimal("1E-18")), "f")
        for currency, total in sorted(totals.items())
    }


def _balances_arrow() -> pa.Table:
    amount_type = BALANCES.field("amount").type
    assert amount_type == pa.decimal128(38, 18)
    return pa.table(
        {
            "currency": pa.array([currency for currency, _ in AMOUNTS], pa.string()),
            "amount": pa.array([amount for _, amount in AMOUNTS], amount_type),
        }
    )


def test_the_amounts_overflow_decimal_38_18() -> None:
    # copy_abs, not abs(): abs() rounds to the context's precision.
    expected = _expected()
    too_large = {c for c, total in expected.items() if Decimal(total).copy_abs() >= 10**20}
    assert too_large == OVERFLOWING
    assert all(amount.copy_abs() < 10**20 for _, amount in AMOUNTS)
    assert all(amount.as_tuple().exponent >= -18 for _, amount in AMOUNTS)
    assert sum(amount.copy_abs() >= 10**19 for _, amount in AMOUNTS) > 1000


def test_exact_sum_on_duckdb() -> None:
    connection = duckdb.connect()
    connection.register("balances", _balances_arrow())
    with pytest.raises(duckdb.OutOfRangeException, match="Overflow"):
        connection.sql(PLAIN_SUM).fetchall()
    # Where the total fits, the plain sum agrees with the expected one.
    fitting = {c: total for c, total in _expected().items() if c not in OVERFLOWING}
    plain = connection.sql(
        "SELECT currency, sum(amount) FROM balances"
        f" WHERE currency IN ({', '.join(repr(c) for c in fitting)}) GROUP BY currency"
    ).fetchall()
    assert {currency: format(total, "f") for currency, total in plain} == fitting
    assert connection.sql(EXACT_SUM_DUCKDB).fetchall() == sorted(_expected().items())


def test_exact_sum_of_a_polars_frame_through_duckdb() -> None:
    frame = pl.from_arrow(_balances_arrow())
    assert isinstance(frame, pl.DataFrame)
    with pytest.raises(pl.exceptions.ComputeError, match="overflow"):
        frame.group_by("currency").agg(pl.col("amount").sum())
    connection = duckdb.connect()
    connection.register("balances", frame)
    assert connection.sql(EXACT_SUM_DUCKDB).fetchall() == sorted(_expected().items())


@pytest.fixture
def spark_balances(spark: SparkSession) -> Iterator[SparkSession]:
    spark.createDataFrame(_balances_arrow()).createOrReplaceTempView("balances")
    try:
        yield spark
    finally:
        spark.catalog.dropTempView("balances")


@pytest.mark.parametrize("ansi", ["true", "false"])
@pytest.mark.parametrize("precision_loss", ["true", "false"])
def test_exact_sum_on_spark(spark_balances: SparkSession, ansi: str, precision_loss: str) -> None:
    spark = spark_balances
    settings = {
        "spark.sql.ansi.enabled": ansi,
        "spark.sql.decimalOperations.allowPrecisionLoss": precision_loss,
    }
    before = {key: spark.conf.get(key) for key in settings}
    try:
        for key, value in settings.items():
            spark.conf.set(key, value)
        if ansi == "true":
            with pytest.raises(ArithmeticException, match="ARITHMETIC_OVERFLOW"):
                spark.sql(PLAIN_SUM).collect()
        else:
            plain = {row["currency"]: row["total"] for row in spark.sql(PLAIN_SUM).collect()}
            assert {currency for currency, total in plain.items() if total is None} == OVERFLOWING
        rows = spark.sql(EXACT_SUM_SPARK).collect()
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)
    assert [(row["currency"], row["total"]) for row in rows] == sorted(_expected().items())


# --- The latest balance per account ----------------------------------------------------------

AU = "mastercard-open-finance-au"
US = "mastercard-open-finance-us"
CONNECT = "mastercard-open-banking-connect"
SEND = "mastercard-send"
TOKEN = "token-io"
SEND_TOKEN = "non_card_token:suZz18lhAFvx9LQa6U2VMxs0BJLAD_TXVzYvaqTsjcG_AImuzmv"

# specs/capture/example.jsonl, read by hand: (vendor, account, currency) -> the balance the
# query must give (type, amount, when). Left out: AU 15430040 (currency "AUS") and Connect
# acc-4d5e6f7a... (its only balance a SignConflict) are rejects, with no balances row.
EXAMPLE_LATEST: dict[tuple[str, str, str], tuple[str, Decimal, datetime]] = {
    (AU, "15430035", "AUD"): (
        "INTERIM_AVAILABLE",
        Decimal("801.39"),
        datetime(2024, 8, 1, 9, 39, 55, tzinfo=UTC),
    ),
    (AU, "15430036", "AUD"): (
        "INTERIM_AVAILABLE",
        Decimal("-25.15"),
        datetime(2024, 8, 1, 9, 39, 55, tzinfo=UTC),
    ),
    (US, "5011648377", "USD"): (
        "INTERIM_AVAILABLE",
        Decimal("1233.45"),
        datetime(2025, 1, 1, 12, tzinfo=UTC),
    ),
    (US, "5011648380", "USD"): (
        "INTERIM_AVAILABLE",
        Decimal("-12345678901234567.89"),
        datetime(2025, 1, 1, 12, tzinfo=UTC),
    ),
    (CONNECT, "acc-3f2a9c4d5e6f47a8b9c0d1e2f3a4b5c6", "EUR"): (
        "INTERIM_AVAILABLE",
        Decimal("102.56"),
        datetime(2026, 3, 9, 16, 56, 0, 9872, tzinfo=UTC),  # no dateTime: captured_at
    ),
    (CONNECT, "acc-9d8c7b6a5f4e43d2c1b0a9f8e7d6c5b4", "GBP"): (
        "INTERIM_AVAILABLE",
        Decimal("0.00"),
        datetime(2024, 3, 6, 9, 15, tzinfo=UTC),
    ),
    # Send: one untyped balance per account; NXQ is in lines 12 (2018) and 13 (2012).
    (SEND, SEND_TOKEN + "NXQ", "GBP"): (
        "UNCLASSIFIED",
        Decimal("10.00"),
        datetime(2018, 5, 18, 10, 19, 22, tzinfo=UTC),
    ),
    (SEND, SEND_TOKEN + "abc", "GBP"): (
        "UNCLASSIFIED",
        Decimal("130.00"),
        datetime(2013, 5, 18, 10, 19, 22, tzinfo=UTC),
    ),
    (SEND, SEND_TOKEN + "def", "GBP"): (
        "UNCLASSIFIED",
        Decimal("50.00"),
        datetime(2014, 5, 18, 10, 19, 22, tzinfo=UTC),
    ),
    (SEND, "non_card_token:overdrawnAccount0001", "GBP"): (
        "UNCLASSIFIED",
        Decimal("-25.50"),
        datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
    ),
    # Token: no updatedAtMs, so captured_at; 8DbP... is in lines 17 and 18.
    (TOKEN, "a:8DbPteGnytmMbKXdnWTReeRB6cYWKXZ84JgLTBC7fKL4:5zKcENpV", "USD"): (
        "INTERIM_AVAILABLE",
        Decimal("12009.1000"),
        datetime(2026, 3, 19, 16, 6, 0, 22212, tzinfo=UTC),
    ),
    (TOKEN, "a:3WqLmYbT7cRkVd2hXn9sJpF4gZe6uA8oKyB1iC5wNtHx:5zKcENpW", "EUR"): (
        "INTERIM_AVAILABLE",
        Decimal("374.5000"),
        datetime(2026, 3, 19, 16, 6, 0, 22212, tzinfo=UTC),
    ),
    (TOKEN, "a:firstAccount:5zKcENq1", "USD"): (
        "INTERIM_AVAILABLE",
        Decimal("90.0000"),
        datetime(2026, 3, 20, 17, 13, 0, 23446, tzinfo=UTC),
    ),
    # Its current ("12,50") is rejected; its available is kept.
    (TOKEN, "a:commaDecimal:5zKcENq2", "EUR"): (
        "INTERIM_AVAILABLE",
        Decimal("12.50"),
        datetime(2026, 3, 21, 8, 20, 0, 24680, tzinfo=UTC),
    ),
}


def _run_batch(inputs: Path, out: Path) -> duckdb.DuckDBPyConnection:
    done = subprocess.run(
        [sys.executable, "-m", "normalize", "batch", str(inputs), "--out", str(out), "--jobs", "1"],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    connection = duckdb.connect(str(out / "balances.duckdb"), read_only=True)
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _latest(connection: duckdb.DuckDBPyConnection) -> dict[tuple[str, str, str], Any]:
    rows = connection.sql(LATEST_BALANCE).fetchall()
    found = {
        (vendor, account, currency): (kind, amount, at)
        for (vendor, account, currency, kind, _, amount, at) in rows
    }
    assert len(found) == len(rows)
    return found


@pytest.fixture(scope="module")
def example_tables(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    connection = _run_batch(EXAMPLE, tmp_path_factory.mktemp("example"))
    yield connection
    connection.close()


def test_latest_balance_gives_every_account_of_every_vendor(example_tables: Any) -> None:
    connection = example_tables
    found = _latest(connection)
    # Every (vendor, account, currency) with a balances row, and nothing else.
    stored = set(
        connection.sql("SELECT DISTINCT vendor, account_id, currency FROM balances").fetchall()
    )
    assert set(found) == stored
    vendors = {
        vendor for (vendor,) in connection.sql("SELECT DISTINCT vendor FROM balances").fetchall()
    }
    assert vendors == {AU, US, CONNECT, SEND, TOKEN}
    assert {vendor for vendor, _, _ in found} == vendors
    # And each the balance read by hand from the example file.
    assert found == EXAMPLE_LATEST


def test_the_available_only_query_misses_send(example_tables: Any) -> None:
    missed = set(EXAMPLE_LATEST) - set(example_tables.sql(AVAILABLE_ONLY).fetchall())
    assert {vendor for vendor, _, _ in missed} == {SEND}
    assert len(missed) == 4


def _envelope(vendor: str, body: str, captured_at: str) -> str:
    return json.dumps({"vendor": vendor, "body": body, "status": 200, "captured_at": captured_at})


def _connect(account: str, *balances: dict[str, Any]) -> str:
    return json.dumps(
        {
            "originalRequestInfo": {"xRequestId": "6b1c2f0e-3d4a-4f5b-9c8d-7e6f5a4b3c2d"},
            "account": {"resourceId": account, "balances": list(balances)},
        }
    )


def _token(account: str, **balances: str) -> str:
    money = {name: {"currency": "USD", "value": value} for name, value in balances.items()}
    return json.dumps({"balance": {"accountId": account, **money}, "status": "SUCCESSFUL_REQUEST"})


# Responses without an available balance, each with the balance the query must fall back to.
FALLBACK_LINES = [
    # Only closingBooked.
    _envelope(
        CONNECT,
        _connect(
            "acc-closing-booked",
            {
                "balanceAmount": {"currency": "EUR", "amount": "5.00"},
                "balanceType": "closingBooked",
                "creditDebitIndicator": "Debit",
                "dateTime": "2026-01-31T23:59:59+00:00",
            },
        ),
        "2026-02-01T08:00:00Z",
    ),
    # No balanceType at all.
    _envelope(
        CONNECT,
        _connect(
            "acc-no-type",
            {
                "balanceAmount": {"currency": "EUR", "amount": "7.25"},
                "creditDebitIndicator": "Credit",
            },
        ),
        "2026-02-01T08:00:01Z",
    ),
    # An older closingAvailable beats a newer interimBooked.
    _envelope(
        CONNECT,
        _connect(
            "acc-closing-available",
            {
                "balanceAmount": {"currency": "EUR", "amount": "80.00"},
                "balanceType": "closingAvailable",
                "creditDebitIndicator": "Credit",
                "dateTime": "2026-01-30T23:59:59+00:00",
            },
            {
                "balanceAmount": {"currency": "EUR", "amount": "95.00"},
                "balanceType": "interimBooked",
                "creditDebitIndicator": "Credit",
                "dateTime": "2026-01-31T12:00:00+00:00",
            },
        ),
        "2026-02-01T08:00:02Z",
    ),
    # Only current.
    _envelope(TOKEN, _token("a:onlyCurrent", current="40.0000"), "2026-02-01T08:00:03Z"),
    # Available in an older response, only current in a newer one: the older available.
    _envelope(
        TOKEN,
        _token("a:availableBefore", current="65.0000", available="60.0000"),
        "2026-01-01T00:00:00Z",
    ),
    _envelope(TOKEN, _token("a:availableBefore", current="70.0000"), "2026-02-01T08:00:04Z"),
    # availableBalance out of range (21 integer digits): rejected, clearedBalance kept.
    _envelope(
        AU,
        '{"id": 99, "availableBalance": 123456789012345678901.5,'
        ' "availableBalanceDate": 1767225600, "clearedBalance": 10.5,'
        ' "clearedBalanceDate": 1767225600, "currency": "AUD"}',
        "2026-02-01T08:00:05Z",
    ),
]
FALLBACK_LATEST = {
    (CONNECT, "acc-closing-booked", "EUR"): ("CLOSING_BOOKED", Decimal("-5.00")),
    (CONNECT, "acc-no-type", "EUR"): ("UNCLASSIFIED", Decimal("7.25")),
    (CONNECT, "acc-closing-available", "EUR"): ("CLOSING_AVAILABLE", Decimal("80.00")),
    (TOKEN, "a:onlyCurrent", "USD"): ("INTERIM_BOOKED", Decimal("40.0000")),
    (TOKEN, "a:availableBefore", "USD"): ("INTERIM_AVAILABLE", Decimal("60.0000")),
    (AU, "99", "AUD"): ("INTERIM_BOOKED", Decimal("10.5")),
}


def test_latest_balance_falls_back_to_the_other_balance(tmp_path: Path) -> None:
    capture = tmp_path / "fallback.jsonl"
    capture.write_text("\n".join(FALLBACK_LINES) + "\n", encoding="utf-8")
    connection = _run_batch(capture, tmp_path / "out")
    try:
        found = {key: (kind, amount) for key, (kind, amount, _) in _latest(connection).items()}
        assert found == FALLBACK_LATEST
        # The available-only query gives only the account that had an available balance.
        assert set(connection.sql(AVAILABLE_ONLY).fetchall()) == {
            (TOKEN, "a:availableBefore", "USD")
        }
        # The AU response did give a problem (its availableBalance) beside its record.
        rejected = connection.sql("SELECT vendor, path FROM rejects").fetchall()
        assert rejected == [(AU, "$.availableBalance")]
    finally:
        connection.close()


def test_latest_balance_on_spark(spark: SparkSession) -> None:
    tables = normalize_spark.from_capture_files(spark, str(EXAMPLE))
    try:
        tables.balances.createOrReplaceTempView("balances")
        rows = spark.sql(LATEST_BALANCE).collect()
    finally:
        spark.catalog.dropTempView("balances")
        tables.unpersist()
    found = {
        (row["vendor"], row["account_id"], row["currency"]): (row["balance_type"], row["amount"])
        for row in rows
    }
    assert found == {key: (kind, amount) for key, (kind, amount, _) in EXAMPLE_LATEST.items()}
    assert len(rows) == len(EXAMPLE_LATEST)


# --- scripts/demo runs these queries ----------------------------------------------------------


def _words(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def test_the_demo_runs_the_queries_tested_here() -> None:
    demo = _words((ROOT / "scripts" / "demo").read_text(encoding="utf-8"))
    assert _words(LATEST_BALANCE) in demo
    assert _words(EXACT_SUM_DUCKDB) in demo

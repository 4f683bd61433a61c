"""Shared pytest fixtures."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import prism
import pytest

# --- Prism mock servers (tests/prism.py), for tests/test_live_prism.py ------------------------


@pytest.fixture(scope="session")
def prism_servers(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, prism.PrismServer]]:
    """One Prism mock server per vendor spec on 127.0.0.1, keyed by vendor id.

    Started together (in parallel) the first time a test asks, stopped at the end of the
    session. Without Prism installed (node_modules/ missing) this fails, never skips: the
    live tests are part of the check.
    """
    problem = None
    try:
        servers = prism.start_all(tmp_path_factory.mktemp("prism"))
    except prism.PrismUnavailable as exc:
        problem = str(exc)
    if problem is not None:
        pytest.fail(problem, pytrace=False)
    try:
        yield servers
    finally:
        prism.stop_all(servers)


# --- end of the Prism section -------------------------------------------------------------------


# --- One Spark session in local[2] for the run (tests/test_spark.py, tests/test_doors.py) ------


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """Spark in local mode on 127.0.0.1, started on first use and stopped at the end.

    The executors' Python is set as Spark documents it: ``PYSPARK_PYTHON`` in the
    environment, before the session (and its JVM) starts, pointing at the interpreter
    running the tests, where the library and its ``spark`` extra are installed. The
    environment is given back as it was when the session stops."""
    from pyspark.sql import SparkSession

    settings = {
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "SPARK_LOCAL_IP": "127.0.0.1",
    }
    before = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        session = (
            SparkSession.builder.master("local[2]")
            .appName("balance-normalize-tests")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate()
        )
        try:
            yield session
        finally:
            session.stop()
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# --- The canonical contract: every to_dict() output in the tests matches the published schema --


@pytest.fixture(autouse=True, scope="session")
def _to_dict_matches_the_published_schema() -> Iterator[None]:
    """For the whole session, ``BalanceRecord.to_dict`` validates what it returns against
    specs/canonical/balance-record.schema.json and raises AssertionError on a mismatch."""
    import json
    from pathlib import Path

    from jsonschema import Draft202012Validator

    from normalize import BalanceRecord

    path = Path(__file__).resolve().parent.parent / "specs/canonical/balance-record.schema.json"
    validator = Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))
    original = BalanceRecord.to_dict

    def to_dict(self: BalanceRecord) -> Any:
        data = original(self)
        problems = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]
        if problems:
            raise AssertionError(f"to_dict() breaks {path.name}: {problems}: {data}")
        return data

    patch = pytest.MonkeyPatch()
    patch.setattr(BalanceRecord, "to_dict", to_dict)
    try:
        yield
    finally:
        patch.undo()


# --- end of the canonical contract section ------------------------------------------------------

"""Session fixtures for the tests and for the code blocks of README.md and docs/pages/*.md.

tests/conftest.py registers this module as a plugin, so its fixtures are visible to every
collected item, Markdown code blocks included (pytest-markdown-docs: a block whose fence
says ``fixture:<name>`` gets that fixture's value as the global ``<name>``).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import prism
import pytest

ROOT = Path(__file__).resolve().parent.parent

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


# --- What the documentation's code blocks name -------------------------------------------------


@pytest.fixture
def mock_base_url(prism_servers: dict[str, prism.PrismServer]) -> dict[str, str]:
    """Vendor id -> the base URL of its local Prism mock server, for the live examples."""
    return {vendor: server.base_url for vendor, server in prism_servers.items()}


@pytest.fixture(scope="session")
def _example_tables(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """specs/capture/example.jsonl through the batch job, once: ``duckdb/tables`` and
    ``parquet/tables``."""
    out = tmp_path_factory.mktemp("example-tables")
    example = ROOT / "specs" / "capture" / "example.jsonl"
    for to in ("duckdb", "parquet"):
        tables = out / to / "tables"
        command = ["-m", "normalize", "batch", str(example), "--out", str(tables), "--to", to]
        subprocess.run([sys.executable, *command], check=True, capture_output=True)
    return out


@pytest.fixture
def example_folder(_example_tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new working folder, the current one, as the examples assume: ``specs/``,
    ``tests/`` and ``normalize/`` of the project; ``tables/``, the example capture file
    through ``batch`` (``balances.duckdb``, and the ``--to parquet`` dataset beside it);
    ``key.p12``, a PKCS#12 signing key (password ``keystore-password``)."""
    for name in ("specs", "tests", "normalize"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "tables").mkdir()
    for made in (_example_tables / "duckdb" / "tables", _example_tables / "parquet" / "tables"):
        for path in made.iterdir():
            if not (tmp_path / "tables" / path.name).exists():
                (tmp_path / "tables" / path.name).symlink_to(path)
    (tmp_path / "key.p12").write_bytes(_keystore())
    monkeypatch.chdir(tmp_path)
    return tmp_path


@functools.cache
def _keystore() -> bytes:
    """A throwaway RSA signing key in a PKCS#12 file, password ``keystore-password``."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "balance-normalize docs")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(b"keystore-password")
    return pkcs12.serialize_key_and_certificates(b"key", key, certificate, None, encryption)

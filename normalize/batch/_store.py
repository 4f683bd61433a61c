"""DIR as a run leaves it: the tables, ``manifest.json`` and how a run commits.

A run writes everything new into its partial folder ``DIR/.partial-<pid>`` (hidden: no
glob over ``DIR/balances/`` and no ``balances.duckdb`` shows it). The commit point is the
moment ``COMMIT.json`` (the renames and removals still to do) is renamed into that folder;
the steps it lists are then done, the manifest last. A run that dies before the commit
point leaves DIR's tables and manifest as they were (its partial folder is removed by the
next run); one that dies between the commit point and the end has its commit finished by
the next run, which does nothing else first (one stopped there by a signal or an error
finishes it itself: ``settle``). All of it happens under DIR's lock.

Layout:

- ``--to duckdb``: ``DIR/balances.duckdb`` with the tables ``balances``, ``rejects``,
  ``vendor_errors`` and ``loads``. The run works on a copy (when DIR's database has
  anything a run does not write, or it appends) and renames it into place, so whatever a
  user made inside the file (views, tables, macros) is kept.
- ``--to parquet``: ``DIR/balances/``, ``DIR/rejects/``, ``DIR/vendor_errors/``, folders of
  part files (hive partitions inside when asked for), each file with the run's metadata.

Nothing in DIR is removed unless the manifest says a run wrote it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from ._parts import PartFile
from ._schema import STORED

MANIFEST = "manifest.json"
MANIFEST_VERSION = 2
DUCKDB_FILE = "balances.duckdb"
PARTIAL_PREFIX = ".partial-"
COMMIT = "COMMIT.json"
LOADS = "loads"

_DUCKDB_TYPES = {
    "string": "VARCHAR",
    "large_binary": "BLOB",
    "int64": "BIGINT",
    "int32": "INTEGER",
    "decimal128(38, 18)": "DECIMAL(38, 18)",
    "timestamp[us, tz=UTC]": "TIMESTAMPTZ",
}
# The load history table, one row per load (DuckDB; the manifest's "loads" list holds
# the same).
LOAD_COLUMNS = (
    ("load_id", "VARCHAR NOT NULL"),
    ("mode", "VARCHAR NOT NULL"),
    ("started_at", "TIMESTAMPTZ NOT NULL"),
    ("finished_at", "TIMESTAMPTZ NOT NULL"),
    ("library_version", "VARCHAR NOT NULL"),
    ("schema_id", "VARCHAR NOT NULL"),
    ("spec_versions", "VARCHAR NOT NULL"),  # JSON object: vendor id -> spec version
    ("inputs", "VARCHAR NOT NULL"),  # JSON list, as the manifest's load entry
    ("skipped", "VARCHAR NOT NULL"),
    ("unreadable", "VARCHAR NOT NULL"),
    ("responses", "BIGINT NOT NULL"),
    ("landed_records", "BIGINT NOT NULL"),
    ("landed_partial", "BIGINT NOT NULL"),
    ("landed_vendor_error", "BIGINT NOT NULL"),
    ("landed_rejected", "BIGINT NOT NULL"),
    ("rows_balances", "BIGINT NOT NULL"),
    ("rows_rejects", "BIGINT NOT NULL"),
    ("rows_vendor_errors", "BIGINT NOT NULL"),
    ("internal_errors", "BIGINT NOT NULL"),
)


class CommitUnfinished(OSError):
    """The load is committed (past the commit point) but putting it in place failed; the
    next run finishes it before anything else."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(
            f"the load is committed, but putting it in place failed ({cause}); "
            "the next run into DIR finishes it"
        )


class DatabaseInUse(Exception):
    """Another process has DIR's database open for writing: what it writes meanwhile would
    be lost when the run's copy is renamed into place."""


class LayoutMismatch(Exception):
    """DIR holds tables this run cannot add to or replace without losing something: a
    usage error, with what to do instead."""


def duckdb_columns(schema: pa.Schema) -> str:
    """The DuckDB column definitions of an Arrow schema (dictionary strings are VARCHAR)."""
    columns = []
    for field in schema:
        arrow_type = field.type
        if pa.types.is_dictionary(arrow_type):
            arrow_type = arrow_type.value_type
        sql = _DUCKDB_TYPES[str(arrow_type)]
        columns.append(f'"{field.name}" {sql}' + ("" if field.nullable else " NOT NULL"))
    return ", ".join(columns)


# --- the manifest ---------------------------------------------------------------------------


def read_manifest(out: Path) -> dict[str, Any] | None:
    """DIR's manifest, or None when there is none. LayoutMismatch when it cannot be read
    (a run would not know what DIR holds)."""
    path = out / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LayoutMismatch(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        manifest = json.loads(text)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or not _well_formed(manifest):
        raise LayoutMismatch(
            f"{path} is not a manifest this library wrote; use another --out, or remove it"
        )
    return manifest


def _well_formed(manifest: dict[str, Any]) -> bool:
    """The keys a run reads, of the types it reads them as."""
    if manifest.get("manifest_version") is None:  # the first layout: to, outputs
        options = manifest.get("options")
        return (
            isinstance(options, dict)
            and isinstance(options.get("to"), str)
            and _list_of_dicts(manifest.get("outputs"))
        )
    return (
        manifest.get("manifest_version") == MANIFEST_VERSION
        and isinstance(manifest.get("to"), str)
        and isinstance(manifest.get("partition_by"), list)
        and all(isinstance(key, str) for key in manifest["partition_by"])
        and all(
            _list_of_dicts(manifest.get(key))
            for key in ("outputs", "inputs", "loads", "unreadable")
        )
        and all(_well_formed_load(load) for load in manifest["loads"])
    )


def _well_formed_load(load: dict[str, Any]) -> bool:
    from ._convert import LANDINGS

    landed, rows = load.get("landed"), load.get("rows")
    return (
        isinstance(load.get("responses"), int)
        and isinstance(load.get("internal_errors"), int)
        and isinstance(landed, dict)
        and all(isinstance(landed.get(kind), int) for kind in LANDINGS)
        and isinstance(rows, dict)
        and all(isinstance(rows.get(name), int) for name in STORED)
        and _list_of_dicts(load.get("inputs"))
        and _list_of_dicts(load.get("unreadable"))
    )


def _list_of_dicts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


def written_by_runs(manifest: dict[str, Any]) -> list[str]:
    """Every file (relative to DIR) the manifest says a run wrote."""
    paths = []
    for output in manifest.get("outputs", []):
        path = output.get("path") if isinstance(output, dict) else None
        # Only a path inside DIR: an edited manifest never makes a run remove anything else.
        if (
            isinstance(path, str)
            and path
            and not os.path.isabs(path)
            and ".." not in path.split("/")
        ):
            paths.append(path)
    return paths


def check_strays(out: Path, manifest: dict[str, Any] | None) -> None:
    """LayoutMismatch when DIR holds a table file or folder no manifest describes (a run
    would otherwise replace or mix with tables it did not write)."""
    if manifest is not None:
        return
    strays = [name for name in (DUCKDB_FILE, *STORED) if (out / name).exists()]
    if strays:
        raise LayoutMismatch(
            f"DIR holds {', '.join(strays)} but no manifest.json says a run wrote it: use "
            "another --out, or move it away"
        )


def check_layout(
    manifest: dict[str, Any] | None, *, to: str, partition_by: Sequence[str], append: bool
) -> None:
    """LayoutMismatch when this run cannot write DIR as asked."""
    if manifest is None:
        return
    version = manifest.get("manifest_version")
    held = manifest.get("options", {}).get("to") if version is None else manifest.get("to")
    if held != to:
        raise LayoutMismatch(
            f"DIR holds {held} tables; --to {to} would leave them beside a manifest that no "
            "longer describes them: use another --out, or remove DIR's tables and "
            "manifest.json first"
        )
    if not append:
        return
    if version != MANIFEST_VERSION:
        raise LayoutMismatch(
            "DIR holds tables of an earlier layout (no load history): run without --append "
            "to replace them, or use another --out"
        )
    if set(manifest.get("partition_by", [])) != set(partition_by):  # the order is no layout
        raise LayoutMismatch(
            f"DIR's dataset is partitioned by {manifest.get('partition_by', [])}; "
            f"--append must use the same --partition-by"
        )


# --- the commit -----------------------------------------------------------------------------


def _fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(path: Path, text: str) -> None:
    """``text`` into ``path`` durably (written to a temporary name, synced, renamed)."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(temporary, path)
    _fsync_folder(path.parent)


def commit(
    out: Path, partial: Path, moves: Sequence[tuple[str, str]], removals: Sequence[str]
) -> None:
    """Pass the commit point (``COMMIT.json`` in the partial folder), then do it: moves
    (relative to DIR), removals, the manifest (``partial/manifest.json``) last."""
    journal = {
        "moves": [[source, target] for source, target in moves],
        "removals": list(removals),
        "manifest": str((partial / MANIFEST).relative_to(out)),
    }
    for source, _ in moves:
        with open(out / source, "rb") as file:
            os.fsync(file.fileno())
    with _signals_held():
        write_file(partial / COMMIT, json.dumps(journal))
        try:
            _finish(out, journal)
        except OSError as exc:
            raise CommitUnfinished(exc) from None


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """SIGINT and SIGTERM ignored while a run commits (a few renames): from the commit
    point on, the run finishes and says so, rather than stopping half way and reporting
    an interruption of a load that is in place."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = {
        number: signal.signal(number, signal.SIG_IGN) for number in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)


def _finish(out: Path, journal: dict[str, Any]) -> None:
    """The commit's steps, each safe to repeat: the new files into place, the manifest
    naming them, then the old files' removal (so the manifest in place never names a file
    already gone). A database's write-ahead log goes before the new database, which it
    does not belong to."""
    removals = [str(removal) for removal in journal["removals"]]
    for removal in removals:
        if removal.endswith(".wal"):
            (out / removal).unlink(missing_ok=True)
    for source, target in journal["moves"]:
        if (out / source).exists():
            (out / target).parent.mkdir(parents=True, exist_ok=True)
            os.replace(out / source, out / target)
    manifest = out / journal["manifest"]
    if manifest.exists():
        os.replace(manifest, out / MANIFEST)
    _fsync_folder(out)
    folders: set[Path] = set()
    for removal in removals:
        (out / removal).unlink(missing_ok=True)
        folders.add((out / removal).parent)
    _prune(out, folders)


def _prune(out: Path, folders: Iterable[Path]) -> None:
    """Remove partition folders a removal emptied (never a folder with anything in it, nor
    DIR itself)."""
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent


def settle(out: Path, partial: Path) -> None:
    """At the end of a run, however it ended: a commit it passed the commit point of but
    did not finish (a signal or an error between the commit point and the manifest) is
    finished now, then the partial folder is removed; if finishing fails again, the folder
    is left for the next run's ``recover``."""
    journal_path = partial / COMMIT
    if journal_path.exists() and (partial / MANIFEST).exists():
        try:
            _finish(out, json.loads(journal_path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return
    shutil.rmtree(partial, ignore_errors=True)


def recover(out: Path) -> None:
    """Under DIR's lock, before anything else: finish a commit a dead run passed the commit
    point of, and remove the partial folders of runs that died before it."""
    for partial in sorted(out.glob(PARTIAL_PREFIX + "*")):
        journal_path = partial / COMMIT
        if journal_path.exists():
            with contextlib.suppress(ValueError, OSError):
                _finish(out, json.loads(journal_path.read_text(encoding="utf-8")))
        shutil.rmtree(partial, ignore_errors=True)


# --- DuckDB ---------------------------------------------------------------------------------

_OURS = (*STORED, LOADS)


def _locked_error(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


def duckdb_preflight(out: Path, *, append: bool) -> bool:
    """Whether DIR's database must be copied (it holds something a run does not write, or
    this run appends); LayoutMismatch when it cannot be appended to, or another process
    has it open for writing."""
    import duckdb

    path = out / DUCKDB_FILE
    if not path.exists():
        return False  # the first load, with --append or without
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        if _locked_error(exc):
            raise DatabaseInUse(
                f"{path} is open for writing in another process: close it and run again"
            ) from None
        raise LayoutMismatch(f"{path}: cannot open: {exc}") from None
    try:
        tables = {
            name: [(column, kind) for column, kind in columns]
            for name, columns in _table_columns(connection).items()
        }
        other = connection.execute(
            "SELECT (SELECT count(*) FROM duckdb_views() WHERE NOT internal)"
            " + (SELECT count(*) FROM duckdb_functions() WHERE NOT internal)"
            " + (SELECT count(*) FROM duckdb_sequences())"
            " + (SELECT count(*) FROM duckdb_types() WHERE NOT internal)"
            " + (SELECT count(*) FROM duckdb_schemas()"
            "    WHERE NOT internal AND schema_name <> 'main')"
        ).fetchone()
    finally:
        connection.close()
    if append:
        for name, schema in STORED.items():
            expected = [field.name for field in schema]
            if [column for column, _ in tables.get(name, [])] != expected:
                raise LayoutMismatch(
                    f"{path}: table {name} is not the layout this version writes: run "
                    "without --append to replace it, or use another --out"
                )
        return True
    return bool(set(tables) - set(_OURS)) or bool(other and other[0])


def _table_columns(connection: Any) -> dict[str, list[tuple[str, str]]]:
    rows = connection.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        tables.setdefault(table, []).append((column, kind))
    return tables


def build_duckdb(
    out: Path,
    partial: Path,
    *,
    copy: bool,
    append: bool,
    parts: Sequence[PartFile],
    load: dict[str, Any],
) -> None:
    """``partial/balances.duckdb``: DIR's database (a copy, when ``copy``) or a new one,
    with this load's rows added (``append``) or in place of the run tables' rows, in one
    transaction."""
    import duckdb

    target = partial / DUCKDB_FILE
    if copy:
        shutil.copyfile(out / DUCKDB_FILE, target)
        wal = out / f"{DUCKDB_FILE}.wal"
        if wal.exists():
            shutil.copyfile(wal, partial / f"{DUCKDB_FILE}.wal")
    connection = duckdb.connect(str(target))
    try:
        connection.execute("BEGIN TRANSACTION")
        if not append:
            for name in _OURS:
                connection.execute(f'DROP TABLE IF EXISTS "{name}"')
        for name, schema in STORED.items():
            connection.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({duckdb_columns(schema)})')
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {LOADS} ("
            + ", ".join(f'"{column}" {kind}' for column, kind in LOAD_COLUMNS)
            + ")"
        )
        for name, schema in STORED.items():
            files = [str(partial / part.path) for part in parts if part.table == name]
            if files:
                columns = ", ".join(f'"{field.name}"' for field in schema)
                connection.execute(
                    f'INSERT INTO "{name}" ({columns}) SELECT {columns} FROM read_parquet(?)',
                    [files],
                )
        connection.execute(
            f"INSERT INTO {LOADS} VALUES ({', '.join('?' for _ in LOAD_COLUMNS)})",
            load_row(load),
        )
        connection.execute("COMMIT")
        connection.execute("CHECKPOINT")
    except duckdb.Error as exc:
        raise OSError(f"DuckDB: {exc}") from None
    finally:
        connection.close()


def load_row(load: dict[str, Any]) -> list[Any]:
    """A manifest load entry as a row of the ``loads`` table."""
    landed = load["landed"]
    rows = load["rows"]
    return [
        load["load_id"],
        load["mode"],
        load["started_at"],
        load["finished_at"],
        load["library"]["version"],
        load["schema_id"],
        json.dumps(load["spec_versions"], sort_keys=True),
        json.dumps(load["inputs"]),
        json.dumps(load["skipped"]),
        json.dumps(load["unreadable"]),
        load["responses"],
        landed["records"],
        landed["partial"],
        landed["vendor_error"],
        landed["rejected"],
        rows["balances"],
        rows["rejects"],
        rows["vendor_errors"],
        load["internal_errors"],
    ]

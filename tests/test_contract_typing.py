"""What mypy --strict says about downstream code using the record.

tests/typing/downstream.py is the code a library user writes; it must type-check cleanly.
Each snippet below is a mistake the types must catch, and the test asserts mypy's error for
it (no ``type: ignore`` comments: a snippet mypy accepted would fail here).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mypy import api

ROOT = Path(__file__).resolve().parent.parent

PRELUDE = """\
from normalize import BalanceRecord, BalanceRecordDict

def f(records: list[BalanceRecord], record: BalanceRecord) -> None:
"""

# (snippet, a fragment of the error mypy must report on its line)
MISTAKES = {
    # The record defines no ordering (sorting it would raise TypeError at run time).
    "sorted(records)": 'Value of type variable "SupportsRichComparisonT" of "sorted" cannot be'
    ' "BalanceRecord"',
    "records[0] < records[1]": 'Unsupported left operand type for < ("BalanceRecord")',
    "max(records)": 'Value of type variable "SupportsRichComparisonT" of "max" cannot be',
    # to_dict() has exactly the record's keys, with their value types.
    'record.to_dict()["balance"]': 'TypedDict "BalanceRecordDict" has no key "balance"',
    'n: int = record.to_dict()["amount"]': "Incompatible types in assignment (expression has type"
    ' "str", variable has type "int")',
    's: str = record.to_dict()["as_of"]': "Incompatible types in assignment (expression has type"
    ' "str | None", variable has type "str")',
    'c: BalanceRecordDict = {"vendor": "token-io"}': "Missing keys",
    # from_dict returns the record, not a dict or Any.
    "d: dict[str, str] = BalanceRecord.from_dict({})": '(expression has type "BalanceRecord",'
    ' variable has type "dict[str, str]")',
}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(cache: Path, *paths: Path) -> tuple[str, int]:
    stdout, stderr, status = api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(cache), *map(str, paths)]
    )
    return stdout + stderr, status


def test_downstream_usage_type_checks(cache: Path) -> None:
    output, status = mypy(cache, ROOT / "tests" / "typing")
    assert status == 0, output
    assert output == ""


def test_mypy_reports_each_mistake_on_its_line(cache: Path, tmp_path: Path) -> None:
    snippets = list(MISTAKES)
    source = PRELUDE + "".join(f"    {snippet}\n" for snippet in snippets)
    path = tmp_path / "mistakes.py"
    path.write_text(source, encoding="utf-8")
    output, status = mypy(cache, path)
    assert status == 1, output
    first = PRELUDE.count("\n") + 1
    errors: dict[int, str] = {}
    for line in output.splitlines():
        found = re.match(rf"{re.escape(str(path))}:(\d+): error: (.*)", line)
        if found:
            errors[int(found.group(1))] = errors.get(int(found.group(1)), "") + found.group(2)
    for offset, snippet in enumerate(snippets):
        assert MISTAKES[snippet] in errors.get(first + offset, ""), (snippet, output)


def test_from_dict_returns_the_record(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "reveal.py"
    path.write_text(
        "from normalize import BalanceRecord\n"
        "reveal_type(BalanceRecord.from_dict({}))\n"
        "reveal_type(BalanceRecord.from_dict({}).to_dict())\n",
        encoding="utf-8",
    )
    output, _ = mypy(cache, path)
    assert 'Revealed type is "normalize._record.BalanceRecord"' in output
    assert "BalanceRecordDict" in output.splitlines()[1]

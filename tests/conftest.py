"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from processes import started  # noqa: F401 - the fixture of the tests that stop commands

# The made-up vendor's files, laid out as the project is: tests/test_sixth_vendor.py adds
# them to a copy of the project; here they are data, not tests.
collect_ignore = ["sixth_vendor"]

# --- Session fixtures shared with the code blocks of README.md and docs/ -----------------------


def pytest_configure(config: pytest.Config) -> None:
    """``prism_servers``, ``spark`` and the fixtures the documentation's code blocks name
    (``session_fixtures.py``) are registered as a plugin, not defined here, so that they
    are visible to README.md and docs/pages/*.md as well as to the tests, one session of
    each for the whole run."""
    import session_fixtures

    if not config.pluginmanager.is_registered(session_fixtures):
        config.pluginmanager.register(session_fixtures, "balance-normalize-session-fixtures")


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

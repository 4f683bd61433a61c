"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

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

"""Live retrieval is an extra: without it the core (records, outcomes, the command line's
library calls) works, and touching a live name says which extra to install.

Run in a fresh interpreter where ``cryptography`` cannot be imported (``sys.modules[name] =
None`` makes an import fail as if it were not installed), as for someone who installed
``balance-normalize`` without ``[live]``. A clean install on Python 3.13 is shown by
``scripts/test`` (``check_clean_install``).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run_without_the_extra(code: str) -> subprocess.CompletedProcess[str]:
    prelude = "import sys\nsys.modules['cryptography'] = None\nsys.modules['brotli'] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_core_needs_no_live_dependency() -> None:
    result = run_without_the_extra(
        """
        import normalize
        records = normalize.normalize_response(
            "token-io",
            b'{"balance": {"accountId": "a:1", "current": {"currency": "USD", "value": "1.50"},'
            b' "available": {"currency": "USD", "value": "-5.00"}},'
            b' "status": "SUCCESSFUL_REQUEST"}',
        )
        print([r.to_dict()["amount"] for r in records])
        outcome = normalize.parse_response("token-io", b"{}", status=503)
        print(outcome.kind.name)
        assert "normalize.live" not in sys.modules
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["['1.50', '-5.00']", "VENDOR_ERROR"]


def test_a_live_name_without_the_extra_is_an_import_error_naming_it() -> None:
    result = run_without_the_extra(
        """
        import normalize
        for name in ("OpenFinanceAU", "AsyncTokenIO", "RetryPolicy", "Secret"):
            try:
                getattr(normalize, name)
            except normalize.MissingExtra as exc:
                assert (exc.extra, exc.module) == ("live", "cryptography")
                print(type(exc).__name__, exc.name, "|", exc)
            else:
                print("no error for", name)
        try:
            from normalize import MastercardSend
        except ImportError as exc:
            print(type(exc).__name__, exc.name, "|", exc)
        """
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().split("\n")
    assert len(lines) == 5
    for line in lines:
        assert line.startswith("MissingExtra cryptography | "), line
        assert "pip install 'balance-normalize[live]'" in line

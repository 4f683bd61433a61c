"""One error tree, in ``normalize/_errors.py``, for every door; the documentation's Errors page
(docs/pages/errors.md) and the module's docstring draw it, and both drawings must be the
classes as they are."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

import normalize
from normalize import _errors

ROOT = Path(__file__).resolve().parent.parent
_NODE = re.compile(r"^(?P<indent>[│ ]*)(?:├── |└── )?(?P<name>[A-Z][A-Za-z]+)\b")


def _drawn_tree(text: str) -> dict[str, str | None]:
    """Class name -> the class drawn above it (None for a root) in a ``├──`` drawing."""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in text.splitlines():
        match = _NODE.match(line)
        if match is None or match.group("name") not in _NAMES:
            continue
        depth = len(match.group("indent")) + (4 if re.match(r"[│ ]*[├└]", line) else 0)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match.group("name")] = stack[-1][1] if stack else None
        stack.append((depth, match.group("name")))
    return parents


_NAMES = {cls.__name__ for cls in _errors.PUBLIC}


def _real_tree() -> dict[str, str | None]:
    tree: dict[str, str | None] = {}
    for cls in _errors.PUBLIC:
        base = cls.__bases__[0]
        tree[cls.__name__] = base.__name__ if base in _errors.PUBLIC else None
    return tree


def _errors_page_block() -> str:
    text = (ROOT / "docs" / "pages" / "errors.md").read_text()
    start = text.index("# Errors")
    block = text[start:]
    return block[block.index("```") + 3 : block.index("```", block.index("```") + 3)]


@pytest.mark.parametrize(
    "drawing",
    [_errors_page_block(), _errors.__doc__ or ""],
    ids=["docs errors page", "_errors docstring"],
)
def test_the_drawn_error_tree_is_the_classes(drawing: str) -> None:
    assert _drawn_tree(drawing) == _real_tree()


def test_the_tree_drawing_check_fails_on_a_wrong_drawing() -> None:
    wrong = _errors_page_block().replace("│   ├── BodyTooLarge", "├── BodyTooLarge")
    assert _drawn_tree(wrong) != _real_tree()


def test_every_error_is_public_as_normalize_name_and_pickles() -> None:
    for cls in _errors.PUBLIC:
        assert cls.__module__ == "normalize"
        assert getattr(normalize, cls.__name__) is cls
        assert cls.__name__ in normalize.__all__
    samples = [
        normalize.BodyTooLarge(vendor="token-io", field="$", value=17, detail="cap 16 bytes"),
        normalize.InvalidEnvelope(vendor="?", field="status", value="200", detail="x"),
        normalize.InvalidCredential(vendor="token-io", credential="jwt", detail="empty"),
        normalize.MissingExtra("batch", "pyarrow"),
    ]
    for error in samples:
        again = pickle.loads(pickle.dumps(error))
        assert (type(again), str(again)) == (type(error), str(error))


def test_the_batch_names_are_the_one_tree_classes() -> None:
    from normalize import batch

    assert batch.BodyTooLarge is normalize.BodyTooLarge
    assert batch.InvalidEnvelope is normalize.InvalidEnvelope
    assert batch.MissingExtra is normalize.MissingExtra


def test_a_secret_straddling_the_quote_cut_is_masked_whole() -> None:
    secret = "Zq8vK2mN4pR6tW9yB3dF5hJ7lX1cV0sA"  # 32 characters
    body = ("x" * 70 + secret + "y" * 40).encode()
    outcome = normalize.parse_envelope(
        normalize.Envelope(vendor="token-io", body=body, status=500), secrets=[secret]
    )
    (problem,) = outcome.problems
    texts = [str(problem.error), repr(problem.error), str(vars(problem.error))]
    for text in texts:
        for start in range(len(secret) - 3):
            assert secret[start : start + 4] not in text
    assert "********" in str(problem.error)
    # Without secrets the same quote is cut at 80 characters, as before.
    plain = normalize.parse_envelope(normalize.Envelope(vendor="token-io", body=body, status=500))
    assert secret[:10] in str(plain.problems[0].error)

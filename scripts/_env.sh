# Sourced by the scripts in this folder: makes sure .venv (Python 3.11 or 3.12) and, for
# scripts/test, .venv-3.13 (Python 3.13) hold this project and its pinned development tools
# (and node_modules the pinned npm tools), installing only what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '+ %s\n' "$*" >&2; }

usable_python() {
    # .venv: Python 3.11 or 3.12, where Mastercard's own OAuth signer installs (the tests
    # compare the library's signer with it); .venv-3.13 covers 3.13.
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 13))' 2>/dev/null
}

is_python_313() {
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null
}

pick_python_313() {
    # PYTHON313, else python3.13 on PATH, else the newest pyenv 3.13.x.
    local candidate
    for candidate in "${PYTHON313:-}" python3.13 \
        $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python 2>/dev/null | sort -V -r); do
        if [ -n "$candidate" ] && is_python_313 "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    echo "no Python 3.13 found (set PYTHON313=/path/to/python3.13)" >&2
    return 1
}

pick_python() {
    if [ -n "${PYTHON:-}" ]; then
        if usable_python "$PYTHON"; then
            echo "$PYTHON"
            return 0
        fi
        echo "PYTHON=$PYTHON is not a Python 3.11 or 3.12" >&2
        return 1
    fi
    for candidate in python3 python3.12 python3.11; do
        if usable_python "$candidate"; then
            echo "$candidate"
            return 0
        fi
    done
    echo "no Python 3.11 or 3.12 found (set PYTHON=/path/to/python3.12)" >&2
    return 1
}

setup_venv() {
    # setup_venv DIR PYTHON: DIR is a venv of PYTHON holding -e '.[dev]' as pyproject.toml
    # says now.
    local dir="$1" py="$2"
    if [ ! -x "$dir/bin/python" ]; then
        say "$py -m venv $dir"
        "$py" -m venv "$dir"
    fi
    local stamp="$dir/.setup-stamp" want
    want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "$dir/bin/python -m pip install -e '.[dev]'"
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
        "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
        echo "$want" >"$stamp"
    fi
}

ensure_venv() {
    local py=
    [ -x .venv/bin/python ] || py="$(pick_python)"
    setup_venv .venv "$py"
    export PATH="$ROOT/.venv/bin:$PATH"
}

ensure_venv_313() {
    local py=
    [ -x .venv-3.13/bin/python ] || py="$(pick_python_313)"
    setup_venv .venv-3.13 "$py"
}

check_clean_install() {
    # A plain `pip install .` (no extras) on Python 3.13 in a throwaway venv: the command
    # line runs, and a live name asks for the extra; then `pip install '.[live]'` brings
    # live retrieval. Dependencies come from pip's cache when it has them.
    local py tmp
    py="$(pick_python_313)"
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' RETURN
    say "$py -m venv $tmp/venv && pip install . (no extras)"
    "$py" -m venv "$tmp/venv"
    "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check .
    say "python -m normalize convert --vendor token-io (clean install, Python 3.13)"
    (cd "$tmp" && "$tmp/venv/bin/python" -m normalize convert --vendor token-io \
        "$ROOT/normalize/examples/token-io/BalanceSuccessful.json" >"$tmp/records.jsonl")
    grep -q '"amount"' "$tmp/records.jsonl"
    say "without the live extra, normalize.OpenFinanceAU is an ImportError naming it"
    (cd "$tmp" && "$tmp/venv/bin/python" -c '
import normalize
try:
    normalize.OpenFinanceAU
except ImportError as exc:
    assert "balance-normalize[live]" in str(exc), exc
else:
    raise SystemExit("live retrieval loaded without the live extra")')
    say "pip install '.[live]' (Python 3.13)"
    "$tmp/venv/bin/python" -m pip install --quiet --disable-pip-version-check '.[live]'
    (cd "$tmp" && "$tmp/venv/bin/python" -c '
import normalize
assert normalize.OpenFinanceAU.description.vendor == "mastercard-open-finance-au"')
}

ensure_node_modules() {
    [ -f package-lock.json ] || return 0
    if ! command -v npm >/dev/null 2>&1; then
        echo "npm not found: the tests need Node.js and npm for the Prism mock server" >&2
        return 1
    fi
    local stamp=node_modules/.setup-stamp want
    want="$(cat package-lock.json | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "npm ci"
        npm ci --no-audit --no-fund --loglevel=error
        echo "$want" >"$stamp"
    fi
    export PATH="$ROOT/node_modules/.bin:$PATH"
}

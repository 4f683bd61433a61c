# Sourced by the scripts in this folder: makes sure .venv holds this project and its pinned
# development tools (and node_modules the pinned npm tools), installing only what changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '+ %s\n' "$*" >&2; }

usable_python() {
    # pyproject.toml: Python 3.11 or 3.12 (the Mastercard OAuth signer has no 3.13 release).
    command -v "$1" >/dev/null 2>&1 &&
        "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info < (3, 13))' 2>/dev/null
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

ensure_venv() {
    if [ ! -x .venv/bin/python ]; then
        local py
        py="$(pick_python)"
        say "$py -m venv .venv"
        "$py" -m venv .venv
    fi
    local stamp=.venv/.setup-stamp want
    want="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say ".venv/bin/python -m pip install -e '.[dev]'"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
        echo "$want" >"$stamp"
    fi
    export PATH="$ROOT/.venv/bin:$PATH"
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

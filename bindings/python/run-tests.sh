#!/usr/bin/env bash
# `make test-python`: installs the package into a fresh virtual environment exactly as a user
# would (`pip install ./bindings/python`, which builds or reuses libeventrouter.so), checks that it
# imports with nothing else set, then runs the pytest suite against the installed package.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.build/python-venv

rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
PY=$VENV/bin/python
env -u EVENTROUTER_LIBRARY "$PY" -m pip install --quiet --disable-pip-version-check --no-cache-dir "$ROOT/bindings/python"

# Imports from anywhere, with no environment: the library travels inside the package.
(cd / && env -i PATH=/usr/bin:/bin "$PY" -c \
    'import eventrouter, os; print("installed eventrouter", eventrouter.__version__, "library", eventrouter.library_version, "at", os.path.dirname(eventrouter.__file__))')

# ... and without the Swift toolchain (hidden in a private mount namespace, where that is possible).
SWIFT_DIR=/opt/swift
if [ "$(id -u)" -eq 0 ] && [ -d "$SWIFT_DIR" ] && unshare -m true 2>/dev/null; then
    EMPTY=$(mktemp -d)
    unshare -m sh -c "mount --bind '$EMPTY' '$SWIFT_DIR' && cd / && env -i PATH=/usr/bin:/bin '$PY' -c \
        'import eventrouter; r = eventrouter.RuleSet(); r.add(\"a\", {\"a\": [1]}); assert r.match({\"a\": 1}) == [\"a\"]; print(\"imports and matches with $SWIFT_DIR hidden\")'"
    rmdir "$EMPTY"
fi

# pytest into the venv (from PyPI); if that is impossible offline, borrow the system's pytest
# while still importing eventrouter from the venv.
if "$PY" -m pip install --quiet --disable-pip-version-check pytest 2>/dev/null; then
    RUN=("$PY" -m pytest)
else
    echo "pip install pytest failed: using the system pytest with the venv's site-packages"
    SITE=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
    export PYTHONPATH=$SITE
    RUN=("$PYTHON" -m pytest)
fi
cd tests
env -u EVENTROUTER_LIBRARY "${RUN[@]}" -q -p no:cacheprovider "$@"

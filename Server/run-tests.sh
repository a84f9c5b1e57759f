#!/usr/bin/env bash
# `make test-server`: builds eventrouter-server (release), runs the server package's Swift tests,
# then drives the built server with boto3 and the aws command-line tool (pytest in Server/tests),
# in a fresh virtual environment with boto3, awscli and pytest from PyPI.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd .. && pwd)
SWIFT=${SWIFT:-swift}
PYTHON=${PYTHON:-python3}
VENV=$ROOT/.build/server-venv

"$SWIFT" build -c release --package-path . --product eventrouter-server
"$SWIFT" test --package-path .

rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
PY=$VENV/bin/python
if "$PY" -m pip install --quiet --disable-pip-version-check boto3 awscli pytest 2>/dev/null; then
    RUN=("$PY" -m pytest)
else
    # Offline: the system's Python, if it has boto3 and pytest (the CLI test skips without awscli).
    echo "pip install boto3 awscli pytest failed: using the system Python's packages"
    RUN=("$PYTHON" -m pytest)
fi
cd tests
EVENTROUTER_SERVER="$(pwd)/../.build/release/eventrouter-server" "${RUN[@]}" -q -p no:cacheprovider "$@"

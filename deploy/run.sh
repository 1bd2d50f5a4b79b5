#!/usr/bin/env bash
# KMB's run command: bash deploy/run.sh [kmb up options, e.g. --detach]
#
# Creates the virtual environment (uv) if needed, installs the project, then `kmb up`: fetches Kafka
# from Maven Central if absent, starts it, creates the topics, starts the five services (SQLite files
# under var/) and waits until they are ready. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v python3 >/dev/null 2>&1; then
    echo "deploy/run.sh: Python 3.11+ not found: install python3 (apt-get install python3 python3-venv)" >&2
    exit 1
fi
if command -v uv >/dev/null 2>&1; then
    UV=(uv)
else
    python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv ||
        python3 -m pip install --quiet --break-system-packages uv
    UV=(python3 -m uv)
fi
"${UV[@]}" sync --frozen --quiet
exec .venv/bin/kmb up "$@"

#!/usr/bin/env bash
# KMB's test command: bash deploy/test.sh [pytest arguments...]
#
# Installs what is missing (uv, the virtualenv, Debian packages when root), fetches Kafka from Maven
# Central, starts a real Kafka broker (127.0.0.1:19092) and a throwaway PostgreSQL (127.0.0.1:55432),
# then runs ruff, ruff format --check, mypy, lint-imports and pytest. Both servers are stopped on any exit.
# Every failure exits non-zero naming the step; pytest collecting no test counts as a failure.
#
# Without arguments pytest runs in four tiers, each timed: the fast tier (no broker, no database server,
# no service processes), then the broker and PostgreSQL tier, both in parallel with pytest-xdist
# (KMB_TEST_WORKERS, default one worker per core up to 4), then the e2e and browser suites (serial: each
# module starts the five services and its steps build on each other). The summary adds up all tiers.
# Last, the fault tests on a 3-node Kafka cluster (marker `cluster`; the test kit starts the cluster itself,
# on free ports; serial): a broker killed, each service copy killed, a database stopped 20 s; about 4.5 min here, a tier of the default
# run; KMB_TEST_CLUSTER=0 leaves it out (`bash deploy/test.sh -m cluster` runs only it).
# With arguments (e.g. `bash deploy/test.sh -m cluster`) pytest runs once with exactly those arguments.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
# Bytecode is cached (the venv is compiled at install, the tests on first import): without it every
# pytest process and every service started by the e2e tier compiles all its imports again (measured here:
# collecting the fast tier took 32 s without the cache, 11 s with it). Some machines set this globally.
unset PYTHONDONTWRITEBYTECODE
VAR_DIR="${KMB_TEST_VAR_DIR:-$ROOT/var/test}"
KAFKA_PORT="${KMB_TEST_KAFKA_PORT:-19092}"
PG_PORT="${KMB_TEST_PG_PORT:-55432}"
PY="$ROOT/.venv/bin/python"
INFRA=("$PY" -m kmb_cli.infra)
STARTED=$SECONDS
APT_UPDATED=0

log() { printf '==> %s\n' "$*"; }

die() { # step-name exit-code [detail]
    printf 'deploy/test.sh: FAILED at step "%s" (exit %s)%s\n' "$1" "$2" "${3:+: $3}" >&2
    exit "$(($2 == 0 ? 1 : $2))"
}

step() { # step-name command...: run it, time it, stop the script if it fails
    local name="$1" begun=$SECONDS rc=0
    shift
    log "$name"
    "$@" || rc=$?
    ((rc == 0)) || die "$name" "$rc"
    printf '    ok: %s (%d s)\n' "$name" "$((SECONDS - begun))"
}

is_root() { [[ "$(id -u)" == 0 ]]; }

apt_install() { # packages...
    if ((APT_UPDATED == 0)); then
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

ensure_uv() {
    if command -v uv >/dev/null 2>&1; then
        UV=(uv)
        return 0
    fi
    if ! python3 -m uv --version >/dev/null 2>&1; then
        python3 -m pip install --quiet uv || python3 -m pip install --quiet --break-system-packages uv
    fi
    UV=(python3 -m uv)
}

sync_venv() {
    if [[ -f uv.lock ]]; then
        "${UV[@]}" sync --frozen --compile-bytecode
    else
        "${UV[@]}" sync --compile-bytecode
    fi
}

ensure_debian_packages() {
    local missing=()
    dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
    # WeasyPrint (every PDF: reports, the leaflet, the client's plan; DejaVu Sans embedded) needs Pango;
    # the browser tests need Debian's Chromium.
    dpkg -s libpango-1.0-0 >/dev/null 2>&1 || missing+=(libpango-1.0-0)
    dpkg -s libpangoft2-1.0-0 >/dev/null 2>&1 || missing+=(libpangoft2-1.0-0)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    dpkg -s chromium-l10n >/dev/null 2>&1 || missing+=(chromium-l10n) # Czech locale: dates as 15.03.1985
    command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    ((${#missing[@]} == 0)) && return 0
    if is_root; then
        apt_install "${missing[@]}"
    else
        printf '    warning: missing Debian packages (not root, not installing): %s\n' "${missing[*]}" >&2
    fi
}

stop_services() {
    if [[ -x "$PY" ]]; then
        "${INFRA[@]}" kafka stop --port "$KAFKA_PORT" --var-dir "$VAR_DIR" || true
        "${INFRA[@]}" pg stop --port "$PG_PORT" --var-dir "$VAR_DIR" || true
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT
    stop_services
    exit "$rc"
}

FAST_TIER="not kafka and not postgres and not e2e and not browser and not cluster"
# Workers for the fast and the broker+db tiers: one per core, at most 4 (KMB_TEST_WORKERS overrides; 0 = serial)
WORKERS="${KMB_TEST_WORKERS:-$(($(nproc) < 4 ? $(nproc) : 4))}"
PASSED=0 FAILED=0 SKIPPED=0 ERRORS=0
TIER_TIMES=()
FAILED_TIERS=()

count_of() { # word file: the number before "word" on pytest's last summary line
    local last count
    last="$(grep -E '[0-9]+ (passed|failed|errors?|skipped|deselected)' "$2" | tail -n 1 || true)"
    count="$(grep -oE "[0-9]+ $1" <<<"$last" | grep -oE '[0-9]+' | head -n 1 || true)"
    echo "${count:-0}"
}

run_tier() { # tier-name pytest arguments...: run it, time it, add its counts; a failure is recorded
    local name="$1" begun=$SECONDS rc=0 out
    shift
    out="$VAR_DIR/pytest-${name}.txt"
    log "pytest: $name tier"
    set +e
    "$PY" -m pytest "$@" 2>&1 | tee "$out"
    rc=${PIPESTATUS[0]}
    set -e
    local passed failed errors skipped
    passed="$(count_of passed "$out")" failed="$(count_of failed "$out")"
    errors="$(count_of 'errors?' "$out")" skipped="$(count_of skipped "$out")"
    PASSED=$((PASSED + passed)) FAILED=$((FAILED + failed)) ERRORS=$((ERRORS + errors))
    SKIPPED=$((SKIPPED + skipped))
    TIER_TIMES+=("$(printf '%-10s %4d s  %d passed, %d failed, %d errors, %d skipped' \
        "$name" "$((SECONDS - begun))" "$passed" "$failed" "$errors" "$skipped")")
    if ((rc == 5)); then
        printf '    FAILED: %s tier collected no test\n' "$name" >&2
        FAILED_TIERS+=("$name (no tests collected)")
    elif ((rc != 0)); then
        printf '    FAILED: %s tier (pytest exit %s)\n' "$name" "$rc" >&2
        FAILED_TIERS+=("$name (exit $rc)")
    elif ((passed == 0)); then
        printf '    FAILED: %s tier ran no test\n' "$name" >&2
        FAILED_TIERS+=("$name (no test ran)")
    else
        printf '    ok: %s tier (%d s)\n' "$name" "$((SECONDS - begun))"
    fi
}

print_tiers() {
    printf 'tiers (%s):\n' "${1:-}"
    local line
    for line in "${TIER_TIMES[@]}"; do printf '  %s\n' "$line"; done
}

run_pytest() { # pytest arguments...: with none, the four tiers; with some, one run of exactly those
    local begun=$SECONDS
    if (($# > 0)); then
        run_tier "selected" "$@"
    else
        local -a parallel=()
        ((WORKERS > 1)) && parallel=(-n "$WORKERS" --dist load)
        log "test split: fast = -m \"$FAST_TIER\" (${parallel[*]:-serial});" \
            "broker+db = kafka or postgres, not e2e/browser (${parallel[*]:-serial});" \
            "e2e+browser = the five services as processes (serial);" \
            "cluster = fault tests on a 3-node cluster (serial; KMB_TEST_CLUSTER=0 skips)"
        run_tier "fast" "${parallel[@]}" -m "$FAST_TIER"
        if ((${#FAILED_TIERS[@]} == 0)); then
            # Per-test topic prefixes (uuid) and a fresh database per test keep workers apart.
            run_tier "broker+db" "${parallel[@]}" -m "(kafka or postgres) and not e2e and not browser and not cluster"
            # One system of five processes per module and scenarios whose steps build on each other: serial.
            run_tier "e2e" -p no:xdist -m "(e2e or browser) and not cluster"
        fi
        if ((${#FAILED_TIERS[@]} == 0)) && [[ "${KMB_TEST_CLUSTER:-1}" != 0 ]]; then
            # Three broker JVMs next to the five services: one test at a time.
            run_tier "cluster" -p no:xdist -m cluster
        fi
    fi
    print_tiers "pytest $((SECONDS - begun)) s"
    SUMMARY="summary: $PASSED passed, $FAILED failed, $ERRORS errors, $SKIPPED skipped"
    if ((${#FAILED_TIERS[@]} > 0)); then
        echo "$SUMMARY" >&2
        die "pytest" 1 "failed tiers: ${FAILED_TIERS[*]}"
    fi
}

trap 'exit 130' INT
trap 'exit 143' TERM
trap cleanup EXIT

step "install uv" ensure_uv
step "uv sync" sync_venv
step "Debian packages" ensure_debian_packages
mkdir -p "$VAR_DIR"
step "fetch Kafka jars (Maven)" "${INFRA[@]}" kafka fetch --var-dir "$VAR_DIR"

log "start Kafka broker on 127.0.0.1:$KAFKA_PORT"
begun=$SECONDS
KMB_TEST_KAFKA_BOOTSTRAP="$("${INFRA[@]}" kafka start --port "$KAFKA_PORT" --var-dir "$VAR_DIR")" ||
    die "start Kafka broker" $? "see $VAR_DIR/log/kafka-$KAFKA_PORT.log"
printf '    ok: Kafka at %s (%d s)\n' "$KMB_TEST_KAFKA_BOOTSTRAP" "$((SECONDS - begun))"

log "start PostgreSQL on 127.0.0.1:$PG_PORT"
begun=$SECONDS
KMB_TEST_POSTGRES_URL="$("${INFRA[@]}" pg start --port "$PG_PORT" --var-dir "$VAR_DIR")" ||
    die "start PostgreSQL" $? "see $VAR_DIR/log/postgres-$PG_PORT.log"
printf '    ok: PostgreSQL at %s (%d s)\n' "$KMB_TEST_POSTGRES_URL" "$((SECONDS - begun))"
export KMB_TEST_KAFKA_BOOTSTRAP KMB_TEST_POSTGRES_URL

step "ruff check" "$ROOT/.venv/bin/ruff" check .
step "ruff format --check" "$ROOT/.venv/bin/ruff" format --check .
# shellcheck disable=SC2046 # the service source folders are meant to be split into arguments
step "mypy" "$ROOT/.venv/bin/mypy" shared/src $(ls -d services/*/src 2>/dev/null) deploy/cli/src
# The layer, independence and purity contracts of the root pyproject.toml ([tool.importlinter])
step "lint-imports" "$ROOT/.venv/bin/lint-imports" --no-cache
run_pytest "$@"

trap - EXIT
stop_services
printf 'deploy/test.sh: ruff, format, mypy, lint-imports and pytest passed in %d s (Kafka %s, PostgreSQL port %s)\n' \
    "$((SECONDS - STARTED))" "$KMB_TEST_KAFKA_BOOTSTRAP" "$PG_PORT"
echo "$SUMMARY"

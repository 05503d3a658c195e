#!/usr/bin/env bash
# W1 (or W2) side by side: our engine against polars, DuckDB, pm4py and
# ChannelAttribution.
#
#   benches/peers/run.sh                 # full W1: 1,000,000 journeys (~9.5M interactions)
#   N=20000 benches/peers/run.sh         # scaled down
#   W1=/path/to/w1 benches/peers/run.sh  # a prebuilt `w1` instead of `cargo run`
#   WORKLOAD=w2 W2=target/release/w2 benches/peers/run.sh   # the high-variety W2
#
# Environment: N (journeys, default 1000000), SEED (default 1), WORKLOAD
# (w1 or w2, default w1), DIR (where the exported log and the results go,
# default ${TMPDIR:-/tmp}/mot-$WORKLOAD-$N), W1 / W2 (the w1 / w2 command,
# default `cargo run --release -p mot-benches --bin w1 --`, resp. w2),
# PYTHON (default python3; 3.10+).
#
# Creates benches/peers/.venv (gitignored), installs requirements.txt, exports
# W1, times our engine (`w1 time`) and each peer, then runs compare.py, which
# prints the markdown tables and exits non-zero on a real disagreement.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
N="${N:-1000000}"
SEED="${SEED:-1}"
WORKLOAD="${WORKLOAD:-w1}"
DIR="${DIR:-${TMPDIR:-/tmp}/mot-$WORKLOAD-$N}"
case "$WORKLOAD" in
w1) read -r -a W1_CMD <<<"${W1:-cargo run --release -p mot-benches --bin w1 --}" ;;
w2) read -r -a W1_CMD <<<"${W2:-cargo run --release -p mot-benches --bin w2 --}" ;;
*) echo "WORKLOAD must be w1 or w2" >&2; exit 2 ;;
esac
VENV="$HERE/.venv"

# Progress on stderr, with the load average (timings need an idle machine).
log() { printf '\n== %s (load %s)\n' "$*" "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" >&2; }

# 1. The Python environment.
if [[ ! -x "$VENV/bin/python" ]]; then
    log "creating $VENV"
    "${PYTHON:-python3}" -m venv "$VENV"
fi
PY="$VENV/bin/python"
log "installing requirements"
"$PY" -m pip install -q --disable-pip-version-check -r <(grep -v '^ChannelAttribution' "$HERE/requirements.txt")
HAVE_CA=1
if ! "$PY" -c 'import ChannelAttribution' >/dev/null 2>&1; then
    # An sdist: compiles C++ with the machine's compiler.
    if ! "$PY" -m pip install -q --disable-pip-version-check "$(grep '^ChannelAttribution' "$HERE/requirements.txt")"; then
        log "ChannelAttribution could not be built here; continuing without it"
        HAVE_CA=0
    fi
fi

# 2. The log, and our timings.
cd "$REPO"
log "exporting $WORKLOAD ($N journeys, seed $SEED) to $DIR"
mkdir -p "$DIR"
rm -f "$DIR"/{polars_dashboard,pm4py,duckdb,channel_attribution,agreement}.json
"${W1_CMD[@]}" export "$DIR" --journeys "$N" --seed "$SEED"
log "ours: $WORKLOAD time"
"${W1_CMD[@]}" time --journeys "$N" --seed "$SEED" >"$DIR/ours_time.json"
cat "$DIR/ours_time.json" >&2

# 3. The peers (one at a time: the machine has few cores).
log "polars"
"$PY" "$HERE/polars_dashboard.py" "$DIR" >&2
log "duckdb (1 thread, then DuckDB's default)"
"$PY" "$HERE/duckdb_dashboard.py" "$DIR" >&2 || log "DuckDB disagrees with ours (compare.py below says where)"
log "pm4py"
"$PY" "$HERE/pm4py_peer.py" "$DIR" >&2
if [[ "$HAVE_CA" == 1 ]]; then
    log "ChannelAttribution"
    "$PY" "$HERE/channel_attribution_peer.py" "$DIR" >&2
fi

# 4. Agreement and the tables.
log "compare"
"$PY" "$HERE/compare.py" "$DIR" --ours-time "$DIR/ours_time.json"

#!/usr/bin/env bash
# Installs what the tests need and runs every test in every language.
# Used as-is by CI (.ci/run) and by anyone after a fresh clone:
#
#     bash scripts/test.sh
#
# Rust (the workspace), then the Python binding (mot-py, built with maturin
# into .venv), then the WebAssembly binding (mot-wasm: wasm-bindgen-cli
# 0.2.130 from crates.io when missing, binaryen and Playwright from npm,
# Debian's chromium and chromium-driver when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's wall time, printed as a table at the end, on failure too.
STEP_NAMES=() STEP_STARTS=()
step() { STEP_NAMES+=("$*"); STEP_STARTS+=("$SECONDS"); printf '\n== %s ==\n' "$*"; }
step_times() {
  local status=$? i end note=""
  if ((status != 0)); then note=" (failed in the last step, exit status $status)"; fi
  printf '\n== wall time per step, seconds%s ==\n' "$note"
  for ((i = 0; i < ${#STEP_NAMES[@]}; i++)); do
    end=${STEP_STARTS[i + 1]:-$SECONDS}
    printf '%6d  %s\n' "$((end - STEP_STARTS[i]))" "${STEP_NAMES[i]}"
  done
  printf '%6d  total\n' "$SECONDS"
}
trap step_times EXIT

step "toolchain"
for component in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    rustup component add "$component"
  fi
done
cargo --version

step "python tools (venv in .venv)"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check jsonschema==4.26.0

step "format"
cargo fmt --all --check

step "lint"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "rust tests (unit, integration, conformance fixtures, doctests)"
cargo test --workspace --all-targets --locked
cargo test --workspace --doc --locked

step "fixtures: expected outputs reproduce, schema accepts every document"
.venv/bin/python tests/experience/compute_expected.py --check
.venv/bin/python tests/dashboard/compute_expected.py --check
.venv/bin/python tests/comparison/compute_expected.py --check
.venv/bin/python tests/experience/check_schema.py

step "benchmarks compile"
cargo bench --workspace --no-run --locked

step "docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "python binding: lint, the wheel (maturin, abi3, into dist/), tests, stubs, doctests"
cargo fmt --manifest-path mot-py/Cargo.toml --check
cargo clippy --manifest-path mot-py/Cargo.toml --all-targets -- -D warnings
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r mot-py/requirements-test.txt
# One release build (maturin pinned in requirements-test.txt): the wheel that
# people without a Rust toolchain install, `pip install dist/mot-*.whl`; the
# tests below run against that very wheel.
rm -rf dist
.venv/bin/maturin build --release -m mot-py/Cargo.toml --out dist
.venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps dist/mot-*.whl
(cd mot-py && ../.venv/bin/python -m pytest -q tests)
.venv/bin/python -m mypy.stubtest mot._mot
.venv/bin/python -m pytest -q --doctest-modules --pyargs mot
.venv/bin/python tests/bad-inputs/make_catalogue.py --check

step "python wheel alone: a clean venv with the wheel and its one dependency (pyarrow), a dashboard of the sample"
WHEEL_VENV="$(mktemp -d)"
python3 -m venv "$WHEEL_VENV"
"$WHEEL_VENV/bin/python" -m pip install --quiet --disable-pip-version-check dist/mot-*.whl
(cd "$WHEEL_VENV" && bin/python - <<'EOF'
import mot

events, outcomes = mot.sample_log(journeys=500)
d = mot.dashboard(events, outcomes, experience=mot.sample_experience())
assert d.to_dict()["amount"]["journeys"] == 500
assert str(d.table("trends").schema.field("start").type) == "timestamp[s, tz=UTC]"
try:
    d.to_pandas("mots")
except ModuleNotFoundError as e:  # no extra given: the error names it
    assert "`pandas` extra" in str(e), e
else:
    raise AssertionError("pandas came with the wheel, as no extra was asked for")
print(f"{mot.__file__}: {d!r}")
EOF
)
rm -rf "$WHEEL_VENV"

step "webassembly binding: toolchain (target, wasm-bindgen-cli, npm tools, chromium)"
rustup target list --installed | grep -q '^wasm32-unknown-unknown$' || rustup target add wasm32-unknown-unknown
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen 0.2.130" ]]; then
  cargo install wasm-bindgen-cli --version 0.2.130
fi
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  if [[ $(id -u) == 0 ]]; then SUDO=; else SUDO=sudo; fi
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
(cd mot-wasm && npm ci --no-audit --no-fund --loglevel=error)

step "webassembly binding: lint, build the npm package, tests (wasm-bindgen-test in Node and Chromium, JS, TypeScript, browser page)"
cargo fmt --manifest-path mot-wasm/Cargo.toml --check
cargo clippy --manifest-path mot-wasm/Cargo.toml --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
bash mot-wasm/build.sh
# The same bytes from a second copy in another folder (one more release build).
bash mot-wasm/check_reproducible.sh
export NO_PROXY=127.0.0.1,localhost
(cd mot-wasm && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --locked)
(cd mot-wasm && WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --locked --test web)
(cd mot-wasm && node --test tests/js/ && node_modules/.bin/tsc -p tests/ts && node --test tests/browser/)

step "live service: mot serve's page in headless Chromium (the server built by the rust tests)"
node --test mot-cli/tests/browser/

step "fuzz smoke: every cargo-fuzz target for ${FUZZ_SECONDS:=30} s (nightly toolchain; seeds and regressions in fuzz/)"
source scripts/nightly.sh
if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz 0.13.2" ]]; then
  cargo install cargo-fuzz --version 0.13.2
fi
FUZZ_TMP="$(mktemp -d)"
for target in experience_json csv_reader json_stream columns_ingest state_decode state_merge; do
  # A scratch corpus, read-only seeds and every crash ever found (fuzz/regressions).
  mkdir -p "$FUZZ_TMP/$target"
  dirs=("$FUZZ_TMP/$target" "fuzz/seeds/$target")
  [[ -d "fuzz/regressions/$target" ]] && dirs+=("fuzz/regressions/$target")
  echo "-- fuzz target $target"
  cargo "+$NIGHTLY" fuzz run --fuzz-dir fuzz -O "$target" "${dirs[@]}" -- \
    -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=3072 -timeout=20 -print_final_stats=1 2>&1 | tail -n 3 | sed "s/^/$target: /"
done
rm -rf "$FUZZ_TMP"

step "main job and the example tour"
cargo run -q -p mot-cli --locked -- demo >/dev/null
cargo run -q -p mot-core --example airline --locked >/dev/null
echo "ok"

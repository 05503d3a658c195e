#!/usr/bin/env bash
# Installs what the tests need and runs every test in every language.
# Used as-is by CI (.ci/run) and by anyone after a fresh clone:
#
#     bash scripts/test.sh
#
# Today the workspace is Rust only; the Python (mot-py) and WebAssembly
# (mot-wasm) bindings add their steps here when they land.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s ==\n' "$*"; }

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
.venv/bin/python tests/experience/check_schema.py

step "benchmarks compile"
cargo bench --workspace --no-run --locked

step "docs build without warnings"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

step "main job and the example tour"
cargo run -q -p mot-cli --locked -- demo >/dev/null
cargo run -q -p mot-core --example airline --locked >/dev/null
echo "ok"

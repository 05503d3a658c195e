# Sourced by mot-wasm/build.sh and scripts/test.sh: the one pinned nightly
# toolchain this repository uses, installed (with rust-src) when missing.
#
# - mot-wasm/build.sh rebuilds the standard library for size with it
#   (-Zbuild-std; see the comment there).
# - The fuzz smoke runs cargo-fuzz on it (sanitizers need nightly).
#
# Pinned so that a new nightly cannot change the package or break the flags.
NIGHTLY="nightly-2026-05-20"
if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1 \
  || [[ ! -d "$(rustup run "$NIGHTLY" rustc --print sysroot)/lib/rustlib/src/rust/library" ]]; then
  rustup toolchain install "$NIGHTLY" --profile minimal --component rust-src
fi

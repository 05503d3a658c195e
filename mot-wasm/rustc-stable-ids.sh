#!/usr/bin/env bash
# The RUSTC_WRAPPER of build.sh: gives the repository's own crates (mot-core,
# mot-wasm) a `-C metadata` that does not depend on where the repository is.
#
# Cargo hashes a path dependency that lies outside the workspace (mot-core,
# for mot-wasm's own workspace) by its absolute path (rust-lang/cargo#13586).
# That hash becomes the crate's identity in every mangled symbol name, and
# the linker lays out code and data partly by those names: two clones in two
# folders built modules that differed in some hundred bytes even with every
# path remapped. Crates from the registry and the standard library are hashed
# by name and version already; only those compiled from sources inside the
# repository (`MOT_REPO`, or a relative path: a workspace member) are given
# `mot-<package>-<crate>` instead. Their output file names keep cargo's hash,
# so nothing else changes.
#
# Invoked by cargo as `rustc-stable-ids.sh <rustc> <args…>`.
set -euo pipefail
args=("$@")
src=
for a in "${args[@]:1}"; do
  case $a in
    -*) ;;
    *.rs) src=$a && break ;;
  esac
done
if [[ -n $src && ($src != /* || $src == "${MOT_REPO:?}"/*) ]]; then
  id="mot-${CARGO_PKG_NAME:-}-${CARGO_CRATE_NAME:-}"
  for ((i = 1; i < ${#args[@]}; i++)); do
    case ${args[i]} in
      metadata=*) [[ ${args[i - 1]} == -C ]] && args[i]="metadata=$id" ;;
      -Cmetadata=*) args[i]="-Cmetadata=$id" ;;
    esac
  done
fi
exec "${args[@]}"

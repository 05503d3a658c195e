#!/usr/bin/env bash
# Checks that the npm package does not depend on the folder it is built in:
# copies the repository (its tracked and untracked, not ignored, files: what
# a clone of this working tree holds) into a temporary folder, builds the
# package there with build.sh, and compares every file of the two `pkg/`
# folders byte for byte — the .wasm module, the JS glue, the TypeScript
# declarations. Run after build.sh (scripts/test.sh does, in CI):
#
#     bash mot-wasm/build.sh && bash mot-wasm/check_reproducible.sh
#
# The copy shares cargo's registry and mot-wasm/node_modules with this
# folder (nothing is downloaded) but has its own target folder: one more
# release build of the module, about a minute and a half on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$PWD"
if [[ ! -f mot-wasm/pkg/web/mot_wasm_bg.wasm ]]; then
  echo "error: no mot-wasm/pkg to compare: run \`bash mot-wasm/build.sh\` first" >&2
  exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/mot-reproducible.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
copy="$tmp/elsewhere/mot"
mkdir -p "$copy"
git ls-files -z --cached --others --exclude-standard \
  | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh \
  | tar -c --null -T - -f - | tar -x -C "$copy"
ln -s "$here/mot-wasm/node_modules" "$copy/mot-wasm/node_modules"

echo "building a second copy in $copy"
start=$SECONDS
bash "$copy/mot-wasm/build.sh" >"$tmp/build.log" 2>&1 || {
  cat "$tmp/build.log" >&2
  echo "error: the second build failed" >&2
  exit 1
}
echo "built in $((SECONDS - start)) s"

# Every file of both folders, byte for byte; how many bytes differ in each.
if diff -rq mot-wasm/pkg "$copy/mot-wasm/pkg"; then
  echo "ok: mot-wasm/pkg is byte-identical when built in another folder" \
    "($(find mot-wasm/pkg -type f | wc -l) files, $(wc -c <mot-wasm/pkg/web/mot_wasm_bg.wasm) bytes of wasm)"
  exit 0
fi
while IFS= read -r -d '' f; do
  if [[ -f "$copy/mot-wasm/pkg/$f" ]] && ! cmp -s "mot-wasm/pkg/$f" "$copy/mot-wasm/pkg/$f"; then
    echo "  $f: $(cmp -l "mot-wasm/pkg/$f" "$copy/mot-wasm/pkg/$f" 2>/dev/null | wc -l) bytes differ;" \
      "sizes $(wc -c <"mot-wasm/pkg/$f") and $(wc -c <"$copy/mot-wasm/pkg/$f")"
  fi
done < <(cd mot-wasm/pkg && find . -type f -printf '%P\0')
echo "error: the package depends on the folder it was built in" >&2
exit 1

"""pm4py's XES import on the same files as `xes` (benches/src/bin/xes.rs).

    python xes_pm4py.py FILE... [--runs 3] [--variants default,iterparse,line_by_line,chunk_regex]

Times `pm4py.read_xes(FILE)` (a pandas DataFrame, pm4py's default since
2.3) once per variant and file, best of `--runs`, and prints one JSON line
per file: events, decompressed XML bytes, seconds, MB/s of decompressed XML
(1 MB = 10^6 bytes) and events/s. `default` is `read_xes` without a
`variant` (pm4py then picks one: `iterparse`, or `rustxes` when that
package is installed, which is reported). Runs in any interpreter with
pm4py (the project used /work/ref-venv, pm4py 2.7.23.11).
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import time
from pathlib import Path

with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    import pm4py  # prints a banner on import


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--variants", default="default")
    args = ap.parse_args()
    try:
        import rustxes  # noqa: F401

        has_rustxes = True
    except ImportError:
        has_rustxes = False
    for path in args.files:
        raw = path.read_bytes()
        xml_bytes = len(gzip.decompress(raw)) if raw[:2] == b"\x1f\x8b" else len(raw)
        out = {"file": str(path), "xml_bytes": xml_bytes, "pm4py": pm4py.__version__, "rustxes_installed": has_rustxes}
        for variant in args.variants.split(","):
            best, events = float("inf"), None
            for _ in range(args.runs):
                t = time.perf_counter()
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                    # (pm4py shows a progress bar on stderr)
                    if variant == "default":
                        df = pm4py.read_xes(str(path))
                    else:
                        df = pm4py.read_xes(str(path), variant=variant)
                best = min(best, time.perf_counter() - t)
                events = len(df)
                del df
            out[variant] = {
                "events": events,
                "s": best,
                "mb_per_s": xml_bytes / 1e6 / best,
                "events_per_s": events / best,
            }
        print(json.dumps(out))


if __name__ == "__main__":
    main()

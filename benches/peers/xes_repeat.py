"""A larger XES log from a small one: its traces repeated with new case ids.

    python xes_repeat.py IN.xes[.gz] OUT_PREFIX [--times 8]

Writes OUT_PREFIX.xes and OUT_PREFIX.xes.gz: the header of IN (everything
before the first `<trace>`), then every trace `--times` times (copy `k` of a
trace whose `concept:name` is `c` is named `c~k`; copy 0 keeps the name),
then the end of IN. Only the trace-level `concept:name` (the first
attribute after `<trace>`, as in the 4TU/pm4py exports) is renamed.
"""

from __future__ import annotations

import argparse
import gzip
import re
from pathlib import Path

CASE = re.compile(r'(<trace>\s*<string key="concept:name" value=")([^"]*)(")')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--times", type=int, default=8)
    args = ap.parse_args()
    raw = args.src.read_bytes()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    first, last = text.index("<trace>"), text.rindex("</trace>") + len("</trace>")
    head, body, tail = text[:first], text[first:last], text[last:]
    assert len(CASE.findall(body)) == body.count("<trace>"), "a trace without a leading concept:name"
    parts = [head]
    for k in range(args.times):
        parts.append(body if k == 0 else CASE.sub(lambda m: f"{m[1]}{m[2]}~{k}{m[3]}", body))
        parts.append("\n\t")
    parts.append(tail)
    data = "".join(parts).encode("utf-8")
    plain = args.out.with_name(args.out.name + ".xes")
    plain.write_bytes(data)
    gz = args.out.with_name(args.out.name + ".xes.gz")
    gz.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
    print(f"{plain}: {len(data):,} bytes; {gz}: {gz.stat().st_size:,} bytes; {body.count('<event>') * args.times:,} events")


if __name__ == "__main__":
    main()

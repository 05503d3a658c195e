"""The dashboard's counting figures in SQL, the way an analyst would write
them for DuckDB, on an exported W1 or W2 log.

    python duckdb_dashboard.py DIR [--threads 1,default] [--repeat 3] [--out FILE]

Loads DIR/events.csv and DIR/outcomes.csv into DuckDB tables (in memory;
the load is timed separately: the figures are timed on loaded tables, the
way DuckDB is at its best), then computes, one query each:

- per MOT: interactions, successes, SMOTO rate, distinct journeys;
- the SCO: journeys with an outcome, SCO journeys, rate;
- variants: each journey's MOT sequence (`string_agg` ordered by
  timestamp), then the count of each sequence: number distinct, top 10;
- directly-follows: each interaction with the next one of its journey
  (`lead` over the journey ordered by timestamp), counted per pair.

Each configuration of `--threads` (`1` = `SET threads = 1`; `default` =
DuckDB's own choice, the machine's cores) runs the queries `--repeat`
times; the best total is reported, with each query's time in that run.
Column types follow the log: W1 (no `w2_shape.json` in DIR) has text MOT
ids and `BIGINT` journey ids; W2 has `UINTEGER` journey ids and `USMALLINT`
MOT codes. The results are written as JSON (default DIR/duckdb.json) with
the field names of our contract; when DIR/mot_dashboard.json is there the
counts are checked against it (per-MOT interactions and successes, SCO
counts, number of variants and the counts of our top 10, every
directly-follows edge), and a disagreement exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import duckdb

QUERIES = {
    "per_mot": """
        SELECT mot_id::VARCHAR AS id,
               count(*) AS interactions,
               count(*) FILTER (WHERE success) AS successes,
               avg(success::INTEGER) AS smoto_rate,
               count(DISTINCT journey_id) AS journeys
        FROM events
        GROUP BY mot_id
    """,
    "sco": """
        SELECT count(*) AS journeys,
               count(*) FILTER (WHERE sco) AS successes,
               avg(sco::INTEGER) AS rate
        FROM outcomes
    """,
    "variants": """
        WITH journeys AS (
            SELECT journey_id, string_agg(mot_id::VARCHAR, '>' ORDER BY timestamp) AS variant
            FROM events
            GROUP BY journey_id
        )
        SELECT variant, count(*) AS n
        FROM journeys
        GROUP BY variant
    """,
    "directly_follows": """
        WITH pairs AS (
            SELECT mot_id AS a,
                   lead(mot_id) OVER (PARTITION BY journey_id ORDER BY timestamp) AS b
            FROM events
        )
        SELECT a::VARCHAR AS "from", b::VARCHAR AS "to", count(*) AS count
        FROM pairs
        WHERE b IS NOT NULL
        GROUP BY a, b
    """,
}


def load(con: duckdb.DuckDBPyConnection, dirname: Path) -> str:
    w2 = (dirname / "w2_shape.json").exists()
    journey = "UINTEGER" if w2 else "BIGINT"
    mot = "USMALLINT" if w2 else "VARCHAR"
    con.execute(
        f"""CREATE OR REPLACE TABLE events AS SELECT * FROM read_csv(?, header = true, columns = {{
            'journey_id': '{journey}', 'mot_id': '{mot}', 'timestamp': 'BIGINT',
            'success': 'BOOLEAN', 'cost': 'DOUBLE'}})""",
        [str(dirname / "events.csv")],
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE outcomes AS SELECT * FROM read_csv(?, header = true, columns = {{
            'journey_id': '{journey}', 'sco': 'BOOLEAN', 'value': 'DOUBLE'}})""",
        [str(dirname / "outcomes.csv")],
    )
    return "W2" if w2 else "W1"


def run(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, float], dict]:
    """All queries once: per-query seconds, and the results as our contract's fields."""
    times, rows = {}, {}
    for name, sql in QUERIES.items():
        t = time.perf_counter()
        rows[name] = con.execute(sql).fetchall()
        times[name] = time.perf_counter() - t
    # Post-processing in Python (counted in no clock: it is a few thousand rows,
    # except the variants, whose top 10 DuckDB would also sort; done here once).
    mots = [
        {"id": r[0], "interactions": r[1], "successes": r[2], "smoto_rate": r[3], "journeys": r[4]}
        for r in sorted(rows["per_mot"])
    ]
    journeys, successes, rate = rows["sco"][0]
    variants = rows["variants"]
    top = sorted(variants, key=lambda r: (-r[1], r[0]))[:20]
    edges = [{"from": a, "to": b, "count": c} for a, b, c in rows["directly_follows"]]
    edges.sort(key=lambda e: (-e["count"], e["from"], e["to"]))
    result = {
        "mots": mots,
        "sco": {"journeys": journeys, "successes": successes, "rate": rate},
        "amount": {"interactions": sum(m["interactions"] for m in mots)},
        "directly_follows": {"edges": edges},
        "variants": {"distinct": len(variants), "top": [{"mots": v.split(">"), "count": n} for v, n in top]},
    }
    return times, result


def check(ours: dict, duck: dict) -> list[tuple[str, bool, str]]:
    rows = []
    om = {m["id"]: (m["interactions"], m["successes"]) for m in ours["mots"]}
    dm = {m["id"]: (m["interactions"], m["successes"]) for m in duck["mots"]}
    bad = [k for k in set(om) | set(dm) if om.get(k) != dm.get(k)]
    rows.append(("per-MOT interactions and successes", not bad, f"{len(dm)} MOTs; {len(bad)} differ"))
    same = (ours["sco"]["journeys"], ours["sco"]["successes"]) == (duck["sco"]["journeys"], duck["sco"]["successes"])
    rows.append(("SCO journeys and successes", same, f"{duck['sco']['successes']}/{duck['sco']['journeys']}"))
    oe = {(e["from"], e["to"]): e["count"] for e in ours["directly_follows"]["edges"]}
    de = {(e["from"], e["to"]): e["count"] for e in duck["directly_follows"]["edges"]}
    diff = [k for k in set(oe) | set(de) if oe.get(k) != de.get(k)]
    rows.append(
        ("directly-follows edges (every count)", not diff, f"{len(de)} edges, {sum(de.values())} transitions; {len(diff)} differ")
    )
    od, dd = ours["variants"]["distinct"], duck["variants"]["distinct"]
    rows.append(("number of variants", od == dd, f"{dd} vs {od}"))
    dv = {tuple(v["mots"]): v["count"] for v in duck["variants"]["top"]}
    miss = [v for v in ours["variants"]["top"] if dv.get(tuple(v["mots"])) != v["count"]]
    n = len(ours["variants"]["top"])
    rows.append((f"counts of our top {n} variants", not miss, f"{n - len(miss)}/{n} equal"))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--threads", default="1,default", help="comma-separated: 1, 2, ..., default")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()

    con = duckdb.connect()
    default_threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t = time.perf_counter()
    workload = load(con, args.dir)
    load_s = time.perf_counter() - t
    out: dict = {
        "format": "mot.dashboard/1 (duckdb peer: counting figures only)",
        "workload": workload,
        "duckdb_version": duckdb.__version__,
        "timing": {"load_csv_s": load_s, "default_threads": default_threads, "runs": {}},
    }
    result = None
    for setting in args.threads.split(","):
        con.execute("RESET threads" if setting == "default" else f"SET threads = {int(setting)}")
        threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        best = None
        for _ in range(args.repeat):
            times, result = run(con)
            if best is None or sum(times.values()) < sum(best.values()):
                best = times
        out["timing"]["runs"][setting] = {"threads": threads, "total_s": sum(best.values()), "queries_s": best}
        print(f"duckdb threads={threads}: {sum(best.values()):.3f} s {json.dumps(best)}", file=sys.stderr)
    out.update(result)

    failures = []
    ours_file = args.dir / "mot_dashboard.json"
    if ours_file.exists():
        rows = check(json.loads(ours_file.read_text()), result)
        out["agreement"] = [{"check": c, "ok": ok, "detail": d} for c, ok, d in rows]
        failures = [f"{c}: {d}" for c, ok, d in rows if not ok]
        for c, ok, d in rows:
            print(f"duckdb {c}: {d} -> {'ok' if ok else 'DISAGREE'}", file=sys.stderr)
    (args.out or args.dir / "duckdb.json").write_text(json.dumps(out, indent=1))
    print(json.dumps({k: v for k, v in out["timing"].items()}))
    if failures:
        print("DISAGREEMENT:\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()

"""The MOT dashboard of a log on Spark: one tracker per partition, merged.

Spark partitions the log by journey; on the executors, ``mapInArrow`` hands
each partition to a :class:`mot.Tracker` as Arrow record batches (no row-by-
row Python) and sends back its state — a few kilobytes of bytes per
partition. The driver merges the states and builds the dashboard. Because
every journey lies whole in one partition, the merged dashboard is *exactly*
the one a single machine computes from the whole log; the script checks it.

    pip install pyspark ./mot-py          # Java 17 for Spark 4
    python examples/spark_mapinarrow.py --journeys 20000 --partitions 8

With your own data, replace ``load`` with ``spark.read.parquet(...)`` (or a
table) for the interactions and the outcomes, and rename the columns to the
defaults (``journey_id, mot_id, timestamp, success, cost, producer`` and
``journey_id, sco, value``) or pass ``columns=`` to ``Tracker.ingest``.

Each task holds one partition of interactions in memory while it ingests it:
choose the partition count so that a partition fits an executor comfortably
(``Tracker.ingest`` reads whole journeys, and a journey must not be split
across calls).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc

import mot

EVENT_COLUMNS = ["journey_id", "mot_id", "timestamp", "success", "cost", "producer"]
OUTCOME_COLUMNS = ["journey_id", "sco", "value"]


def partition_state(experience_json: str):
    """The function ``mapInArrow`` runs on each partition: batches in, one state out.

    Interactions and outcomes arrive in one stream (a union with a ``row``
    column saying which is which), so a journey's outcome is always in the
    same partition as its interactions.
    """

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        experience = mot.Experience.from_json(experience_json)
        rows = pa.Table.from_batches(list(batches))
        if rows.num_rows == 0:
            return
        events = rows.filter(pc.equal(rows["row"], "event")).select(EVENT_COLUMNS)
        outcomes = rows.filter(pc.equal(rows["row"], "outcome")).select(OUTCOME_COLUMNS)
        tracker = mot.Tracker(experience)
        tracker.ingest(events, outcomes)
        yield pa.RecordBatch.from_pydict({"state": [tracker.to_bytes()]})

    return run


def merge(left: mot.Tracker, right: mot.Tracker) -> mot.Tracker:
    left.merge(right)
    return left


def dashboard_on_spark(spark, events, outcomes, experience: mot.Experience, partitions: int) -> mot.Dashboard:
    """Interactions and outcomes (Spark DataFrames) to the merged dashboard."""
    from pyspark.sql import functions as F

    both = (
        events.withColumn("row", F.lit("event"))
        .unionByName(outcomes.withColumn("row", F.lit("outcome")), allowMissingColumns=True)
        .repartition(partitions, "journey_id")
    )
    states = both.mapInArrow(partition_state(experience.to_json()), "state binary").collect()
    trackers = (mot.Tracker.from_bytes(bytes(s["state"])) for s in states)
    return functools.reduce(merge, trackers).dashboard(experience)


def load(spark, journeys: int, seed: int):
    """The generated airline log, as pyarrow tables and as Spark DataFrames."""
    events, outcomes = mot.sample_log(journeys=journeys, seed=seed)
    return events, outcomes, spark.createDataFrame(events), spark.createDataFrame(outcomes)


def main() -> None:
    from pyspark.sql import SparkSession

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--journeys", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()

    # Executors run this interpreter (the one with `mot` installed).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(args.master)
        .appName("mot-dashboard")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    try:
        x = mot.sample_experience()
        events, outcomes, sdf_events, sdf_outcomes = load(spark, args.journeys, args.seed)
        on_spark = dashboard_on_spark(spark, sdf_events, sdf_outcomes, x, args.partitions).to_dict()
    finally:
        spark.stop()

    single = mot.dashboard(events, outcomes, experience=x).to_dict()
    if on_spark != single:
        raise SystemExit("the merged dashboard differs from the single-machine one")
    print(
        json.dumps(
            {
                "partitions": args.partitions,
                "interactions": on_spark["amount"]["interactions"],
                "journeys": on_spark["amount"]["journeys"],
                "sco_rate": on_spark["sco"]["rate"],
                "alerts": len(on_spark["alerts"]),
                "equal_to_single_machine": True,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

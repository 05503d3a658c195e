"""Scale-out on Dask: one tracker per partition of the log by journey, merged.

The cluster is a real ``LocalCluster`` with two worker processes on loopback,
so trackers cross process boundaries by pickle (their ``to_bytes`` state).
"""

from __future__ import annotations

import functools

import pytest

import mot

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

PARTITIONS = 6


def track(events, outcomes, experience):
    """What each worker runs: one tracker for its partition of journeys."""
    tracker = mot.Tracker(experience)
    tracker.ingest(events, outcomes)
    return tracker


def merge(left, right):
    left.merge(right)
    return left


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_partitioned_by_journey_merges_to_the_single_machine_dashboard(client):
    from dask import delayed

    x = mot.sample_experience()
    events, outcomes = mot.sample_log(journeys=4000, seed=11)
    single = mot.dashboard(events, outcomes, experience=x).to_dict()

    # Partition both tables by journey with the same hash partitioner, so every
    # journey's interactions and outcome land in the same partition index.
    ev = dd.from_pandas(events.to_pandas(), npartitions=3).shuffle("journey_id", npartitions=PARTITIONS)
    out = dd.from_pandas(outcomes.to_pandas(), npartitions=2).shuffle("journey_id", npartitions=PARTITIONS)
    ev_parts, out_parts = ev.to_delayed(), out.to_delayed()
    assert len(ev_parts) == len(out_parts) == PARTITIONS

    trackers = [delayed(track)(e, o, x) for e, o in zip(ev_parts, out_parts)]
    merged = delayed(functools.reduce)(merge, trackers)
    tracker, placement = client.compute(
        [merged, [delayed(lambda e: set(e["journey_id"]))(e) for e in ev_parts]], sync=True
    )

    # The shuffle really split the journeys (no partition holds them all) ...
    sizes = [len(p) for p in placement]
    assert sum(sizes) == 4000 and max(sizes) < 4000 and min(sizes) > 0
    # ... the workers rejected nothing (no outcome left without its journey) ...
    assert all(n == 0 for n in tracker.rejected.values())
    assert tracker.interactions == events.num_rows and tracker.journeys == 4000
    # ... and the merged dashboard is exactly the single-machine one (but for
    # the detectors, which a merged state recomputes per period).
    from conftest import without_detectors

    assert without_detectors(tracker.dashboard(x).to_dict()) == without_detectors(single)

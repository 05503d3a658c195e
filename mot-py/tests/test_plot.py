"""Dashboard.plot (the ``mot[plot]`` extra): what is drawn is the contract's numbers."""

from __future__ import annotations

import pytest

import mot

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
plt = pytest.importorskip("matplotlib.pyplot")


@pytest.fixture(scope="module")
def dash():
    x = mot.sample_experience()
    events, outcomes = mot.sample_log(journeys=3000, seed=5)
    return mot.dashboard(events, outcomes, experience=x)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_smoto_bars_whiskers_and_targets(dash):
    d = dash.to_dict()
    fig = dash.plot("smoto")
    ax = fig.axes[0]
    mots = [m for m in d["mots"] if m["smoto_rate"] is not None]
    widths = [p.get_width() for p in ax.patches]
    assert widths == [m["smoto_rate"] for m in mots]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [m["name"] or m["id"] for m in mots]
    # The whiskers span the Wilson interval of each MOT.
    (segments,) = [c for c in ax.collections if hasattr(c, "get_segments")]
    spans = sorted((round(s[0][0], 12), round(s[1][0], 12)) for s in segments.get_segments())
    assert spans == sorted((round(m["ci_low"], 12), round(m["ci_high"], 12)) for m in mots)
    # One amber tick per MOT with a target.
    ticks = [line for line in ax.lines if line.get_color() == "#f9a825"]
    assert len(ticks) == sum(m["target"] is not None for m in mots)


def test_magic_misery_map_places_each_mot_at_rate_and_lift(dash):
    d = dash.to_dict()
    fig = dash.plot("magic")
    ax = fig.axes[0]
    points = sorted(tuple(float(v) for v in c.get_offsets()[0]) for c in ax.collections)
    want = sorted((m["smoto_rate"], m["lift"]) for m in d["mots"] if m["smoto_rate"] is not None and m["lift"] is not None)
    assert points == want
    assert {t.get_text() for t in ax.texts} == {m["id"] for m in d["mots"] if m["lift"] is not None}


def test_trends_draw_the_alerted_mots_with_their_limits(dash):
    d = dash.to_dict()
    assert d["alerts"], "the sample log has an incident that raises alerts"
    fig = dash.plot("trend")
    alerted = list(dict.fromkeys(a["mot"] for a in d["alerts"] if a["mot"] is not None))
    assert len(fig.axes) == len(alerted)
    by_mot = {t["mot"]: t for t in d["trends"]}
    for ax, mot_id in zip(fig.axes, alerted):
        periods = by_mot[mot_id]["periods"]
        assert ax.get_title().startswith(mot_id)
        (rate_line,) = [line for line in ax.lines if line.get_color() == "#37474f"]
        assert list(rate_line.get_ydata()) == [p["rate"] for p in periods]
        flagged = [c for c in ax.collections if c.get_offsets().shape[0] and hasattr(c, "get_sizes")]
        outside = [p for p in periods if p["out_of_control"]]
        if outside:
            assert any(sorted(c.get_offsets()[:, 1]) == sorted(p["rate"] for p in outside) for c in flagged)


def test_plot_into_a_given_axes_and_unknown_kind(dash):
    fig, ax = plt.subplots()
    assert dash.plot("magic", ax=ax) is fig
    with pytest.raises(ValueError, match="not a plot"):
        dash.plot("pie")


def test_gap_shows_the_contract_shares_repeats_and_detours(dash):
    d = dash.to_dict()
    c = d["conformance"]
    fig = dash.plot("gap")
    left, right = fig.axes[:2]
    by_id = {m["id"]: m for m in d["mots"]}
    widths = [p.get_width() for p in left.patches]
    assert widths == [by_id[s]["gap"]["missing"] / c["journeys"] for s in c["designed"]]
    labels = [t.get_text() for t in left.get_yticklabels()]
    assert labels == [f"{k + 1}. {by_id[s]['name'] or s}" for k, s in enumerate(c["designed"])]
    # Right: the five most repeated, then the five biggest detours, as in the contract.
    repeats = sorted(((m["name"] or m["id"], m["gap"]["extra"]) for m in d["mots"] if m["gap"]["extra"]), key=lambda r: (-r[1], r[0]))[:5]
    detours = sorted(((m["name"] or m["id"], m["gap"]["undesigned"]) for m in d["mots"] if m["gap"]["undesigned"]), key=lambda r: (-r[1], r[0]))[:5]
    assert [p.get_width() for p in right.patches] == [v for _, v in repeats + detours]
    title = fig._suptitle.get_text()
    assert f"{100 * c['rate']:.1f}%" in title and f"{100 * c['sco_when_conforming']:.1f}%" in title


def test_gap_needs_a_design():
    events, outcomes = mot.sample_log(journeys=200, seed=1)
    with pytest.raises(ValueError, match="designed"):
        mot.dashboard(events, outcomes).plot("gap")
